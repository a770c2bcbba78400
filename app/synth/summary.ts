import { describeMetric } from '../../lib/autoscaling/horizontal-pod-autoscaler';
import { describeTriggers } from '../../lib/autoscaling/keda';
import type { ResolvedWorkload } from '../../lib/workload/resolve';
import type { BuiltWorkload } from './build-workloads';
import { compareStrings } from './render-manifests';

const SHORT_KINDS: Readonly<Record<string, string>> = { HorizontalPodAutoscaler: 'HPA', PodDisruptionBudget: 'PDB' };

/** One row of the table synth prints. */
export interface WorkloadSummary {
  /** The environment, or '' without environments. */
  readonly environment: string;
  readonly workload: string;
  readonly kind: string;
  readonly namespace: string;
  readonly objects: string;
  readonly endpoint: string;
  readonly replicas: string;
}

/** What each workload became: its objects, in-cluster endpoint and replica range. */
export function summarize(built: readonly BuiltWorkload[]): WorkloadSummary[] {
  return built.map(({ config, kinds: fullKinds, environment }) => {
    const kinds = fullKinds.map((kind) => SHORT_KINDS[kind] ?? kind);
    return {
      environment: environment ?? '',
      workload: config.name,
      kind: config.profile.kind,
      namespace: config.namespace ?? '-',
      objects: kinds.join(', '),
      endpoint: config.service ? `${config.name}.${config.namespace ?? '<namespace>'}.svc.cluster.local:${config.service.port}` : '-',
      replicas: describeReplicas(config),
    };
  }).sort((a, b) => compareStrings(a.environment, b.environment) || compareStrings(a.namespace, b.namespace) || compareStrings(a.workload, b.workload));
}

function describeReplicas(config: ResolvedWorkload): string {
  const { autoscaling, job, cron } = config;
  if (cron) return `cron '${cron.schedule}'${cron.timeZone ? ` ${cron.timeZone}` : ''}`;
  if (config.mode === 'job' && job) return `job: ${job.completions} completion(s), ${job.parallelism} at a time`;
  if (!autoscaling) return `${config.replicas ?? 1} (fixed)`;
  const range = `${autoscaling.minReplicas}-${autoscaling.maxReplicas}${config.mode === 'queue-job' ? ' jobs' : ''}`;
  return `${range} (${autoscaling.engine === 'keda' ? describeTriggers(autoscaling) : autoscaling.metrics.map(describeMetric).join(', ')})`;
}

/** The summary as an aligned plain-text table. */
export function formatSummary(rows: readonly WorkloadSummary[]): string {
  const header: WorkloadSummary = { environment: 'ENVIRONMENT', workload: 'WORKLOAD', kind: 'KIND', namespace: 'NAMESPACE', objects: 'OBJECTS', endpoint: 'ENDPOINT', replicas: 'REPLICAS' };
  const columns = (Object.keys(header) as (keyof WorkloadSummary)[]).filter((c) => c !== 'environment' || rows.some((r) => r.environment !== ''));
  const table = [header, ...rows];
  const widths = columns.map((c) => Math.max(...table.map((r) => r[c].length)));
  return table.map((r) => columns.map((c, i) => r[c].padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}
