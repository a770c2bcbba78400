import { KEDA_DEFAULT_COOLDOWN_PERIOD_SECONDS, KEDA_DEFAULT_POLLING_INTERVAL_SECONDS, RESOURCE_SCALERS } from '../autoscaling/keda';
import { HpaController, type HpaObservation } from './hpa-controller';
import { kedaMetricName } from './signals';
import type { HpaDecision, HpaMetric, HpaSpec, PodCounts, ScaledObjectSpec, ScaledObjectTrigger } from './types';

// A KEDA ScaledObject as kedacore/keda runs it, in the version whose CRD the
// @kubernetes-models/keda types describe (2.11: no scalingModifiers, no
// initialCooldownPeriod, no fallback.behavior). Every pollingInterval the scale loop
// (pkg/scaling/scale_handler.go getScaledObjectState, then
// pkg/scaling/executor/scale_scaledobjects.go RequestScale) asks the scalers whether a
// trigger is active: it wakes the target from zero, scales it to zero (or idle) once no
// trigger has been active for cooldownPeriod, holds minReplicaCount, and scales to
// fallback.replicas when a scaler fails and none is active. In between, the HPA KEDA
// creates (controllers/keda/hpa.go) scales it on the triggers' metrics, which KEDA's
// metrics server reads from the scalers at every HPA sync (GetScaledObjectMetrics), with
// the fallback of pkg/fallback/fallback.go.

/** KEDA's defaults (ScaledObject spec; GetHPAMaxReplicas). */
export const KEDA_DEFAULTS = { pollingInterval: KEDA_DEFAULT_POLLING_INTERVAL_SECONDS, cooldownPeriod: KEDA_DEFAULT_COOLDOWN_PERIOD_SECONDS, minReplicaCount: 0, maxReplicaCount: 100 } as const;

/** Triggers on the pods' own cpu or memory: Resource metrics on the HPA, never active. */
const RESOURCE_TRIGGERS: readonly string[] = RESOURCE_SCALERS;

/** A trigger's threshold and activation threshold, as its scaler parses them. */
interface Thresholds {
  /** The HPA target, in thousandths (GetMetricTargetMili truncates; GetMetricTarget takes a whole number). */
  readonly targetMilli: number;
  /** The value above which the trigger is active. */
  readonly activation: number;
}

const number = (trigger: ScaledObjectTrigger, key: string, fallback?: number): number => {
  const text = trigger.metadata?.[key];
  const value = text === undefined || text === '' ? fallback : Number(text);
  if (value === undefined || !Number.isFinite(value)) throw new Error(`the ${trigger.type} trigger needs a number in metadata.${key}, not '${text ?? ''}'`);
  return value;
};

/** An int64 the scaler parses with strconv.ParseInt. */
const whole = (trigger: ScaledObjectTrigger, key: string, fallback?: number): number => {
  const value = number(trigger, key, fallback);
  if (!Number.isInteger(value)) throw new Error(`the ${trigger.type} scaler reads metadata.${key} as a whole number, not '${trigger.metadata?.[key]}'`);
  return value;
};

/**
 * The metadata each scaler reads (pkg/scalers, 2.11): prometheus threshold (required) and
 * activationThreshold; kafka lagThreshold (10) and activationLagThreshold, whole numbers;
 * rabbitmq value (20 when neither mode nor value is given; the deprecated queueLength) and
 * activationValue; aws-sqs-queue queueLength (5, also when it is not a whole number) and
 * activationQueueLength. Activation thresholds default to 0. Other scalers: threshold or
 * value, and activationThreshold or activationValue, as most of them name them.
 */
