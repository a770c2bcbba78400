import * as fs from 'node:fs';
import * as path from 'node:path';
import { type AutoscalingOptions, METRIC_PRESET_NAMES, ModelServing, type ModelServingProps } from '../../lib';
import { presetMetric } from '../../lib/autoscaling/presets';
import { only, synthConstruct, testChart } from '../helpers';

const requiredProps: ModelServingProps = { name: 'llm', namespace: 'ml-serving', image: 'registry.example.com/ml/vllm:0.6.3' };

function synth(autoscaling: AutoscalingOptions, props: Partial<ModelServingProps> = {}) {
  return synthConstruct((s, id, p: ModelServingProps) => new ModelServing(s, id, p), { ...requiredProps, ...props, autoscaling });
}

const POD_SELECTOR = 'namespace="ml-serving",pod=~"llm-[a-z0-9]+-[a-z0-9]+"';

describe('metric presets', () => {
  test.each([
    ['vllm-queue-length', 'vllm:num_requests_waiting'],
    ['triton-queue-time', 'triton_queue_time_us'],
    ['gpu-utilization', 'DCGM_FI_DEV_GPU_UTIL'],
    ['requests-per-second', 'http_requests_per_second'],
  ] as const)('%s is an HPA Pods metric on %s', (name, metric) => {
    const spec = only(synth({ presets: [{ name, target: 5 }] }), 'HorizontalPodAutoscaler').spec;
    expect(spec.metrics).toEqual([{ type: 'Pods', pods: { metric: { name: metric }, target: { type: 'AverageValue', averageValue: '5' } } }]);
  });

  test.each([
    ['vllm-queue-length', `sum(vllm:num_requests_waiting{${POD_SELECTOR}})`, 'AverageValue'],
    ['triton-queue-time', `sum(rate(nv_inference_queue_duration_us{${POD_SELECTOR}}[1m])) / (sum(rate(nv_inference_request_success{${POD_SELECTOR}}[1m])) > 0)`, 'Value'],
    ['gpu-utilization', 'avg(DCGM_FI_DEV_GPU_UTIL{exported_namespace="ml-serving",exported_pod=~"llm-[a-z0-9]+-[a-z0-9]+"})', 'Value'],
    ['requests-per-second', `sum(rate(http_requests_total{${POD_SELECTOR}}[1m]))`, 'AverageValue'],
  ] as const)('with KEDA, %s is a prometheus query of the workload\'s pods', (name, query, metricType) => {
    const trigger = only(synth({ engine: 'keda', presets: [{ name, target: 5 }] }), 'ScaledObject').spec.triggers[0];
    expect(trigger).toEqual({ type: 'prometheus', name, metricType, metadata: { serverAddress: 'http://prometheus-operated.monitoring.svc:9090', query, threshold: '5' } });
  });

  test('the README gives a prometheus-adapter rule for each preset metric', () => {
    const readme = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
    for (const name of METRIC_PRESET_NAMES) {
      const metric = (presetMetric({ name, target: 1 }) as { pods: { metric: { name: string } } }).pods.metric.name;
      expect(readme).toContain(`as: "${metric}" }`);
    }
  });

  test('prometheusAddress sets the server KEDA presets query', () => {
    const trigger = only(synth({ engine: 'keda', presets: [{ name: 'vllm-queue-length', target: 5 }], prometheusAddress: 'http://prometheus.obs:9090' }), 'ScaledObject').spec.triggers[0];
    expect(trigger.metadata.serverAddress).toBe('http://prometheus.obs:9090');
  });

  test('a preset replaces the cpu default', () => {
    expect(only(synth({ presets: [{ name: 'gpu-utilization', target: 80 }] }), 'HorizontalPodAutoscaler').spec.metrics).toHaveLength(1);
  });

  test('fails when presets are to wake a workload from zero: they read its own pods', () => {
    expect(() => new ModelServing(testChart(), 'W', { ...requiredProps, autoscaling: { minReplicas: 0, presets: [{ name: 'vllm-queue-length', target: 5 }] } })).toThrow(
      "autoscaling.minReplicas: presets read the workload's own pods, so at zero replicas they see nothing and never wake it",
    );
  });

  test('fails when a KEDA preset has no namespace to query', () => {
    expect(() => new ModelServing(testChart(), 'W', { name: 'llm', image: requiredProps.image, autoscaling: { engine: 'keda', presets: [{ name: 'vllm-queue-length', target: 5 }] } })).toThrow(
      "autoscaling.presets: KEDA presets query Prometheus for this workload's pods by namespace; set 'namespace'",
    );
  });

  test('fails on an unknown preset', () => {
    expect(() => new ModelServing(testChart(), 'W', { ...requiredProps, autoscaling: { presets: [{ name: 'vllm-queue' as never, target: 5 }] } })).toThrow(
      "autoscaling.presets[0].name: must be one of vllm-queue-length, triton-queue-time, gpu-utilization, requests-per-second, got 'vllm-queue'",
    );
  });
});
