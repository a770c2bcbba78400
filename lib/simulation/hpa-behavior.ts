import { SCALE_DOWN_DEFAULTS, SCALE_UP_DEFAULTS } from '../autoscaling/behavior';
import { quantityValue } from '../core/quantity';
import type { ScalingPolicy } from '../core/workload-props';
import type { HpaBehavior } from './types';

// What the HorizontalPodAutoscaler controller does with a replica count the metrics ask for
// (kubernetes/kubernetes pkg/controller/podautoscaler/horizontal.go): with `behavior`,
// stabilizeRecommendationWithBehaviors then convertDesiredReplicasWithBehaviorRate over the
// scale events of the policies' periods; without it (the API server leaves a missing
// behavior nil: pkg/apis/autoscaling/v2/defaults.go), normalizeDesiredReplicas, the older
// rules. The history each keeps is the controller's, pruned the way it prunes it.

type Rules = NonNullable<HpaBehavior['scaleUp']>;

/** One direction's rules with every field defaulted. */
export interface ScalingRules {
  readonly stabilizationWindowSeconds: number;
  /** Any other value of the spec is taken as Max, as the controller does. */
  readonly selectPolicy: 'Max' | 'Min' | 'Disabled';
  readonly policies: readonly ScalingPolicy[];
  /** The longest period of the policies: how long a scale event counts (getLongestPolicyPeriod). */
  readonly longestPeriodSeconds: number;
  /** The direction's own tolerance (HPAConfigurableTolerance), when the spec gives one. */
  readonly tolerance?: number;
}

export interface ResolvedBehavior {
  readonly scaleUp: ScalingRules;
  readonly scaleDown: ScalingRules;
}

/** The controller's --horizontal-pod-autoscaler-downscale-stabilization default: the API's scale-down window. */
export const DEFAULT_DOWNSCALE_STABILIZATION_SECONDS = SCALE_DOWN_DEFAULTS.stabilizationWindowSeconds;

/**
 * A behavior as the API server defaults it (GenerateHPAScaleUpRules, GenerateHPAScaleDownRules):
 * each field a direction does not give takes its default, the scale-down window the
 * controller's flag (maybeInitScaleDownStabilizationWindow).
 */
export function resolveBehavior(behavior: HpaBehavior, downscaleWindowSeconds = DEFAULT_DOWNSCALE_STABILIZATION_SECONDS): ResolvedBehavior {
  return {
    scaleUp: rules(behavior.scaleUp, SCALE_UP_DEFAULTS.stabilizationWindowSeconds, SCALE_UP_DEFAULTS.policies),
    scaleDown: rules(behavior.scaleDown, downscaleWindowSeconds, SCALE_DOWN_DEFAULTS.policies),
  };
}

function rules(given: Rules | undefined, window: number, policies: readonly ScalingPolicy[]): ScalingRules {
  const select = given?.selectPolicy;
  const resolved = given?.policies?.map(policyOf) ?? policies;
  return {
    stabilizationWindowSeconds: given?.stabilizationWindowSeconds ?? window,
    selectPolicy: select === 'Min' || select === 'Disabled' ? select : 'Max',
    policies: resolved,
    longestPeriodSeconds: Math.max(0, ...resolved.map((p) => p.periodSeconds)),
    ...(given?.tolerance === undefined ? {} : { tolerance: quantityValue(given.tolerance) }),
  };
}

function policyOf(policy: NonNullable<Rules['policies']>[number]): ScalingPolicy {
  if (policy.type !== 'Pods' && policy.type !== 'Percent') throw new Error(`an HPA scaling policy of type '${policy.type}': Kubernetes knows Pods and Percent`);
  return { type: policy.type, value: policy.value, periodSeconds: policy.periodSeconds };
}

interface Timed {
  at: number;
  value: number;
}

/** The outcome of a normalization: the count, and what held it back. */
export interface Normalized {
  readonly replicas: number;
  readonly limitedBy?: string;
}

/**
 * The controller's memory of one HPA: its unstabilized recommendations and its scale events
 * (replicas added, replicas removed). Like the controller, an entry that no window or period
 * can reach any more is overwritten by the next one, so the lists stay as short as the
 * longest window or period allows.
 */
export class ScaleHistory {
  private recommendations: Timed[] | undefined;
  private readonly upEvents: Timed[] = [];
  private readonly downEvents: Timed[] = [];

  /** recordInitialRecommendation: the first sync remembers the count it found, as if recommended. */
  public recordInitial(now: number, current: number): void {
    this.recommendations ??= [{ at: now, value: current }];
  }

  /**
   * stabilizeRecommendationWithBehaviors: the current count brought up to the lowest
   * recommendation of the scale-up window and down to the highest of the scale-down window
   * (this one included; a past one counts when strictly after now - window), then this
   * recommendation remembered.
   */
  public stabilize(now: number, current: number, desired: number, behavior: ResolvedBehavior): number {
    const upCutoff = now - behavior.scaleUp.stabilizationWindowSeconds;
    const downCutoff = now - behavior.scaleDown.stabilizationWindowSeconds;
    let up = desired;
    let down = desired;
    const recs = this.recommendations ?? [];
    for (const r of recs) {
      if (r.at > upCutoff && r.value < up) up = r.value;
      if (r.at > downCutoff && r.value > down) down = r.value;
    }
    remember(recs, now, desired, (r) => r.at < upCutoff && r.at < downCutoff);
    this.recommendations = recs;
    return Math.min(Math.max(current, up), down);
  }

