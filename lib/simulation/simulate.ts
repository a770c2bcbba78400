import { HpaController, hpaMetrics } from './hpa-controller';
import { KedaController } from './keda-controller';
import { hpaMetricName, hpaSignal, isQueueFed, kedaMetricName, type Signal, triggerSignal, UnusedTraceError } from './signals';
import { summarize } from './summary';
import type { HpaSpec, Observation, PodCounts, ScaledObjectSpec, SeriesPoint, SimulationResult } from './types';

// The load model and the clock: every sync period the autoscaler reads the signals of the
// period that just ended and sets the replica count; new pods serve once their start-up time
// has passed; then the next period runs with the pods that are ready.

/** What one pod does, for the load model. */
export interface PodModel {
  /** Load units per second one ready pod serves at 100% of its cpu request. */
  readonly capacity: number;
  /** Seconds from a pod's creation to ready: image pull, model download and load included. */
  readonly startupSeconds: number;
  /** The cpu limit over the request: how far above 100% the pods' utilization goes (throttled beyond); undefined: no limit. */
  readonly cpuLimitRatio?: number;
  /** The cpu request in cores, for a Resource cpu metric with an AverageValue target. */
  readonly cpuRequestCores?: number;
  /** GPUs per pod. */
  readonly gpus: number;
}

/** The autoscaler as written: an HPA or a KEDA ScaledObject. */
export type Autoscaler =
  | { readonly kind: 'HorizontalPodAutoscaler'; readonly spec: HpaSpec }
  | { readonly kind: 'ScaledObject'; readonly spec: ScaledObjectSpec }
  /** A Deployment no autoscaler scales: its replica count, whatever the load. */
  | { readonly kind: 'fixed'; readonly replicas: number };

export interface SimulationInput {
  readonly autoscaler: Autoscaler;
  readonly pod: PodModel;
  /** The load at a time, seconds from the start: units per second. */
  readonly load: (t: number) => number;
  readonly durationSeconds: number;
  /** The HPA's sync period. @default 15 */
  readonly syncPeriodSeconds?: number;
  /** Traces of metrics the load model does not have, by metric name (--metric NAME=FILE). */
  readonly traces?: ReadonlyMap<string, (t: number) => number>;
  readonly costPerPodHour?: number;
  readonly costPerGpuHour?: number;
  /** The Deployment's replicas when the warm-up starts (its spec.replicas, which Kubernetes defaults to 1). @default 1 */
  readonly initialReplicas?: number;
}

/** The load model's signals over one period. */
export interface LoadState {
  readonly readyPods: number;
  /** cpu utilization of the ready pods, percent of their request. */
  readonly utilization: number;
  readonly queue: number;
  /** Units in service: one per busy pod's worth of capacity (served / pod capacity). */
  readonly inService: number;
  readonly arrivals: number;
  readonly served: number;
  readonly gpuUtilization: number;
  readonly queueTimeUs: number;
}

/** Before the trace starts, the autoscaler runs this long under its first load value, pods ready at once: the simulation starts from its steady state. */
export const WARM_UP_SECONDS = 1800;

interface Scaler {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly signals: readonly Signal[];
  /** The names its metrics answer to in --metric. */
  readonly metricNames?: readonly string[];
  /** The utilization the autoscaler aims at, when one of its metrics is the pods' cpu utilization. */
  readonly targetUtilization?: number;
  sync(now: number, pods: PodCounts, state: LoadState, t: number): number;
}

