export * from './simple-yaml';
export * from './synth-config';
export * from './workload-file';
export * from './workload-kinds';
export * from './environment-overlay';
export * from './environments-file';
export * from './input-files';
export * from './input-limits';
