export * from './kube-object';
