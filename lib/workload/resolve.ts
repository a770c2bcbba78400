import { type PropIssue, WorkloadPropsError } from '../core/errors';
import { issueMessage, toPropIssues } from '../core/issues';
import type { WorkloadProfile } from '../core/profile';
import { workloadPropsSchema } from '../core/schema';
import type { EnvValue, PipelineMode, PortProtocol, WorkloadProps } from '../core/workload-props';
import { fixedReplicas, podCountRange, type ResolvedAutoscaling, resolveAutoscaling } from '../autoscaling/resolve-autoscaling';
import { resolveHardening, type ResolvedHardening } from '../hardening/resolve-hardening';
import { type ResolvedMetrics, resolveMetricsScraping } from '../monitoring/resolve-monitoring';
import { type ResolvedCron, resolveCron, type ResolvedJob, resolveJob, resolveMode } from '../pipeline/resolve-batch';
import { resolveGpu, type ResolvedGpu } from '../pod/gpu';
import { reservedLabelIssues, selectorLabels, workloadLabels } from '../pod/labels';
import { type ResolvedModel, resolveModel } from '../pod/model';
import { type ResolvedProbes, resolveProbes } from '../pod/probes';
import { resolvePodSecurity, resolveShutdown, resolveWritablePaths } from '../pod/resolve-pod';
import { resolveResources } from '../pod/resources';
import { IGNORE_ANNOTATION_PREFIX } from '../validation/rules/suppression';
import { progressDeadline, type ResolvedRollout, type ResolvedService, resolvePort, resolveRollout, resolveService } from './resolve-deployment';

// A workload's props checked and every default resolved by the folders that own them
// (lib/autoscaling, lib/hardening, lib/monitoring, lib/pipeline, lib/pod, and
// resolve-deployment.ts for the Deployment and Service that Workload renders itself);
// this file checks the shape, calls them in turn and puts the result together.

/** A workload's props with every default resolved once; what the objects are built from. */
export interface ResolvedWorkload extends ResolvedHardening {
  readonly profile: WorkloadProfile;
  readonly name: string;
  readonly namespace?: string;
  readonly image: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env: Readonly<Record<string, EnvValue>>;
  readonly port?: number;
  readonly protocol: PortProtocol;
  readonly service?: ResolvedService;
  /** Fixed replica count; undefined when autoscaled. */
  readonly replicas?: number;
  readonly autoscaling?: ResolvedAutoscaling;
  readonly requests: Readonly<Record<string, string>>;
  readonly limits: Readonly<Record<string, string>>;
  readonly probes?: ResolvedProbes;
  readonly preStopSleepSeconds?: number;
  readonly terminationGracePeriodSeconds: number;
  readonly progressDeadlineSeconds: number;
  readonly labels: Readonly<Record<string, string>>;
  /** Annotations of every object: the policy exceptions. */
  readonly annotations: Readonly<Record<string, string>>;
  readonly selectorLabels: Readonly<Record<string, string>>;
  readonly runAsUser: number;
  readonly runAsGroup: number;
  readonly fsGroup: number;
  /** GPUs, when the workload has any. */
  readonly gpu?: ResolvedGpu;
  /** Rolling update settings. */
  readonly rollout: ResolvedRollout;
  /** Model weights, when the workload has them. */
  readonly model?: ResolvedModel;
  /** Extra writable directories, each an emptyDir. */
  readonly writablePaths: readonly string[];
  /** How the workload runs. */
  readonly mode: PipelineMode;
  /** Job settings, for modes job, cronjob and queue-job. */
  readonly job?: ResolvedJob;
  /** Schedule, for mode cronjob. */
  readonly cron?: ResolvedCron;
  /** Metrics scraping, when the workload declares metrics. */
  readonly metrics?: ResolvedMetrics;
}

/**
 * Checks `props` (shape first, then the rules that relate fields) and resolves
 * every default. Throws a WorkloadPropsError listing every problem.
 */
export function resolveWorkload(props: WorkloadProps, profile: WorkloadProfile): ResolvedWorkload {
  const parsed = workloadPropsSchema.safeParse(props, { reportInput: true, error: issueMessage });
  if (!parsed.success) {
    const shapeIssues = toPropIssues(parsed.error.issues, workloadPropsSchema);
    throw new WorkloadPropsError(String(props?.name), [...shapeIssues, ...crossFieldIssues(props, profile, shapeIssues)]);
  }
  const issues: PropIssue[] = [];
  const resolved = resolveChecked(props, profile, issues);
  if (issues.length > 0) throw new WorkloadPropsError(props.name, issues);
  return resolved;
}

