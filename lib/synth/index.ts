export * from './build-workloads';
export * from './render-manifests';
export * from './run-synth';
export * from './summary';
export * from './write-manifests';
export * from './emit-yaml';
