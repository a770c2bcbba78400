import { exactQuantity } from '../core/quantity';
import { DEFAULT_DOWNSCALE_STABILIZATION_SECONDS, type Normalized, normalizeLegacy, normalizeWithBehavior, type ResolvedBehavior, resolveBehavior, ScaleHistory } from './hpa-behavior';
import type { HpaDecision, HpaMetric, HpaSpec, Observation, PodCounts } from './types';

// The HorizontalPodAutoscaler controller, one sync at a time, as kubernetes/kubernetes
// pkg/controller/podautoscaler runs it: reconcileAutoscaler (horizontal.go) takes the
// largest of the metrics' proposals (replica_calculator.go, below), then normalizes it with
// the behavior or, without one, the older rules (hpa-behavior.ts).

export { resolveBehavior } from './hpa-behavior';

/** The controller's --horizontal-pod-autoscaler-tolerance default. */
export const DEFAULT_TOLERANCE = 0.1;

/** The cpu utilization an HPA without metrics scales on (pkg/apis/autoscaling: DefaultCPUUtilization). */
export const DEFAULT_CPU_UTILIZATION = 80;

export interface HpaOptions {
  /** How far a metric may be from its target before the HPA acts, both ways, unless the behavior gives a direction's own. @default 0.1 */
  readonly tolerance?: number;
  /** The controller's --horizontal-pod-autoscaler-downscale-stabilization: the scale-down window when the behavior gives none, and the window without behavior. @default 300 */
  readonly downscaleStabilizationSeconds?: number;
}

/**
 * A per-pod reading that some ready pods gave no sample of: they are the HPA's missing pods,
 * counted at the target (Utilization: at 100% of their request or the target when higher)
 * when the others ask for fewer pods, at 0 when they ask for more. `perPod` is the average
 * of the ready pods that have a sample.
 */
export interface PerPodWithMissing {
  readonly perPod: number;
  /** Ready pods (of PodCounts.ready) without a sample of this metric. */
  readonly missing: number;
}

/** What `observe` may return: an Observation, or a per-pod reading with missing pods. */
export type HpaObservation = Observation | PerPodWithMissing;

interface Tolerances {
  readonly up: number;
  readonly down: number;
}

/** How the controller turns one metric into a proposal, worked out once from the spec. */
type Plan =
  | { readonly kind: 'utilization'; readonly target: number }
  | { readonly kind: 'per-pod'; readonly targetMilli: number }
  | { readonly kind: 'value'; readonly targetMilli: number }
  | { readonly kind: 'average-value'; readonly targetMilli: number };

