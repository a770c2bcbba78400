import type { PropIssue } from '../core/errors';
import { isBatchMode, modesTaking, modeTakes } from '../core/modes';
import type { WorkloadProfile } from '../core/profile';
import { step } from '../core/steps';
import type { CronOptions, JobOptions, PipelineMode, PodFailurePolicyRule } from '../core/workload-props';

// A workload's mode and its Job and schedule: read, defaulted and checked here, rendered by job.ts.

/** Job settings with Kubernetes' defaults written out. */
export interface ResolvedJob extends JobOptions {
  readonly parallelism: number;
  readonly completions: number;
  readonly completionMode: 'NonIndexed' | 'Indexed';
  readonly backoffLimit: number;
  readonly podFailurePolicy: { readonly rules: readonly PodFailurePolicyRule[] };
}

/** A CronJob's schedule with Kubernetes' defaults written out. */
export type ResolvedCron = Required<Pick<CronOptions, 'schedule' | 'concurrencyPolicy' | 'successfulJobsHistoryLimit' | 'failedJobsHistoryLimit'>> & CronOptions;

/** Finished Jobs a CronJob or ScaledJob keeps: Kubernetes' CronJob defaults. */
export const JOB_HISTORY = { successful: 3, failed: 1 } as const;

// An evicted or preempted pod (spot nodes, node drains) is not the job's fault: do not count it.
const DEFAULT_POD_FAILURE_POLICY: ResolvedJob['podFailurePolicy'] = { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] };

/** A CronJob's name leaves room for the suffix its Jobs add. */
const CRONJOB_NAME_MAX = 52;

/** How the workload runs: `mode`, else worker; a batch mode where the kind takes none is reported, and the workload runs as a worker. */
export const modeStep = step(['mode'], (props, { profile, issues }): PipelineMode => {
  const mode = props.mode ?? 'worker';
  if (isBatchMode(mode) && !profile.batchModes) {
    issues.push({ path: ['mode'], message: `a ${profile.kind} runs as a Deployment; mode '${mode}' is for MlPipeline` });
    return 'worker';
  }
  return mode;
});

/** The keys the mode takes: a key of another mode is reported, and so is a cronjob without a schedule or with a name too long for its Jobs. */
export const modeKeysStep = step(
  ['mode', 'name', 'job', 'cron', 'port', 'service', 'probes', 'rollout', 'preStopSleepSeconds', 'replicas', 'autoscaling'],
  (props, { profile, issues }, mode: PipelineMode): void => {
    // A batch mode of a kind without them is reported by modeStep alone.
    if (props.mode !== undefined && props.mode !== mode) return;
    if (!modeTakes(mode, 'job') && props.job) issues.push({ path: ['job'], message: `'job' settings need mode ${modesTaking('job')} (mode is ${mode})` });
    if (!modeTakes(mode, 'cron') && props.cron) issues.push({ path: ['cron'], message: `'cron' needs mode ${modesTaking('cron')} (mode is ${mode})` });
    if (mode === 'cronjob' && !props.cron) issues.push({ path: ['mode'], message: "mode cronjob needs 'cron: { schedule }', e.g. schedule: '0 2 * * *'" });
    if (mode === 'cronjob' && props.name.length > CRONJOB_NAME_MAX) {
      issues.push({ path: ['name'], message: `a CronJob name may have at most ${CRONJOB_NAME_MAX} characters (its Jobs add a suffix), got ${props.name.length}` });
    }
    for (const key of ['port', 'service', 'probes', 'rollout', 'preStopSleepSeconds'] as const) {
      if (!modeTakes(mode, key) && props[key] !== undefined) issues.push({ path: [key], message: `a ${mode} runs to completion and serves nothing; remove '${key}' or use mode worker` });
    }
    if (!modeTakes(mode, 'autoscaling')) {
      for (const key of ['replicas', 'autoscaling'] as const) {
        if (props[key] !== undefined) issues.push({ path: [key], message: `a ${mode} is not scaled; set 'job.parallelism' and 'job.completions', or use mode queue-job to start Jobs from a queue` });
      }
    }
    issues.push(...jobIssues(props.job, profile));
  },
);

function jobIssues(job: JobOptions | undefined, profile: WorkloadProfile): PropIssue[] {
  const issues: PropIssue[] = [];
  job?.podFailurePolicy?.rules.forEach((rule, i) => {
    const container = rule.onExitCodes?.containerName;
    if (container !== undefined && container !== profile.containerName && container !== 'model-download') {
      issues.push({ path: ['job', 'podFailurePolicy', 'rules', i, 'onExitCodes', 'containerName'], message: `the pod has no container '${container}'; its container is '${profile.containerName}'` });
    }
  });
  if (job?.completionMode === 'Indexed' && job.completions === undefined) {
    issues.push({ path: ['job', 'completions'], message: "an Indexed Job needs 'completions': the number of indexes" });
  }
  return issues;
}

/** The Job settings of a batch `mode`; undefined for a worker. */
export const jobStep = step(['job'], (props, _context, mode: PipelineMode): ResolvedJob | undefined => {
  if (!modeTakes(mode, 'job')) return undefined;
  const job = props.job ?? {};
  return {
    ...job,
    parallelism: job.parallelism ?? 1,
    completions: job.completions ?? 1,
    completionMode: job.completionMode ?? 'NonIndexed',
    backoffLimit: job.backoffLimit ?? 6,
    ttlSecondsAfterFinished: job.ttlSecondsAfterFinished,
    podFailurePolicy: job.podFailurePolicy ?? DEFAULT_POD_FAILURE_POLICY,
  };
});

/** The schedule of a cronjob; undefined in any other mode. */
export const cronStep = step(['cron'], (props, _context, mode: PipelineMode): ResolvedCron | undefined => {
  const cron = props.cron;
  if (!modeTakes(mode, 'cron') || !cron) return undefined;
  return {
    ...cron,
    concurrencyPolicy: cron.concurrencyPolicy ?? 'Forbid',
    successfulJobsHistoryLimit: cron.successfulJobsHistoryLimit ?? JOB_HISTORY.successful,
    failedJobsHistoryLimit: cron.failedJobsHistoryLimit ?? JOB_HISTORY.failed,
  };
});
