import { type ResolvedAutoscaling, resolveAutoscaling } from '../autoscaling/resolve-autoscaling';
import { resolveGpu, type ResolvedGpu } from '../pod/gpu';
import { resolveResources } from '../pod/resources';
import { DEFAULT_DOWNLOADER_IMAGES, type ModelSource, parseModelUri } from '../pod/model';
import { IGNORE_ANNOTATION_PREFIX } from '../validation/rules/suppression';
import { workloadLabels, RESERVED_LABELS, selectorLabels } from '../pod/labels';
import { type PropIssue, WorkloadPropsError } from './errors';
import { resolveHardening, type ResolvedHardening } from './hardening';
import { issueMessage, toPropIssues } from './issues';
import { compareQuantities, quantityString } from './quantity';
import type { WorkloadProfile } from './profile';
import { workloadPropsSchema } from './schema';
import type { CronOptions, EnvValue, JobOptions, PipelineMode, PodFailurePolicyRule, PortProtocol, ServiceType, WorkloadProps } from './workload-props';


/** Probes with every default filled in. */
export interface ResolvedProbes {
  /** HTTP path of the readiness and startup probes, or undefined for TCP. */
  readonly readinessPath?: string;
  /** HTTP path of the liveness probe, or undefined for TCP. */
  readonly livenessPath?: string;
  readonly startupTimeoutSeconds: number;
}

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
  readonly service?: { readonly port: number; readonly type: ServiceType; readonly nodePort?: number };
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
  readonly rollout: { readonly maxSurge: number | string; readonly maxUnavailable: number | string };
  /** Model weights, when the workload has them. */
  readonly model?: ResolvedModel;
  /** Extra writable directories, each an emptyDir. */
  readonly writablePaths: readonly string[];
  /** How the workload runs. */
  readonly mode: PipelineMode;
  /** Job settings, for modes job, cronjob and queue-job. */
  readonly job?: ResolvedJob;
  /** Schedule, for mode cronjob. */
  readonly cron?: Required<Pick<CronOptions, 'schedule' | 'concurrencyPolicy' | 'successfulJobsHistoryLimit' | 'failedJobsHistoryLimit'>> & CronOptions;
}

/** Job settings with Kubernetes' defaults written out. */
export interface ResolvedJob extends JobOptions {
  readonly parallelism: number;
  readonly completions: number;
  readonly completionMode: 'NonIndexed' | 'Indexed';
  readonly backoffLimit: number;
  readonly podFailurePolicy: { readonly rules: readonly PodFailurePolicyRule[] };
}

/** Model settings with defaults resolved. */
export interface ResolvedModel {
  readonly source: ModelSource;
  readonly mountPath: string;
  readonly credentialsSecret?: string;
  /** The downloader's image; undefined for a PersistentVolumeClaim, which is mounted. */
  readonly downloaderImage?: string;
  readonly sizeLimit?: string;
  readonly downloadTimeoutSeconds: number;
}

const DEFAULT_MODEL_PATH = '/models';
const DEFAULT_DOWNLOAD_TIMEOUT_SECONDS = 1800;

/** Finished Jobs a CronJob or ScaledJob keeps: Kubernetes' CronJob defaults. */
export const JOB_HISTORY = { successful: 3, failed: 1 } as const;

/** Modes that run to completion instead of serving. */
const BATCH_MODES: readonly PipelineMode[] = ['job', 'cronjob', 'queue-job'];
// An evicted or preempted pod (spot nodes, node drains) is not the job's fault: do not count it.
const DEFAULT_POD_FAILURE_POLICY: ResolvedJob['podFailurePolicy'] = { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] };




