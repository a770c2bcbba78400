import { type App, Chart } from 'cdk8s';
import { type ArgoCdConfig, ARGOCD_FOLDER, type EnvironmentConfig, type EnvironmentsConfig } from '../config/environments-file';
import { type FileIssue, WorkloadFileError } from '../config/workload-file';
import { ArgoCdProject, projectScope } from '../gitops/app-project';
import { type ApplicationParams, applicationName, namespacesParams, PARAMS_SUFFIX, workloadParams } from '../gitops/application-params';
import { ArgoCdApplications, clusterApplicationName } from '../gitops/argo-cd-applications';
import { EnvironmentNamespaces } from '../gitops/environment-namespaces';
import { objectsOf } from './apply-order';
import { type BuiltWorkload, objectKey } from './build-workloads';
import { compareStrings, MANIFEST_SUFFIX } from './render-manifests';

/**
 * A file synth writes besides the workloads': an environment's Namespaces, the Argo CD objects
 * (validated with the rest), or the parameters of a workload's Application (data, not objects).
 */
export type GitOpsFile =
  | { readonly name: string; readonly environment?: string; readonly objects: readonly Record<string, unknown>[] }
  | { readonly name: string; readonly source: string; readonly data: ApplicationParams };

/** File of an environment's Namespaces; the underscore keeps it apart from any workload's file. */
export const NAMESPACES_FILE = `_namespaces${MANIFEST_SUFFIX}`;

/** The Namespaces of each environment and the Argo CD objects (with the parameters of per-workload Applications). */
export function synthesizeGitOps(app: App, environments: EnvironmentsConfig, workloads: readonly BuiltWorkload[]): GitOpsFile[] {
  const files: GitOpsFile[] = [];
  // Each environment's first namespace: where its Namespaces' Application is sent.
  const namespaceFiles = new Map<string, string>();
  if (environments.createNamespaces) {
    for (const env of environments.environments) {
      const namespaces = workloads.filter((w) => w.environment === env.name).flatMap((w) => w.config.namespace ?? []);
      if (env.namespace !== undefined) namespaces.push(env.namespace);
      if (namespaces.length === 0) continue;
      const chart = new Chart(app, `${env.name}-Namespaces`);
      new EnvironmentNamespaces(chart, 'Namespaces', { namespaces });
      files.push({ name: `${env.name}/${NAMESPACES_FILE}`, environment: env.name, objects: objectsOf(chart) });
      namespaceFiles.set(env.name, [...namespaces].sort(compareStrings)[0]);
    }
  }
  const argocd = environments.argocd;
  if (argocd) {
    const params = argocd.granularity === 'workload' ? applicationParams(argocd, environments, workloads, namespaceFiles) : undefined;
    const issues = applicationNameIssues(argocd, environments, params?.owned);
    if (issues.length > 0) throw new WorkloadFileError(issues);
    if (params) files.push(...params.files);
    const chart = new Chart(app, 'ArgoCd');
    new ArgoCdApplications(chart, 'Applications', { argocd, environments: environments.environments, repositoryPath: argocd.path, params: params?.byEnvironment, createsNamespaces: environments.createNamespaces });
    if (argocd.appProject) {
      const scope = projectScope(environments.environments, (env) => workloads.filter((w) => w.environment === env).flatMap((w) => w.objects));
      new ArgoCdProject(chart, 'Project', { argocd, ...scope, createsNamespaces: environments.createNamespaces });
    }
    for (const object of objectsOf(chart)) {
      const name = String((object.metadata as { name: string }).name);
      // The AppProject takes the name of the ApplicationSet: its file says what it is.
      files.push({ name: `${ARGOCD_FOLDER}/${object.kind === 'AppProject' ? `project.${name}` : name}${MANIFEST_SUFFIX}`, objects: [object] });
    }
  }
  return files;
}

