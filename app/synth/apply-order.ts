import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';

/** Objects a workload depends on come first, so `kubectl apply -f` of one file creates them in order. */
export const KIND_ORDER: readonly string[] = [
  'Namespace', 'ServiceAccount', 'ConfigMap', 'Secret', 'NetworkPolicy', 'TriggerAuthentication',
  'Service', 'Deployment', 'Job', 'CronJob', 'ScaledJob',
  'HorizontalPodAutoscaler', 'ScaledObject', 'PodDisruptionBudget', 'ServiceMonitor', 'PodMonitor',
];

/** The objects below `scope` as JSON, in apply order. Each chart is resolved on its own: Chart.toJson() would resolve and validate the whole app per chart. */
export function objectsOf(scope: Construct): Record<string, unknown>[] {
  return scope.node.findAll()
    .filter(ApiObject.isApiObject)
    .map((o) => o.toJson() as Record<string, unknown>)
    .sort((a, b) => rank(a.kind) - rank(b.kind));
}

function rank(kind: unknown): number {
  const index = KIND_ORDER.indexOf(String(kind));
  return index < 0 ? KIND_ORDER.length : index;
}
