import type { INetworkPolicyEgressRule } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyEgressRule';
import type { INetworkPolicyIngressRule } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyIngressRule';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort';
import type { INetworkPolicySpec } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicySpec';
import type { ResolvedNetworkPolicy } from './resolve-hardening';
import type { EgressPeer, NetworkPeer } from '../core/workload-props';

/** Label the API server puts on every namespace (Kubernetes 1.22+): its name. */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
const DNS_PORT = 53;

/** What the NetworkPolicy guards: the workload's pods, its serving port and its metrics port. */
export interface NetworkPolicyTarget {
  readonly selectorLabels: Readonly<Record<string, string>>;
  readonly port?: number;
  readonly metrics?: { readonly port: number };
}

/**
 * The workload's NetworkPolicy: ingress to the serving port from the named
 * peers and to the metrics port from the monitoring namespace, nothing else;
 * egress restricted (DNS always allowed) only when peers are named.
 */
export function networkPolicySpec(workload: NetworkPolicyTarget, policy: ResolvedNetworkPolicy): INetworkPolicySpec {
  const ingress: INetworkPolicyIngressRule[] = [];
  if (workload.port !== undefined) {
    ingress.push({ from: servingSources(policy.ingressFrom), ports: [tcp(workload.port)] });
  }
  if (workload.metrics) {
    ingress.push({ from: [{ namespaceSelector: namespaceNamed(policy.monitoringNamespace) }], ports: [tcp(workload.metrics.port)] });
  }
  return {
    podSelector: { matchLabels: { ...workload.selectorLabels } },
    policyTypes: policy.egressTo ? ['Ingress', 'Egress'] : ['Ingress'],
    ingress: ingress.length > 0 ? ingress : undefined,
    egress: policy.egressTo && [
      // Name lookups go to kube-dns or a node-local cache, whose address differs per cluster.
      { ports: [{ port: DNS_PORT, protocol: 'UDP' }, tcp(DNS_PORT)] },
      ...policy.egressTo.map(egressRule),
    ],
  };
}

function servingSources(from: ResolvedNetworkPolicy['ingressFrom']): INetworkPolicyPeer[] | undefined {
  if (from === 'anywhere') return undefined;
  // An empty pod selector in a rule means every pod of the policy's own namespace.
  if (from === 'own-namespace') return [{ podSelector: {} }];
  return from.map(peer);
}

function egressRule(to: EgressPeer): INetworkPolicyEgressRule {
  return { to: [peer(to)], ports: to.ports?.map(tcp) };
}

function peer(given: NetworkPeer): INetworkPolicyPeer {
  if (given.cidr !== undefined) return { ipBlock: { cidr: given.cidr } };
  const namespaceSelector = given.namespace !== undefined ? namespaceNamed(given.namespace)
    : given.namespaceLabels !== undefined ? { matchLabels: { ...given.namespaceLabels } } : undefined;
  return {
    namespaceSelector,
    podSelector: given.podLabels === undefined ? (namespaceSelector ? undefined : {}) : { matchLabels: { ...given.podLabels } },
  };
}

function namespaceNamed(name: string): NonNullable<INetworkPolicyPeer['namespaceSelector']> {
  return { matchLabels: { [NAMESPACE_NAME_LABEL]: name } };
}

function tcp(port: number): INetworkPolicyPort {
  return { port, protocol: 'TCP' };
}
