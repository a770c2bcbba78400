import { performance } from 'node:perf_hooks';
import { HpaController, type HpaObservation, resolveBehavior } from '../../lib/simulation/hpa-controller';
import type { HpaBehavior, HpaMetric, HpaSpec, PodCounts } from '../../lib/simulation/types';

// Sources, cited per row:
//   [algo]  kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/ "Algorithm details":
//           desiredReplicas = ceil[currentReplicas * (currentMetricValue / desiredMetricValue)], tolerance 0.1,
//           the largest across metrics, pods not ready and missing pods set aside then counted at 0% on a
//           scale-up, missing pods at 100% on a scale-down, no scale-down while a metric is unavailable.
//   [rc]    kubernetes/kubernetes pkg/controller/podautoscaler/replica_calculator.go: GetResourceReplicas,
//           calcPlainMetricReplicas (GetRawResourceReplicas, GetMetricReplicas), GetObjectMetricReplicas and
//           GetExternalMetricReplicas through getUsageRatioReplicaCount, GetObjectPerPodMetricReplicas,
//           GetExternalPerPodMetricReplicas, Tolerances.isWithin; metrics/utilization.go (whole percents).
//   [hz]    pkg/controller/podautoscaler/horizontal.go: reconcileAutoscaler, recordInitialRecommendation,
//           computeReplicasForMetrics, stabilizeRecommendationWithBehaviors, convertDesiredReplicasWithBehaviorRate,
//           calculateScaleUpLimitWithScalingRules, calculateScaleDownLimitWithBehaviors,
//           getReplicasChangePerPeriod (events strictly after now - period), storeScaleEvent;
//           normalizeDesiredReplicas, stabilizeRecommendation, convertDesiredReplicasWithRules (no behavior).
//   [api]   autoscaling/v2 API reference (HorizontalPodAutoscalerSpec, HPAScalingRules, MetricTarget) and
//           pkg/apis/autoscaling/v2/defaults.go (SetDefaults_HorizontalPodAutoscaler,
//           SetDefaults_HorizontalPodAutoscalerBehavior: a behavior that is given gets each missing field
//           per direction; a missing behavior stays missing).

const CPU: HpaMetric = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } };
const CPU_CORES: HpaMetric = { type: 'Resource', resource: { name: 'cpu', target: { type: 'AverageValue', averageValue: '500m' } } };
const WAITING: HpaMetric = { type: 'Pods', pods: { metric: { name: 'vllm:num_requests_waiting' }, target: { type: 'AverageValue', averageValue: '10' } } };
const EXTERNAL_AVERAGE: HpaMetric = { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '20' } } };
const EXTERNAL_VALUE: HpaMetric = { type: 'External', external: { metric: { name: 'lag' }, target: { type: 'Value', value: '10' } } };
const OBJECT_VALUE: HpaMetric = { type: 'Object', object: { describedObject: { apiVersion: 'v1', kind: 'Service', name: 's' }, metric: { name: 'rps' }, target: { type: 'Value', value: '100' } } };
const OBJECT_AVERAGE: HpaMetric = { type: 'Object', object: { describedObject: { apiVersion: 'v1', kind: 'Service', name: 's' }, metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '20' } } };

/** The default behavior written out, as synth writes it (lib/autoscaling/behavior.ts). */
const DEFAULT_BEHAVIOR: HpaBehavior = {
  scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }, { type: 'Pods', value: 4, periodSeconds: 15 }] },
  scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
};
/** No window either way: a sync's own recommendation is what it acts on. */
const UNSTABILIZED: HpaBehavior = { scaleDown: { stabilizationWindowSeconds: 0 } };

function hpa(over: Partial<HpaSpec> = {}, options = {}): HpaController {
  return new HpaController({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'x' }, minReplicas: 1, maxReplicas: 20, metrics: [CPU], behavior: DEFAULT_BEHAVIOR, ...over }, options);
}

const pods = (replicas: number, ready = replicas, unready = replicas - ready): PodCounts => ({ replicas, ready, unready });
const reads = (...values: HpaObservation[]) => (_m: HpaMetric, i: number) => values[i];

