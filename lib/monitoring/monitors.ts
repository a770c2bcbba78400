import type { PodMonitorSpec } from '../../imports/podmonitor-monitoring.coreos.com';
import { PodMonitorSpecPodMetricsEndpointsScheme } from '../../imports/podmonitor-monitoring.coreos.com';
import type { ServiceMonitorSpec } from '../../imports/servicemonitor-monitoring.coreos.com';
import { ServiceMonitorSpecEndpointsScheme } from '../../imports/servicemonitor-monitoring.coreos.com';
import type { ResolvedMetrics } from '../workload/hardening';
import type { ResolvedWorkload } from '../workload/resolve';

/** A Prometheus Operator ServiceMonitor: scrapes the metrics port of every endpoint of the workload's Service. */
export function serviceMonitorSpec(workload: ResolvedWorkload, metrics: ResolvedMetrics): ServiceMonitorSpec {
  return {
    selector: { matchLabels: { ...workload.selectorLabels } },
    endpoints: [{ port: metrics.portName, path: metrics.path, interval: metrics.interval, scheme: ServiceMonitorSpecEndpointsScheme.HTTP }],
  };
}

/** A Prometheus Operator PodMonitor, for workloads without a Service: scrapes the metrics port of each pod. */
export function podMonitorSpec(workload: ResolvedWorkload, metrics: ResolvedMetrics): PodMonitorSpec {
  return {
    selector: { matchLabels: { ...workload.selectorLabels } },
    podMetricsEndpoints: [{ port: metrics.portName, path: metrics.path, interval: metrics.interval, scheme: PodMonitorSpecPodMetricsEndpointsScheme.HTTP }],
  };
}
