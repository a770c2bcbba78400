import { MlPipeline, ModelServing, type ModelServingProps } from '../../lib';
import { only, synthConstruct, testChart } from '../helpers';

const requiredProps: ModelServingProps = { name: 'fraud-detector', namespace: 'ml-serving', image: 'registry.example.com/ml/fraud:1.4.2' };

function synth(props: Partial<ModelServingProps> = {}) {
  return synthConstruct((s, id, p: ModelServingProps) => new ModelServing(s, id, p), { ...requiredProps, ...props });
}

function build(props: Partial<ModelServingProps>) {
  return new ModelServing(testChart(), 'Workload', { ...requiredProps, ...props } as ModelServingProps);
}

describe('PodDisruptionBudget', () => {
  test('by default lets a drain evict one pod at a time, selecting the workload\'s pods', () => {
    const pdb = only(synth(), 'PodDisruptionBudget');
    expect(pdb.apiVersion).toBe('policy/v1');
    expect(pdb.metadata.name).toBe('fraud-detector');
    expect(pdb.spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'fraud-detector', 'app.kubernetes.io/instance': 'fraud-detector' } },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
  });

  test('selects exactly the pods of the Deployment', () => {
    const objects = synth();
    expect(only(objects, 'PodDisruptionBudget').spec.selector).toEqual(only(objects, 'Deployment').spec.selector);
  });

  test('is applied after the workload (sync wave 1)', () => {
    expect(only(synth(), 'PodDisruptionBudget').metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '1' });
  });

  test('a workload that never runs more than one pod gets none', () => {
    expect(synth({ replicas: 1 }).some((o) => o.kind === 'PodDisruptionBudget')).toBe(false);
    expect(synth({ autoscaling: { minReplicas: 1, maxReplicas: 1 } }).some((o) => o.kind === 'PodDisruptionBudget')).toBe(false);
  });

  test('a fixed count above one gets one', () => {
    expect(only(synth({ replicas: 3 }), 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
  });

  test('a scale-to-zero worker gets one: it may run many pods', () => {
    const objects = synthConstruct((s, id, p) => new MlPipeline(s, id, p), {
      name: 'embedder', image: 'e:1', autoscaling: { minReplicas: 0, triggers: [{ type: 'rabbitmq' as const, metadata: { queueName: 'q', mode: 'QueueLength', value: 5 } }] },
    });
    expect(only(objects, 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
  });

  test('maxUnavailable and minAvailable can be set', () => {
    expect(only(synth({ disruptionBudget: { maxUnavailable: '25%' } }), 'PodDisruptionBudget').spec.maxUnavailable).toBe('25%');
    const spec = only(synth({ autoscaling: { minReplicas: 3, maxReplicas: 6 }, disruptionBudget: { minAvailable: 2 } }), 'PodDisruptionBudget').spec;
    expect(spec.minAvailable).toBe(2);
    expect(spec).not.toHaveProperty('maxUnavailable');
  });

  test('an empty mapping means the default', () => {
    expect(only(synth({ disruptionBudget: {} }), 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
  });

  test('false turns it off', () => {
    expect(synth({ disruptionBudget: false }).some((o) => o.kind === 'PodDisruptionBudget')).toBe(false);
  });

  test('fails when maxUnavailable is 0', () => {
    expect(() => build({ disruptionBudget: { maxUnavailable: 0 } })).toThrow(
      'disruptionBudget.maxUnavailable: maxUnavailable 0 lets no pod be evicted, so it blocks every node drain and cluster upgrade; use 1 or more',
    );
  });

  test('fails when minAvailable keeps every pod of the fewest', () => {
    expect(() => build({ autoscaling: { minReplicas: 2, maxReplicas: 5 }, disruptionBudget: { minAvailable: 2 } })).toThrow(
      'disruptionBudget.minAvailable: minAvailable 2 keeps every pod the workload runs at its fewest (2), so a node drain could never evict one; lower it, or use maxUnavailable: 1',
    );
    expect(() => build({ disruptionBudget: { minAvailable: '100%' } })).toThrow('minAvailable 100% keeps every pod');
  });

  test('fails when both are given', () => {
    expect(() => build({ disruptionBudget: { maxUnavailable: 1, minAvailable: 1 } })).toThrow(
      "disruptionBudget.minAvailable: give either 'maxUnavailable' or 'minAvailable', not both",
    );
  });

  test('fails for a job, whose pods run to completion', () => {
    expect(() => new MlPipeline(testChart(), 'Workload', { name: 'train', image: 't:1', mode: 'job', disruptionBudget: { maxUnavailable: 1 } })).toThrow(
      "disruptionBudget: a job runs to completion and gets no PodDisruptionBudget; remove 'disruptionBudget'",
    );
  });
});