describe('one metric: the proposal of replica_calculator.go', () => {
  test.each([
    // [row and source, metric, pods, reading, proposal]
    ['[algo] ceil(2 x 100% / 50%) = 4', CPU, pods(2), { perPod: 100 }, 4],
    ['[rc isWithin][algo] ratio 1.1 exactly (55% of 50%) is within the 0.1 tolerance: no change', CPU, pods(10), { perPod: 55 }, 10],
    ['[rc isWithin] just above 1.1 (56%: 1.12): ceil(10 x 1.12) = 12', CPU, pods(10), { perPod: 56 }, 12],
    ['[rc isWithin] ratio 0.9 exactly (45%) is within: no change', CPU, pods(10), { perPod: 45 }, 10],
    ['[rc isWithin] just below 0.9 (44%: 0.88): ceil(8.8) = 9', CPU, pods(10), { perPod: 44 }, 9],
    ['[rc utilization.go] utilization is a whole percent: 55.9% reads 55%, within', CPU, pods(10), { perPod: 55.9 }, 10],
    ['[algo] Utilization is relative to the request: 75% of the request against 50% on 4 pods: 6', CPU, pods(4), { perPod: 75 }, 6],
    ['[rc calcPlainMetricReplicas] Resource AverageValue: 0.75 cores per pod against 500m on 4 pods: 6', CPU_CORES, pods(4), { perPod: 0.75 }, 6],
    ['[rc GetMetricReplicas] Pods AverageValue: 25 waiting per pod against 10 on 4 pods: 10', WAITING, pods(4), { perPod: 25 }, 10],
    ['[rc GetObjectMetricReplicas] Object Value: ceil(250 / 100 x 2 ready) = 5', OBJECT_VALUE, pods(2), { total: 250 }, 5],
    ['[rc GetObjectPerPodMetricReplicas] Object AverageValue: ceil(130 / 20) = 7', OBJECT_AVERAGE, pods(3), { total: 130 }, 7],
    ['[rc GetExternalPerPodMetricReplicas] External AverageValue: ceil(130 / 20) = 7', EXTERNAL_AVERAGE, pods(3), { total: 130 }, 7],
    ['[rc GetExternalPerPodMetricReplicas] within the tolerance of the pods: 62 / (3 x 20) = 1.03: 3', EXTERNAL_AVERAGE, pods(3), { total: 62 }, 3],
    ['[rc getUsageRatioReplicaCount] External Value: the ratio times the ready pods, ceil(30 / 10 x 1) = 3', EXTERNAL_VALUE, pods(2, 1), { total: 30 }, 3],
    ['[rc GetResourceReplicas][algo] pods not ready, on a scale-up, count at 0%: 200% on 2 of 4 is 100%, ceil(2 x 4) = 8', CPU, pods(4, 2), { perPod: 200 }, 8],
    ['[rc GetResourceReplicas][algo] ... and a scale-up they turn around is none: 75% on 2 of 4 is 37%, keep 4', CPU, pods(4, 2), { perPod: 75 }, 4],
    ['[rc GetResourceReplicas] on a scale-down pods not ready are left out: 20% on 2 ready of 4: ceil(0.4 x 2) = 1', CPU, pods(4, 2), { perPod: 20 }, 1],
    ['[rc GetResourceReplicas][algo] missing pods on a scale-down count at 100%: 10% on 3 of 4 ready is (30 + 100) / 4 = 32%: ceil(0.64 x 4) = 3', CPU, pods(4), { perPod: 10, missing: 1 }, 3],
    ['[rc GetResourceReplicas][algo] missing pods on a scale-up count at 0%: 64% on 4 of 5 is 51%, within: 5 (not ceil(1.28 x 4) = 6)', CPU, pods(5), { perPod: 64, missing: 1 }, 5],
    ['[rc calcPlainMetricReplicas] a missing pod on a scale-down counts at the target: (2 x 3 + 10) / 4 = 4: ceil(0.4 x 4) = 2', WAITING, pods(4), { perPod: 2, missing: 1 }, 2],
    ['[rc GetResourceReplicas] no ready pod with a sample: an error, no proposal', CPU, pods(3, 0), { perPod: 90 }, undefined],
  ] as const)('%s', (_row, metric, counts, reading, expected) => {
    const decision = hpa({ metrics: [metric], behavior: UNSTABILIZED }).sync(0, counts, reads(reading));
    expect(decision.recommendations[0]).toBe(expected);
  });

  test('[rc getUsageRatioReplicaCount] from zero replicas (minReplicas 0) a Value target asks for ceil(ratio), without tolerance', () => {
    expect(hpa({ minReplicas: 0, metrics: [EXTERNAL_VALUE] }).sync(0, pods(0), reads({ total: 25 })).replicas).toBe(3);
  });

  test('[hz][api] the cluster tolerance (HpaOptions) and a direction\'s own (behavior.scaleUp.tolerance)', () => {
    expect(hpa({}, { tolerance: 0.05 }).sync(0, pods(10), reads({ perPod: 54 })).recommended).toBe(11);
    const upTolerance = hpa({ behavior: { ...DEFAULT_BEHAVIOR, scaleUp: { ...DEFAULT_BEHAVIOR.scaleUp, tolerance: '0.2' } } });
    expect(upTolerance.sync(0, pods(10), reads({ perPod: 59 })).recommended).toBe(10);
  });

  test('[api] without metrics, cpu at 80%', () => {
    const read: HpaMetric[] = [];
    hpa({ metrics: [] }).sync(0, pods(2), (m) => (read.push(m), { perPod: 80 }));
    expect(read).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
  });
});

