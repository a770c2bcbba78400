export * from './autoscaling';
export * from './config';
export * from './pipeline';
export * from './pod';
export * from './serving';
export * from './synth';
export * from './workload';
export * from './validation';
