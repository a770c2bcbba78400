import { describeMetric } from '../autoscaling/horizontal-pod-autoscaler';
import { describeTriggers } from '../autoscaling/keda';
import type { BuiltWorkload } from './build-workloads';
import { compareStrings } from './render-manifests';

const SHORT_KINDS: Readonly<Record<string, string>> = { HorizontalPodAutoscaler: 'HPA' };

/** One row of the table synth prints. */
export interface WorkloadSummary {
  readonly workload: string;
  readonly kind: string;
  readonly namespace: string;
  readonly objects: string;
  readonly endpoint: string;
  readonly replicas: string;
}

/** What each workload became: its objects, in-cluster endpoint and replica range. */
export function summarize(built: readonly BuiltWorkload[]): WorkloadSummary[] {
  return built.map(({ workload }) => {
    const { config } = workload;
    const kinds = workload.objects.map((o) => SHORT_KINDS[o.kind] ?? o.kind);
    return {
      workload: config.name,
      kind: config.profile.kind,
      namespace: config.namespace ?? '-',
      objects: kinds.join(', '),
      endpoint: config.service ? `${config.name}.${config.namespace ?? '<namespace>'}.svc.cluster.local:${config.service.port}` : '-',
      replicas: config.autoscaling
        ? `${config.autoscaling.minReplicas}-${config.autoscaling.maxReplicas} (${config.autoscaling.engine === 'keda' ? describeTriggers(config.autoscaling) : config.autoscaling.metrics.map(describeMetric).join(', ')})`
        : `${config.replicas ?? 1} (fixed)`,
    };
  }).sort((a, b) => compareStrings(a.namespace, b.namespace) || compareStrings(a.workload, b.workload));
}

/** The summary as an aligned plain-text table. */
export function formatSummary(rows: readonly WorkloadSummary[]): string {
  const header: WorkloadSummary = { workload: 'WORKLOAD', kind: 'KIND', namespace: 'NAMESPACE', objects: 'OBJECTS', endpoint: 'ENDPOINT', replicas: 'REPLICAS' };
  const columns = Object.keys(header) as (keyof WorkloadSummary)[];
  const table = [header, ...rows];
  const widths = columns.map((c) => Math.max(...table.map((r) => r[c].length)));
  return table.map((r) => columns.map((c, i) => r[c].padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}