/** The metrics an HPA scales on: SetDefaults_HorizontalPodAutoscaler gives cpu at 80% when the spec gives none. */
export function hpaMetrics(spec: HpaSpec): HpaMetric[] {
  return spec.metrics?.length ? spec.metrics : [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
}

export class HpaController {
  private readonly metrics: readonly HpaMetric[];
  private readonly plans: readonly Plan[];
  private readonly behavior?: ResolvedBehavior;
  private readonly tolerances: Tolerances;
  private readonly minReplicas: number;
  private readonly maxReplicas: number;
  private readonly downscaleWindow: number;
  private readonly history = new ScaleHistory();
  /** The recommendations of a sync that reads no metric. */
  private readonly unread: readonly undefined[];

  public constructor(spec: HpaSpec, options: HpaOptions = {}) {
    this.metrics = hpaMetrics(spec);
    this.plans = this.metrics.map(planOf);
    this.unread = this.metrics.map(() => undefined);
    this.minReplicas = spec.minReplicas ?? 1;
    this.maxReplicas = spec.maxReplicas;
    this.downscaleWindow = options.downscaleStabilizationSeconds ?? DEFAULT_DOWNSCALE_STABILIZATION_SECONDS;
    this.behavior = spec.behavior ? resolveBehavior(spec.behavior, this.downscaleWindow) : undefined;
    const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
    this.tolerances = { up: this.behavior?.scaleUp.tolerance ?? tolerance, down: this.behavior?.scaleDown.tolerance ?? tolerance };
  }

  /** One sync at `now` (seconds, increasing): reads each metric through `observe`, returns what the HPA sets. It records its own recommendation and scale event (it assumes its decision is applied). */
  public sync(now: number, pods: PodCounts, observe: (metric: HpaMetric, index: number) => HpaObservation): HpaDecision {
    const current = pods.replicas;
    const unread = this.unread;
    this.history.recordInitial(now, current);
    // reconcileAutoscaler: a target at zero is left alone; one outside min..max goes to the bound.
    if (current === 0 && this.minReplicas !== 0) return { replicas: 0, recommendations: unread, recommended: 0, limitedBy: 'disabled' };
    if (current > this.maxReplicas) return this.apply(now, current, { replicas: this.maxReplicas, limitedBy: 'max' }, unread, this.maxReplicas);
    if (current < this.minReplicas) return this.apply(now, current, { replicas: this.minReplicas, limitedBy: 'min' }, unread, this.minReplicas);
    const recommendations: (number | undefined)[] = [];
    let valid = 0;
    let desired = 0;
    for (let i = 0; i < this.metrics.length; i++) {
      const r = proposal(this.plans[i], observe(this.metrics[i], i), pods, this.tolerances);
      recommendations.push(r);
      if (r === undefined) continue;
      valid++;
      desired = Math.max(desired, r);
    }
    // computeReplicasForMetrics: no valid metric, or a scale-down while one is invalid, changes nothing.
    if (valid === 0 || (valid < recommendations.length && desired < current)) {
      return { replicas: current, recommendations, recommended: valid === 0 ? current : desired, limitedBy: 'unavailable metrics' };
    }
    const normalized = this.behavior
      ? normalizeWithBehavior(this.history, now, current, desired, this.behavior, this.minReplicas, this.maxReplicas)
      : normalizeLegacy(this.history, now, current, desired, this.minReplicas, this.maxReplicas, this.downscaleWindow);
    return this.apply(now, current, normalized, recommendations, desired);
  }

  /** The rescale: a change is a scale event the policies count (storeScaleEvent; none without behavior). */
  private apply(now: number, current: number, normalized: Normalized, recommendations: readonly (number | undefined)[], recommended: number): HpaDecision {
    if (normalized.replicas !== current && this.behavior) this.history.storeEvent(now, current, normalized.replicas, this.behavior);
    if (normalized.limitedBy === undefined) return { replicas: normalized.replicas, recommendations, recommended };
    return { replicas: normalized.replicas, recommendations, recommended, limitedBy: normalized.limitedBy };
  }
}

/** MilliValue(): a quantity in thousandths, rounded up. */
function milliOf(q: string | number): number {
  const { numerator, denominator } = exactQuantity(q);
  const thousandths = numerator * 1000n;
  return Number((thousandths + denominator - 1n) / denominator);
}

/** Which replica_calculator.go function computes each metric (computeReplicasForMetric and the computeStatusFor*Metric functions). */
function planOf(metric: HpaMetric): Plan {
  const what = `the HPA's ${metric.type} metric`;
  switch (metric.type) {
    case 'Resource':
    case 'ContainerResource': {
      const target = (metric.resource ?? metric.containerResource)?.target;
      if (target?.averageValue !== undefined) return { kind: 'per-pod', targetMilli: milliOf(target.averageValue) };
      if (target?.averageUtilization !== undefined) return { kind: 'utilization', target: target.averageUtilization };
      throw new Error(`${what} has neither an averageUtilization nor an averageValue target`);
    }
    case 'Pods': {
      const target = metric.pods?.target;
      if (target?.averageValue === undefined) throw new Error(`${what} needs an averageValue target`);
      return { kind: 'per-pod', targetMilli: milliOf(target.averageValue) };
    }
    case 'Object': {
      const target = metric.object?.target;
      if (target?.type === 'Value' && target.value !== undefined) return { kind: 'value', targetMilli: milliOf(target.value) };
      if (target?.type === 'AverageValue' && target.averageValue !== undefined) return { kind: 'average-value', targetMilli: milliOf(target.averageValue) };
      throw new Error(`${what} has neither a Value nor an AverageValue target`);
    }
    case 'External': {
      const target = metric.external?.target;
      if (target?.averageValue !== undefined) return { kind: 'average-value', targetMilli: milliOf(target.averageValue) };
      if (target?.value !== undefined) return { kind: 'value', targetMilli: milliOf(target.value) };
      throw new Error(`${what} has neither a value nor an averageValue target`);
    }
    default:
      throw new Error(`an HPA metric of type '${metric.type}': Kubernetes knows Resource, ContainerResource, Pods, Object and External`);
  }
}

/** Tolerances.isWithin: no change while 1 - down <= ratio <= 1 + up. */
function within(t: Tolerances, ratio: number): boolean {
  return 1 - t.down <= ratio && ratio <= 1 + t.up;
}

/** One metric's proposal, or undefined when the controller gets an error for it. */
function proposal(plan: Plan, reading: HpaObservation, pods: PodCounts, t: Tolerances): number | undefined {
  if (reading === undefined) return undefined;
  if ('perPod' in reading) {
    if (plan.kind !== 'utilization' && plan.kind !== 'per-pod') throw new Error(`a per-pod reading for a metric the HPA reads as one value (${plan.kind})`);
    const missing = 'missing' in reading ? reading.missing : 0;
    return podReplicas(plan, reading.perPod, missing, pods, t);
  }
  if (plan.kind === 'value') return usageRatioReplicas(Math.round(reading.total * 1000) / plan.targetMilli, pods, t);
  if (plan.kind === 'average-value') return perPodOfTotalReplicas(Math.round(reading.total * 1000), plan.targetMilli, pods, t);
  throw new Error('a total reading for a metric the HPA reads per pod');
}

/**
 * GetResourceReplicas (a Utilization target) and calcPlainMetricReplicas (an AverageValue
 * per pod): the average of the ready pods with a sample over the target; pods not ready
 * are left out, and count as using nothing when the others ask for more pods; missing
 * pods count at the target on a scale-down, at nothing on a scale-up; no change within
 * the tolerance, nor when counting them turns the direction around.
 */
function podReplicas(plan: Plan, perPod: number, missing: number, pods: PodCounts, t: Tolerances): number | undefined {
  const sampled = pods.ready - missing;
  // "no pods returned by selector", "did not receive metrics for targeted pods".
  if (pods.ready + pods.unready === 0 || sampled <= 0) return undefined;
  const utilization = plan.kind === 'utilization';
  const target = utilization ? plan.target : (plan as { targetMilli: number }).targetMilli;
  const total = utilization ? perPod * sampled : Math.round(perPod * 1000 * sampled);
  const ratio = average(utilization, total, sampled) / target;
  const scaleUpWithUnready = pods.unready > 0 && ratio > 1;
  if (!scaleUpWithUnready && missing === 0) return within(t, ratio) ? pods.replicas : Math.ceil(ratio * sampled);
  let sum = total;
  let count = sampled;
  if (missing > 0 && ratio < 1) {
    sum += missing * (utilization ? Math.max(100, target) : target);
    count += missing;
  } else if (missing > 0 && ratio > 1) {
    count += missing;
  }
  if (scaleUpWithUnready) count += pods.unready;
  const newRatio = average(utilization, sum, count) / target;
  if (within(t, newRatio) || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1)) return pods.replicas;
  const replicas = Math.ceil(newRatio * count);
  if ((newRatio < 1 && replicas > pods.replicas) || (newRatio > 1 && replicas < pods.replicas)) return pods.replicas;
  return replicas;
}

