import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import type { IApplicationSet } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet';
import { Construct } from 'constructs';
import { type ArgoCdConfig, type EnvironmentConfig, isClusterUrl } from '../config/environments-file';
import { KubeObject } from '../../lib/kube/kube-object';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../../lib/pod/labels';

/** Props of the Argo CD objects that deploy each environment. */
export interface ArgoCdApplicationsProps {
  readonly argocd: ArgoCdConfig;
  readonly environments: readonly EnvironmentConfig[];
  /** Folder of the output inside the repository; each environment is a folder below it. */
  readonly repositoryPath: string;
}

const API_VERSION = 'argoproj.io/v1alpha1';

/** Only the generated manifests: not the kustomization.yaml beside them. */
export const MANIFEST_GLOB = '*.k8s.yaml';

/**
 * One Argo CD Application per environment, or one ApplicationSet with a list
 * generator, each syncing `<repositoryPath>/<environment>` automatically,
 * pruning what left Git and undoing drift.
 */
export class ArgoCdApplications extends Construct {
  /** The Applications, one per environment (none with an ApplicationSet). */
  public readonly applications: readonly KubeObject<IApplication>[];
  /** The ApplicationSet, when `applicationSet` is set. */
  public readonly applicationSet?: KubeObject<IApplicationSet>;

  constructor(scope: Construct, id: string, props: ArgoCdApplicationsProps) {
    super(scope, id);
    const { argocd, environments, repositoryPath } = props;
    const metadata = (name: string) => ({ name, namespace: argocd.namespace, labels: { [MANAGED_BY_LABEL]: MANAGED_BY } });
    if (argocd.applicationSet) {
      const byUrl = isClusterUrl(environments[0].cluster);
      this.applications = [];
      this.applicationSet = new KubeObject<IApplicationSet>(this, 'ApplicationSet', {
        apiVersion: API_VERSION,
        kind: 'ApplicationSet',
        metadata: metadata(argocd.name),
        spec: {
          goTemplate: true,
          goTemplateOptions: ['missingkey=error'],
          generators: [{ list: { elements: environments.map((e) => ({ environment: e.name, cluster: e.cluster, namespace: e.namespace ?? '' })) } }],
          template: {
            metadata: { name: `${argocd.name}-{{.environment}}`, labels: { [MANAGED_BY_LABEL]: MANAGED_BY } },
            // The template is an Application spec, built as for an Application.
            spec: applicationSpec(argocd, `${repositoryPath}/{{.environment}}`, byUrl ? { server: '{{.cluster}}' } : { name: '{{.cluster}}' }, '{{.namespace}}'),
          },
        },
      });
    } else {
      this.applications = environments.map((env) => new KubeObject<IApplication>(this, `Application-${env.name}`, {
        apiVersion: API_VERSION,
        kind: 'Application',
        metadata: metadata(`${argocd.name}-${env.name}`),
        spec: applicationSpec(argocd, `${repositoryPath}/${env.name}`, isClusterUrl(env.cluster) ? { server: env.cluster } : { name: env.cluster }, env.namespace),
      }));
    }
  }
}

function applicationSpec(argocd: ArgoCdConfig, path: string, cluster: { server: string } | { name: string }, namespace: string | undefined): IApplication['spec'] {
  return {
    project: argocd.project,
    source: {
      repoURL: argocd.repoURL,
      targetRevision: argocd.targetRevision,
      path,
      directory: { include: MANIFEST_GLOB, recurse: false },
    },
    destination: { ...cluster, namespace },
    syncPolicy: {
      automated: { prune: true, selfHeal: true },
      // Namespaces first; prune only once everything new is applied and healthy.
      syncOptions: ['CreateNamespace=true', 'PruneLast=true'],
      // A ServiceMonitor or ScaledObject may wait for its CRD to be installed.
      retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
    },
  };
}
