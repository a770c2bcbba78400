export * from './argo-cd-applications';
export * from './environment-namespaces';
export * from './kustomization';
export * from './sync-waves';
