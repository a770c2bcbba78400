import type { PodMonitorSpec } from '../../imports/podmonitor-monitoring.coreos.com';
import { PodMonitorSpecPodMetricsEndpointsScheme } from '../../imports/podmonitor-monitoring.coreos.com';
import type { ServiceMonitorSpec } from '../../imports/servicemonitor-monitoring.coreos.com';
import { ServiceMonitorSpecEndpointsScheme } from '../../imports/servicemonitor-monitoring.coreos.com';
import { NAME_LABEL } from '../pod/labels';
import type { ResolvedMetrics } from './resolve-monitoring';

/**
 * A Prometheus Operator ServiceMonitor: scrapes the metrics port of every
 * endpoint of the workload's Service. It selects the Service by
 * app.kubernetes.io/name only: Argo CD's label tracking (its default before
 * 3.0) rewrites app.kubernetes.io/instance on the Service, and a name is
 * unique in the namespace the monitor looks in.
 */
export function serviceMonitorSpec(workload: { readonly name: string }, metrics: ResolvedMetrics): ServiceMonitorSpec {
  return {
    selector: { matchLabels: { [NAME_LABEL]: workload.name } },
    endpoints: [{ port: metrics.portName, path: metrics.path, interval: metrics.interval, scheme: ServiceMonitorSpecEndpointsScheme.HTTP }],
  };
}

/** A Prometheus Operator PodMonitor, for workloads without a Service: scrapes the metrics port of each pod. */
export function podMonitorSpec(workload: { readonly selectorLabels: Readonly<Record<string, string>> }, metrics: ResolvedMetrics): PodMonitorSpec {
  return {
    selector: { matchLabels: { ...workload.selectorLabels } },
    podMetricsEndpoints: [{ port: metrics.portName, path: metrics.path, interval: metrics.interval, scheme: PodMonitorSpecPodMetricsEndpointsScheme.HTTP }],
  };
}
