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

/** Whether a budget's maxUnavailable lets no pod be evicted: 0 or 0%, which blocks every node drain. Shared by the props check and PDB-ALLOWS-EVICTION. */
export function blocksEveryEviction(maxUnavailable: unknown): boolean {
  return maxUnavailable === 0 || maxUnavailable === '0%';
}

/**
 * The pods a budget's minAvailable keeps of `pods` (a percentage rounds up, as the
 * disruption controller rounds it), or undefined when it is neither a number nor a
 * percentage. Shared by the props check and PDB-ALLOWS-EVICTION.
 */
export function podsKept(minAvailable: unknown, pods: number): number | undefined {
  if (typeof minAvailable === 'number') return minAvailable;
  if (typeof minAvailable !== 'string' || !/^\d+%$/.test(minAvailable)) return undefined;
  return Math.ceil((Number(minAvailable.slice(0, -1)) * pods) / 100);
}

/** Whether minAvailable keeps every one of `pods`, so that no pod can ever be evicted (100% always does). */
export function keepsEveryPod(minAvailable: unknown, pods: number): boolean {
  if (minAvailable === '100%') return true;
  const kept = podsKept(minAvailable, pods);
  return kept !== undefined && kept > 0 && kept >= pods;
}
