import { UnmodelledMetricError, UnusedTraceError } from '../../lib/simulation/signals';
import { simulate, type SimulationInput } from '../../lib/simulation/simulate';
import type { HpaSpec, ScaledObjectSpec } from '../../lib/simulation/types';

// The load model and the clock around the controllers (their rules: hpa-controller.test.ts, keda-controller.test.ts).

const REF = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'w' };
const pod = { capacity: 10, startupSeconds: 0, gpus: 0 };

function run(autoscaler: SimulationInput['autoscaler'], load: (t: number) => number, over: Partial<SimulationInput> = {}) {
  return simulate({ autoscaler, pod, load, durationSeconds: 600, ...over });
}

test('starts from the steady state of the first load value: no unserved load at t = 0', () => {
  const hpa: HpaSpec = { scaleTargetRef: REF, minReplicas: 1, maxReplicas: 50, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] };
  const result = run({ kind: 'HorizontalPodAutoscaler', spec: hpa }, () => 200);
  // 200 units at 50% of 10 per pod: 40 pods, all ready.
  expect(result.series[0]).toMatchObject({ desiredReplicas: 40, readyReplicas: 40, capacity: 400, unserved: 0 });
});

test('an HPA without metrics scales on cpu at 80%, as the API server defaults it', () => {
  const result = run({ kind: 'HorizontalPodAutoscaler', spec: { scaleTargetRef: REF, maxReplicas: 20 } }, () => 80);
  // 80 units at 80% of 10 per pod: 10 pods.
  expect(result.series[0].desiredReplicas).toBe(10);
});

test('a fixed replica count holds whatever the load, and what it cannot serve is counted', () => {
  const result = run({ kind: 'fixed', replicas: 3 }, () => 50);
  expect(new Set(result.series.map((p) => p.desiredReplicas))).toEqual(new Set([3]));
  expect(result.summary.unservedUnitSeconds).toBe(20 * 600);
  expect(result.summary.longestUnservedSeconds).toBe(600);
});

test('a queue-fed workload carries what it cannot serve over as a queue', () => {
  const so = { scaleTargetRef: { name: 'w' }, minReplicaCount: 1, maxReplicaCount: 1, triggers: [{ type: 'rabbitmq', metadata: { mode: 'QueueLength', queueName: 'q', value: '20' } }] } as ScaledObjectSpec;
  const result = run({ kind: 'ScaledObject', spec: so }, (t) => (t >= 60 && t < 360 ? 15 : 5), { durationSeconds: 900 });
  // One pod serves 10/s: from 60 to 360 s, 5/s waits (1,500 by the period at 345), then drains at 5/s in 300 s.
  expect(result.series.find((p) => p.t === 45)!.queue).toBe(0);
  expect(result.series.find((p) => p.t === 345)!.queue).toBe(1500);
  expect(result.series.find((p) => p.t === 645)!.queue).toBe(0);
  expect(result.series[result.series.length - 1].queue).toBe(0);
  expect(result.summary.peakQueue).toBe(1500);
});

test('a metric the model does not have is an error naming it; --metric gives it a trace', () => {
  const so = { scaleTargetRef: { name: 'w' }, triggers: [{ type: 'prometheus', metadata: { query: 'sum(my_metric)', threshold: '10', serverAddress: 'http://p' } }] } as ScaledObjectSpec;
  expect(() => run({ kind: 'ScaledObject', spec: so }, () => 1)).toThrow(UnmodelledMetricError);
  expect(() => run({ kind: 'ScaledObject', spec: so }, () => 1)).toThrow("trigger 0 (prometheus, query 'sum(my_metric)') is a metric the load model does not have; give its values over time with --metric s0-prometheus=FILE");
  // 35 for the metric: ceil(35 / 10) = 4 pods, whatever the load.
  const traced = run({ kind: 'ScaledObject', spec: so }, () => 1, { traces: new Map([['s0-prometheus', () => 35]]) });
  expect(traced.series[0].desiredReplicas).toBe(4);
  expect(() => run({ kind: 'ScaledObject', spec: so }, () => 1, { traces: new Map([['s0-prometheus', () => 35], ['s1-kafka', () => 3]]) })).toThrow(new UnusedTraceError('s1-kafka', ['s0-prometheus']));
});

test('replica-hours, GPU-hours and cost', () => {
  const result = run({ kind: 'fixed', replicas: 4 }, () => 0, { durationSeconds: 3600, pod: { ...pod, gpus: 2 }, costPerPodHour: 0.5, costPerGpuHour: 2 });
  expect(result.summary).toMatchObject({ replicaHours: 4, gpuHours: 8, cost: 4 * 0.5 + 8 * 2 });
});

test('a week of 15-second syncs simulates well under a second', () => {
  const hpa: HpaSpec = { scaleTargetRef: REF, minReplicas: 2, maxReplicas: 40, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }], behavior: {} };
  const start = process.hrtime.bigint();
  const result = run({ kind: 'HorizontalPodAutoscaler', spec: hpa }, (t) => 100 + 80 * Math.sin(t / 4000), { durationSeconds: 7 * 86400, pod: { ...pod, startupSeconds: 90 } });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  expect(result.series).toHaveLength(40_320);
  // Measured about 0.15 s (npm run bench:simulate); the bound leaves room for a busy machine.
  expect(seconds).toBeLessThan(2);
});