describe('several metrics, min and max: computeReplicasForMetrics and reconcileAutoscaler [hz]', () => {
  test.each([
    // [row, metrics, pods, readings, expected decision]
    ['[algo] the largest proposal wins; the policies then allow max(4 + 4, 4 x 2) = 8', [CPU, WAITING], pods(4), [{ perPod: 75 }, { perPod: 25 }], { recommendations: [6, 10], recommended: 10, replicas: 8, limitedBy: 'scale-up policy' }],
    ['[algo] an unavailable metric is skipped when the others scale up', [CPU, WAITING], pods(4), [undefined, { perPod: 25 }], { recommendations: [undefined, 10], replicas: 8 }],
    ['[algo] no scale-down while a metric is unavailable', [CPU, WAITING], pods(4), [undefined, { perPod: 5 }], { recommendations: [undefined, 2], replicas: 4, limitedBy: 'unavailable metrics' }],
    ['[hz] no metric available: the count stays', [CPU, WAITING], pods(4), [undefined, undefined], { replicas: 4, limitedBy: 'unavailable metrics' }],
    ['[api] maxReplicas caps the count', [CPU], pods(15), [{ perPod: 100 }], { recommended: 30, replicas: 20, limitedBy: 'max' }],
    ['[api] minReplicas floors it (minReplicas 3)', [CPU], pods(10), [{ perPod: 5 }], { recommended: 1, replicas: 3, limitedBy: 'min' }],
    ['[hz] a count above maxReplicas goes straight to it, metrics unread', [CPU], pods(25), [{ perPod: 500 }], { recommendations: [undefined], replicas: 20, limitedBy: 'max' }],
    ['[hz] a count below minReplicas goes straight to it (minReplicas 3)', [CPU], pods(1), [{ perPod: 1 }], { replicas: 3, limitedBy: 'min' }],
    ['[hz] a target at zero is left alone (ScalingDisabled)', [CPU], pods(0), [{ perPod: 500 }], { replicas: 0, limitedBy: 'disabled' }],
  ] as const)('%s', (row, metrics, counts, readings, expected) => {
    const min = row.includes('minReplicas 3') ? 3 : 1;
    const decision = hpa({ metrics: [...metrics], minReplicas: min, behavior: { ...DEFAULT_BEHAVIOR, scaleDown: { stabilizationWindowSeconds: 0 } } }).sync(0, counts, reads(...readings));
    expect(decision).toMatchObject(expected);
  });
});