export const DEFAULT_STARTUP_TIMEOUT_SECONDS = 600;
export const DEFAULT_PRESTOP_SLEEP_SECONDS = 10;
export const DEFAULT_TERMINATION_GRACE_SECONDS = 60;
export const DEFAULT_NONROOT_ID = 65532;
/** Kubernetes' own progress deadline; a rollout also gets the startup budget on top of image pulls. */
const PROGRESS_DEADLINE_FLOOR_SECONDS = 600;
const IMAGE_PULL_ALLOWANCE_SECONDS = 300;

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
  const mode = resolveMode(props, profile, issues);
  const port = props.port ?? profile.defaultPort;
  const protocol = props.protocol ?? 'http';
  if (port === undefined && !BATCH_MODES.includes(mode)) issues.push(...portlessIssues(props));
  const probes = port === undefined ? undefined : resolveProbes(props, protocol, issues);
  const service = port === undefined ? undefined : resolveService(props, port, issues);
  const preStopSleepSeconds = props.preStopSleepSeconds ?? (service ? DEFAULT_PRESTOP_SLEEP_SECONDS : undefined);
  const terminationGracePeriodSeconds = props.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_SECONDS;
  issues.push(...shutdownIssues(props, preStopSleepSeconds, terminationGracePeriodSeconds), ...labelIssues(props));
  const gpu = resolveGpu(props, issues);
  const { requests, limits } = resolveResources(props, profile, gpu, issues);
  if (gpu?.shmSize && limits.memory && compareQuantities(gpu.shmSize, limits.memory) >= 0) issues.push(shmIssue(gpu.shmSize, limits.memory));
  const rollout = resolveRollout(props, profile, gpu, BATCH_MODES.includes(mode) ? [] : issues);
  const model = props.model && resolveModel(props, issues);
  const writablePaths = resolveWritablePaths(props, model, gpu, issues);
  const autoscaling = mode === 'job' || mode === 'cronjob' ? undefined : resolveAutoscaling(props, profile, mode, issues);
  const selector = selectorLabels(props.name);
  const fewestPods = autoscaling?.minReplicas ?? props.replicas ?? 1;
  const hardening = resolveHardening(props, { mode, port, protocol, service, fewestPods, mostPods: autoscaling?.maxReplicas ?? fewestPods }, issues);
  // Every field written out (no spread of `hardening`): V8 then builds the object from one fixed shape.
  // `satisfies` below makes leaving out a field, optional ones included, a compile error.
  return {
    serviceAccount: hardening.serviceAccount,
    disruptionBudget: hardening.disruptionBudget,
    topologySpread: hardening.topologySpread,
    networkPolicy: hardening.networkPolicy,
    metrics: hardening.metrics,
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
    replicas: props.autoscaling === undefined ? props.replicas : undefined,
    autoscaling,
    requests,
    limits,
    probes,
    preStopSleepSeconds,
    terminationGracePeriodSeconds,
    progressDeadlineSeconds: progressDeadline(probes, model),
    labels: workloadLabels(props.name, profile.component, props.image, props.labels),
    annotations: Object.fromEntries((props.policy?.ignore ?? []).map((e) => [`${IGNORE_ANNOTATION_PREFIX}${e.rule}`, e.reason.trim()])),
    selectorLabels: selector,
    runAsUser: props.securityContext?.runAsUser ?? DEFAULT_NONROOT_ID,
    runAsGroup: props.securityContext?.runAsGroup ?? DEFAULT_NONROOT_ID,
    fsGroup: props.securityContext?.fsGroup ?? DEFAULT_NONROOT_ID,
    gpu,
    rollout,
    model,
    writablePaths,
    mode,
    job: BATCH_MODES.includes(mode) ? resolveJob(props.job ?? {}) : undefined,
    cron: mode === 'cronjob' && props.cron ? resolveCron(props.cron) : undefined,
  } satisfies { readonly [K in keyof ResolvedWorkload]-?: unknown };
}

function portlessIssues(props: WorkloadProps): PropIssue[] {
  return (['service', 'probes'] as const).filter((key) => props[key] !== undefined)
    .map((key) => ({ path: [key], message: `'${key}' needs a container port; set 'port' or remove '${key}'` }));
}

function shutdownIssues(props: WorkloadProps, preStopSleepSeconds: number | undefined, terminationGracePeriodSeconds: number): PropIssue[] {
  if (preStopSleepSeconds === undefined || preStopSleepSeconds < terminationGracePeriodSeconds) return [];
  const given = (key: keyof WorkloadProps, value: number) => `'${key}' (${value}${props[key] === undefined ? ', the default' : ''})`;
  return [{
    path: [props.preStopSleepSeconds === undefined ? 'terminationGracePeriodSeconds' : 'preStopSleepSeconds'],
    message: `${given('preStopSleepSeconds', preStopSleepSeconds)} must be less than ${given('terminationGracePeriodSeconds', terminationGracePeriodSeconds)}, or the server is killed before it can shut down; lower preStopSleepSeconds or raise terminationGracePeriodSeconds`,
  }];
}

