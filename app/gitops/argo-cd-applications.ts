import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import type { IApplicationSet } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet';
import { Construct } from 'constructs';
import { type ArgoCdConfig, destinationOf, type EnvironmentConfig, isClusterUrl } from '../config/environments-file';
import { KubeObject } from '../../lib/kube/kube-object';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../../lib/pod/labels';
import { SYNC_OPTIONS_ANNOTATION } from '../../lib/gitops/sync-waves';
import { APPLICATION_LABELS, applicationName, type ApplicationParams, PARAMS_SUFFIX } from './application-params';
import { podSecurityLabels } from './environment-namespaces';

/** Props of the Argo CD objects that deploy each environment. */
export interface ArgoCdApplicationsProps {
  readonly argocd: ArgoCdConfig;
  readonly environments: readonly EnvironmentConfig[];
  /** Folder of the output inside the repository; each environment is a folder below it. */
  readonly repositoryPath: string;
  /** With granularity workload: each environment's Application parameters, as written beside its manifests. */
  readonly params?: ReadonlyMap<string, readonly ApplicationParams[]>;
  /** Whether synth writes the environments' Namespaces (with their Pod Security labels). @default false */
  readonly createsNamespaces?: boolean;
}

/** Argo CD's finalizer: deleting the Application deletes what it deployed. */
export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

/** The name of the Application of `base` (`<name>-<environment>`, or a workload's) in the cluster of slug `slug`, in both forms. */
export function clusterApplicationName(base: string, slug: string): string {
  return `${base}-${slug}`;
}

const API_VERSION = 'argoproj.io/v1alpha1';

/** Only the generated manifests: not the kustomization.yaml beside them. */
export const MANIFEST_GLOB = '*.k8s.yaml';

/**
 * The sync retry: 10 s, doubling, at most 5 minutes apart, 8 times (10+20+40+80+160+300+300+300 s,
 * about 20 minutes), so a ScaledObject or ServiceMonitor waits for KEDA or the Prometheus Operator
 * that another Application installs.
 */
const SYNC_RETRY = { limit: 8, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } } as const;

type Destination = { server: string } | { name: string };

/** How an ApplicationSet's template names and labels an Application of a fleet, and where it sends it. */
interface FleetTemplate {
  readonly generator: Record<string, unknown>;
  readonly destination: Destination;
  /** The cluster's part of the Application's name and label. */
  readonly slug: string;
}

/**
 * The Argo CD objects that deploy the environments: with granularity environment, an Application
 * per environment (per cluster of a `clusters` list) syncing `<repositoryPath>/<environment>`; with
 * granularity workload, one per workload of each environment syncing only its manifest. With
 * `applicationSet`, ApplicationSets generate them instead: the environments of one cluster each
 * share one with a list generator (granularity environment); every other environment has its own,
 * whose Git files generator finds the workloads' parameter files (granularity workload), crossed
 * (matrix) with a list generator of its `clusters` or a cluster generator of its `clusterSelector`.
 * Every Application syncs automatically, pruning what left Git and undoing drift.
 */
export class ArgoCdApplications extends Construct {
  /** The Applications (none with ApplicationSets). */
  public readonly applications: readonly KubeObject<IApplication>[];
  /** The ApplicationSets, with `applicationSet`. */
  public readonly applicationSets: readonly KubeObject<IApplicationSet>[];

  constructor(scope: Construct, id: string, props: ArgoCdApplicationsProps) {
    super(scope, id);
    if (props.argocd.applicationSet) {
      this.applications = [];
      this.applicationSets = props.argocd.granularity === 'workload'
        ? props.environments.map((env) => this.workloadApplicationSet(props, env))
        : this.environmentApplicationSets(props);
    } else {
      this.applicationSets = [];
      this.applications = props.environments.flatMap((env) => props.argocd.granularity === 'workload'
        ? (props.params?.get(env.name) ?? []).flatMap((p) => this.clusterApplications(props, env, p.application, workloadLabels(p), p.manifest, p.namespace))
        : this.clusterApplications(props, env, applicationName(props.argocd.name, env.name), {}, MANIFEST_GLOB, env.namespace));
    }
  }

  /** The Applications of one environment's folder (or one file of it), one per cluster. */
  private clusterApplications(props: ArgoCdApplicationsProps, env: EnvironmentConfig, name: string, labels: Record<string, string>, include: string, namespace: string | undefined): KubeObject<IApplication>[] {
    const { argocd, repositoryPath } = props;
    const path = `${repositoryPath}/${env.name}`;
    const spec = (destination: Destination) => applicationSpec(argocd, path, include, destination, namespace, syncExtras(props));
    if ('single' in env.clusters) return [this.application(argocd, name, labels, spec(destinationOf(env.clusters.single)))];
    // A selector is an error without an ApplicationSet (environments-file.ts).
    const listed = 'listed' in env.clusters ? env.clusters.listed : [];
    return listed.map((c) => this.application(argocd, clusterApplicationName(name, c.slug), { ...labels, [APPLICATION_LABELS.environment]: env.name, [APPLICATION_LABELS.cluster]: c.slug }, spec(destinationOf(c.cluster))));
  }