/** Replays `input.load` against the autoscaler: one point per sync period. */
export function simulate(input: SimulationInput): SimulationResult {
  const dt = input.syncPeriodSeconds ?? 15;
  const scaler = scalerOf(input);
  const queueFed = isQueueFed(scaler.signals);
  const pods = new PodSet();
  pods.scaleTo(input.initialReplicas ?? 1, -Infinity, 0);
  const first = input.load(0);
  // The warm-up starts from the initial pods serving the first load for one period.
  let state = runPeriod(input.pod, queueFed, first, pods.readyAt(0), 0, dt).state;
  const series: SeriesPoint[] = [];
  const utilization: number[] = [];
  const period = (t: number, startup: number, loadAt: number, record: boolean) => {
    const replicas = scaler.sync(t, pods.counts(t - dt), state, t);
    pods.scaleTo(replicas, t + startup, t);
    const ready = pods.readyAt(t);
    const step = runPeriod(input.pod, queueFed, loadAt, ready, state.queue, dt);
    state = step.state;
    if (!record) return;
    series.push({ t, load: loadAt, desiredReplicas: replicas, readyReplicas: ready, capacity: ready * input.pod.capacity, unserved: step.unserved, queue: queueFed ? state.queue : null });
    utilization.push(state.utilization);
  };
  for (let t = -WARM_UP_SECONDS; t < 0; t += dt) period(t, 0, first, false);
  for (let t = 0; t < input.durationSeconds; t += dt) period(t, input.pod.startupSeconds, input.load(t), true);
  return {
    stepSeconds: dt,
    minReplicas: scaler.minReplicas,
    maxReplicas: scaler.maxReplicas,
    series,
    summary: summarize(series, utilization, { stepSeconds: dt, gpus: input.pod.gpus, targetUtilization: scaler.targetUtilization, costPerPodHour: input.costPerPodHour, costPerGpuHour: input.costPerGpuHour }),
  };
}

/**
 * One period of `dt` seconds with `ready` pods: a queue-fed workload serves what waits and
 * what arrives, up to its capacity, and the rest waits; any other serves what arrives up to
 * its capacity, and the rest is not served. Utilization is the work offered over capacity,
 * up to the cpu limit.
 */
function runPeriod(pod: PodModel, queueFed: boolean, offered: number, ready: number, queue: number, dt: number): { state: LoadState; unserved: number } {
  const capacity = ready * pod.capacity;
  const demand = queueFed ? offered + queue / dt : offered;
  const served = Math.min(demand, capacity);
  const waiting = queueFed ? (demand - served) * dt : 0;
  const busy = capacity > 0 ? demand / capacity : 0;
  return {
    state: {
      readyPods: ready,
      utilization: 100 * Math.min(busy, pod.cpuLimitRatio ?? Infinity),
      queue: waiting,
      inService: pod.capacity > 0 ? served / pod.capacity : 0,
      arrivals: offered,
      served,
      gpuUtilization: 100 * Math.min(busy, 1),
      queueTimeUs: served > 0 ? (waiting / served) * 1e6 : 0,
    },
    unserved: Math.max(0, offered - capacity),
  };
}

/** The value of a signal in `state`: a total over the workload, or the per-pod average. */
function signalValue(signal: Signal, state: LoadState, t: number, traces: ReadonlyMap<string, (t: number) => number> | undefined, perPod: boolean): number | undefined {
  if (typeof signal === 'object') return traces!.get(signal.trace)!(t);
  const pods = state.readyPods;
  switch (signal) {
    case 'utilization': return pods > 0 ? state.utilization : undefined;
    case 'gpu-utilization': return pods > 0 ? state.gpuUtilization : undefined;
    case 'queue-time-us': return state.queueTimeUs;
    case 'queue': return perPod ? (pods > 0 ? state.queue / pods : undefined) : state.queue;
    case 'messages': return perPod ? (pods > 0 ? (state.queue + state.inService) / pods : undefined) : state.queue + state.inService;
    case 'arrivals': return perPod ? (pods > 0 ? state.arrivals / pods : undefined) : state.arrivals;
    case 'served': return perPod ? (pods > 0 ? state.served / pods : undefined) : state.served;
  }
}

function scalerOf(input: SimulationInput): Scaler {
  const traceNames = new Set(input.traces?.keys() ?? []);
  const { autoscaler } = input;
  if (autoscaler.kind === 'fixed') {
    const { replicas } = autoscaler;
    return { minReplicas: replicas, maxReplicas: replicas, signals: [], sync: () => replicas };
  }
  const scaler = autoscaler.kind === 'HorizontalPodAutoscaler' ? hpaScaler(autoscaler.spec, input, traceNames) : kedaScaler(autoscaler.spec, input, traceNames);
  const unused = [...traceNames].filter((name) => !scaler.signals.some((s) => typeof s === 'object' && s.trace === name));
  if (unused.length > 0) throw new UnusedTraceError(unused[0], scaler.metricNames ?? []);
  return scaler;
}

