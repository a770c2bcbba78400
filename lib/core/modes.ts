import { type PipelineMode, PIPELINE_MODES, type WorkloadProps } from './workload-props';

// What each mode of a workload takes: read by the checks (lib/pipeline, lib/autoscaling,
// lib/hardening, lib/workload/resolve-deployment.ts) and by the environment layers of the app, which leave out what a
// workload cannot take.

/** The modes that run to completion instead of serving: a Job, a CronJob, a KEDA ScaledJob. */
export const BATCH_MODES: readonly PipelineMode[] = ['job', 'cronjob', 'queue-job'];

const SERVING_MODES: readonly PipelineMode[] = ['worker'];

/**
 * The keys only some modes take, each with those modes; any other key fits every mode.
 * A batch workload serves nothing, is not spread or budgeted, and a Job or CronJob is
 * not scaled; a queue-job's Jobs are started by KEDA, up to `autoscaling.maxReplicas`.
 */
const MODES_TAKING: { readonly [K in keyof WorkloadProps]?: readonly PipelineMode[] } = {
  port: SERVING_MODES,
  service: SERVING_MODES,
  probes: SERVING_MODES,
  rollout: SERVING_MODES,
  // The pause before shutdown lets a Service's endpoints drain: a batch pod has none.
  preStopSleepSeconds: SERVING_MODES,
  disruptionBudget: SERVING_MODES,
  topologySpread: SERVING_MODES,
  replicas: SERVING_MODES,
  autoscaling: ['worker', 'queue-job'],
  job: BATCH_MODES,
  cron: ['cronjob'],
};

/** Whether `mode` runs to completion instead of serving. */
export function isBatchMode(mode: PipelineMode): boolean {
  return BATCH_MODES.includes(mode);
}

/** The modes that take `key`, for messages: 'job, cronjob or queue-job'. */
export function modesTaking(key: keyof WorkloadProps): string {
  const modes = MODES_TAKING[key] ?? PIPELINE_MODES;
  return modes.length === 1 ? modes[0] : `${modes.slice(0, -1).join(', ')} or ${modes[modes.length - 1]}`;
}

/** Whether a workload of `mode` takes `key`. */
export function modeTakes(mode: PipelineMode, key: string): boolean {
  return MODES_TAKING[key as keyof WorkloadProps]?.includes(mode) ?? true;
}
