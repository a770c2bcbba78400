import type { IScaledJob } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledJob';
import type { ICronJobSpec } from 'kubernetes-models/batch/v1/CronJobSpec';
import type { IJobSpec } from 'kubernetes-models/batch/v1/JobSpec';
import { kedaScaling, type ResolvedKedaAutoscaling, type TriggerSpec } from '../autoscaling/keda';
import { podTemplate, type PodTemplateInputs } from '../pod/pod-template';
import { JOB_HISTORY, type ResolvedCron, type ResolvedJob } from './resolve-batch';

/** The Job spec of a batch workload: its pods, parallelism, retries and clean-up. */
export function jobSpec(config: PodTemplateInputs, job: ResolvedJob): IJobSpec {
  return {
    parallelism: job.parallelism,
    completions: job.completions,
    completionMode: job.completionMode,
    backoffLimit: job.backoffLimit,
    activeDeadlineSeconds: job.activeDeadlineSeconds,
    ttlSecondsAfterFinished: job.ttlSecondsAfterFinished,
    podFailurePolicy: {
      rules: job.podFailurePolicy.rules.map((r) => ({
        action: r.action,
        // The API server wants the codes sorted and unique.
        onExitCodes: r.onExitCodes && { ...r.onExitCodes, values: [...new Set(r.onExitCodes.values)].sort((a, b) => a - b) },
        // Kubernetes 1.28 requires the list, even when the rule matches on exit codes only.
        onPodConditions: r.onPodConditions?.map((c) => ({ type: c.type, status: c.status ?? 'True' })) ?? [],
      })),
    },
    template: podTemplate(config),
  };
}

/** The CronJob spec of a scheduled workload. */
export function cronJobSpec(config: PodTemplateInputs, job: ResolvedJob, cron: ResolvedCron): ICronJobSpec {
  return {
    schedule: cron.schedule,
    timeZone: cron.timeZone,
    concurrencyPolicy: cron.concurrencyPolicy,
    successfulJobsHistoryLimit: cron.successfulJobsHistoryLimit,
    failedJobsHistoryLimit: cron.failedJobsHistoryLimit,
    startingDeadlineSeconds: cron.startingDeadlineSeconds,
    suspend: cron.suspend,
    jobTemplate: { metadata: { labels: { ...config.labels } }, spec: jobSpec(config, job) },
  };
}

/**
 * A KEDA ScaledJob as cdk8s-ml writes it: @kubernetes-models/keda 0.4.2's
 * IScaledJob with two fields typed otherwise. Its copy of the Kubernetes
 * JobSpec (`jobTargetRef`) is stricter than the Kubernetes API (a container
 * port's `protocol` and a pod failure rule's `onPodConditions` required), so
 * the Job template is the JobSpec as kubernetes-models types it, as for a Job
 * or CronJob; and its triggers lack `metricType`, which KEDA's ScaledJob CRD
 * has and a queue-job's trigger may set.
 */
export type ScaledJobObject = Omit<IScaledJob, 'spec'> & { spec: ScaledJobSpec };

/** The spec of a ScaledJobObject. */
export type ScaledJobSpec = Omit<NonNullable<IScaledJob['spec']>, 'jobTargetRef' | 'triggers'> & { jobTargetRef: IJobSpec; triggers: TriggerSpec[] };

/** The KEDA ScaledJob spec of a queue-job: one Job per unit of queued work. */
export function scaledJobSpec(config: PodTemplateInputs, job: ResolvedJob, keda: ResolvedKedaAutoscaling): ScaledJobSpec {
  return {
    jobTargetRef: jobSpec(config, job),
    // The scaling itself is lib/autoscaling's (keda.ts).
    ...kedaScaling(keda),
    // KEDA keeps 100 of each by default; keep as few as a CronJob does.
    successfulJobsHistoryLimit: JOB_HISTORY.successful,
    failedJobsHistoryLimit: JOB_HISTORY.failed,
  };
}