/** The parameters of one Application, with what it deploys (for messages) and where a clash is reported. */
interface OwnedParams {
  readonly params: ApplicationParams;
  readonly owner: string;
  readonly at: (message: string) => FileIssue;
}

/**
 * Granularity workload: the Application parameters of each workload (and of each environment's
 * Namespaces), by environment, and the files that hold them beside the manifests, each headed by
 * the file it comes from.
 */
function applicationParams(argocd: ArgoCdConfig, environments: EnvironmentsConfig, workloads: readonly BuiltWorkload[], namespaceFiles: ReadonlyMap<string, string>): { byEnvironment: Map<string, ApplicationParams[]>; files: GitOpsFile[]; owned: OwnedParams[] } {
  const byEnvironment = new Map<string, ApplicationParams[]>(environments.environments.map((env) => [env.name, []]));
  const files: GitOpsFile[] = [];
  const owned: OwnedParams[] = [];
  const add = (params: ApplicationParams, stem: string, source: string, owner: Omit<OwnedParams, 'params'>) => {
    owned.push({ params, ...owner });
    byEnvironment.get(params.environment)!.push(params);
    files.push({ name: `${params.environment}/${stem}${PARAMS_SUFFIX}`, source, data: params });
  };
  for (const env of environments.environments) {
    const namespace = namespaceFiles.get(env.name);
    if (namespace === undefined) continue;
    add(namespacesParams(argocd, env.name, namespace, NAMESPACES_FILE), NAMESPACES_FILE.slice(0, -MANIFEST_SUFFIX.length), environments.file, {
      owner: `the Namespaces of '${env.name}'`,
      at: (message) => environments.document.issue(['environments', env.name], message),
    });
  }
  for (const { config: { name, namespace }, environment, source } of workloads) {
    const stem = objectKey(namespace, name);
    add(workloadParams(argocd, environment!, namespace ?? 'default', name, `${stem}${MANIFEST_SUFFIX}`), stem, source.file, {
      owner: `workload '${name}' of '${environment}'`,
      at: (message) => ({ ...source.issue(['name'], message), environment }),
    });
  }
  for (const list of byEnvironment.values()) list.sort((a, b) => compareStrings(a.manifest, b.manifest));
  return { byEnvironment, files, owned };
}

/**
 * Two Applications of one name, as synth writes them or an ApplicationSet would generate them
 * (each cluster of a `clusters` list adds its suffix; the clusters of a selector are known only to
 * Argo CD, so their names are compared without it): Argo CD would keep only one. Reported at the
 * second, workload file or environment.
 */
function applicationNameIssues(argocd: ArgoCdConfig, environments: EnvironmentsConfig, owned?: readonly OwnedParams[]): FileIssue[] {
  const envOf = new Map(environments.environments.map((e) => [e.name, e]));
  const named: { name: string; owner: string; at: (message: string) => FileIssue }[] = owned
    ? owned.flatMap(({ params, owner, at }) => inClusters(envOf.get(params.environment)!, params.application).map((name) => ({ name, owner, at })))
    : environments.environments.flatMap((env) => inClusters(env, applicationName(argocd.name, env.name)).map((name) => ({
      name, owner: `environment '${env.name}'`, at: (message: string) => environments.document.issue(['environments', env.name], message),
    })));
  const first = new Map<string, string>();
  const issues: FileIssue[] = [];
  for (const { name, owner, at } of named) {
    const earlier = first.get(name);
    if (earlier !== undefined && earlier !== owner) {
      issues.push(at(`the Argo CD Application of ${owner} would be named '${name}', as the one of ${earlier} is; rename the workload, its namespace or the environment`));
    }
    if (earlier === undefined) first.set(name, owner);
  }
  return issues;
}

/** The names of the Applications of `base` in an environment's clusters. */
function inClusters(env: EnvironmentConfig, base: string): string[] {
  return 'listed' in env.clusters ? env.clusters.listed.map((c) => clusterApplicationName(base, c.slug)) : [base];
}