export function triggerThresholds(trigger: ScaledObjectTrigger): Thresholds {
  const m = trigger.metadata ?? {};
  const milli = (value: number) => Math.trunc(value * 1000);
  switch (trigger.type) {
    case 'prometheus':
      return { targetMilli: milli(number(trigger, 'threshold')), activation: number(trigger, 'activationThreshold', 0) };
    case 'kafka':
      return { targetMilli: 1000 * whole(trigger, 'lagThreshold', 10), activation: whole(trigger, 'activationLagThreshold', 0) };
    case 'rabbitmq': {
      const value = m.queueLength !== undefined ? number(trigger, 'queueLength') : number(trigger, 'value', m.mode === undefined ? 20 : undefined);
      return { targetMilli: milli(value), activation: number(trigger, 'activationValue', 0) };
    }
    case 'aws-sqs-queue': {
      const length = Number(m.queueLength);
      const activation = Number(m.activationQueueLength);
      return { targetMilli: 1000 * (Number.isInteger(length) && m.queueLength ? length : 5), activation: Number.isInteger(activation) && m.activationQueueLength ? activation : 0 };
    }
    default: {
      const key = m.threshold !== undefined ? 'threshold' : 'value';
      return { targetMilli: milli(number(trigger, key)), activation: number(trigger, m.activationThreshold !== undefined ? 'activationThreshold' : 'activationValue', 0) };
    }
  }
}

/** A quantity in thousandths as resource.NewMilliQuantity writes it. */
const quantityOf = (thousandths: number): string => (thousandths % 1000 === 0 ? String(thousandths / 1000) : `${thousandths}m`);

/** The HPA metric of a trigger: Resource for cpu and memory (their scaler's spec), External with the scaler's target for the others. */
function metricOf(trigger: ScaledObjectTrigger, index: number): HpaMetric {
  if (RESOURCE_TRIGGERS.includes(trigger.type)) {
    // cpu_memory_scaler.go: the type from trigger.metricType (or the deprecated metadata.type).
    const type = trigger.metricType ?? trigger.metadata?.type ?? 'Utilization';
    const value = trigger.metadata?.value ?? '';
    const target = type === 'Utilization' ? { type, averageUtilization: whole(trigger, 'value') } : { type: 'AverageValue', averageValue: value };
    return { type: 'Resource', resource: { name: trigger.type, target } };
  }
  // GetMetricTargetType: AverageValue unless the trigger says Value (Utilization is refused).
  if (trigger.metricType === 'Utilization') throw new Error(`the ${trigger.type} trigger cannot have metricType Utilization: KEDA allows it for cpu and memory only`);
  const target = quantityOf(triggerThresholds(trigger).targetMilli);
  const metricTarget = trigger.metricType === 'Value' ? { type: 'Value', value: target } : { type: 'AverageValue', averageValue: target };
  return { type: 'External', external: { metric: { name: kedaMetricName(trigger, index) }, target: metricTarget } };
}

/** Each HPA metric's trigger: getScaledObjectMetricSpecs sorts the metrics by type, External before Resource. */
function metricOrder(spec: ScaledObjectSpec): number[] {
  const indexes = spec.triggers.map((_, i) => i);
  const rank = (i: number) => (RESOURCE_TRIGGERS.includes(spec.triggers[i].type) ? 1 : 0);
  return indexes.sort((a, b) => rank(a) - rank(b) || a - b);
}

/** The HPA KEDA creates (newHPAForScaledObject): minReplicas GetHPAMinReplicas (at least 1), maxReplicas GetHPAMaxReplicas (100), one metric per trigger, advanced.horizontalPodAutoscalerConfig.behavior. */
export function kedaHpaSpec(spec: ScaledObjectSpec): HpaSpec {
  const min = spec.minReplicaCount ?? KEDA_DEFAULTS.minReplicaCount;
  const behavior = spec.advanced?.horizontalPodAutoscalerConfig?.behavior;
  return {
    scaleTargetRef: { apiVersion: spec.scaleTargetRef.apiVersion ?? 'apps/v1', kind: spec.scaleTargetRef.kind ?? 'Deployment', name: spec.scaleTargetRef.name },
    minReplicas: min > 0 ? min : 1,
    maxReplicas: spec.maxReplicaCount ?? KEDA_DEFAULTS.maxReplicaCount,
    metrics: metricOrder(spec).map((i) => metricOf(spec.triggers[i], i)),
    ...(behavior ? { behavior: behavior as HpaSpec['behavior'] } : {}),
  };
}

