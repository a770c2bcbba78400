import { type AutoscalingOptions, MlPipeline, type MlPipelineProps } from '../../lib';
import { only, synthConstruct, testChart } from '../helpers';

const requiredProps: MlPipelineProps = { name: 'embedder', namespace: 'ml', image: 'registry.example.com/ml/embedder:1.0.0' };
const PROMETHEUS = { type: 'prometheus' as const, metadata: { serverAddress: 'http://prometheus.monitoring:9090', query: 'sum(queue_depth{queue="embed"})', threshold: 20 } };

function synth(autoscaling: AutoscalingOptions) {
  return synthConstruct((s, id, p: MlPipelineProps) => new MlPipeline(s, id, p), { ...requiredProps, autoscaling });
}

function build(autoscaling: unknown) {
  return new MlPipeline(testChart(), 'Workload', { ...requiredProps, autoscaling } as MlPipelineProps);
}

describe('KEDA autoscaling', () => {
  test('a trigger chooses KEDA: a ScaledObject and no HPA', () => {
    const kinds = synth({ triggers: [PROMETHEUS] }).map((o) => o.kind);
    expect(kinds).toContain('ScaledObject');
    expect(kinds).not.toContain('HorizontalPodAutoscaler');
  });

  test('minReplicas 0 with a trigger scales to zero', () => {
    const spec = only(synth({ minReplicas: 0, maxReplicas: 20, triggers: [PROMETHEUS] }), 'ScaledObject').spec;
    expect(spec).toMatchObject({ minReplicaCount: 0, maxReplicaCount: 20, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'embedder' } });
  });

  test("KEDA's polling interval and cooldown are written out, and can be set", () => {
    expect(only(synth({ triggers: [PROMETHEUS] }), 'ScaledObject').spec).toMatchObject({ pollingInterval: 30, cooldownPeriod: 300 });
    expect(only(synth({ triggers: [PROMETHEUS], pollingIntervalSeconds: 10, cooldownPeriodSeconds: 60 }), 'ScaledObject').spec)
      .toMatchObject({ pollingInterval: 10, cooldownPeriod: 60 });
  });

  test('the HPA behavior goes under advanced.horizontalPodAutoscalerConfig', () => {
    const spec = only(synth({ triggers: [PROMETHEUS], behavior: { scaleDown: { stabilizationWindowSeconds: 600 } } }), 'ScaledObject').spec;
    expect(spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown).toEqual({ stabilizationWindowSeconds: 600, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] });
  });

  test('fallback is written as given', () => {
    expect(only(synth({ triggers: [PROMETHEUS], fallback: { failureThreshold: 3, replicas: 2 } }), 'ScaledObject').spec.fallback).toEqual({ failureThreshold: 3, replicas: 2 });
  });

  test('trigger metadata is written as strings', () => {
    const trigger = only(synth({ triggers: [PROMETHEUS] }), 'ScaledObject').spec.triggers[0];
    expect(trigger).toEqual({ type: 'prometheus', metadata: { serverAddress: 'http://prometheus.monitoring:9090', query: 'sum(queue_depth{queue="embed"})', threshold: '20' } });
  });

  test.each([
    ['kafka', { bootstrapServers: 'kafka:9092', consumerGroup: 'embedder', topic: 'docs', lagThreshold: 50 }],
    ['rabbitmq', { queueName: 'jobs', mode: 'QueueLength', value: 20 }],
    ['aws-sqs-queue', { queueURL: 'https://sqs.eu-west-1.amazonaws.com/123/jobs', awsRegion: 'eu-west-1', queueLength: 10 }],
  ])('a %s trigger is accepted', (type, metadata) => {
    const trigger = only(synth({ triggers: [{ type: type as 'kafka', metadata }] }), 'ScaledObject').spec.triggers[0];
    expect(trigger.type).toBe(type);
  });

  test('the cpu and memory shorthands become Utilization triggers, first', () => {
    const triggers = only(synth({ targetCPUUtilizationPercentage: 60, targetMemoryUtilizationPercentage: 70, triggers: [PROMETHEUS] }), 'ScaledObject').spec.triggers;
    expect(triggers.slice(0, 2)).toEqual([
      { type: 'cpu', metricType: 'Utilization', metadata: { value: '60' } },
      { type: 'memory', metricType: 'Utilization', metadata: { value: '70' } },
    ]);
  });

  test('engine: keda with cpu only scales a workload that never sleeps', () => {
    const spec = only(synth({ engine: 'keda', targetCPUUtilizationPercentage: 50 }), 'ScaledObject').spec;
    expect(spec.minReplicaCount).toBe(1);
    expect(spec.triggers).toEqual([{ type: 'cpu', metricType: 'Utilization', metadata: { value: '50' } }]);
  });

  test('authentication creates a TriggerAuthentication that references the existing Secret', () => {
    const objects = synth({ triggers: [{ ...PROMETHEUS, authentication: { secret: 'prometheus-creds', parameters: { bearerToken: 'token' } } }] });
    const auth = only(objects, 'TriggerAuthentication');
    expect(auth.metadata).toMatchObject({ name: 'embedder-0', namespace: 'ml' });
    expect(auth.spec).toEqual({ secretTargetRef: [{ parameter: 'bearerToken', name: 'prometheus-creds', key: 'token' }] });
    expect(only(objects, 'ScaledObject').spec.triggers[0].authenticationRef).toEqual({ name: 'embedder-0' });
  });

  test('authenticationRef uses an existing TriggerAuthentication', () => {
    const objects = synth({ triggers: [{ ...PROMETHEUS, authenticationRef: 'shared-prometheus' }] });
    expect(objects.some((o) => o.kind === 'TriggerAuthentication')).toBe(false);
    expect(only(objects, 'ScaledObject').spec.triggers[0].authenticationRef).toEqual({ name: 'shared-prometheus' });
    // Managed elsewhere, as the workload says: TRIGGER-AUTH-EXISTS is suppressed on the ScaledObject alone, with the reason.
    expect(only(objects, 'ScaledObject').metadata.annotations).toMatchObject({ 'ignore.policy.cdk8s-ml.io/TRIGGER-AUTH-EXISTS': 'autoscaling.triggers[].authenticationRef names an existing TriggerAuthentication (shared-prometheus), managed outside this workload' });
    expect(only(objects, 'Deployment').metadata.annotations?.['ignore.policy.cdk8s-ml.io/TRIGGER-AUTH-EXISTS']).toBeUndefined();
  });

  test('exposes the ScaledObject as the autoscaler', () => {
    const pipeline = build({ triggers: [PROMETHEUS] });
    expect(pipeline.autoscaler?.kind).toBe('ScaledObject');
    expect(pipeline.config.autoscaling?.engine).toBe('keda');
  });

  test('fails when both engines are asked for', () => {
    expect(() => build({ engine: 'hpa', triggers: [PROMETHEUS] })).toThrow(
      "autoscaling.engine: 'engine' is hpa, but KEDA triggers are given: one workload gets one autoscaler (an HPA and a ScaledObject would fight over its replicas); remove 'engine' to use KEDA, or remove 'triggers'",
    );
  });

  test('fails when HPA metrics are given with KEDA', () => {
    expect(() => build({ triggers: [PROMETHEUS], metrics: [{ type: 'Pods', pods: { metric: { name: 'q' }, target: { type: 'AverageValue', averageValue: 1 } } }] })).toThrow(
      "autoscaling.metrics: 'metrics' are HorizontalPodAutoscaler metrics, and this workload scales with KEDA",
    );
  });

  test('fails when KEDA settings are given to an HPA', () => {
    expect(() => build({ cooldownPeriodSeconds: 60 })).toThrow("autoscaling.cooldownPeriodSeconds: 'cooldownPeriodSeconds' is a KEDA setting, and this workload scales with an HPA");
  });

  test('fails when prometheusAddress is given to an HPA', () => {
    expect(() => build({ prometheusAddress: 'http://prometheus:9090' })).toThrow("autoscaling.prometheusAddress: 'prometheusAddress' is a KEDA setting, and this workload scales with an HPA");
  });

  test('fails when engine is keda without triggers', () => {
    expect(() => build({ engine: 'keda' })).toThrow("autoscaling.engine: 'engine' is keda, but KEDA scales on triggers and none is given");
  });

  test.each([
    ['only a cpu trigger', { minReplicas: 0, targetCPUUtilizationPercentage: 50 }],
    ['a cpu trigger next to a queue trigger', { minReplicas: 0, targetCPUUtilizationPercentage: 50, triggers: [PROMETHEUS] }],
  ])('fails when scaling to zero with %s', (_what, autoscaling) => {
    expect(() => build(autoscaling)).toThrow('autoscaling.minReplicas: KEDA never scales a workload with a cpu or memory trigger to zero (they read running pods)');
  });

  test('fails on a cpu trigger with metricType Value', () => {
    expect(() => build({ triggers: [PROMETHEUS, { type: 'cpu', metricType: 'Value', metadata: { value: 50 } }] })).toThrow(
      "autoscaling.triggers[1].metricType: KEDA's cpu scaler takes Utilization or AverageValue, not Value",
    );
  });

  test('fails on a fallback KEDA would reject', () => {
    expect(() => build({ triggers: [{ ...PROMETHEUS, metricType: 'Value' }], fallback: { failureThreshold: 3, replicas: 2 } })).toThrow(
      'autoscaling.fallback: KEDA accepts a fallback only when every trigger is an AverageValue trigger other than cpu and memory',
    );
  });

  test('fails on two triggers of one name', () => {
    expect(() => build({ triggers: [{ ...PROMETHEUS, name: 'q' }, { ...PROMETHEUS, name: 'q' }] })).toThrow(
      "autoscaling.triggers: two triggers are named 'q' (a preset is named after itself); KEDA needs unique names",
    );
  });

  test('fails on a threshold that is not a number', () => {
    expect(() => build({ triggers: [{ ...PROMETHEUS, metadata: { ...PROMETHEUS.metadata, threshold: 'abc' } }] })).toThrow(
      "autoscaling.triggers[0].metadata.threshold: 'abc' is not a number; KEDA compares threshold with the metric",
    );
  });

  test('fails on an activation threshold that is not a number', () => {
    expect(() => build({ triggers: [{ ...PROMETHEUS, metadata: { ...PROMETHEUS.metadata, activationThreshold: 'some' } }] })).toThrow(
      "autoscaling.triggers[0].metadata.activationThreshold: 'some' is not a number; KEDA compares activationThreshold with the metric",
    );
  });

  test('fails on an authentication without parameters', () => {
    expect(() => build({ triggers: [{ ...PROMETHEUS, authentication: { secret: 's', parameters: {} } }] })).toThrow(
      'autoscaling.triggers[0].authentication.parameters: name at least one scaler parameter and the Secret key it reads',
    );
  });

  test('fails when a scaler misses required metadata', () => {
    expect(() => build({ triggers: [{ type: 'prometheus', metadata: { serverAddress: 'http://p:9090' } }] })).toThrow(
      'autoscaling.triggers[0].metadata.query: the prometheus scaler needs metadata.query; see https://keda.sh/docs/latest/scalers/',
    );
  });

  test('fails when metadata holds a credential', () => {
    expect(() => build({ triggers: [{ type: 'rabbitmq', metadata: { queueName: 'q', mode: 'QueueLength', value: 5, host: 'amqp://user:hunter2@rabbit:5672' } }] })).toThrow(
      "autoscaling.triggers[0].metadata.host: 'host' holds a credential, which would be committed to Git; put it in a Secret and read it with 'authentication: { secret, parameters: { host: <key> } }'",
    );
  });

  test('fails on an unknown scaler', () => {
    expect(() => build({ triggers: [{ type: 'kafak', metadata: {} }] })).toThrow("autoscaling.triggers[0].type: must be one of prometheus, kafka, rabbitmq, aws-sqs-queue, cpu, memory, got 'kafak'");
  });

  test('fails when a trigger has both authentication and authenticationRef', () => {
    expect(() => build({ triggers: [{ ...PROMETHEUS, authentication: { secret: 's', parameters: { bearerToken: 't' } }, authenticationRef: 'x' }] })).toThrow(
      "autoscaling.triggers[0].authenticationRef: give either 'authentication' (a TriggerAuthentication is generated) or 'authenticationRef' (an existing one), not both",
    );
  });
});
