import { type KedaDecision, KedaController, kedaHpaSpec } from '../../lib/simulation/keda-controller';
import type { HpaBehavior, PodCounts, ScaledObjectSpec, ScaledObjectTrigger } from '../../lib/simulation/types';

// Sources, cited per row. KEDA as of the version whose CRD @kubernetes-models/keda 0.4.2 describes (2.11: no
// scalingModifiers, initialCooldownPeriod or fallback.behavior), read at tag v2.11.2 of kedacore/keda:
//   [spec]   keda.sh/docs/2.11/concepts/scaling-deployments (ScaledObject spec): pollingInterval 30, cooldownPeriod 300,
//            minReplicaCount 0, maxReplicaCount 100, idleReplicaCount, fallback (failureThreshold, replicas; AverageValue
//            metrics only), advanced.horizontalPodAutoscalerConfig.behavior
//   [exec]   pkg/scaling/executor/scale_scaledobjects.go: RequestScale, scaleFromZeroOrIdle, scaleToZeroOrIdle
//            (lastActiveTime + cooldownPeriod before now; no lastActiveTime: no cooldown), doFallbackScaling,
//            getIdleOrMinimumReplicaCount
//   [loop]   pkg/scaling/scale_handler.go: startScaleLoop (a poll every pollingInterval), getScaledObjectState (a trigger
//            is active when its scaler says so; only cpu/memory triggers: always active), GetScaledObjectMetrics (the
//            HPA's read of a trigger's metric, from the scaler or, with useCachedMetrics, the last poll)
//   [hpa]    controllers/keda/hpa.go: newHPAForScaledObject, getScaledObjectMetricSpecs (metrics sorted by type);
//            apis/keda/v1alpha1/scaledobject_types.go: GetHPAMinReplicas (at least 1), GetHPAMaxReplicas (100)
//   [fb]     pkg/fallback/fallback.go: GetMetricsWithFallback (failures counted per read, more than failureThreshold:
//            fallback.replicas x target), isFallbackEnabled (AverageValue only)
//   [scaler] pkg/scalers: prometheus_scaler.go (threshold, activationThreshold), kafka_scaler.go (lagThreshold 10,
//            activationLagThreshold), rabbitmq_scaler.go (mode QueueLength|MessageRate, value, activationValue),
//            aws_sqs_queue_scaler.go (queueLength 5, activationQueueLength), cpu_memory_scaler.go (value, metricType);
//            each active when its value is above its activation threshold (0 by default); scaler.go
//            GetMetricTargetType, GetMetricTargetMili, GetMetricTarget

const DEFAULT_BEHAVIOR: HpaBehavior = {
  scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }, { type: 'Pods', value: 4, periodSeconds: 15 }] },
  scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
};

const rabbit = (metadata: Record<string, string> = {}): ScaledObjectTrigger => ({ type: 'rabbitmq', metadata: { mode: 'QueueLength', queueName: 'q', value: '20', ...metadata } });

function keda(over: Partial<ScaledObjectSpec> = {}): KedaController {
  return new KedaController({ scaleTargetRef: { name: 'w' }, triggers: [rabbit()], ...over });
}

const pods = (replicas: number, ready = replicas): PodCounts => ({ replicas, ready, unready: replicas - ready });
const values = (...v: (number | undefined)[]) => (_t: ScaledObjectTrigger, i: number) => v[i];

/** Syncs every 15 s from `from` to `to`, pods ready at once, each trigger reading `at(t)`; the decisions by time. */
function run(c: KedaController, from: number, to: number, replicas: number, at: (t: number) => (number | undefined)[]): Map<number, KedaDecision> {
  const seen = new Map<number, KedaDecision>();
  for (let t = from; t <= to; t += 15) {
    const decision = c.sync(t, pods(replicas), values(...at(t)));
    seen.set(t, decision);
    replicas = decision.replicas;
  }
  return seen;
}