export interface KedaDecision {
  readonly replicas: number;
  /** Whether a trigger was active at the last poll. */
  readonly active: boolean;
  /** The decision of the HPA KEDA creates, at this sync. */
  readonly hpa?: HpaDecision;
  /** What set or held the count: KEDA's `activation`, `cooldown`, `min`, `fallback`, or the HPA's. */
  readonly limitedBy?: string;
  /** Whether fallback.replicas was used at this sync: by the scale loop, or as a failed trigger's metric. */
  readonly fallback: boolean;
}

type Observe = (trigger: ScaledObjectTrigger, index: number) => number | undefined;

interface PollOutcome {
  readonly replicas: number;
  readonly reason?: string;
}

export class KedaController {
  /** The HPA spec KEDA creates for this ScaledObject. */
  public readonly hpaSpec: HpaSpec;
  private readonly hpa: HpaController;
  /** The trigger of each HPA metric. */
  private readonly triggerOf: readonly number[];
  private readonly thresholds: readonly (Thresholds | undefined)[];
  private readonly pollingInterval: number;
  private readonly cooldownPeriod: number;
  private lastPoll?: number;
  /** status.lastActiveTime; undefined until a trigger is active, and then the cooldown does not apply. */
  private lastActive?: number;
  private active = false;
  /** status.health: consecutive failed reads of each trigger's metric by the HPA. */
  private readonly failures: number[];
  /** The values of the last poll, for triggers with useCachedMetrics. */
  private readonly cached: (number | undefined)[];

  public constructor(private readonly spec: ScaledObjectSpec) {
    this.hpaSpec = kedaHpaSpec(spec);
    this.hpa = new HpaController(this.hpaSpec);
    this.triggerOf = metricOrder(spec);
    this.thresholds = spec.triggers.map((t) => (RESOURCE_TRIGGERS.includes(t.type) ? undefined : triggerThresholds(t)));
    this.pollingInterval = spec.pollingInterval ?? KEDA_DEFAULTS.pollingInterval;
    this.cooldownPeriod = spec.cooldownPeriod ?? KEDA_DEFAULTS.cooldownPeriod;
    this.failures = spec.triggers.map(() => 0);
    this.cached = spec.triggers.map(() => undefined);
  }

  /** One HPA sync at `now`; KEDA polls its scalers whenever pollingInterval has passed since its last poll (first poll at the first sync). `observe` gives a trigger's metric value: for an External trigger the scaler's total value (e.g. queue length, the Prometheus query's result), for cpu/memory the ready pods' average utilization in percent of the request; undefined when the scaler fails. */
  public sync(now: number, pods: PodCounts, observe: Observe): KedaDecision {
    let polled: PollOutcome | undefined;
    if (this.lastPoll === undefined || now - this.lastPoll >= this.pollingInterval) {
      this.lastPoll = now;
      polled = this.poll(now, pods.replicas, observe);
    }
    const replicas = polled?.replicas ?? pods.replicas;
    const counts = replicas === pods.replicas ? pods : resized(pods, replicas);
    let fallback = polled?.reason === 'fallback';
    const hpa = this.hpa.sync(now, counts, (metric, i) => {
      const read = this.read(metric, this.triggerOf[i], observe);
      fallback ||= read.fallback;
      return read.observation;
    });
    // KEDA's reason when it changed the count and the HPA kept it, else the HPA's.
    const limitedBy = polled?.reason !== undefined && replicas !== pods.replicas && hpa.replicas === replicas ? polled.reason : hpa.limitedBy;
    return { replicas: hpa.replicas, active: this.active, hpa, fallback, ...(limitedBy === undefined ? {} : { limitedBy }) };
  }

  /**
   * getScaledObjectState, then RequestScale: active when an External trigger's value is
   * above its activation threshold (or when every trigger is cpu or memory); in error when
   * a scaler fails.
   */
  private poll(now: number, current: number, observe: Observe): PollOutcome {
    let active = this.spec.triggers.every((t) => RESOURCE_TRIGGERS.includes(t.type));
    let error = false;
    this.spec.triggers.forEach((trigger, i) => {
      const thresholds = this.thresholds[i];
      if (thresholds === undefined) return;
      const value = observe(trigger, i);
      this.cached[i] = value;
      if (value === undefined) error = true;
      else if (value > thresholds.activation) active = true;
    });
    this.active = active;
    return active ? this.whenActive(now, current, error) : this.whenInactive(now, current, error);
  }

