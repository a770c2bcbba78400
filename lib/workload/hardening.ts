import type { PropIssue } from './errors';
import type { DisruptionBudgetOptions, EgressPeer, NetworkPeer, PipelineMode, PortProtocol, WorkloadProps } from './workload-props';

/** The pod's ServiceAccount: the workload's own (created) or an existing one. */
export interface ResolvedServiceAccount {
  /** Name of the ServiceAccount the pods run as. */
  readonly name: string;
  /** True when cdk8s-ml writes it (named after the workload). */
  readonly create: boolean;
  readonly annotations: Readonly<Record<string, string>>;
  /** Whether the pods get an API token. */
  readonly automountToken: boolean;
}

/** Topology spread with every default filled in. */
export interface ResolvedTopologySpread {
  readonly whenUnsatisfiable: 'ScheduleAnyway' | 'DoNotSchedule';
  readonly maxSkew: number;
  readonly topologyKeys: readonly string[];
}

/** NetworkPolicy with every default filled in. */
export interface ResolvedNetworkPolicy {
  /** Who may reach the serving port: the given peers, the pods of the workload's own namespace, or any source. */
  readonly ingressFrom: readonly NetworkPeer[] | 'own-namespace' | 'anywhere';
  readonly monitoringNamespace: string;
  /** Where the pods may connect to besides DNS; undefined leaves egress open. */
  readonly egressTo?: readonly EgressPeer[];
}

