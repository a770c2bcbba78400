import { ModelServing, type ModelServingProps, type AutoscalingOptions } from '../../lib';
import { only, synthConstruct, testChart } from '../helpers';

const requiredProps: ModelServingProps = { name: 'llm', image: 'registry.example.com/ml/vllm:0.6.3' };

function hpa(autoscaling: AutoscalingOptions) {
  const objects = synthConstruct((s, id, p: ModelServingProps) => new ModelServing(s, id, p), { ...requiredProps, autoscaling });
  return only(objects, 'HorizontalPodAutoscaler').spec;
}

function build(autoscaling: unknown) {
  return new ModelServing(testChart(), 'Workload', { ...requiredProps, autoscaling } as ModelServingProps);
}

describe('HPA metrics', () => {
  test('cpu at 80% when no metric is given', () => {
    expect(hpa({}).metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
  });

  test('targetMemoryUtilizationPercentage is a Resource memory Utilization metric, and replaces the cpu default', () => {
    expect(hpa({ targetMemoryUtilizationPercentage: 70 }).metrics).toEqual([
      { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 70 } } },
    ]);
  });

  test('the shorthands come first, then metrics in the order given, and cpu utilization last, where the API server puts it', () => {
    const metrics = hpa({
      targetCPUUtilizationPercentage: 60,
      targetMemoryUtilizationPercentage: 70,
      metrics: [
        { type: 'Pods', pods: { metric: { name: 'vllm:num_requests_waiting' }, target: { type: 'AverageValue', averageValue: 5 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '4Gi' } } },
      ],
    }).metrics;
    expect(metrics.map((m: any) => `${m.type} ${m.resource?.name ?? m.pods.metric.name}`)).toEqual([
      'Resource memory', 'Pods vllm:num_requests_waiting', 'Resource memory', 'Resource cpu',
    ]);
  });

  test('metrics alone replace the cpu default', () => {
    const metrics = hpa({ metrics: [{ type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '100' } } }] }).metrics;
    expect(metrics).toEqual([{ type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '100' } } }]);
  });

  test('every metric type is written in the autoscaling/v2 shape, quantities as strings', () => {
    const metrics = hpa({
      metrics: [
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '4Gi' } } },
        { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'model-server', target: { type: 'Utilization', averageUtilization: 60 } } },
        { type: 'Pods', pods: { metric: { name: 'vllm:num_requests_waiting', selector: { matchLabels: { model: 'llama' } } }, target: { type: 'AverageValue', averageValue: '500m' } } },
        { type: 'Object', object: { describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'llm' }, metric: { name: 'requests_per_second' }, target: { type: 'Value', value: '2k' } } },
        { type: 'External', external: { metric: { name: 'queue_messages_ready', selector: { matchLabels: { queue: 'jobs' } } }, target: { type: 'AverageValue', averageValue: 30 } } },
      ],
    }).metrics;
    expect(metrics).toEqual([
      { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '4Gi' } } },
      { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'model-server', target: { type: 'Utilization', averageUtilization: 60 } } },
      { type: 'Pods', pods: { metric: { name: 'vllm:num_requests_waiting', selector: { matchLabels: { model: 'llama' } } }, target: { type: 'AverageValue', averageValue: '500m' } } },
      { type: 'Object', object: { describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'llm' }, metric: { name: 'requests_per_second' }, target: { type: 'Value', value: '2k' } } },
      { type: 'External', external: { metric: { name: 'queue_messages_ready', selector: { matchLabels: { queue: 'jobs' } } }, target: { type: 'AverageValue', averageValue: '30' } } },
    ]);
  });

  test('behavior policies are written as given', () => {
    const behavior = hpa({ behavior: { scaleUp: { selectPolicy: 'Min', policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] } } }).behavior;
    expect(behavior.scaleUp).toEqual({ stabilizationWindowSeconds: 0, selectPolicy: 'Min', policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] });
  });

  test('fails when a Pods metric asks for a Utilization target', () => {
    expect(() => build({ metrics: [{ type: 'Pods', pods: { metric: { name: 'q' }, target: { type: 'Utilization', averageUtilization: 50 } } }] })).toThrow(
      'autoscaling.metrics[0].pods.target.type: this metric source takes a target type of AverageValue, not Utilization',
    );
  });

  test('fails when a target lacks the field its type needs', () => {
    expect(() => build({ metrics: [{ type: 'External', external: { metric: { name: 'q' }, target: { type: 'Value' } } }] })).toThrow(
      'autoscaling.metrics[0].external.target.value: is required with type Value',
    );
  });

  test('fails when a target has a field of another type', () => {
    expect(() => build({ metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50, averageValue: '1' } } }] })).toThrow(
      'autoscaling.metrics[0].resource.target.averageValue: goes with type AverageValue, not Utilization; remove it',
    );
  });

  test('fails on a quantity that is not one', () => {
    expect(() => build({ metrics: [{ type: 'Pods', pods: { metric: { name: 'q' }, target: { type: 'AverageValue', averageValue: 'five' } } }] })).toThrow(
      "autoscaling.metrics[0].pods.target.averageValue: 'five' is not a Kubernetes quantity; write e.g. 500m, 5, 4Gi",
    );
  });

  test('fails on a resource metric the metrics API does not serve', () => {
    expect(() => build({ metrics: [{ type: 'Resource', resource: { name: 'nvidia.com/gpu', target: { type: 'Utilization', averageUtilization: 50 } } }] })).toThrow(
      'autoscaling.metrics[0].resource.name: the metrics API serves cpu and memory only, got "nvidia.com/gpu"; scale on anything else with a Pods, Object or External metric',
    );
  });

  test('fails on an unknown metric type', () => {
    expect(() => build({ metrics: [{ type: 'Queue', queue: {} }] })).toThrow(
      'autoscaling.metrics[0].type: must be one of Resource, ContainerResource, Pods, Object, External, got "Queue"',
    );
  });

  test('fails when a ContainerResource metric names another container', () => {
    expect(() => build({ metrics: [{ type: 'ContainerResource', containerResource: { name: 'cpu', container: 'sidecar', target: { type: 'Utilization', averageUtilization: 50 } } }] })).toThrow(
      "autoscaling.metrics[0].containerResource.container: a ModelServing has no container 'sidecar'; its container is 'model-server'",
    );
  });

  test('fails when a scaling policy period is out of range', () => {
    expect(() => build({ behavior: { scaleDown: { policies: [{ type: 'Percent', value: 10, periodSeconds: 3600 }] } } })).toThrow(
      'autoscaling.behavior.scaleDown.policies[0].periodSeconds: must be <= 1800, got 3600',
    );
  });
});