describe('the HPA KEDA creates', () => {
  test('[hpa][scaler] min at least 1, max 100, External metrics before Resource ones, each scaler\'s target', () => {
    const spec = kedaHpaSpec({
      scaleTargetRef: { name: 'w' },
      triggers: [
        { type: 'cpu', metricType: 'Utilization', metadata: { value: '60' } },
        rabbit(),
        { type: 'kafka', metadata: { bootstrapServers: 'k:9092', consumerGroup: 'g', topic: 't' } },
        { type: 'prometheus', metricType: 'Value', metadata: { serverAddress: 'http://p', query: 'q', threshold: '7.5' } },
        { type: 'aws-sqs-queue', metadata: { queueURL: 'u', awsRegion: 'r' } },
        { type: 'memory', metricType: 'AverageValue', metadata: { value: '512Mi' } },
      ],
    });
    expect(spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'w' },
      minReplicas: 1,
      maxReplicas: 100,
      metrics: [
        { type: 'External', external: { metric: { name: 's1-rabbitmq' }, target: { type: 'AverageValue', averageValue: '20' } } },
        // kafka lagThreshold defaults to 10, aws-sqs-queue queueLength to 5; prometheus' 7.5 is GetMetricTargetMili's 7500m.
        { type: 'External', external: { metric: { name: 's2-kafka' }, target: { type: 'AverageValue', averageValue: '10' } } },
        { type: 'External', external: { metric: { name: 's3-prometheus' }, target: { type: 'Value', value: '7500m' } } },
        { type: 'External', external: { metric: { name: 's4-aws-sqs-queue' }, target: { type: 'AverageValue', averageValue: '5' } } },
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '512Mi' } } },
      ],
    });
  });

  test('[hpa][spec] minReplicaCount and maxReplicaCount; advanced.horizontalPodAutoscalerConfig.behavior is the HPA\'s behavior', () => {
    const behavior = { scaleDown: { stabilizationWindowSeconds: 60 } };
    expect(keda({ minReplicaCount: 3, maxReplicaCount: 9, advanced: { horizontalPodAutoscalerConfig: { behavior } } }).hpaSpec).toMatchObject({ minReplicas: 3, maxReplicas: 9, behavior });
    expect(keda().hpaSpec.behavior).toBeUndefined();
  });

  test('[spec][hpa] the behavior reaches the HPA: Pods 1 per 15 s steps by one; without it, the older max(2 x current, 4)', () => {
    const stepByOne = keda({ advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 15 }] } } } } });
    const queue200 = () => [200];
    expect([...run(stepByOne, 0, 30, 0, queue200).values()].map((d) => d.replicas)).toEqual([2, 3, 4]);
    expect([...run(keda(), 0, 30, 0, queue200).values()].map((d) => d.replicas)).toEqual([4, 8, 10]);
  });
});

describe('activation [scaler][exec]', () => {
  test.each([
    // [row, trigger, value at the poll, replicas from 0]
    ['[scaler] prometheus: at activationThreshold, inactive', { type: 'prometheus', metadata: { serverAddress: 'http://p', query: 'q', threshold: '10', activationThreshold: '5' } }, 5, 0],
    ['[scaler] prometheus: above it, woken to 1', { type: 'prometheus', metadata: { serverAddress: 'http://p', query: 'q', threshold: '10', activationThreshold: '5' } }, 5.5, 1],
    ['[scaler] prometheus: activationThreshold defaults to 0: any value above 0', { type: 'prometheus', metadata: { serverAddress: 'http://p', query: 'q', threshold: '10' } }, 0.001, 1],
    ['[scaler] kafka: at activationLagThreshold, inactive', { type: 'kafka', metadata: { topic: 't', activationLagThreshold: '3' } }, 3, 0],
    ['[scaler] kafka: above it', { type: 'kafka', metadata: { topic: 't', activationLagThreshold: '3' } }, 4, 1],
    ['[scaler] rabbitmq: at activationValue, inactive', rabbit({ activationValue: '10' }), 10, 0],
    ['[scaler] rabbitmq: above it', rabbit({ activationValue: '10' }), 11, 1],
    ['[scaler] rabbitmq: no activationValue: an empty queue stays at zero', rabbit(), 0, 0],
    ['[scaler] aws-sqs-queue: at activationQueueLength, inactive', { type: 'aws-sqs-queue', metadata: { queueURL: 'u', activationQueueLength: '2' } }, 2, 0],
    ['[scaler] aws-sqs-queue: above it', { type: 'aws-sqs-queue', metadata: { queueURL: 'u', activationQueueLength: '2' } }, 3, 1],
  ] as const)('%s', (_row, trigger, value, expected) => {
    const decision = keda({ triggers: [trigger] }).sync(0, pods(0), values(value));
    expect([decision.replicas, decision.active]).toEqual([expected, expected > 0]);
    if (expected > 0) expect(decision.limitedBy).toBe('activation');
  });

  test('[exec scaleFromZeroOrIdle] woken to minReplicaCount when it is above 0 (with idleReplicaCount: from idle too)', () => {
    expect(keda({ minReplicaCount: 2, idleReplicaCount: 0 }).sync(0, pods(0), values(5)).replicas).toBe(2);
  });

  test('[loop] only cpu and memory triggers: always active, never scaled to zero', () => {
    const c = keda({ minReplicaCount: 0, cooldownPeriod: 0, triggers: [{ type: 'cpu', metricType: 'Utilization', metadata: { value: '50' } }] });
    const seen = run(c, 0, 600, 1, () => [0]);
    expect(seen.get(600)).toMatchObject({ replicas: 1, active: true });
  });

  test('[loop] a poll every pollingInterval (30 s by default): a value between two polls waits for the next', () => {
    const c = keda();
    expect(c.sync(0, pods(0), values(0)).replicas).toBe(0);
    expect(c.sync(15, pods(0), values(5)).replicas).toBe(0);
    expect(c.sync(30, pods(0), values(5)).replicas).toBe(1);
  });
});