  private application(argocd: ArgoCdConfig, name: string, labels: Record<string, string>, spec: IApplication['spec']): KubeObject<IApplication> {
    // A workload's own Application deletes the workload with it: that is how a removed workload file removes the workload.
    const finalizers = argocd.granularity === 'workload' ? [RESOURCES_FINALIZER] : undefined;
    return new KubeObject<IApplication>(this, `Application-${name}`, { apiVersion: API_VERSION, kind: 'Application', metadata: { ...metadata(argocd, name, labels), finalizers }, spec });
  }

  /**
   * Granularity environment: the environments of one cluster each share one ApplicationSet with
   * a list generator (named `argocd.name`); an environment of several clusters has its own.
   */
  private environmentApplicationSets(props: ArgoCdApplicationsProps): KubeObject<IApplicationSet>[] {
    const { argocd, environments, repositoryPath } = props;
    const singles = environments.flatMap((e) => 'single' in e.clusters ? [{ env: e, cluster: e.clusters.single }] : []);
    const sets: KubeObject<IApplicationSet>[] = [];
    if (singles.length > 0) {
      const destination = isClusterUrl(singles[0].cluster) ? { server: '{{.cluster}}' } : { name: '{{.cluster}}' };
      sets.push(this.applicationSet(argocd, argocd.name, [{ list: { elements: singles.map(({ env, cluster }) => ({ environment: env.name, cluster, namespace: env.namespace ?? '' })) } }], PRESERVE, {
        metadata: { name: `${argocd.name}-{{.environment}}`, labels: { [MANAGED_BY_LABEL]: MANAGED_BY } },
        spec: applicationSpec(argocd, `${repositoryPath}/{{.environment}}`, MANIFEST_GLOB, destination, '{{.namespace}}', syncExtras(props)),
      }));
    }
    for (const env of environments) {
      const fleet = fleetTemplate(env);
      if (!fleet) continue;
      sets.push(this.applicationSet(argocd, applicationName(argocd.name, env.name), [fleet.generator], PRESERVE, {
        metadata: { name: clusterApplicationName(applicationName(argocd.name, env.name), fleet.slug), labels: { [MANAGED_BY_LABEL]: MANAGED_BY, [APPLICATION_LABELS.environment]: env.name } },
        spec: applicationSpec(argocd, `${repositoryPath}/${env.name}`, MANIFEST_GLOB, fleet.destination, env.namespace, syncExtras(props)),
      }, { [APPLICATION_LABELS.cluster]: fleet.slug }));
    }
    return sets;
  }

  /**
   * Granularity workload: one ApplicationSet per environment whose Git files generator reads the
   * parameter files of the environment folder, one Application per file, crossed with the clusters.
   */
  private workloadApplicationSet(props: ArgoCdApplicationsProps, env: EnvironmentConfig): KubeObject<IApplicationSet> {
    const { argocd, repositoryPath } = props;
    const git = { git: { repoURL: argocd.repoURL, revision: argocd.targetRevision, files: [{ path: `${repositoryPath}/${env.name}/*${PARAMS_SUFFIX}` }] } };
    const fleet = fleetTemplate(env);
    const labels = { [MANAGED_BY_LABEL]: MANAGED_BY, [APPLICATION_LABELS.environment]: env.name };
    const templated = { [APPLICATION_LABELS.workload]: '{{.workload}}', [APPLICATION_LABELS.namespace]: '{{.namespace}}', ...(fleet ? { [APPLICATION_LABELS.cluster]: fleet.slug } : {}) };
    // `path.path` is the folder of the parameter file: the environment's folder.
    const spec = applicationSpec(argocd, '{{.path.path}}', '{{.manifest}}', fleet ? fleet.destination : destinationOf((env.clusters as { single: string }).single), '{{.namespace}}', syncExtras(props));
    return this.applicationSet(argocd, applicationName(argocd.name, env.name), [fleet ? { matrix: { generators: [git, fleet.generator] } } : git], undefined, {
      metadata: { name: fleet ? clusterApplicationName('{{.application}}', fleet.slug) : '{{.application}}', labels, finalizers: [RESOURCES_FINALIZER] },
      spec,
    }, templated);
  }

