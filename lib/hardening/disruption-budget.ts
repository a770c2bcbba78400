import type { IPodDisruptionBudgetSpec } from 'kubernetes-models/policy/v1/PodDisruptionBudgetSpec';
import type { DisruptionBudgetOptions } from '../core/workload-props';

/**
 * A `policy/v1` PodDisruptionBudget over the workload's pods. Pods that are
 * not ready (a model still loading, a crash loop) may always be evicted, so
 * the budget never holds up a node drain on their account.
 */
export function disruptionBudgetSpec(workload: { readonly selectorLabels: Readonly<Record<string, string>> }, budget: DisruptionBudgetOptions): IPodDisruptionBudgetSpec {
  return {
    selector: { matchLabels: { ...workload.selectorLabels } },
    maxUnavailable: budget.maxUnavailable,
    minAvailable: budget.minAvailable,
    unhealthyPodEvictionPolicy: 'AlwaysAllow',
  };
}