describe('deactivation [exec]', () => {
  test('[exec scaleToZeroOrIdle] before any active poll there is no lastActiveTime: to zero at once', () => {
    expect(keda().sync(0, pods(2), values(0))).toMatchObject({ replicas: 0, limitedBy: 'cooldown', active: false });
  });

  test('[exec][spec] idleReplicaCount: to idle instead of minReplicaCount, and back to minReplicaCount when active', () => {
    const c = keda({ idleReplicaCount: 0, minReplicaCount: 2 });
    expect(c.sync(0, pods(2), values(0)).replicas).toBe(0);
    expect(c.sync(30, pods(0), values(5)).replicas).toBe(2);
  });

  test('[exec] below minReplicaCount, no trigger active, no idleReplicaCount: up to minReplicaCount', () => {
    expect(keda({ minReplicaCount: 3 }).sync(0, pods(1), values(0))).toMatchObject({ replicas: 3, limitedBy: 'min' });
  });

  test('[exec RequestScale] active while another scaler fails: lastActiveTime is not renewed, the cooldown runs from the last poll without error', () => {
    const c = keda({ cooldownPeriod: 60, triggers: [rabbit(), rabbit({ queueName: 'other' })], advanced: { horizontalPodAutoscalerConfig: { behavior: DEFAULT_BEHAVIOR } } });
    expect(c.sync(0, pods(1), values(5, 0)).replicas).toBe(1);
    expect(c.sync(30, pods(1), values(5, undefined)).replicas).toBe(1);
    // Inactive at 60: the last active poll without error was at 0, and 0 + 60 is now.
    expect(c.sync(60, pods(1), values(0, 0))).toMatchObject({ replicas: 0, limitedBy: 'cooldown' });
  });

  test('[exec RequestScale] a failing scaler without fallback: no change, not even to zero', () => {
    const seen = run(keda({ cooldownPeriod: 0 }), 0, 600, 2, (t) => [t === 0 ? 5 : undefined]);
    expect(seen.get(600)).toMatchObject({ replicas: 2, fallback: false });
  });
});

describe('fallback [fb][exec]', () => {
  test('[exec doFallbackScaling] no trigger active, a scaler failing: fallback.replicas at that poll; the HPA then reads fallback.replicas x target after failureThreshold failed reads', () => {
    const c = keda({ fallback: { failureThreshold: 3, replicas: 6 } });
    const seen = run(c, 0, 60, 2, () => [undefined]);
    expect(seen.get(0)).toMatchObject({ replicas: 6, limitedBy: 'fallback', fallback: true });
    // Reads 1 to 3 fail without a value: the HPA has no valid metric and keeps 6.
    expect(seen.get(15)).toMatchObject({ replicas: 6, limitedBy: 'unavailable metrics' });
    // The 4th failed read (> 3) reads 6 x 20 = 120: 120 / (20 x 6) = 1, on target.
    expect(seen.get(45)).toMatchObject({ replicas: 6, fallback: true });
  });

  test('[fb GetMetricsWithFallback] with another trigger active: the failing metric is unavailable for failureThreshold reads, then reads fallback.replicas x target', () => {
    const c = keda({ fallback: { failureThreshold: 2, replicas: 5 }, triggers: [rabbit(), rabbit({ queueName: 'other' })], advanced: { horizontalPodAutoscalerConfig: { behavior: DEFAULT_BEHAVIOR } } });
    const seen = run(c, 0, 60, 2, (t) => [40, t < 45 ? undefined : 0]);
    // 40 / (20 x 2) = 1: 2, while the other metric fails (reads 1 and 2).
    expect([seen.get(0)!.replicas, seen.get(15)!.replicas]).toEqual([2, 2]);
    // Read 3 > 2: 5 x 20 = 100, ceil(100 / 20) = 5, the larger proposal.
    expect(seen.get(30)).toMatchObject({ replicas: 5, fallback: true });
    expect(seen.get(30)!.hpa!.recommendations).toEqual([2, 5]);
    // The scaler answers again at 45: the count of failures starts over, the metric reads 0.
    expect(seen.get(45)).toMatchObject({ fallback: false });
  });

  test('[fb isFallbackEnabled][spec] a Value metric has no fallback', () => {
    const value: ScaledObjectTrigger = { type: 'prometheus', metricType: 'Value', metadata: { serverAddress: 'http://p', query: 'q', threshold: '10' } };
    const c = keda({ fallback: { failureThreshold: 0, replicas: 5 }, triggers: [rabbit(), value], advanced: { horizontalPodAutoscalerConfig: { behavior: DEFAULT_BEHAVIOR } } });
    const seen = run(c, 0, 120, 2, () => [40, undefined]);
    expect(seen.get(120)).toMatchObject({ replicas: 2, fallback: false });
  });

  test('[loop GetScaledObjectMetrics] useCachedMetrics: the HPA reads the last poll\'s value', () => {
    const cached = keda({ triggers: [{ ...rabbit(), useCachedMetrics: true }], advanced: { horizontalPodAutoscalerConfig: { behavior: DEFAULT_BEHAVIOR } } });
    const live = keda({ advanced: { horizontalPodAutoscalerConfig: { behavior: DEFAULT_BEHAVIOR } } });
    const queue = (t: number) => [t === 0 ? 40 : 200];
    expect(run(cached, 0, 15, 2, queue).get(15)!.replicas).toBe(2);
    expect(run(live, 0, 15, 2, queue).get(15)!.replicas).toBe(6);
  });
});

