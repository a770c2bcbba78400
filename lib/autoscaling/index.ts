export * from './behavior';
export * from './horizontal-pod-autoscaler';
export * from './keda';
export * from './presets';
