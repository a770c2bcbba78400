import type { IAppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import { Construct } from 'constructs';
import { type ArgoCdConfig, destinationOf, type EnvironmentClusters, type EnvironmentConfig } from '../config/environments-file';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../../lib/pod/labels';
import { KubeObject } from '../../lib/kube/kube-object';
import { compareStrings } from '../synth/render-manifests';

/** Where an environment deploys: its clusters and the namespaces its workloads use. */
export interface ProjectDestination {
  /** Each cluster as an Application's destination names it; `{ server: '*' }` for the clusters a selector picks. */
  readonly clusters: readonly ({ server: string } | { name: string })[];
  readonly namespaces: readonly string[];
}

export interface ArgoCdProjectProps {
  readonly argocd: ArgoCdConfig;
  readonly destinations: readonly ProjectDestination[];
  /** The namespaced kinds the workloads produce, as `group/kind` ('' for the core group). */
  readonly kinds: readonly { readonly group: string; readonly kind: string }[];
  /** Whether synth writes Namespaces (the only cluster-scoped kind it writes). */
  readonly createsNamespaces: boolean;
}

/**
 * The Argo CD AppProject of `argocd.appProject: true`, named `argocd.name`: the Applications
 * may deploy only from the repository, only to the environments' clusters and namespaces,
 * only the namespaced kinds the workloads produce (and Namespaces, when synth writes them: then
 * only do the Applications create namespaces); resources in those namespaces that Argo CD does not
 * manage are reported (orphanedResources).
 */
export class ArgoCdProject extends Construct {
  public readonly project: KubeObject<IAppProject>;

  public constructor(scope: Construct, id: string, props: ArgoCdProjectProps) {
    super(scope, id);
    const { argocd } = props;
    const destinations = props.destinations.flatMap((d) => d.clusters.flatMap((cluster) => [...new Set(d.namespaces)].sort().map((namespace) => ({ ...cluster, namespace }))));
    this.project = new KubeObject<IAppProject>(this, 'AppProject', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      // Before the Applications that use it, when the argocd folder is itself synced.
      metadata: { name: argocd.name, namespace: argocd.namespace, labels: { [MANAGED_BY_LABEL]: MANAGED_BY }, annotations: { 'argocd.argoproj.io/sync-wave': '-1' } },
      spec: {
        description: `cdk8s-ml workloads of ${argocd.repoURL} (${argocd.path})`,
        sourceRepos: [argocd.repoURL],
        destinations: uniqueBy(destinations, (d) => JSON.stringify(d)),
        // Without them, the Applications do not create namespaces either (argo-cd-applications.ts).
        clusterResourceWhitelist: props.createsNamespaces ? [{ group: '', kind: 'Namespace' }] : [],
        namespaceResourceWhitelist: uniqueBy([...props.kinds], (k) => `${k.group}/${k.kind}`).sort((a, b) => compareStrings(`${a.group}/${a.kind}`, `${b.group}/${b.kind}`)),
        orphanedResources: { warn: true },
      },
    });
  }
}

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item);
  return [...seen.values()];
}

/** The destinations and namespaced kinds of `environments`, from the objects synth builds for each. */
export function projectScope(environments: readonly EnvironmentConfig[], objectsOf: (environment: string) => readonly Record<string, unknown>[]): Pick<ArgoCdProjectProps, 'destinations' | 'kinds'> {
  const kinds: { group: string; kind: string }[] = [];
  const destinations = environments.map((env) => {
    const namespaces: string[] = [];
    for (const object of objectsOf(env.name)) {
      if (object.kind === 'Namespace') continue;
      const apiVersion = String(object.apiVersion);
      kinds.push({ group: apiVersion.includes('/') ? apiVersion.split('/')[0] : '', kind: String(object.kind) });
      const namespace = (object.metadata as { namespace?: string } | undefined)?.namespace ?? env.namespace ?? 'default';
      namespaces.push(namespace);
    }
    return { clusters: projectClusters(env.clusters), namespaces: namespaces.length > 0 ? namespaces : [env.namespace ?? 'default'] };
  });
  return { destinations, kinds };
}

/**
 * An environment's clusters as project destinations. A project cannot select clusters by label:
 * the clusters a selector picks are any cluster (`server: '*'`), still limited to the namespaces.
 */
function projectClusters(clusters: EnvironmentClusters): ({ server: string } | { name: string })[] {
  if ('single' in clusters) return [destinationOf(clusters.single)];
  if ('listed' in clusters) return clusters.listed.map((c) => destinationOf(c.cluster));
  return [{ server: '*' }];
}
