import type { KedaTrigger, MetricPreset, MetricPresetName, MetricSpec } from '../core/workload-props';

/** Prometheus Operator's default Service, where KEDA presets send their queries. */
export const DEFAULT_PROMETHEUS_ADDRESS = 'http://prometheus-operated.monitoring.svc:9090';

interface PresetDefinition {
  /** The HPA metric (served by prometheus-adapter with the rule in the README). */
  readonly metric: (target: number) => MetricSpec;
  /** The KEDA prometheus query for the pods of `name` in `namespace`, and how its value compares. */
  readonly query: (pods: string) => { readonly query: string; readonly metricType: 'AverageValue' | 'Value' };
}

const podsMetric = (name: string, target: number): MetricSpec => ({
  type: 'Pods',
  pods: { metric: { name }, target: { type: 'AverageValue', averageValue: String(target) } },
});

// Each preset's exact metric, adapter rule and query are documented in the README ("Metric presets").
const PRESETS: Readonly<Record<MetricPresetName, PresetDefinition>> = {
  'vllm-queue-length': {
    metric: (target) => podsMetric('vllm:num_requests_waiting', target),
    query: (pods) => ({ query: `sum(vllm:num_requests_waiting{${pods}})`, metricType: 'AverageValue' }),
  },
  'triton-queue-time': {
    metric: (target) => podsMetric('triton_queue_time_us', target),
    query: (pods) => ({
      // `> 0` drops the series when no request succeeded, rather than dividing by a made-up 1.
      query: `sum(rate(nv_inference_queue_duration_us{${pods}}[1m])) / (sum(rate(nv_inference_request_success{${pods}}[1m])) > 0)`,
      metricType: 'Value',
    }),
  },
  'gpu-utilization': {
    metric: (target) => podsMetric('DCGM_FI_DEV_GPU_UTIL', target),
    // dcgm-exporter's series carry the GPU user's pod as exported_pod / exported_namespace.
    query: (pods) => ({ query: `avg(DCGM_FI_DEV_GPU_UTIL{${pods.replace('namespace=', 'exported_namespace=').replace('pod=~', 'exported_pod=~')}})`, metricType: 'Value' }),
  },
  'requests-per-second': {
    metric: (target) => podsMetric('http_requests_per_second', target),
    query: (pods) => ({ query: `sum(rate(http_requests_total{${pods}}[1m]))`, metricType: 'AverageValue' }),
  },
};

/** The HPA metric of a preset. */
export function presetMetric(preset: MetricPreset): MetricSpec {
  return PRESETS[preset.name].metric(preset.target);
}

/** The KEDA prometheus trigger of a preset, for the Deployment `name` in `namespace`. */
export function presetTrigger(preset: MetricPreset, name: string, namespace: string, serverAddress: string): KedaTrigger {
  // A Deployment's pods are named <name>-<replicaset hash>-<pod hash>.
  const pods = `namespace="${namespace}",pod=~"${name}-[a-z0-9]+-[a-z0-9]+"`;
  const { query, metricType } = PRESETS[preset.name].query(pods);
  return { type: 'prometheus', name: preset.name, metricType, metadata: { serverAddress, query, threshold: String(preset.target) } };
}
