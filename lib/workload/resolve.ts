import { resolveBehavior, type ResolvedBehavior } from '../autoscaling/behavior';
import { workloadLabels, RESERVED_LABELS, selectorLabels } from '../pod/labels';
import { type PropIssue, WorkloadPropsError } from './errors';
import { issueMessage, toPropIssues } from './issues';
import { quantityString, quantityValue } from './quantity';
import { workloadPropsSchema } from './schema';
import type { EnvValue, PortProtocol, Quantity, ServiceType, WorkloadProps } from './workload-props';

/** What distinguishes one workload kind from another: its defaults. */
export interface WorkloadProfile {
  /** The `kind` of a workload file. */
  readonly kind: string;
  /** `app.kubernetes.io/component` of its objects. */
  readonly component: string;
  /** Name of the main container. */
  readonly containerName: string;
  /** Container port when the props give none. */
  readonly defaultPort?: number;
  /** cpu and memory requests when the props give none. */
  readonly defaultRequests: { readonly cpu: string; readonly memory: string };
  /** Rolling update `maxUnavailable`; 0 keeps full serving capacity during a slow rollout. */
  readonly maxUnavailable: string | number;
}

/** Autoscaling with every default filled in. */
export interface ResolvedAutoscaling {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly targetCPUUtilizationPercentage: number;
  readonly behavior: ResolvedBehavior;
}

/** Probes with every default filled in. */
export interface ResolvedProbes {
  /** HTTP path of the readiness and startup probes, or undefined for TCP. */
  readonly readinessPath?: string;
  /** HTTP path of the liveness probe, or undefined for TCP. */
  readonly livenessPath?: string;
  readonly startupTimeoutSeconds: number;
}

/** A workload's props with every default resolved once; what the objects are built from. */
export interface ResolvedWorkload {
  readonly profile: WorkloadProfile;
  readonly name: string;
  readonly namespace?: string;
  readonly image: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env: Readonly<Record<string, EnvValue>>;
  readonly port?: number;
  readonly protocol: PortProtocol;
  readonly service?: { readonly port: number; readonly type: ServiceType };
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
  readonly selectorLabels: Readonly<Record<string, string>>;
  readonly runAsUser: number;
  readonly runAsGroup: number;
  readonly fsGroup: number;
}

export const DEFAULT_MIN_REPLICAS = 1;
export const DEFAULT_MAX_REPLICAS = 3;
export const DEFAULT_TARGET_CPU_UTILIZATION = 80;
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
    throw new WorkloadPropsError(String(props?.name), toPropIssues(parsed.error.issues, workloadPropsSchema));
  }
  const issues: PropIssue[] = [];
  const resolved = resolveChecked(props, profile, issues);
  if (issues.length > 0) throw new WorkloadPropsError(props.name, issues);
  return resolved;
}

function resolveChecked(props: WorkloadProps, profile: WorkloadProfile, issues: PropIssue[]): ResolvedWorkload {
  const port = props.port ?? profile.defaultPort;
  const protocol = props.protocol ?? 'http';
  if (port === undefined) {
    for (const key of ['service', 'probes'] as const) {
      if (props[key] !== undefined) issues.push({ path: [key], message: `'${key}' needs a container port; set 'port' or remove '${key}'` });
    }
  }
  const probes = port === undefined ? undefined : resolveProbes(props, protocol, issues);
  const service = port === undefined ? undefined : { port: props.service?.port ?? port, type: props.service?.type ?? 'ClusterIP' };
  const preStopSleepSeconds = props.preStopSleepSeconds ?? (service ? DEFAULT_PRESTOP_SLEEP_SECONDS : undefined);
  const terminationGracePeriodSeconds = props.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_SECONDS;
  if (preStopSleepSeconds !== undefined && preStopSleepSeconds >= terminationGracePeriodSeconds) {
    issues.push({
      path: ['preStopSleepSeconds'],
      message: `'preStopSleepSeconds' (${preStopSleepSeconds}) must be less than 'terminationGracePeriodSeconds' (${terminationGracePeriodSeconds}), or the server is killed before it can shut down; lower it or raise terminationGracePeriodSeconds`,
    });
  }
  for (const key of Object.keys(props.labels ?? {})) {
    if (RESERVED_LABELS.includes(key)) {
      issues.push({ path: ['labels', key], message: `'${key}' is set by cdk8s-ml from the workload (it selects the pods); remove it from 'labels'` });
    }
  }
  const { requests, limits } = resolveResources(props, profile, issues);
  const selector = selectorLabels(props.name);
  return {
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
    autoscaling: resolveAutoscaling(props, issues),
    requests,
    limits,
    probes,
    preStopSleepSeconds,
    terminationGracePeriodSeconds,
    progressDeadlineSeconds: Math.max(PROGRESS_DEADLINE_FLOOR_SECONDS, (probes?.startupTimeoutSeconds ?? 0) + IMAGE_PULL_ALLOWANCE_SECONDS),
    labels: workloadLabels(props.name, profile.component, props.image, props.labels),
    selectorLabels: selector,
    runAsUser: props.securityContext?.runAsUser ?? DEFAULT_NONROOT_ID,
    runAsGroup: props.securityContext?.runAsGroup ?? DEFAULT_NONROOT_ID,
    fsGroup: props.securityContext?.fsGroup ?? DEFAULT_NONROOT_ID,
  };
}

