import type { k8s } from 'cdk8s-plus-28';
import { intOrString } from '../pod/pod-template';
import type { ResolvedWorkload } from '../workload/resolve';
import type { DisruptionBudgetOptions } from '../workload/workload-props';

/**
 * A `policy/v1` PodDisruptionBudget over the workload's pods. Pods that are
 * not ready (a model still loading, a crash loop) may always be evicted, so
 * the budget never holds up a node drain on their account.
 */
export function disruptionBudgetSpec(workload: ResolvedWorkload, budget: DisruptionBudgetOptions): k8s.PodDisruptionBudgetSpec {
  return {
    selector: { matchLabels: { ...workload.selectorLabels } },
    maxUnavailable: budget.maxUnavailable === undefined ? undefined : intOrString(budget.maxUnavailable),
    minAvailable: budget.minAvailable === undefined ? undefined : intOrString(budget.minAvailable),
    unhealthyPodEvictionPolicy: 'AlwaysAllow',
  };
}
