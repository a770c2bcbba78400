import { Construct } from 'constructs';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import { KubeObject } from '../../lib/kube/kube-object';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../../lib/pod/labels';
import { SYNC_OPTIONS_ANNOTATION, syncWaveAnnotation } from '../../lib/gitops/sync-waves';

/** Props of the Namespaces an environment's workloads run in. */
export interface EnvironmentNamespacesProps {
  /** The namespaces, each written once. */
  readonly namespaces: readonly string[];
}

/** Label a Namespace carries for the Pod Security admission level it enforces. */
const POD_SECURITY_LEVELS = ['enforce', 'audit', 'warn'] as const;

/**
 * A Namespace per namespace the workloads use, enforcing Pod Security
 * "restricted" (which every cdk8s-ml pod meets). Argo CD never deletes
 * them: a namespace holds Secrets that are not in Git.
 */
export class EnvironmentNamespaces extends Construct {
  public readonly namespaces: readonly KubeObject<INamespace>[];

  constructor(scope: Construct, id: string, props: EnvironmentNamespacesProps) {
    super(scope, id);
    this.namespaces = [...new Set(props.namespaces)].sort().map((name) => new KubeObject<INamespace>(this, name, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name,
        labels: { [MANAGED_BY_LABEL]: MANAGED_BY, ...podSecurityLabels() },
        annotations: { ...syncWaveAnnotation('Namespace'), [SYNC_OPTIONS_ANNOTATION]: 'Prune=false,Delete=false' },
      },
    }));
  }
}

/** The labels that make a namespace enforce (and audit, and warn of) Pod Security "restricted". */
export function podSecurityLabels(): Record<string, string> {
  return Object.fromEntries(POD_SECURITY_LEVELS.map((level) => [`pod-security.kubernetes.io/${level}`, 'restricted']));
}