// The keys each cross-field rule reads besides the one it reports on: a rule
// is skipped when one of them failed the shape check, since its default
// would stand in for what the author wrote.
const RULE_INPUTS: Readonly<Record<string, readonly string[]>> = {
  service: ['port'],
  probes: ['port', 'protocol'],
  preStopSleepSeconds: ['terminationGracePeriodSeconds', 'port', 'service'],
  terminationGracePeriodSeconds: ['preStopSleepSeconds', 'port', 'service'],
  replicas: ['autoscaling', 'mode'],
  autoscaling: ['replicas', 'mode'],
  mode: ['cron', 'job'],
  job: ['mode'],
  cron: ['mode'],
  rollout: ['mode', 'gpu'],
  port: ['mode'],
  serviceAccount: ['serviceAccountName'],
  disruptionBudget: ['mode', 'replicas', 'autoscaling'],
  topologySpread: ['mode'],
  metrics: ['port', 'protocol', 'service'],
};

// So that one run reports everything, the rules that relate fields also run
// when the shape is wrong, on the top-level keys that passed it.
function crossFieldIssues(props: WorkloadProps, profile: WorkloadProfile, shapeIssues: readonly PropIssue[]): PropIssue[] {
  const failed = new Set(shapeIssues.map((i) => String(i.path[0])));
  const known = workloadPropsSchema.shape;
  const valid = Object.fromEntries(Object.entries(props ?? {}).filter(([key]) => key in known && !failed.has(key)));
  const issues: PropIssue[] = [];
  // Name and image only feed labels here; stand-ins keep a missing or bad one from hiding the rest.
  resolveChecked({ name: 'x', image: 'x:0', ...valid }, profile, issues);
  return issues.filter((i) => !(RULE_INPUTS[String(i.path[0])] ?? []).some((key) => failed.has(key)));
}

function resolveChecked(props: WorkloadProps, profile: WorkloadProfile, issues: PropIssue[]): ResolvedWorkload {
  // Called in the order the problems are reported.
  const mode = resolveMode(props, profile, issues);
  const { port, protocol } = resolvePort(props, profile, mode, issues);
  const probes = port === undefined ? undefined : resolveProbes(props, protocol, issues);
  const service = port === undefined ? undefined : resolveService(props, port, issues);
  const { preStopSleepSeconds, terminationGracePeriodSeconds } = resolveShutdown(props, service !== undefined, issues);
  issues.push(...reservedLabelIssues(props));
  const gpu = resolveGpu(props, issues);
  const { requests, limits } = resolveResources(props, profile, gpu, issues);
  const rollout = resolveRollout(props, profile, mode, gpu, issues);
  const model = resolveModel(props, issues);
  const writablePaths = resolveWritablePaths(props, model, gpu, issues);
  const autoscaling = resolveAutoscaling(props, profile, mode, issues);
  const hardening = resolveHardening(props, { mode, service, ...podCountRange(props, autoscaling) }, issues);
  const metrics = resolveMetricsScraping(props, { port, protocol, service }, issues);
  const { runAsUser, runAsGroup, fsGroup } = resolvePodSecurity(props);
  // Every field written out (no spread of `hardening`): V8 then builds the object from one fixed shape.
  // `satisfies` below makes leaving out a field, optional ones included, a compile error.
  return {
    serviceAccount: hardening.serviceAccount,
    disruptionBudget: hardening.disruptionBudget,
    topologySpread: hardening.topologySpread,
    networkPolicy: hardening.networkPolicy,
    metrics,
    profile,
    name: props.name,
    namespace: props.namespace,
    image: props.image,
    command: props.command,
    args: props.args,
    env: props.env ?? {},
    port,
    protocol,
    service,
    replicas: fixedReplicas(props),
    autoscaling,
    requests,
    limits,
    probes,
    preStopSleepSeconds,
    terminationGracePeriodSeconds,
    progressDeadlineSeconds: progressDeadline(probes, model),
    labels: workloadLabels(props.name, profile.component, props.image, props.labels),
    annotations: Object.fromEntries((props.policy?.ignore ?? []).map((e) => [`${IGNORE_ANNOTATION_PREFIX}${e.rule}`, e.reason.trim()])),
    selectorLabels: selectorLabels(props.name),
    runAsUser,
    runAsGroup,
    fsGroup,
    gpu,
    rollout,
    model,
    writablePaths,
    mode,
    job: resolveJob(props, mode),
    cron: resolveCron(props, mode),
  } satisfies { readonly [K in keyof ResolvedWorkload]-?: unknown };
}
