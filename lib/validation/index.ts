export * from './manifest';
export * from './pod-specs';
export * from './rule';
export * from './rules';
export * from './validate-manifests';
export * from './load-manifests';
export * from './run-validate';
