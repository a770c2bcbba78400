import { MlPipeline, type MlPipelineProps, ModelServing } from '../../lib';
import { only, synthConstruct, testChart } from '../helpers';

const requiredProps: MlPipelineProps = { name: 'retrain', namespace: 'ml', image: 'registry.example.com/ml/trainer:5.1.0' };
const SQS = { type: 'aws-sqs-queue' as const, metadata: { queueURL: 'https://sqs.eu-west-1.amazonaws.com/123/jobs', awsRegion: 'eu-west-1' } };

function synth(props: Partial<MlPipelineProps>) {
  return synthConstruct((s, id, p: MlPipelineProps) => new MlPipeline(s, id, p), { ...requiredProps, ...props });
}

function build(props: Partial<MlPipelineProps>) {
  return new MlPipeline(testChart(), 'Workload', { ...requiredProps, ...props } as MlPipelineProps);
}

describe('mode job', () => {
  test('is a Job, its ServiceAccount and NetworkPolicy, and nothing else (no PDB for pods that run to completion)', () => {
    expect(synth({ mode: 'job' }).map((o) => o.kind).sort()).toEqual(['Job', 'NetworkPolicy', 'ServiceAccount']);
  });

  test("writes Kubernetes' defaults and a failure policy that ignores evictions, and keeps the finished Job", () => {
    const spec = only(synth({ mode: 'job' }), 'Job').spec;
    expect(spec).toMatchObject({ parallelism: 1, completions: 1, completionMode: 'NonIndexed', backoffLimit: 6 });
    // A TTL would delete the Job, and Argo CD's selfHeal would re-create it: the batch would run again.
    expect(spec).not.toHaveProperty('ttlSecondsAfterFinished');
    expect(spec.podFailurePolicy).toEqual({ rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }] });
    expect(spec.template.spec.restartPolicy).toBe('Never');
  });

  test('job settings are written as given', () => {
    const spec = only(synth({ mode: 'job', job: { parallelism: 8, completions: 64, completionMode: 'Indexed', backoffLimit: 2, activeDeadlineSeconds: 3600, ttlSecondsAfterFinished: 600 } }), 'Job').spec;
    expect(spec).toMatchObject({ parallelism: 8, completions: 64, completionMode: 'Indexed', backoffLimit: 2, activeDeadlineSeconds: 3600, ttlSecondsAfterFinished: 600 });
  });

  test('a pod failure policy on exit codes is written in the 1.28 shape, codes sorted and unique', () => {
    const spec = only(synth({ mode: 'job', job: { podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { containerName: 'worker', operator: 'In', values: [42, 3, 42] } }] } } }), 'Job').spec;
    expect(spec.podFailurePolicy.rules).toEqual([{ action: 'FailJob', onExitCodes: { containerName: 'worker', operator: 'In', values: [3, 42] }, onPodConditions: [] }]);
  });

  test.each([
    ['a rule with both matchers', { action: 'Count', onExitCodes: { operator: 'In', values: [1] }, onPodConditions: [{ type: 'DisruptionTarget' }] }, "job.podFailurePolicy.rules[0]: a rule matches either 'onExitCodes' or 'onPodConditions', exactly one of them"],
    ['a rule with no matcher', { action: 'Count' }, "job.podFailurePolicy.rules[0]: a rule matches either 'onExitCodes' or 'onPodConditions', exactly one of them"],
    ['exit code 0 with In', { action: 'FailJob', onExitCodes: { operator: 'In', values: [0, 1] } }, 'job.podFailurePolicy.rules[0].onExitCodes.values: exit code 0 means success and cannot be matched with In'],
    ['a container that is not there', { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [1] } }, "job.podFailurePolicy.rules[0].onExitCodes.containerName: the pod has no container 'main'; its container is 'worker'"],
    ['FailIndex, which needs an alpha feature', { action: 'FailIndex', onExitCodes: { operator: 'In', values: [1] } }, 'job.podFailurePolicy.rules[0].action: must be one of FailJob, Ignore, Count'],
  ])('fails on a pod failure policy with %s', (_what, rule, message) => {
    expect(() => build({ mode: 'job', job: { podFailurePolicy: { rules: [rule as never] } } })).toThrow(message);
  });

  test('exposes the Job', () => {
    const pipeline = build({ mode: 'job' });
    expect(pipeline.job?.kind).toBe('Job');
    expect(pipeline.deployment).toBeUndefined();
  });

  test('fails when a job is given replicas or autoscaling', () => {
    expect(() => build({ mode: 'job', autoscaling: { maxReplicas: 3 } })).toThrow(
      "autoscaling: a job is not scaled; set 'job.parallelism' and 'job.completions', or use mode queue-job to start Jobs from a queue",
    );
  });

  test('a rollout on a job is one error, about the rollout', () => {
    expect(() => build({ mode: 'job', rollout: { maxSurge: 0 } })).toThrow(/^invalid props for workload 'retrain':\n {2}rollout: a job runs to completion and serves nothing; remove 'rollout' or use mode worker$/);
  });

  test('fails when a job is given a port', () => {
    expect(() => build({ mode: 'job', port: 8080 })).toThrow("port: a job runs to completion and serves nothing; remove 'port' or use mode worker");
  });

  test('fails when an Indexed Job has no completions', () => {
    expect(() => build({ mode: 'job', job: { completionMode: 'Indexed' } })).toThrow("job.completions: an Indexed Job needs 'completions': the number of indexes");
  });

  test('fails when job settings are given to a worker', () => {
    expect(() => build({ job: { parallelism: 2 } })).toThrow("job: 'job' settings need mode job, cronjob or queue-job (mode is worker)");
  });
});

