import { ModelServing, type ModelServingProps } from '../../lib';
import { container, only, synthConstruct, testChart } from '../helpers';

const requiredProps: ModelServingProps = { name: 'llm', image: 'registry.example.com/ml/vllm:0.6.3' };

function synth(props: Partial<ModelServingProps>) {
  return synthConstruct((s, id, p: ModelServingProps) => new ModelServing(s, id, p), { ...requiredProps, ...props });
}

const pod = (props: Partial<ModelServingProps>) => only(synth(props), 'Deployment').spec.template.spec;

describe('GPU model serving', () => {
  test('gpu.count requests and limits that many GPUs', () => {
    const resources = container(synth({ gpu: { count: 2 } })).resources;
    expect(resources.limits['nvidia.com/gpu']).toBe('2');
    expect(resources.requests['nvidia.com/gpu']).toBe('2');
  });

  test('GPU pods tolerate the nvidia.com/gpu taint', () => {
    expect(pod({ gpu: { count: 1 } }).tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
  });

  test('a GPU limit in resources has the same effect as gpu.count', () => {
    expect(pod({ resources: { limits: { 'nvidia.com/gpu': 1 } } }).tolerations).toHaveLength(1);
  });

  test('a product pins the pods to nodes with that GPU', () => {
    expect(pod({ gpu: { count: 1, product: 'NVIDIA-A100-SXM4-80GB' } }).affinity).toEqual({
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'nvidia.com/gpu.product', operator: 'In', values: ['NVIDIA-A100-SXM4-80GB'] }] }] } },
    });
  });

  test('without a product any GPU node will do', () => {
    expect(pod({ gpu: { count: 1 } }).affinity).toBeUndefined();
  });

  test('a memory-backed /dev/shm, sized when asked', () => {
    const spec = pod({ gpu: { count: 1, shmSize: '8Gi' }, resources: { requests: { memory: '32Gi' } } });
    expect(spec.volumes).toContainEqual({ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '8Gi' } });
    expect(spec.containers[0].volumeMounts).toContainEqual({ name: 'dshm', mountPath: '/dev/shm' });
  });

  test('runtimeClassName is set when given', () => {
    expect(pod({ gpu: { count: 1, runtimeClassName: 'nvidia' } }).runtimeClassName).toBe('nvidia');
  });

  test('rollouts replace one pod at a time instead of needing a spare GPU', () => {
    expect(only(synth({ gpu: { count: 1 } }), 'Deployment').spec.strategy.rollingUpdate).toEqual({ maxSurge: 0, maxUnavailable: 1 });
  });

  test('rollout overrides the strategy', () => {
    expect(only(synth({ gpu: { count: 1 }, rollout: { maxSurge: 1, maxUnavailable: 0 } }), 'Deployment').spec.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
  });

  test('a workload without GPUs has no GPU scheduling', () => {
    const spec = pod({});
    expect(spec.tolerations).toBeUndefined();
    expect(spec.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
  });

  test('fails when gpu.count and the GPU limit disagree', () => {
    expect(() => new ModelServing(testChart(), 'W', { ...requiredProps, gpu: { count: 2 }, resources: { limits: { 'nvidia.com/gpu': 1 } } })).toThrow(
      "gpu.count: 'gpu.count' (2) and resources 'nvidia.com/gpu' (1) disagree; give the count once, in 'gpu.count'",
    );
  });

  test('fails when /dev/shm would take the whole memory limit', () => {
    expect(() => new ModelServing(testChart(), 'W', { ...requiredProps, gpu: { count: 1, shmSize: '16Gi' }, resources: { limits: { memory: '8Gi' } } })).toThrow(
      "gpu.shmSize: /dev/shm (16Gi) counts against the memory limit (8Gi) and would leave the server nothing; raise 'resources.limits.memory' above it",
    );
  });

  test('fails on a GPU count written as a number, with the shape to use', () => {
    expect(() => new ModelServing(testChart(), 'W', { ...requiredProps, gpu: 1 as never })).toThrow('gpu: must be a mapping such as { count: 1 }');
  });

  test('fails when a rollout could never replace a pod', () => {
    expect(() => new ModelServing(testChart(), 'W', { ...requiredProps, rollout: { maxSurge: 0 } })).toThrow(
      'rollout.maxSurge: maxSurge (0) and maxUnavailable (0) are both 0, so a rollout could never replace a pod; let one of them be above 0',
    );
  });

  test('fails on a rollout value that is neither a number nor a percentage', () => {
    expect(() => new ModelServing(testChart(), 'W', { ...requiredProps, rollout: { maxSurge: 'two' } })).toThrow("rollout.maxSurge: 'two' is neither a number nor a percentage such as 25%");
  });
});
