export * from './disruption-budget';
export * from './network-policy';
