import type { KedaTrigger, MetricPreset, MetricPresetName, MetricSpec } from '../core/workload-props';

/** Prometheus Operator's default Service, where KEDA presets send their queries. */
export const DEFAULT_PROMETHEUS_ADDRESS = 'http://prometheus-operated.monitoring.svc:9090';

/**
 * What a preset measures, as `npm run simulate` models it: the work waiting (`queue`), the
 * time it waits in microseconds (`queue-time-us`), the GPUs' busy percent (`gpu-utilization`),
 * the requests served per second (`served`).
 */
export type PresetSignal = 'queue' | 'queue-time-us' | 'gpu-utilization' | 'served';

interface PresetDefinition {
  readonly signal: PresetSignal;
  /** The name of its HPA Pods metric, an AverageValue per pod (served by prometheus-adapter with the rule in the README). */
  readonly metricName: string;
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
    signal: 'queue',
    metricName: 'vllm:num_requests_waiting',
    query: (pods) => ({ query: `sum(vllm:num_requests_waiting{${pods}})`, metricType: 'AverageValue' }),
  },
  'triton-queue-time': {
    signal: 'queue-time-us',
    metricName: 'triton_queue_time_us',
    query: (pods) => ({
      // `> 0` drops the series when no request succeeded, rather than dividing by a made-up 1.
      query: `sum(rate(nv_inference_queue_duration_us{${pods}}[1m])) / (sum(rate(nv_inference_request_success{${pods}}[1m])) > 0)`,
      metricType: 'Value',
    }),
  },
  'gpu-utilization': {
    signal: 'gpu-utilization',
    metricName: 'DCGM_FI_DEV_GPU_UTIL',
    // dcgm-exporter's series carry the GPU user's pod as exported_pod / exported_namespace.
    query: (pods) => ({ query: `avg(DCGM_FI_DEV_GPU_UTIL{${pods.replace('namespace=', 'exported_namespace=').replace('pod=~', 'exported_pod=~')}})`, metricType: 'Value' }),
  },
  'requests-per-second': {
    signal: 'served',
    metricName: 'http_requests_per_second',
    query: (pods) => ({ query: `sum(rate(http_requests_total{${pods}}[1m]))`, metricType: 'AverageValue' }),
  },
};

/** What the preset whose HPA Pods metric is `metricName`, or whose KEDA trigger is named `triggerName`, measures; undefined for a metric of no preset. */
export function presetSignal(name: { readonly metricName?: string; readonly triggerName?: string }): PresetSignal | undefined {
  for (const [presetName, preset] of Object.entries(PRESETS)) {
    if (name.metricName === preset.metricName || name.triggerName === presetName) return preset.signal;
  }
  return undefined;
}

/** The HPA metric of a preset. */
export function presetMetric(preset: MetricPreset): MetricSpec {
  return podsMetric(PRESETS[preset.name].metricName, preset.target);
}

/** The KEDA prometheus trigger of a preset, for the Deployment `name` in `namespace`. */
export function presetTrigger(preset: MetricPreset, name: string, namespace: string, serverAddress: string): KedaTrigger {
  // A Deployment's pods are named <name>-<replicaset hash>-<pod hash>.
  const pods = `namespace="${namespace}",pod=~"${name}-[a-z0-9]+-[a-z0-9]+"`;
  const { query, metricType } = PRESETS[preset.name].query(pods);
  return { type: 'prometheus', name: preset.name, metricType, metadata: { serverAddress, query, threshold: String(preset.target) } };
}