describe('behavior [hz][api]', () => {
  test('[api] defaults: a given behavior gets each missing field per direction', () => {
    expect(resolveBehavior({})).toEqual({
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }, { type: 'Pods', value: 4, periodSeconds: 15 }], longestPeriodSeconds: 15 },
      scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }], longestPeriodSeconds: 15 },
    });
    expect(resolveBehavior({ scaleDown: { stabilizationWindowSeconds: 60 } })).toMatchObject({
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max' },
      scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
    });
  });

  test.each<[string, HpaBehavior, number[]]>([
    // Each row: syncs 15 s apart, all pods ready, 1000% utilization (the metrics ask for 20 and more).
    ['[hz] default scale-up (behavior {}): the larger of +4 pods and +100% per 15 s: 1, 5, 10, 20', {}, [5, 10, 20]],
    ['[hz] written out the same', DEFAULT_BEHAVIOR, [5, 10, 20]],
    ['[hz] Pods 2 per 60 s: the limit counts from the replicas at the start of the period', { scaleUp: { policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] } }, [3, 3, 3, 3, 5]],
    ['[hz] Percent 50 per 15 s: ceil(1 x 1.5) = 2, ceil(3), ceil(4.5)', { scaleUp: { policies: [{ type: 'Percent', value: 50, periodSeconds: 15 }] } }, [2, 3, 5, 8]],
    ['[hz] two policies, selectPolicy Min: min(+4, +100%) = 2, 4, 8, 12', { scaleUp: { selectPolicy: 'Min', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] } }, [2, 4, 8, 12]],
    ['[hz] selectPolicy Disabled: no scale-up', { scaleUp: { selectPolicy: 'Disabled' } }, [1, 1]],
    ['[hz] a scale-up window keeps the lowest recommendation of 30 s (the first sync\'s 1 until it leaves)', { scaleUp: { stabilizationWindowSeconds: 30 } }, [1, 5, 10]],
  ])('%s', (_row, behavior, expected) => {
    const c = hpa({ behavior });
    let replicas = 1;
    c.sync(0, pods(1), reads({ perPod: 50 }));
    const seen = expected.map((_, i) => (replicas = c.sync(15 * (i + 1), pods(replicas), reads({ perPod: 1000 })).replicas));
    expect(seen).toEqual(expected);
  });

  test.each<[string, HpaBehavior, Record<number, number>]>([
    // Each row: from 10 pods, the load gone (5%: the metrics ask for 1), syncs 15 s apart.
    ['[hz] the default scale-down window holds 10 for 300 s after the last 10, then 100% per 15 s allows 1', {}, { 285: 10, 300: 1 }],
    ['[hz] Pods 1 per 60 s, no window: one pod a minute', { scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } }, { 15: 9, 30: 9, 60: 9, 75: 8 }],
    ['[hz] two policies, selectPolicy Min: the one removing fewer, max(10 - 1, trunc(10 x 0.5)) = 9', { scaleDown: { stabilizationWindowSeconds: 0, selectPolicy: 'Min', policies: [{ type: 'Pods', value: 1, periodSeconds: 15 }, { type: 'Percent', value: 50, periodSeconds: 15 }] } }, { 15: 9, 30: 8 }],
    ['[hz] two policies, Max: the one removing more, min(10 - 1, trunc(10 x 0.5)) = 5, then trunc(2.5) = 2', { scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 1, periodSeconds: 15 }, { type: 'Percent', value: 50, periodSeconds: 15 }] } }, { 15: 5, 30: 2 }],
    ['[hz] selectPolicy Disabled: no scale-down', { scaleDown: { stabilizationWindowSeconds: 0, selectPolicy: 'Disabled' } }, { 15: 10, 600: 10 }],
  ])('%s', (_row, behavior, expected) => {
    const c = hpa({ behavior });
    let replicas = 10;
    c.sync(0, pods(10), reads({ perPod: 50 }));
    const seen: Record<number, number> = {};
    for (let t = 15; t <= 600; t += 15) seen[t] = replicas = c.sync(t, pods(replicas), reads({ perPod: 5 })).replicas;
    expect(seen).toMatchObject(expected);
  });

  test('[hz] the scale-down window: a recommendation counts while strictly after now - 300; the count is held, not raised', () => {
    const c = hpa();
    expect(c.sync(0, pods(4), reads({ perPod: 100 })).replicas).toBe(8);
    // The pods are back to 4 by hand; the 8 recommended at 0 keeps the count, it does not bring it back up.
    expect(c.sync(15, pods(4), reads({ perPod: 5 }))).toMatchObject({ recommended: 1, replicas: 4, limitedBy: 'stabilization' });
    expect(c.sync(285, pods(4), reads({ perPod: 5 })).replicas).toBe(4);
    expect(c.sync(300, pods(4), reads({ perPod: 5 })).replicas).toBe(1);
  });

  test('[hz recordInitialRecommendation] the first sync remembers the count found: no scale-down for the window after the controller starts', () => {
    const c = hpa();
    expect(c.sync(0, pods(6), reads({ perPod: 5 }))).toMatchObject({ recommended: 1, replicas: 6, limitedBy: 'stabilization' });
    expect(c.sync(300, pods(6), reads({ perPod: 5 })).replicas).toBe(1);
  });

  test('[hz getReplicasChangePerPeriod] a period starts from the count less what was added, plus what was removed, in it', () => {
    const c = hpa({ behavior: { scaleUp: { policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }] }, scaleDown: { stabilizationWindowSeconds: 0 } } });
    c.sync(0, pods(10), reads({ perPod: 50 }));
    expect(c.sync(15, pods(10), reads({ perPod: 40 })).replicas).toBe(8);
    // At 30: 8 now, 2 removed at 15: the period started from 10, so up to 10 + 4 = 14 (not 8 + 4).
    expect(c.sync(30, pods(8), reads({ perPod: 500 })).replicas).toBe(14);
  });

  test('[api][hz normalizeDesiredReplicas] without behavior: the older rules, max(2 x current, 4), and the highest recommendation of the last 300 s, exactly 300 s included', () => {
    const c = hpa({ behavior: undefined });
    expect(c.sync(0, pods(1), reads({ perPod: 1000 }))).toMatchObject({ recommended: 20, replicas: 4, limitedBy: 'scale-up limit' });
    // The load gone: the 20 of the window still counts, whatever the current count: this HPA scales up, to max(2 x 4, 4).
    expect(c.sync(15, pods(4), reads({ perPod: 5 }))).toMatchObject({ recommended: 1, replicas: 8 });
    // At 300 the 20 recommended at 0 is exactly 300 s old and still counts: max(2 x 8, 4) = 16.
    expect(c.sync(300, pods(8), reads({ perPod: 5 })).replicas).toBe(16);
    // At 315 it has left: 5% of 16 pods asks for ceil(0.1 x 16) = 2, and no rate limit slows the way down.
    expect(c.sync(315, pods(16), reads({ perPod: 5 })).replicas).toBe(2);
  });
});