function labelIssues(props: WorkloadProps): PropIssue[] {
  return Object.keys(props.labels ?? {}).filter((key) => RESERVED_LABELS.includes(key))
    .map((key) => ({ path: ['labels', key], message: `'${key}' is set by cdk8s-ml from the workload (it selects the pods); remove it from 'labels'` }));
}

function shmIssue(shmSize: string, memoryLimit: string): PropIssue {
  return { path: ['gpu', 'shmSize'], message: `/dev/shm (${shmSize}) counts against the memory limit (${memoryLimit}) and would leave the server nothing; raise 'resources.limits.memory' above it` };
}

/** The rollout's progress deadline: the startup budget, image pulls and the model download, never below Kubernetes' own. */
function progressDeadline(probes: ResolvedProbes | undefined, model: ResolvedModel | undefined): number {
  return Math.max(
    PROGRESS_DEADLINE_FLOOR_SECONDS,
    (probes?.startupTimeoutSeconds ?? 0) + IMAGE_PULL_ALLOWANCE_SECONDS + (model?.downloaderImage ? model.downloadTimeoutSeconds : 0),
  );
}

function resolveCron(cron: CronOptions): ResolvedWorkload['cron'] {
  return {
    ...cron,
    concurrencyPolicy: cron.concurrencyPolicy ?? 'Forbid',
    successfulJobsHistoryLimit: cron.successfulJobsHistoryLimit ?? JOB_HISTORY.successful,
    failedJobsHistoryLimit: cron.failedJobsHistoryLimit ?? JOB_HISTORY.failed,
  };
}

function resolveModel(props: WorkloadProps, issues: PropIssue[]): ResolvedModel {
  const model = props.model!;
  const source = parseModelUri(model.uri);
  if (source.scheme === 'pvc') {
    for (const key of ['credentialsSecret', 'downloaderImage', 'sizeLimit', 'downloadTimeoutSeconds'] as const) {
      if (model[key] !== undefined) issues.push({ path: ['model', key], message: `a pvc:// model is mounted, not downloaded, so '${key}' does not apply; remove it` });
    }
  }
  return {
    source,
    mountPath: model.mountPath ?? DEFAULT_MODEL_PATH,
    credentialsSecret: model.credentialsSecret,
    downloaderImage: source.scheme === 'pvc' ? undefined : model.downloaderImage ?? (source.scheme === 'hf' ? props.image : DEFAULT_DOWNLOADER_IMAGES[source.scheme]),
    sizeLimit: model.sizeLimit === undefined ? undefined : quantityString(model.sizeLimit),
    downloadTimeoutSeconds: model.downloadTimeoutSeconds ?? DEFAULT_DOWNLOAD_TIMEOUT_SECONDS,
  };
}

function resolveWritablePaths(props: WorkloadProps, model: ResolvedModel | undefined, gpu: ResolvedGpu | undefined, issues: PropIssue[]): string[] {
  const taken = ['/tmp', ...(model ? [model.mountPath] : []), ...(gpu ? ['/dev/shm'] : [])];
  const paths = props.writablePaths ?? [];
  paths.forEach((p, i) => {
    if (taken.includes(p) || paths.indexOf(p) < i) {
      issues.push({ path: ['writablePaths', i], message: `'${p}' is already a volume of the pod (/tmp, /dev/shm with GPUs, the model path, or listed twice); remove it` });
    }
  });
  if (model && (model.mountPath === '/tmp' || (gpu && model.mountPath === '/dev/shm'))) {
    issues.push({ path: ['model', 'mountPath'], message: `'${model.mountPath}' is already a volume of the pod; mount the model elsewhere, e.g. /models` });
  }
  return [...paths];
}