describe('mode cronjob', () => {
  test('is a CronJob with concurrencyPolicy Forbid and history limits by default', () => {
    const spec = only(synth({ mode: 'cronjob', cron: { schedule: '0 2 * * *', timeZone: 'Europe/Paris' } }), 'CronJob').spec;
    expect(spec).toMatchObject({ schedule: '0 2 * * *', timeZone: 'Europe/Paris', concurrencyPolicy: 'Forbid', successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    expect(spec.jobTemplate.spec.template.spec.restartPolicy).toBe('Never');
    expect(spec.jobTemplate.spec).not.toHaveProperty('ttlSecondsAfterFinished');
  });

  test('cron settings are written as given', () => {
    const spec = only(synth({ mode: 'cronjob', cron: { schedule: '@daily', concurrencyPolicy: 'Replace', successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 5, startingDeadlineSeconds: 300, suspend: true } }), 'CronJob').spec;
    expect(spec).toMatchObject({ schedule: '@daily', concurrencyPolicy: 'Replace', successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 5, startingDeadlineSeconds: 300, suspend: true });
  });

  test('fails without a schedule', () => {
    expect(() => build({ mode: 'cronjob' })).toThrow("mode: mode cronjob needs 'cron: { schedule }', e.g. schedule: '0 2 * * *'");
  });

  test('accepts the @every macro', () => {
    expect(only(synth({ mode: 'cronjob', cron: { schedule: '@every 1h30m' } }), 'CronJob').spec.schedule).toBe('@every 1h30m');
  });

  test('a misspelt mode is one error, not three', () => {
    expect(() => build({ mode: 'cron-job' as never, cron: { schedule: '@daily' } })).toThrow(/^invalid props for workload 'retrain':\n {2}mode: must be one of worker, job, cronjob, queue-job, got 'cron-job'$/);
  });

  test('fails on a schedule that is not cron', () => {
    expect(() => build({ mode: 'cronjob', cron: { schedule: 'every night' } })).toThrow("cron.schedule: 'every night' is not a cron schedule");
  });

  test('fails on an unknown time zone', () => {
    expect(() => build({ mode: 'cronjob', cron: { schedule: '0 2 * * *', timeZone: 'Paris' } })).toThrow("cron.timeZone: 'Paris' is not an IANA time zone; write e.g. Europe/Paris or America/New_York");
  });

  test('fails when the name is too long for a CronJob', () => {
    expect(() => build({ name: 'a'.repeat(53), mode: 'cronjob', cron: { schedule: '@daily' } })).toThrow('name: a CronJob name may have at most 52 characters (its Jobs add a suffix), got 53');
  });
});

describe('mode queue-job', () => {
  test('is a KEDA ScaledJob that starts Jobs from the queue, from zero', () => {
    const objects = synth({ mode: 'queue-job', autoscaling: { maxReplicas: 10, triggers: [SQS] } });
    expect(objects.map((o) => o.kind).sort()).toEqual(['NetworkPolicy', 'ScaledJob', 'ServiceAccount']);
    const scaledJob = only(objects, 'ScaledJob');
    expect(scaledJob.apiVersion).toBe('keda.sh/v1alpha1');
    expect(scaledJob.spec).toMatchObject({ minReplicaCount: 0, maxReplicaCount: 10, pollingInterval: 30, triggers: [{ type: 'aws-sqs-queue' }] });
    expect(scaledJob.spec.jobTargetRef.template.spec.restartPolicy).toBe('Never');
  });

  test('fails without a trigger', () => {
    expect(() => build({ mode: 'queue-job' })).toThrow('autoscaling.triggers: a queue-job starts Jobs from a queue and needs a trigger that reads it');
  });

  test('fails when a queue-job is given a fixed replica count', () => {
    expect(() => build({ mode: 'queue-job', replicas: 2, autoscaling: { triggers: [SQS] } } as never)).toThrow('replicas: a queue-job starts Jobs for queued work and has no fixed replica count');
  });

  test('fails on presets and cpu triggers, which a ScaledJob cannot use', () => {
    expect(() => build({ mode: 'queue-job', autoscaling: { triggers: [SQS], presets: [{ name: 'vllm-queue-length', target: 5 }] } })).toThrow(
      "autoscaling.presets: a queue-job (KEDA ScaledJob) scales on the queue itself; 'presets' does not apply: remove it",
    );
    expect(() => build({ mode: 'queue-job', autoscaling: { triggers: [SQS, { type: 'cpu', metadata: { value: 50 } }] } })).toThrow(
      "autoscaling.triggers[1].type: KEDA's cpu scaler gives no metric to a ScaledJob",
    );
  });

  test('fails on settings a ScaledJob does not have', () => {
    expect(() => build({ mode: 'queue-job', autoscaling: { triggers: [SQS], cooldownPeriodSeconds: 60 } })).toThrow(
      "autoscaling.cooldownPeriodSeconds: a queue-job (KEDA ScaledJob) starts a Job per unit of work and has no 'cooldownPeriodSeconds'; remove it",
    );
  });
});

test('fails when a ModelServing is asked to run as a job', () => {
  expect(() => new ModelServing(testChart(), 'Workload', { ...requiredProps, mode: 'job' })).toThrow("mode: a ModelServing runs as a Deployment; mode 'job' is for MlPipeline");
});
