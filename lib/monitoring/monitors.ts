import type { IPodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { NAME_LABEL } from '../pod/labels';
import type { ResolvedMetrics } from './resolve-monitoring';

/**
 * A Prometheus Operator ServiceMonitor: scrapes the metrics port of every
 * endpoint of the workload's Service. It selects the Service by
 * app.kubernetes.io/name only: Argo CD's label tracking (its default before
 * 3.0) rewrites app.kubernetes.io/instance on the Service, and a name is
 * unique in the namespace the monitor looks in.
 */
export function serviceMonitorSpec(workload: { readonly name: string }, metrics: ResolvedMetrics): NonNullable<IServiceMonitor['spec']> {
  return {
    selector: { matchLabels: { [NAME_LABEL]: workload.name } },
    endpoints: [{ port: metrics.portName, path: metrics.path, interval: metrics.interval, scheme: 'http' }],
  };
}

/** A Prometheus Operator PodMonitor, for workloads without a Service: scrapes the metrics port of each pod. */
export function podMonitorSpec(workload: { readonly selectorLabels: Readonly<Record<string, string>> }, metrics: ResolvedMetrics): NonNullable<IPodMonitor['spec']> {
  return {
    selector: { matchLabels: { ...workload.selectorLabels } },
    podMetricsEndpoints: [{ port: metrics.portName, path: metrics.path, interval: metrics.interval, scheme: 'http' }],
  };
}