function resolveAutoscaling(props: WorkloadProps, issues: PropIssue[]): ResolvedAutoscaling | undefined {
  const autoscaling = props.autoscaling;
  if (props.replicas !== undefined) {
    if (autoscaling !== undefined) {
      issues.push({
        path: ['replicas'],
        message: `'replicas' (${props.replicas}) cannot be set together with 'autoscaling': the HPA owns the replica count, and a committed spec.replicas makes the HPA and Argo CD fight over it; remove 'replicas' and set 'autoscaling.minReplicas' instead`,
      });
    }
    return undefined;
  }
  const minReplicas = autoscaling?.minReplicas ?? DEFAULT_MIN_REPLICAS;
  const maxReplicas = autoscaling?.maxReplicas ?? DEFAULT_MAX_REPLICAS;
  if (minReplicas === 0) {
    issues.push({
      path: ['autoscaling', 'minReplicas'],
      message: "'minReplicas' is 0, but a HorizontalPodAutoscaler cannot scale to zero (that needs the alpha HPAScaleToZero feature gate); set minReplicas to 1 or more",
    });
  } else if (minReplicas > maxReplicas) {
    const maxGiven = autoscaling?.maxReplicas !== undefined;
    issues.push({
      path: ['autoscaling', maxGiven ? 'maxReplicas' : 'minReplicas'],
      message: `'maxReplicas' (${maxReplicas}${maxGiven ? '' : ', the default'}) must be >= 'minReplicas' (${minReplicas}); raise maxReplicas or lower minReplicas`,
    });
  }
  return {
    minReplicas,
    maxReplicas,
    targetCPUUtilizationPercentage: autoscaling?.targetCPUUtilizationPercentage ?? DEFAULT_TARGET_CPU_UTILIZATION,
    behavior: resolveBehavior(autoscaling?.behavior),
  };
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

// Requests default from the kind, or from a limit the way Kubernetes does;
// a memory limit defaults to the request so a pod is never OOM-killed for
// using what it asked for. Extended resources (GPUs) cannot be overcommitted,
// so their request always equals their limit.
function resolveResources(props: WorkloadProps, profile: WorkloadProfile, issues: PropIssue[]) {
  const givenRequests = props.resources?.requests ?? {};
  const givenLimits = props.resources?.limits ?? {};
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  const defaults: Record<string, string> = profile.defaultRequests;
  const names = [...new Set(['cpu', 'memory', ...Object.keys(givenRequests), ...Object.keys(givenLimits)])];
  for (const name of names) {
    const request: Quantity | undefined = givenRequests[name] ?? givenLimits[name] ?? defaults[name];
    const limit: Quantity | undefined = givenLimits[name] ?? (name === 'memory' || name.includes('/') ? request : undefined);
    if (request !== undefined) requests[name] = quantityString(request);
    if (limit !== undefined) limits[name] = quantityString(limit);
    if (request === undefined || limit === undefined) continue;
    if (name.includes('/') && quantityValue(request) !== quantityValue(limit)) {
      issues.push({
        path: ['resources', 'requests', name],
        message: `'${name}' is an extended resource, whose request must equal its limit (request ${request}, limit ${limit}); set it only in 'resources.limits'`,
      });
    } else if (quantityValue(request) > quantityValue(limit)) {
      issues.push({
        path: ['resources', name in givenRequests ? 'requests' : 'limits', name],
        message: `${name} request (${request}) is above its limit (${limit}); Kubernetes rejects such a pod: lower 'resources.requests.${name}' or raise 'resources.limits.${name}'`,
      });
    }
  }
  return { requests, limits };
}

