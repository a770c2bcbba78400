export * from './labels';
export * from './pod-template';
