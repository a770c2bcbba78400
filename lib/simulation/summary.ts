import type { SeriesPoint, SimulationSummary } from './types';

// The figures a user reads first, worked out from the series of a simulation.

export interface SummaryOptions {
  readonly stepSeconds: number;
  /** GPUs per pod. */
  readonly gpus: number;
  /** The cpu utilization the autoscaler aims at, when it has one. */
  readonly targetUtilization?: number;
  readonly costPerPodHour?: number;
  readonly costPerGpuHour?: number;
}

/** The summary of `series`, whose ready pods ran at `utilization[i]` percent of their cpu request in period i. */
export function summarize(series: readonly SeriesPoint[], utilization: readonly number[], options: SummaryOptions): SimulationSummary {
  const dt = options.stepSeconds;
  let peak = series[0];
  let unservedUnitSeconds = 0;
  let stretch = 0;
  let longestUnserved = 0;
  let secondsAboveTarget = 0;
  let peakQueue: number | null = null;
  let podSeconds = 0;
  for (const [i, p] of series.entries()) {
    if (p.desiredReplicas > peak.desiredReplicas) peak = p;
    unservedUnitSeconds += p.unserved * dt;
    stretch = p.unserved > 0 ? stretch + dt : 0;
    longestUnserved = Math.max(longestUnserved, stretch);
    if (options.targetUtilization !== undefined && utilization[i] > options.targetUtilization) secondsAboveTarget += dt;
    if (p.queue !== null) peakQueue = Math.max(peakQueue ?? 0, p.queue);
    podSeconds += p.desiredReplicas * dt;
  }
  const replicaHours = podSeconds / 3600;
  const gpuHours = replicaHours * options.gpus;
  const costed = options.costPerPodHour !== undefined || options.costPerGpuHour !== undefined;
  return {
    durationSeconds: series.length * dt,
    peakReplicas: peak?.desiredReplicas ?? 0,
    peakReplicasAt: peak?.t ?? 0,
    longestCatchUpSeconds: longestCatchUp(series, dt),
    unservedUnitSeconds,
    longestUnservedSeconds: longestUnserved,
    secondsAboveTarget,
    peakQueue,
    replicaHours,
    gpuHours,
    ...(costed ? { cost: replicaHours * (options.costPerPodHour ?? 0) + gpuHours * (options.costPerGpuHour ?? 0) } : {}),
  };
}

/**
 * The longest time from load rising above ready capacity to ready capacity catching up
 * with it again; a stretch still open at the end counts until the end.
 */
function longestCatchUp(series: readonly SeriesPoint[], dt: number): number {
  let since: number | undefined;
  let longest = 0;
  for (const p of series) {
    const behind = p.load > p.capacity;
    if (behind && since === undefined) since = p.t;
    if (!behind && since !== undefined) {
      longest = Math.max(longest, p.t - since);
      since = undefined;
    }
  }
  if (since !== undefined && series.length > 0) longest = Math.max(longest, series[series.length - 1].t + dt - since);
  return longest;
}