// The worked example. A CPU HPA as synth writes it: target 50%, minReplicas 1, maxReplicas 20, the default
// behavior written out. The load steps between the syncs at 0 and 15 to 4 pods' worth: 400% of the request on the
// one ready pod. A new pod is ready 60 s after the sync that created it, and serves only then; the load spreads
// over the ready pods. The PodCounts below are what the cluster would show at each sync.
test('worked example: a load step, the scale-up limited to max(+100%, +4) per 15 s, pods not ready for 60 s, the 300-s scale-down window', () => {
  const c = hpa();
  const rows: [number, PodCounts, number, number, string | undefined][] = [
    // [t, pods, utilization of the ready pods, replicas set, limitedBy]
    // The first sync: 1 pod at 50%, on target.
    [0, pods(1), 50, 1, undefined],
    // 400% on 1 pod: ratio 8, all ready, ceil(8 x 1) = 8. Allowed: max(1 + 4, ceil(1 x 2)) = 5. 4 pods start, ready at 75.
    [15, pods(1), 400, 5, 'scale-up policy'],
    // 1 ready at 400%, 4 starting counted at 0%: (400 + 0 x 4) / 5 = 80%, ratio 1.6; ceil(1.6 x 5) = 8.
    // Allowed: the +4 at 15 is not strictly after 30 - 15, so max(5 + 4, 5 x 2) = 10: 8. 3 pods start, ready at 90.
    [30, pods(5, 1), 400, 8, undefined],
    // 1 ready at 400%, 7 starting: 400 / 8 = 50%, ratio 1.0, within the tolerance: 8 stays.
    [45, pods(8, 1), 400, 8, undefined],
    [60, pods(8, 1), 400, 8, undefined],
    // The 4 pods of 15 are ready: the load over 5 is 80% each; with the 3 starting at 0%: 400 / 8 = 50%: 8.
    [75, pods(8, 5), 80, 8, undefined],
    // All 8 ready: 400 / 8 = 50%, on target.
    [90, pods(8), 50, 8, undefined],
    [285, pods(8), 50, 8, undefined],
    // The load drops to half a pod's worth: 50 / 8 = 6.25%, a whole 6%: ratio 0.12, ceil(0.96) = 1. But the 8s
    // recommended up to 285 are in the 300-s scale-down window: 8 is held.
    [300, pods(8), 6.25, 8, 'stabilization'],
    [570, pods(8), 6.25, 8, 'stabilization'],
    // At 585 the 8 of 285 is no longer after 585 - 300: every recommendation in the window is 1. 100% per 15 s
    // would allow 0, minReplicas holds 1.
    [585, pods(8), 6.25, 1, undefined],
  ];
  let t = 0;
  for (const [at, counts, utilization, replicas, limitedBy] of rows) {
    // The syncs between two rows read what the later row reads.
    for (; t < at; t += 15) c.sync(t, counts, reads({ perPod: utilization }));
    const decision = c.sync(at, counts, reads({ perPod: utilization }));
    expect([at, decision.replicas, decision.limitedBy]).toEqual([at, replicas, limitedBy]);
    t = at + 15;
  }
});

test('a week of 15-s syncs (40,320) runs in well under a second, history pruned', () => {
  const c = hpa({ metrics: [CPU, WAITING], maxReplicas: 50 });
  let replicas = 1;
  const start = performance.now();
  for (let i = 0; i < 40_320; i++) {
    const load = 10 + 9 * Math.sin(i / 200);
    replicas = c.sync(i * 15, pods(replicas), reads({ perPod: (100 * load) / replicas }, { perPod: load / replicas })).replicas;
  }
  // About 40 ms warm, 200 ms under jest: the bound only catches a history that grows.
  expect(performance.now() - start).toBeLessThan(1000);
  expect(replicas).toBeGreaterThan(0);
});
