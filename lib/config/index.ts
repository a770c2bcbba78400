export * from './simple-yaml';
export * from './synth-config';
export * from './workload-file';
export * from './workload-kinds';