  /** RequestScale with an active trigger: from zero (or below minReplicaCount with idleReplicaCount) to minReplicaCount, at least 1 (scaleFromZeroOrIdle); lastActiveTime is kept unless a scaler failed. */
  private whenActive(now: number, current: number, error: boolean): PollOutcome {
    const min = this.spec.minReplicaCount ?? KEDA_DEFAULTS.minReplicaCount;
    if ((this.spec.idleReplicaCount !== undefined && current < min) || current === 0) {
      this.lastActive = now;
      return { replicas: min > 0 ? min : 1, reason: 'activation' };
    }
    if (!error) this.lastActive = now;
    return { replicas: current };
  }

  /**
   * RequestScale with no active trigger: a failing scaler means fallback.replicas
   * (doFallbackScaling) or no change; else to idleReplicaCount (or minReplicaCount, or 0)
   * once cooldownPeriod has passed since lastActiveTime (scaleToZeroOrIdle), or up to
   * minReplicaCount.
   */
  private whenInactive(now: number, current: number, error: boolean): PollOutcome {
    const { fallback, idleReplicaCount: idle } = this.spec;
    const min = this.spec.minReplicaCount ?? KEDA_DEFAULTS.minReplicaCount;
    if (error && fallback && fallback.replicas !== 0) return { replicas: fallback.replicas, reason: 'fallback' };
    if (error && !fallback) return { replicas: current };
    if ((idle !== undefined && current > idle) || (current > 0 && min === 0)) {
      // lastActiveTime + cooldownPeriod before now: lastActiveTime is stored with whole seconds and
      // read a poll later, so the poll at exactly lastActiveTime + cooldownPeriod already finds it passed.
      const cooledDown = this.lastActive === undefined || this.lastActive + this.cooldownPeriod <= now;
      return cooledDown ? { replicas: idle ?? min, reason: 'cooldown' } : { replicas: current };
    }
    if (idle === undefined && current < min) return { replicas: min, reason: 'min' };
    return { replicas: current };
  }

  /**
   * The HPA reading a trigger's metric through KEDA's metrics server: the scaler's value (the
   * last poll's with useCachedMetrics), in thousandths (GenerateMetricInMili); after more
   * than failureThreshold failed reads in a row, an AverageValue metric reads
   * fallback.replicas x its target (GetMetricsWithFallback).
   */
  private read(metric: HpaMetric, index: number, observe: Observe): { observation: HpaObservation; fallback: boolean } {
    const trigger = this.spec.triggers[index];
    const value = trigger.useCachedMetrics ? this.cached[index] : observe(trigger, index);
    if (metric.type === 'Resource') return { observation: value === undefined ? undefined : { perPod: value }, fallback: false };
    if (value !== undefined) {
      this.failures[index] = 0;
      return { observation: { total: Math.trunc(value * 1000) / 1000 }, fallback: false };
    }
    this.failures[index]++;
    const fallback = this.spec.fallback;
    const averageValue = metric.external?.target.type === 'AverageValue';
    if (!fallback || !averageValue || fallback.failureThreshold < 0 || fallback.replicas < 0 || this.failures[index] <= fallback.failureThreshold) return { observation: undefined, fallback: false };
    // doFallback: int64(target as a float64 x 1000) x replicas, in thousandths.
    const targetMilli = Math.trunc((this.thresholds[index]!.targetMilli / 1000) * 1000);
    return { observation: { total: (targetMilli * fallback.replicas) / 1000 }, fallback: true };
  }
}

/** The pods once KEDA has set `replicas`: new ones start not ready; removed ones go, those not ready first. */
function resized(pods: PodCounts, replicas: number): PodCounts {
  const existing = pods.ready + pods.unready;
  if (replicas >= existing) return { replicas, ready: pods.ready, unready: pods.unready + replicas - existing };
  const ready = Math.min(pods.ready, replicas);
  return { replicas, ready, unready: replicas - ready };
}