/** Metrics scraping with every default filled in. */
export interface ResolvedMetrics {
  readonly port: number;
  /** The container (and Service) port name the monitor scrapes. */
  readonly portName: string;
  /** True when the metrics have a port of their own, next to the serving port. */
  readonly ownPort: boolean;
  /** `service`: a ServiceMonitor through the workload's Service; `pod`: a PodMonitor, without a Service or when the Service is exposed outside the cluster. */
  readonly scrape: 'service' | 'pod';
  readonly path: string;
  readonly interval: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** The hardening a workload gets: its ServiceAccount, disruption budget, spread, NetworkPolicy and metrics. */
export interface ResolvedHardening {
  readonly serviceAccount: ResolvedServiceAccount;
  readonly disruptionBudget?: DisruptionBudgetOptions;
  readonly topologySpread?: ResolvedTopologySpread;
  readonly networkPolicy?: ResolvedNetworkPolicy;
  readonly metrics?: ResolvedMetrics;
}

/** What the hardening rules read of the rest of the resolved workload. */
export interface HardeningContext {
  readonly mode: PipelineMode;
  readonly port?: number;
  readonly protocol: PortProtocol;
  readonly service?: { readonly port: number; readonly type: string };
  /** Fewest pods the workload runs: minReplicas, or the fixed count. */
  readonly fewestPods: number;
  /** Most pods the workload runs. */
  readonly mostPods: number;
}

export const DEFAULT_MONITORING_NAMESPACE = 'monitoring';
export const DEFAULT_METRICS_PATH = '/metrics';
export const DEFAULT_SCRAPE_INTERVAL = '30s';
/** Name of a metrics port of its own. */
export const METRICS_PORT_NAME = 'metrics';
export const DEFAULT_TOPOLOGY_KEYS: readonly string[] = ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'];

/** Resolves the hardening options of `props`; problems are appended to `issues`. */
export function resolveHardening(props: WorkloadProps, context: HardeningContext, issues: PropIssue[]): ResolvedHardening {
  const batch = context.mode !== 'worker';
  return {
    serviceAccount: resolveServiceAccount(props, issues),
    disruptionBudget: resolveDisruptionBudget(props, context, batch, issues),
    topologySpread: resolveTopologySpread(props, batch, issues),
    networkPolicy: props.networkPolicy === false ? undefined : {
      ingressFrom: props.networkPolicy?.ingressFrom ?? (context.service && context.service.type !== 'ClusterIP' ? 'anywhere' : 'own-namespace'),
      monitoringNamespace: props.networkPolicy?.monitoringNamespace ?? DEFAULT_MONITORING_NAMESPACE,
      egressTo: props.networkPolicy?.egressTo,
    },
    metrics: props.metrics && resolveMetrics(props.metrics, context, issues),
  };
}

function resolveServiceAccount(props: WorkloadProps, issues: PropIssue[]): ResolvedServiceAccount {
  if (props.serviceAccountName !== undefined && props.serviceAccount !== undefined) {
    issues.push({
      path: ['serviceAccount'],
      message: `'serviceAccount' describes the workload's own ServiceAccount, and 'serviceAccountName' (${props.serviceAccountName}) uses an existing one instead; keep one of them`,
    });
  }
  return {
    name: props.serviceAccountName ?? props.name,
    create: props.serviceAccountName === undefined,
    annotations: props.serviceAccount?.annotations ?? {},
    automountToken: props.serviceAccount?.automountToken ?? false,
  };
}

// A budget of maxUnavailable 1 never blocks a drain, whatever the replica count.
function resolveDisruptionBudget(props: WorkloadProps, context: HardeningContext, batch: boolean, issues: PropIssue[]): DisruptionBudgetOptions | undefined {
  const given = props.disruptionBudget;
  if (given === false) return undefined;
  if (given === undefined) return !batch && context.mostPods > 1 ? { maxUnavailable: 1 } : undefined;
  if (batch) {
    issues.push({ path: ['disruptionBudget'], message: `a ${context.mode} runs to completion and gets no PodDisruptionBudget; remove 'disruptionBudget'` });
    return undefined;
  }
  if (given.maxUnavailable !== undefined && given.minAvailable !== undefined) {
    issues.push({ path: ['disruptionBudget', 'minAvailable'], message: "give either 'maxUnavailable' or 'minAvailable', not both" });
  } else if (given.maxUnavailable === 0 || given.maxUnavailable === '0%') {
    issues.push({ path: ['disruptionBudget', 'maxUnavailable'], message: `maxUnavailable ${given.maxUnavailable} lets no pod be evicted, so it blocks every node drain and cluster upgrade; use 1 or more` });
  } else if (given.minAvailable !== undefined) {
    const needed = typeof given.minAvailable === 'number' ? given.minAvailable : Math.ceil((Number(given.minAvailable.slice(0, -1)) * context.fewestPods) / 100);
    if (given.minAvailable === '100%' || (needed > 0 && needed >= context.fewestPods)) {
      issues.push({
        path: ['disruptionBudget', 'minAvailable'],
        message: `minAvailable ${given.minAvailable} keeps every pod the workload runs at its fewest (${context.fewestPods}), so a node drain could never evict one; lower it, or use maxUnavailable: 1`,
      });
    }
  }
  return given.maxUnavailable === undefined && given.minAvailable === undefined ? { maxUnavailable: 1 } : given;
}

function resolveTopologySpread(props: WorkloadProps, batch: boolean, issues: PropIssue[]): ResolvedTopologySpread | undefined {
  const given = props.topologySpread;
  if (given === false) return undefined;
  if (batch) {
    if (given !== undefined) issues.push({ path: ['topologySpread'], message: "a batch pod runs to completion and is not spread; remove 'topologySpread'" });
    return undefined;
  }
  const keys = given?.topologyKeys ?? DEFAULT_TOPOLOGY_KEYS;
  keys.forEach((key, i) => {
    if (keys.indexOf(key) < i) issues.push({ path: ['topologySpread', 'topologyKeys', i], message: `'${key}' is listed twice; give each node label once` });
  });
  return { whenUnsatisfiable: given?.whenUnsatisfiable ?? 'ScheduleAnyway', maxSkew: given?.maxSkew ?? 1, topologyKeys: keys };
}

function resolveMetrics(metrics: NonNullable<WorkloadProps['metrics']>, context: HardeningContext, issues: PropIssue[]): ResolvedMetrics {
  const ownPort = metrics.port !== context.port;
  if (!ownPort && context.protocol === 'grpc') {
    issues.push({ path: ['metrics', 'port'], message: `Prometheus scrapes over HTTP, and port ${metrics.port} speaks gRPC; serve the metrics on a port of their own` });
  }
  // A metrics port of its own never goes on a NodePort or LoadBalancer Service, out of the cluster.
  const scrape = context.service && (!ownPort || context.service.type === 'ClusterIP') ? 'service' : 'pod';
  if (ownPort && scrape === 'service' && context.service?.port === metrics.port) {
    issues.push({ path: ['metrics', 'port'], message: `the Service already listens on ${metrics.port} for the serving port; serve the metrics on another port, or on the container port ${context.port}` });
  }
  return {
    port: metrics.port,
    portName: ownPort ? METRICS_PORT_NAME : context.protocol,
    ownPort,
    scrape,
    path: metrics.path ?? DEFAULT_METRICS_PATH,
    interval: metrics.interval ?? DEFAULT_SCRAPE_INTERVAL,
    labels: metrics.labels ?? {},
  };
}