  /**
   * An ApplicationSet of `generators`. Labels whose values come from the generators are set by a
   * templatePatch (Argo CD 2.10 and later), not in the template's labels: there a value such as
   * '{{.workload}}' is not a label value to the tools that check the ApplicationSet's schema.
   */
  private applicationSet(argocd: ArgoCdConfig, name: string, generators: readonly Record<string, unknown>[], syncPolicy: IApplicationSet['spec']['syncPolicy'], template: NonNullable<IApplicationSet['spec']>['template'], templatedLabels: Readonly<Record<string, string>> = {}): KubeObject<IApplicationSet> {
    const patch = Object.keys(templatedLabels).length > 0
      ? `metadata:\n  labels:\n${Object.entries(templatedLabels).map(([key, value]) => `    ${key}: ${value.replace(/^\{\{(.*)\}\}$/, '{{$1 | quote}}')}\n`).join('')}`
      : undefined;
    // An ApplicationSet of per-workload Applications deletes every workload of its environment with it: once
    // synced from Git (an app-of-apps), it is never pruned nor deleted by Argo CD, only by hand (see README).
    const annotations = argocd.granularity === 'workload' ? { [SYNC_OPTIONS_ANNOTATION]: 'Prune=false,Delete=false' } : undefined;
    return new KubeObject<IApplicationSet>(this, `ApplicationSet-${name}`, {
      apiVersion: API_VERSION,
      kind: 'ApplicationSet',
      metadata: { ...metadata(argocd, name, {}), annotations },
      spec: { goTemplate: true, goTemplateOptions: ['missingkey=error'], generators: generators as IApplicationSet['spec']['generators'], syncPolicy, template, templatePatch: patch },
    });
  }
}

/**
 * An environment's Applications leave its workloads running when deleted, generated or written alike
 * (Argo CD gives a generated Application its resources finalizer unless told to preserve them).
 */
const PRESERVE = { preserveResourcesOnDeletion: true };

/**
 * How an Application creates a missing namespace. A workload's own sets the Pod Security labels of
 * the Namespaces synth writes on one it creates, since the Namespaces' Application may sync after
 * it. Under the AppProject of an environments file without Namespaces, which allows no Namespace,
 * none creates one: the namespaces are managed elsewhere.
 */
function syncExtras(props: ArgoCdApplicationsProps): Partial<NonNullable<IApplication['spec']['syncPolicy']>> {
  if (props.argocd.appProject && !props.createsNamespaces) return { syncOptions: ['PruneLast=true'] };
  return props.argocd.granularity === 'workload' && props.createsNamespaces ? { managedNamespaceMetadata: { labels: podSecurityLabels() } } : {};
}

function metadata(argocd: ArgoCdConfig, name: string, labels: Record<string, string>) {
  return { name, namespace: argocd.namespace, labels: { [MANAGED_BY_LABEL]: MANAGED_BY, ...labels } };
}

/** The labels `argocd app list -l` filters a workload's Application by. */
function workloadLabels(p: ApplicationParams): Record<string, string> {
  return { [APPLICATION_LABELS.environment]: p.environment, [APPLICATION_LABELS.workload]: p.workload, [APPLICATION_LABELS.namespace]: p.namespace };
}

/**
 * The generator of an environment's clusters, with the destination and name suffix its template
 * takes from it: a list generator of its `clusters` (each element as the cluster generator would
 * give it: server or name, and nameNormalized), or a cluster generator of its `clusterSelector`.
 * Undefined for an environment of one cluster.
 */
function fleetTemplate(env: EnvironmentConfig): FleetTemplate | undefined {
  if ('single' in env.clusters) return undefined;
  if ('selector' in env.clusters) {
    return { generator: { clusters: { selector: { matchLabels: { ...env.clusters.selector } } } }, destination: { server: '{{.server}}' }, slug: '{{.nameNormalized}}' };
  }
  const byUrl = isClusterUrl(env.clusters.listed[0].cluster);
  return {
    generator: { list: { elements: env.clusters.listed.map((c) => ({ [byUrl ? 'server' : 'name']: c.cluster, nameNormalized: c.slug })) } },
    destination: byUrl ? { server: '{{.server}}' } : { name: '{{.name}}' },
    slug: '{{.nameNormalized}}',
  };
}

function applicationSpec(argocd: ArgoCdConfig, path: string, include: string, destination: Destination, namespace: string | undefined, sync: Partial<NonNullable<IApplication['spec']['syncPolicy']>> = {}): IApplication['spec'] {
  return {
    project: argocd.project,
    source: {
      repoURL: argocd.repoURL,
      targetRevision: argocd.targetRevision,
      path,
      directory: { include, recurse: false },
    },
    destination: { ...destination, namespace },
    syncPolicy: {
      automated: { prune: true, selfHeal: true },
      // Namespaces first; prune only once everything new is applied and healthy.
      syncOptions: ['CreateNamespace=true', 'PruneLast=true'],
      // A ServiceMonitor or ScaledObject may wait for its CRD to be installed.
      retry: SYNC_RETRY,
      ...sync,
    },
  };
}