/** Cores per pod, for a cpu metric with an AverageValue target: the utilization of the request. */
function cores(utilization: number, pod: PodModel): number {
  return (utilization / 100) * (pod.cpuRequestCores ?? 1);
}

function hpaScaler(spec: HpaSpec, input: SimulationInput, traceNames: ReadonlySet<string>): Scaler {
  const metrics = hpaMetrics(spec);
  const signals = metrics.map((m) => hpaSignal(m, traceNames));
  const controller = new HpaController(spec);
  const cpu = metrics.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource.target.type === 'Utilization');
  return {
    minReplicas: spec.minReplicas ?? 1,
    maxReplicas: spec.maxReplicas,
    signals,
    metricNames: metrics.map(hpaMetricName),
    targetUtilization: cpu?.resource?.target.averageUtilization,
    sync: (now, pods, state, t) => controller.sync(now, pods, (metric, i): Observation => {
      const perPod = metric.type === 'Resource' || metric.type === 'ContainerResource' || metric.type === 'Pods';
      const value = signalValue(signals[i], state, t, input.traces, perPod && signals[i] !== 'utilization');
      if (value === undefined) return undefined;
      const read = signals[i] === 'utilization' && (metric.resource ?? metric.containerResource)?.target.type === 'AverageValue' ? cores(value, input.pod) : value;
      return perPod ? { perPod: read } : { total: read };
    }).replicas,
  };
}

function kedaScaler(spec: ScaledObjectSpec, input: SimulationInput, traceNames: ReadonlySet<string>): Scaler {
  const triggers = spec.triggers;
  const signals = triggers.map((trigger, i) => triggerSignal(trigger, i, traceNames));
  const controller = new KedaController(spec);
  const cpu = triggers.find((tr) => tr.type === 'cpu' && (tr.metricType ?? 'Utilization') === 'Utilization');
  return {
    minReplicas: spec.minReplicaCount ?? 0,
    maxReplicas: spec.maxReplicaCount ?? 100,
    signals,
    metricNames: triggers.flatMap((tr, i) => [...(tr.name ? [tr.name] : []), kedaMetricName(tr, i)]),
    targetUtilization: cpu ? Number(cpu.metadata.value) : undefined,
    sync: (now, pods, state, t) => controller.sync(now, pods, (trigger, i) => {
      const value = signalValue(signals[i], state, t, input.traces, false);
      // A cpu trigger with an AverageValue target reads cores per pod.
      return value !== undefined && signals[i] === 'utilization' && trigger.metricType === 'AverageValue' ? cores(value, input.pod) : value;
    }).replicas,
  };
}

/** The pods of the target: when each is (or will be) ready. */
class PodSet {
  private readyTimes: number[] = [];

  public get size(): number {
    return this.readyTimes.length;
  }

  public readyAt(t: number): number {
    let n = 0;
    for (const r of this.readyTimes) if (r <= t) n++;
    return n;
  }

  /**
   * The pods as the HPA counts them at a sync: ready are those that served the whole period
   * just ended (ready since `since`), whose usage the metrics describe; a pod that became
   * ready during it has no full sample yet and counts as not ready, as the HPA's cpu
   * initialization rules treat it.
   */
  public counts(since: number): PodCounts {
    const ready = this.readyAt(since);
    return { replicas: this.readyTimes.length, ready, unready: this.readyTimes.length - ready };
  }

  /** New pods are ready at `readyAt`; on scale-down, pods not ready yet go first, newest first (as the ReplicaSet controller picks them), then ready ones. */
  public scaleTo(replicas: number, readyAt: number, now: number): void {
    while (this.readyTimes.length < replicas) this.readyTimes.push(readyAt);
    if (this.readyTimes.length > replicas) {
      const starting = this.readyTimes.filter((r) => r > now).sort((a, b) => b - a);
      const ready = this.readyTimes.filter((r) => r <= now);
      const keep = replicas;
      const keepReady = Math.min(ready.length, keep);
      this.readyTimes = [...ready.slice(0, keepReady), ...starting.slice(starting.length - (keep - keepReady))].slice(0, keep);
    }
  }
}
