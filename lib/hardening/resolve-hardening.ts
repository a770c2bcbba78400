import { modeTakes } from '../core/modes';
import { blocksEveryEviction, keepsEveryPod } from './disruption-budget';
import { step } from '../core/steps';
import type { DisruptionBudgetOptions, EgressPeer, NetworkPeer, PipelineMode } from '../core/workload-props';

// A workload's hardening: read, defaulted and checked here; rendered by this folder's specs,
// the pod template (lib/pod: the spread and the ServiceAccount it runs as) and the Workload
// construct (the ServiceAccount).

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

/** The hardening a workload gets: its ServiceAccount, disruption budget, spread and NetworkPolicy. */
export interface ResolvedHardening {
  readonly serviceAccount: ResolvedServiceAccount;
  readonly disruptionBudget?: DisruptionBudgetOptions;
  readonly topologySpread?: ResolvedTopologySpread;
  readonly networkPolicy?: ResolvedNetworkPolicy;
}

const DEFAULT_MONITORING_NAMESPACE = 'monitoring';
const DEFAULT_TOPOLOGY_KEYS: readonly string[] = ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'];

/** The NetworkPolicy; a Service exposed outside the cluster (`service`) lets anyone in by default. */
export const networkPolicyStep = step(['networkPolicy'], (props, _context, service: { readonly type: string } | undefined): ResolvedNetworkPolicy | undefined => (
  props.networkPolicy === false ? undefined : {
    ingressFrom: props.networkPolicy?.ingressFrom ?? (service && service.type !== 'ClusterIP' ? 'anywhere' : 'own-namespace'),
    monitoringNamespace: props.networkPolicy?.monitoringNamespace ?? DEFAULT_MONITORING_NAMESPACE,
    egressTo: props.networkPolicy?.egressTo,
  }
));

/** The ServiceAccount the pods run as: the workload's own, or an existing one. */
export const serviceAccountStep = step(['serviceAccount', 'serviceAccountName', 'name'], (props, { issues }): ResolvedServiceAccount => {
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
});

// A budget of maxUnavailable 1 never blocks a drain, whatever the replica count.
export const disruptionBudgetStep = step(['disruptionBudget'], (props, { issues }, mode: PipelineMode, { fewestPods, mostPods }: { readonly fewestPods: number; readonly mostPods: number }): DisruptionBudgetOptions | undefined => {
  const given = props.disruptionBudget;
  const batch = !modeTakes(mode, 'disruptionBudget');
  if (given === false) return undefined;
  if (given === undefined) return !batch && mostPods > 1 ? { maxUnavailable: 1 } : undefined;
  if (batch) {
    issues.push({ path: ['disruptionBudget'], message: `a ${mode} runs to completion and gets no PodDisruptionBudget; remove 'disruptionBudget'` });
    return undefined;
  }
  if (given.maxUnavailable !== undefined && given.minAvailable !== undefined) {
    issues.push({ path: ['disruptionBudget', 'minAvailable'], message: "give either 'maxUnavailable' or 'minAvailable', not both" });
  } else if (blocksEveryEviction(given.maxUnavailable)) {
    issues.push({ path: ['disruptionBudget', 'maxUnavailable'], message: `maxUnavailable ${given.maxUnavailable} lets no pod be evicted, so it blocks every node drain and cluster upgrade; use 1 or more` });
  } else if (given.minAvailable !== undefined) {
    if (keepsEveryPod(given.minAvailable, fewestPods)) {
      issues.push({
        path: ['disruptionBudget', 'minAvailable'],
        message: `minAvailable ${given.minAvailable} keeps every pod the workload runs at its fewest (${fewestPods}), so a node drain could never evict one; lower it, or use maxUnavailable: 1`,
      });
    }
  }
  return given.maxUnavailable === undefined && given.minAvailable === undefined ? { maxUnavailable: 1 } : given;
});

/** How the pods spread over zones and nodes; a batch pod is not spread. */
export const topologySpreadStep = step(['topologySpread'], (props, { issues }, mode: PipelineMode): ResolvedTopologySpread | undefined => {
  const given = props.topologySpread;
  if (given === false) return undefined;
  if (!modeTakes(mode, 'topologySpread')) {
    if (given !== undefined) issues.push({ path: ['topologySpread'], message: "a batch pod runs to completion and is not spread; remove 'topologySpread'" });
    return undefined;
  }
  const keys = given?.topologyKeys ?? DEFAULT_TOPOLOGY_KEYS;
  keys.forEach((key, i) => {
    if (keys.indexOf(key) < i) issues.push({ path: ['topologySpread', 'topologyKeys', i], message: `'${key}' is listed twice; give each node label once` });
  });
  return { whenUnsatisfiable: given?.whenUnsatisfiable ?? 'ScheduleAnyway', maxSkew: given?.maxSkew ?? 1, topologyKeys: keys };
});
