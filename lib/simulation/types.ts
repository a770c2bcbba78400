import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';

// What the simulator's parts share: the autoscaler specs as Kubernetes JSON, what a
// controller observes at a sync, and what it decides.

/** An HPA's spec, as written (autoscaling/v2). */
export type HpaSpec = NonNullable<IHorizontalPodAutoscaler['spec']>;

/** One metric of an HPA spec. */
export type HpaMetric = NonNullable<HpaSpec['metrics']>[number];

/** An HPA's behavior, as written; absent fields take Kubernetes' defaults. */
export type HpaBehavior = NonNullable<HpaSpec['behavior']>;

/** A ScaledObject's spec, as written (keda.sh/v1alpha1). */
export type ScaledObjectSpec = NonNullable<IScaledObject['spec']>;

/** One trigger of a ScaledObject. */
export type ScaledObjectTrigger = ScaledObjectSpec['triggers'][number];

/**
 * What a metric reads at one sync, as the metrics APIs hand it to the HPA:
 * `perPod` for Resource, ContainerResource and Pods metrics (the average over
 * the ready pods: a utilization in percent of the request for a Utilization
 * target, else the raw value per pod), `total` for Object and External metrics
 * (one value for the whole workload). Undefined: the metric is unavailable.
 */
export type Observation = { readonly perPod: number } | { readonly total: number } | undefined;

/** The pods of the scale target at a sync. */
export interface PodCounts {
  /** The replica count the target has now (spec.replicas). */
  readonly replicas: number;
  /** Pods that are ready and serve. */
  readonly ready: number;
  /** Pods that exist but are not ready yet (starting). */
  readonly unready: number;
}

/** What an HPA decided at one sync. */
export interface HpaDecision {
  /** The replica count it sets. */
  readonly replicas: number;
  /** Each metric's recommendation, in the spec's order (undefined: the metric was unavailable). */
  readonly recommendations: readonly (number | undefined)[];
  /** The largest recommendation, before stabilization, rate limits and the min/max clamp. */
  readonly recommended: number;
  /** What held it back, when something did: `stabilization`, `scale-up policy`, `scale-down policy`, `min`, `max`, `disabled`. */
  readonly limitedBy?: string;
}

/** One sync period of a simulation. */
export interface SeriesPoint {
  /** Seconds from the start of the trace. */
  readonly t: number;
  /** Load arriving, in load units per second. */
  readonly load: number;
  /** The replica count the autoscaler set. */
  readonly desiredReplicas: number;
  /** Pods ready and serving. */
  readonly readyReplicas: number;
  /** What the ready pods serve at 100% of their cpu request: readyReplicas x pod capacity, units per second. */
  readonly capacity: number;
  /** Load over capacity in this period, units per second (0 when all is served). */
  readonly unserved: number;
  /** Work waiting, in units, for a queue-fed workload; null for one that is not. */
  readonly queue: number | null;
}

/** The figures of a simulation, as the terminal prints them. */
export interface SimulationSummary {
  readonly durationSeconds: number;
  readonly peakReplicas: number;
  /** Seconds from the start when the peak was first reached. */
  readonly peakReplicasAt: number;
  /** The longest time, over the load's rises, from load exceeding ready capacity to ready capacity catching up; 0 when it never did. */
  readonly longestCatchUpSeconds: number;
  /** Load not served: units over capacity, summed over time (unit-seconds). */
  readonly unservedUnitSeconds: number;
  /** The longest stretch with load not served, seconds. */
  readonly longestUnservedSeconds: number;
  /** Seconds during which the ready pods' utilization was above the autoscaler's target (the first utilization target; 0 without one). */
  readonly secondsAboveTarget: number;
  /** Largest queue, units; null for a workload without a queue. */
  readonly peakQueue: number | null;
  /** Pods that existed (ready or starting), summed over time, in hours. */
  readonly replicaHours: number;
  /** GPUs of those pods, in hours; 0 without GPUs. */
  readonly gpuHours: number;
  /** replicaHours x --cost-per-pod-hour plus gpuHours x --cost-per-gpu-hour, when either is given. */
  readonly cost?: number;
}

/** A whole simulation: the series, one point per sync period, and its summary. */
export interface SimulationResult {
  /** The sync period: the time between two points of the series. */
  readonly stepSeconds: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly series: readonly SeriesPoint[];
  readonly summary: SimulationSummary;
}