const CPU_50 = { type: 'Resource' as const, resource: { name: 'cpu', target: { type: 'Utilization' as const, averageUtilization: 50 } } };
const DEFAULT_BEHAVIOR = {
  scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }, { type: 'Pods', value: 4, periodSeconds: 15 }] },
  scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
};

// The Done-when figures, through the whole simulation: a CPU HPA as synth writes it (target 50%, min 1,
// max 20, the default behavior written out), pods serving 10 units/s at 100% of their cpu request and
// ready 60 s after they are created; load 5 units/s (1 pod at 50%), 40 from 60 s to 600 s, then 5 again.
test('a load step: the scale-up limited by the default policies, new pods serving only once ready, the 300-s window holding the count', () => {
  const result = simulate({
    autoscaler: { kind: 'HorizontalPodAutoscaler', spec: { scaleTargetRef: REF, minReplicas: 1, maxReplicas: 20, metrics: [CPU_50], behavior: DEFAULT_BEHAVIOR } },
    pod: { capacity: 10, startupSeconds: 60, gpus: 0 },
    load: (t) => (t >= 60 && t < 600 ? 40 : 5),
    durationSeconds: 1200,
  });
  const row = (t: number) => {
    const p = result.series.find((q) => q.t === t)!;
    return [p.desiredReplicas, p.readyReplicas, p.unserved];
  };
  // Until 60 s: 1 pod at 5/10 = 50%, on target.
  expect(row(45)).toEqual([1, 1, 0]);
  // [60, 75): 40 units on 1 pod: 400%, 30 units/s not served.
  expect(row(60)).toEqual([1, 1, 30]);
  // Sync at 75: 400/50 = 8 asks for 8; the policies allow max(1 + 4, 1 x 2) = 5. 4 new pods, ready at 135.
  expect(row(75)).toEqual([5, 1, 30]);
  // Sync at 90: 1 ready pod at 400%, 4 starting counted at 0%: 400 / 5 = 80%, ratio 1.6, ceil(1.6 x 5) = 8,
  // within max(5 + 4, 5 x 2) = 10 (the +4 at 75 is not strictly inside (75, 90]). 3 more pods, ready at 150.
  expect(row(90)).toEqual([8, 1, 30]);
  // Syncs at 105 and 120: 400 / 8 = 50%, ratio 1.0: 8 stays; still 1 pod serving.
  expect(row(120)).toEqual([8, 1, 30]);
  // At 135 the first 4 new pods are ready: 5 x 10 = 50 >= 40, all served; 75 s of 30 units/s were not.
  expect(row(135)).toEqual([8, 5, 0]);
  expect(row(150)).toEqual([8, 8, 0]);
  expect(result.summary.unservedUnitSeconds).toBe(5 * 15 * 30);
  expect(result.summary.longestCatchUpSeconds).toBe(75);
  // At 600 the load drops: from the sync at 615 on, 5/80 = 6% asks for ceil(0.12 x 8) = 1, but the 8s
  // recommended up to 600 stay in the 300-s window until the sync at 900 (600 is not after 900 - 300).
  expect(row(885)[0]).toBe(8);
  expect(row(900)).toEqual([1, 1, 0]);
});

// A queue worker as embedding-worker is written (rabbitmq QueueLength 20, minReplicaCount 0, cooldownPeriod
// 300, pollingInterval 30, no advanced behavior), pods serving 10 messages/s and ready 60 s after they are
// created; 10 messages/s until 300 s, none until 1200 s, then 10 again.
test('KEDA: to zero after the cooldown, awake within one polling interval of the load returning', () => {
  const so = { scaleTargetRef: { name: 'w' }, minReplicaCount: 0, maxReplicaCount: 10, pollingInterval: 30, cooldownPeriod: 300, triggers: [{ type: 'rabbitmq', metadata: { mode: 'QueueLength', queueName: 'q', value: '20' } }] } as ScaledObjectSpec;
  const result = simulate({ autoscaler: { kind: 'ScaledObject', spec: so }, pod: { capacity: 10, startupSeconds: 60, gpus: 0 }, load: (t) => (t < 300 || t >= 1200 ? 10 : 0), durationSeconds: 1800 });
  const at = (t: number) => result.series.find((p) => p.t === t)!;
  // Steady state: 1 pod serves the 10/s; the message in service keeps the trigger active (1 > 0), the HPA at ceil(1 / 20) = 1.
  expect([at(285).desiredReplicas, at(285).queue]).toEqual([1, 0]);
  // Work stops at 300; the poll at 300 still reads the busy period before it, so it is the last active one.
  // Scaled to zero at the first poll at or after 300 + 300 = 600.
  expect(at(585).desiredReplicas).toBe(1);
  expect(at(600).desiredReplicas).toBe(0);
  // Work returns at 1200. The poll at 1200 reads the idle period before it; the poll at 1230, 150 messages
  // waiting: woken to 1, and the HPA (no behavior: at most max(2 x 1, 4)) asks for 4. Within one interval.
  expect(at(1215).desiredReplicas).toBe(0);
  expect(at(1230).desiredReplicas).toBe(4);
  // No pod serves before it is ready, 60 s after its creation.
  expect(at(1275).readyReplicas).toBe(0);
  expect(at(1290).readyReplicas).toBe(4);
});
