export * from './errors';
export * from './image';
export * from './quantity';
export * from './resolve';
export * from './schema';
export * from './workload';
export * from './workload-props';
export * from './suggest';