/** The controller's integer arithmetic: a whole percent (GetResourceUtilizationRatio), a whole thousandth (GetMetricUsageRatio). */
function average(utilization: boolean, sum: number, count: number): number {
  return utilization ? Math.floor(sum / count + 1e-9) : Math.trunc(sum / count);
}

/**
 * GetObjectMetricReplicas and GetExternalMetricReplicas (a Value target), through
 * getUsageRatioReplicaCount: the ready pods scaled by the ratio; from zero replicas, the
 * ratio itself, without tolerance.
 */
function usageRatioReplicas(ratio: number, pods: PodCounts, t: Tolerances): number | undefined {
  if (pods.replicas === 0) return Math.ceil(ratio);
  if (within(t, ratio)) return pods.replicas;
  if (pods.ready + pods.unready === 0) return undefined; // getReadyPodsCount: no pods returned by selector
  return Math.ceil(ratio * pods.ready);
}

/**
 * GetObjectPerPodMetricReplicas and GetExternalPerPodMetricReplicas (an AverageValue
 * target): the value shared among the pods that exist (status.replicas); within the
 * tolerance, that count, else the value over the target.
 */
function perPodOfTotalReplicas(usageMilli: number, targetMilli: number, pods: PodCounts, t: Tolerances): number {
  const statusReplicas = pods.ready + pods.unready;
  const ratio = usageMilli / (targetMilli * statusReplicas);
  return within(t, ratio) ? statusReplicas : Math.ceil(usageMilli / targetMilli);
}
