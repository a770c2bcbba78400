// An autoscaler's replica range as the API server checks it: read by the props schema,
// the props checks (lib/autoscaling/resolve-autoscaling.ts) and the policy rule
// HPA-REPLICA-RANGE (lib/validation/rules).

/** The fewest replicas an HPA takes: 0 needs the alpha HPAScaleToZero feature gate, which most clusters do not have. */
export const HPA_MIN_REPLICAS = 1;

/** The lowest maxReplicas the API server takes. */
export const MAX_REPLICAS_FLOOR = 1;

/** minReplicas of an HPA that does not give it (the API's default). */
export const HPA_DEFAULT_MIN_REPLICAS = 1;

/** What the API server rejects in a replica range: maxReplicas below 1, or below minReplicas; undefined when it takes it. */
export function replicaRangeProblem(minReplicas: number, maxReplicas: number): 'max-below-one' | 'max-below-min' | undefined {
  if (maxReplicas < MAX_REPLICAS_FLOOR) return 'max-below-one';
  return minReplicas > maxReplicas ? 'max-below-min' : undefined;
}
