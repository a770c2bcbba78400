export * from './labels';
export * from './model';
export * from './pod-template';
