import { MlPipeline, ModelServing, type ModelServingProps } from '../../lib';
import { only, synthConstruct, testChart } from '../helpers';

const requiredProps: ModelServingProps = { name: 'fraud-detector', image: 'registry.example.com/ml/fraud:1.4.2' };
const SELECTOR = { matchLabels: { 'app.kubernetes.io/name': 'fraud-detector', 'app.kubernetes.io/instance': 'fraud-detector' } };

function spread(props: Partial<ModelServingProps> = {}) {
  return only(synthConstruct((s, id, p: ModelServingProps) => new ModelServing(s, id, p), { ...requiredProps, ...props }), 'Deployment')
    .spec.template.spec.topologySpreadConstraints;
}

describe('topology spread', () => {
  test('by default prefers an even spread over zones, then nodes, per ReplicaSet', () => {
    expect(spread()).toEqual([
      { topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: SELECTOR, matchLabelKeys: ['pod-template-hash'], nodeTaintsPolicy: 'Honor' },
      { topologyKey: 'kubernetes.io/hostname', maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: SELECTOR, matchLabelKeys: ['pod-template-hash'], nodeTaintsPolicy: 'Honor' },
    ]);
  });

  test('DoNotSchedule, maxSkew and the node labels can be set', () => {
    expect(spread({ topologySpread: { whenUnsatisfiable: 'DoNotSchedule', maxSkew: 2, topologyKeys: ['topology.kubernetes.io/zone'] } })).toEqual([
      { topologyKey: 'topology.kubernetes.io/zone', maxSkew: 2, whenUnsatisfiable: 'DoNotSchedule', labelSelector: SELECTOR, matchLabelKeys: ['pod-template-hash'], nodeTaintsPolicy: 'Honor' },
    ]);
  });

  test('false turns it off', () => {
    expect(spread({ topologySpread: false })).toBeUndefined();
  });

  test('batch pods are not spread', () => {
    const objects = synthConstruct((s, id, p) => new MlPipeline(s, id, p), { name: 'train', image: 't:1', mode: 'job' as const });
    expect(only(objects, 'Job').spec.template.spec.topologySpreadConstraints).toBeUndefined();
  });

  test('fails when a node label is listed twice', () => {
    expect(() => new ModelServing(testChart(), 'Workload', { ...requiredProps, topologySpread: { topologyKeys: ['a', 'a'] } })).toThrow(
      "topologySpread.topologyKeys[1]: 'a' is listed twice; give each node label once",
    );
  });

  test('fails with the field and the allowed values for a bad value inside the mapping, or a value that is neither false nor a mapping', () => {
    const build = (topologySpread: unknown) => () => new ModelServing(testChart(), 'Workload', { ...requiredProps, topologySpread } as ModelServingProps);
    expect(build({ whenUnsatisfiable: 'Never' })).toThrow("topologySpread.whenUnsatisfiable: must be one of ScheduleAnyway, DoNotSchedule, got 'Never'");
    expect(build({ maxSkew: 'x', topologyKeys: ['a'] })).toThrow("topologySpread.maxSkew: must be a number, got 'x'");
    expect(build('no')).toThrow("topologySpread: must be false or a mapping (keys: whenUnsatisfiable, maxSkew, topologyKeys), got 'no'");
  });

  test('fails when given to a batch mode', () => {
    expect(() => new MlPipeline(testChart(), 'Workload', { name: 'train', image: 't:1', mode: 'cronjob', cron: { schedule: '@daily' }, topologySpread: {} })).toThrow(
      "topologySpread: a batch pod runs to completion and is not spread; remove 'topologySpread'",
    );
  });
});
