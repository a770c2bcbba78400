export * from './argo-cd-applications';
export * from './environment-namespaces';
export * from './sync-waves';