  /**
   * stabilizeRecommendation, without behavior: the highest recommendation of the window
   * (one exactly at now - window included), whatever the current count.
   */
  public stabilizeLegacy(now: number, desired: number, windowSeconds: number): number {
    const cutoff = now - windowSeconds;
    let highest = desired;
    const recs = this.recommendations ?? [];
    for (const r of recs) if (r.at >= cutoff && r.value > highest) highest = r.value;
    remember(recs, now, desired, (r) => r.at < cutoff);
    this.recommendations = recs;
    return highest;
  }

  /** calculateScaleUpLimitWithScalingRules: each policy from the replicas at the start of its period; Max the largest, Min the smallest. */
  public scaleUpLimit(now: number, current: number, rules: ScalingRules): number {
    if (rules.selectPolicy === 'Disabled') return current;
    let result = rules.selectPolicy === 'Min' ? Infinity : -Infinity;
    for (const p of rules.policies) {
      const start = this.periodStart(now, current, p.periodSeconds);
      const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
      result = rules.selectPolicy === 'Min' ? Math.min(result, proposed) : Math.max(result, proposed);
    }
    return result;
  }

  /** calculateScaleDownLimitWithBehaviors: Max the policy that removes the most (the lowest count), Min the fewest. */
  public scaleDownLimit(now: number, current: number, rules: ScalingRules): number {
    if (rules.selectPolicy === 'Disabled') return current;
    let result = rules.selectPolicy === 'Min' ? -Infinity : Infinity;
    for (const p of rules.policies) {
      const start = this.periodStart(now, current, p.periodSeconds);
      const proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
      result = rules.selectPolicy === 'Min' ? Math.max(result, proposed) : Math.min(result, proposed);
    }
    return result;
  }

  /** storeScaleEvent: the change, overwriting an event older than the direction's longest period (markScaleEventsOutdated). */
  public storeEvent(now: number, from: number, to: number, behavior: ResolvedBehavior): void {
    const up = to > from;
    const cutoff = now - (up ? behavior.scaleUp : behavior.scaleDown).longestPeriodSeconds;
    remember(up ? this.upEvents : this.downEvents, now, Math.abs(to - from), (e) => e.at < cutoff);
  }

  /** The replicas at the start of a period: the current count less what was added, plus what was removed, in it (getReplicasChangePerPeriod). */
  private periodStart(now: number, current: number, periodSeconds: number): number {
    return current - changeIn(this.upEvents, now, periodSeconds) + changeIn(this.downEvents, now, periodSeconds);
  }
}

/** Replaces the last entry that `old` says no window reaches, or appends. */
function remember(list: Timed[], at: number, value: number, old: (e: Timed) => boolean): void {
  for (let i = list.length - 1; i >= 0; i--) {
    if (old(list[i])) {
      list[i] = { at, value };
      return;
    }
  }
  list.push({ at, value });
}

/** The changes strictly after now - period. */
function changeIn(events: readonly Timed[], now: number, periodSeconds: number): number {
  const cutoff = now - periodSeconds;
  let change = 0;
  for (const e of events) if (e.at > cutoff) change += e.value;
  return change;
}

/** normalizeDesiredReplicasWithBehaviors: stabilize, then convertDesiredReplicasWithBehaviorRate. */
export function normalizeWithBehavior(history: ScaleHistory, now: number, current: number, desired: number, behavior: ResolvedBehavior, min: number, max: number): Normalized {
  const stabilized = history.stabilize(now, current, desired, behavior);
  const stabilizedBy = stabilized !== desired ? 'stabilization' : undefined;
  if (stabilized > current) {
    const limit = Math.max(current, history.scaleUpLimit(now, current, behavior.scaleUp));
    const byPolicy = max > limit;
    const allowed = byPolicy ? limit : max;
    if (stabilized <= allowed) return { replicas: stabilized, limitedBy: stabilizedBy };
    return { replicas: allowed, limitedBy: !byPolicy ? 'max' : behavior.scaleUp.selectPolicy === 'Disabled' ? 'disabled' : 'scale-up policy' };
  }
  if (stabilized < current) {
    const limit = Math.min(current, history.scaleDownLimit(now, current, behavior.scaleDown));
    const byPolicy = min < limit;
    const allowed = byPolicy ? limit : min;
    if (stabilized >= allowed) return { replicas: stabilized, limitedBy: stabilizedBy };
    return { replicas: allowed, limitedBy: !byPolicy ? 'min' : behavior.scaleDown.selectPolicy === 'Disabled' ? 'disabled' : 'scale-down policy' };
  }
  return { replicas: stabilized, limitedBy: stabilizedBy };
}

/**
 * normalizeDesiredReplicas, for an HPA without behavior: the highest recommendation of the
 * controller's downscale window, then convertDesiredReplicasWithRules: at least minReplicas,
 * at most maxReplicas and max(2 x current, 4) (calculateScaleUpLimit).
 */
export function normalizeLegacy(history: ScaleHistory, now: number, current: number, desired: number, min: number, max: number, windowSeconds: number): Normalized {
  const stabilized = history.stabilizeLegacy(now, desired, windowSeconds);
  const scaleUpLimit = Math.trunc(Math.max(2 * current, 4));
  const allowed = Math.min(max, scaleUpLimit);
  if (stabilized < min) return { replicas: min, limitedBy: 'min' };
  if (stabilized > allowed) return { replicas: allowed, limitedBy: max > scaleUpLimit ? 'scale-up limit' : 'max' };
  return { replicas: stabilized, limitedBy: stabilized !== desired ? 'stabilization' : undefined };
}