function resolveMode(props: WorkloadProps, profile: WorkloadProfile, issues: PropIssue[]): PipelineMode {
  const mode = props.mode ?? 'worker';
  if (mode !== 'worker' && !profile.batchModes) {
    issues.push({ path: ['mode'], message: `a ${profile.kind} runs as a Deployment; mode '${mode}' is for MlPipeline` });
    return 'worker';
  }
  const batch = BATCH_MODES.includes(mode);
  if (!batch && props.job) issues.push({ path: ['job'], message: `'job' settings need mode job, cronjob or queue-job (mode is ${mode})` });
  if (mode !== 'cronjob' && props.cron) issues.push({ path: ['cron'], message: `'cron' needs mode cronjob (mode is ${mode})` });
  if (mode === 'cronjob' && !props.cron) issues.push({ path: ['mode'], message: "mode cronjob needs 'cron: { schedule }', e.g. schedule: '0 2 * * *'" });
  if (mode === 'cronjob' && props.name.length > 52) {
    issues.push({ path: ['name'], message: `a CronJob name may have at most 52 characters (its Jobs add a suffix), got ${props.name.length}` });
  }
  if (batch) {
    for (const key of ['port', 'service', 'probes', 'rollout'] as const) {
      if (props[key] !== undefined) issues.push({ path: [key], message: `a ${mode} runs to completion and serves nothing; remove '${key}' or use mode worker` });
    }
  }
  if (mode === 'job' || mode === 'cronjob') {
    for (const key of ['replicas', 'autoscaling'] as const) {
      if (props[key] !== undefined) issues.push({ path: [key], message: `a ${mode} is not scaled; set 'job.parallelism' and 'job.completions', or use mode queue-job to start Jobs from a queue` });
    }
  }
  props.job?.podFailurePolicy?.rules.forEach((rule, i) => {
    const container = rule.onExitCodes?.containerName;
    if (container !== undefined && container !== profile.containerName && container !== 'model-download') {
      issues.push({ path: ['job', 'podFailurePolicy', 'rules', i, 'onExitCodes', 'containerName'], message: `the pod has no container '${container}'; its container is '${profile.containerName}'` });
    }
  });
  if (props.job?.completionMode === 'Indexed' && props.job.completions === undefined) {
    issues.push({ path: ['job', 'completions'], message: "an Indexed Job needs 'completions': the number of indexes" });
  }
  return mode;
}

function resolveJob(job: JobOptions): ResolvedJob {
  return {
    ...job,
    parallelism: job.parallelism ?? 1,
    completions: job.completions ?? 1,
    completionMode: job.completionMode ?? 'NonIndexed',
    backoffLimit: job.backoffLimit ?? 6,
    ttlSecondsAfterFinished: job.ttlSecondsAfterFinished,
    podFailurePolicy: job.podFailurePolicy ?? DEFAULT_POD_FAILURE_POLICY,
  };
}

// A GPU rollout cannot count on a spare GPU for a surge pod: replace one pod at a time instead.
function resolveRollout(props: WorkloadProps, profile: WorkloadProfile, gpu: ResolvedGpu | undefined, issues: PropIssue[]): ResolvedWorkload['rollout'] {
  const maxSurge = props.rollout?.maxSurge ?? (gpu ? 0 : '25%');
  const maxUnavailable = props.rollout?.maxUnavailable ?? (gpu ? 1 : profile.maxUnavailable);
  const isZero = (v: number | string) => v === 0 || v === '0%';
  if (isZero(maxSurge) && isZero(maxUnavailable)) {
    issues.push({
      path: ['rollout', props.rollout?.maxUnavailable === undefined ? 'maxSurge' : 'maxUnavailable'],
      message: `maxSurge (${maxSurge}) and maxUnavailable (${maxUnavailable}) are both 0, so a rollout could never replace a pod; let one of them be above 0`,
    });
  }
  return { maxSurge, maxUnavailable };
}

function resolveService(props: WorkloadProps, port: number, issues: PropIssue[]): ResolvedWorkload['service'] {
  const type = props.service?.type ?? 'ClusterIP';
  const nodePort = props.service?.nodePort;
  if (nodePort !== undefined && type === 'ClusterIP') {
    issues.push({ path: ['service', 'nodePort'], message: "'nodePort' needs 'service.type' NodePort or LoadBalancer; a ClusterIP Service has no node port" });
  }
  return { port: props.service?.port ?? port, type, nodePort };
}

function resolveProbes(props: WorkloadProps, protocol: PortProtocol, issues: PropIssue[]): ResolvedProbes {
  const probes = props.probes ?? {};
  if (protocol === 'grpc') {
    for (const key of ['path', 'readinessPath', 'livenessPath'] as const) {
      if (probes[key] !== undefined) {
        issues.push({ path: ['probes', key], message: `an HTTP probe cannot check a gRPC port; remove 'probes.${key}' (the port is checked over TCP) or set 'protocol: http'` });
      }
    }
  }
  return {
    readinessPath: probes.readinessPath ?? probes.path,
    livenessPath: probes.livenessPath ?? probes.path,
    startupTimeoutSeconds: probes.startupTimeoutSeconds ?? DEFAULT_STARTUP_TIMEOUT_SECONDS,
  };
}