// The worked example. A queue worker as synth writes it: rabbitmq QueueLength, value 20, minReplicaCount 0,
// maxReplicaCount 10, pollingInterval 30, cooldownPeriod 300, the default HPA behavior written out under advanced.
// Syncs every 15 s; the pods are taken as ready at once. The queue holds 40 messages until 120, none from 135,
// and 30 again from 615.
test('worked example: to zero cooldownPeriod after the last active poll, awake within one polling interval of the work returning', () => {
  const c = keda({
    minReplicaCount: 0, maxReplicaCount: 10, pollingInterval: 30, cooldownPeriod: 300,
    advanced: { horizontalPodAutoscalerConfig: { behavior: DEFAULT_BEHAVIOR } },
  });
  const seen = run(c, 0, 660, 0, (t) => [t <= 120 ? 40 : t < 615 ? 0 : 30]);
  const replicas = (t: number) => seen.get(t)!.replicas;
  // 0: the poll finds 40 > 0: woken to 1; the HPA then reads 40 for 1 pod: ceil(40 / 20) = 2 (within max(1 + 4, 2)).
  expect(seen.get(0)).toMatchObject({ replicas: 2, active: true });
  // 15 to 120: 40 / (20 x 2) = 1, on target. The polls at 30 ... 120 are active: lastActiveTime = 120.
  expect([replicas(15), replicas(120)]).toEqual([2, 2]);
  // 135: the queue is empty. The HPA asks for ceil(0 / 20) = 0, its 300-s window holds 2; from the poll at 150 on,
  // no trigger is active, and KEDA waits for the cooldown.
  expect(seen.get(135)).toMatchObject({ replicas: 2, limitedBy: 'stabilization' });
  expect(seen.get(150)).toMatchObject({ replicas: 2, active: false });
  expect(replicas(405)).toBe(2);
  // 420 = 120 + 300, a poll: the cooldown has passed (lastActiveTime is kept to the second and read a poll later,
  // so this poll finds lastActiveTime + cooldownPeriod before its now): to zero. The HPA leaves a target at zero alone.
  expect(seen.get(420)).toMatchObject({ replicas: 0, limitedBy: 'cooldown', active: false });
  expect(replicas(600)).toBe(0);
  // The work returns at 615, between two polls: still 0; the poll at 630 (15 s later, within one pollingInterval)
  // finds 30 > 0: woken to 1, and the HPA reads 30 for 1 pod: ceil(1.5) = 2.
  expect(replicas(615)).toBe(0);
  expect(seen.get(630)).toMatchObject({ replicas: 2, active: true });
});

test('a week of 15-s syncs (40,320) runs in well under a second', () => {
  const c = keda({ advanced: { horizontalPodAutoscalerConfig: { behavior: DEFAULT_BEHAVIOR } } });
  const start = process.hrtime.bigint();
  const seen = run(c, 0, 15 * 40_319, 0, (t) => [Math.max(0, 100 * Math.sin(t / 3000))]);
  expect(Number(process.hrtime.bigint() - start) / 1e6).toBeLessThan(1000);
  expect(seen.size).toBe(40_320);
});
