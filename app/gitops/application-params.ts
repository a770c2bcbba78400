import { createHash } from 'node:crypto';
import type { ArgoCdConfig } from '../config/environments-file';

/**
 * With `argocd.granularity: workload`, synth writes one of these beside each workload's manifest
 * (`dist/<env>/<namespace>.<name>.params.json`, JSON so that no manifest tool reads it as an object): the parameters of the workload's Argo CD
 * Application, which the ApplicationSet's Git files generator reads (a workload file added is a
 * params file added, and so an Application, with no change to the ApplicationSet), and from which
 * the plain Applications of `applicationSet: false` are built, so both forms give the same set.
 */
export interface ApplicationParams {
  /** The Application's name (without a cluster suffix): `<argocd.name>-<environment>-<namespace>-<workload>`, shortened with a hash beyond 63 characters. */
  readonly application: string;
  readonly environment: string;
  /** The destination namespace: the workload's; for the environment's Namespaces (cluster-scoped), the first of them, which the project allows. */
  readonly namespace: string;
  /** The workload's name; '' for the environment's Namespaces. */
  readonly workload: string;
  /** The one file of the environment folder the Application syncs. */
  readonly manifest: string;
}

/** The suffix of the parameter files; the Git files generator matches `<path>/<env>/*.params.json`. */
export const PARAMS_SUFFIX = '.params.json';

/** Labels of the generated Applications, for `argocd app list -l cdk8s-ml.io/environment=prod,cdk8s-ml.io/workload=fraud-detector`. */
export const APPLICATION_LABELS = {
  environment: 'cdk8s-ml.io/environment',
  workload: 'cdk8s-ml.io/workload',
  namespace: 'cdk8s-ml.io/namespace',
  cluster: 'cdk8s-ml.io/cluster',
} as const;

/** The longest Application name: Argo CD's label-based resource tracking writes it into a label value. */
const MAX_NAME = 63;

/**
 * `parts` joined with '-', as an Application name: one longer than 63 characters keeps its first
 * 54 and ends in 8 hex digits of its hash, so names stay unique and the same on every run.
 */
export function applicationName(...parts: readonly string[]): string {
  const name = parts.join('-');
  if (name.length <= MAX_NAME) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, MAX_NAME - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}

/** The parameters of one workload's Application in `environment`; `manifest` is its file in the environment folder. */
export function workloadParams(argocd: ArgoCdConfig, environment: string, namespace: string, workload: string, manifest: string): ApplicationParams {
  return { application: applicationName(argocd.name, environment, namespace, workload), environment, namespace, workload, manifest };
}

/**
 * The parameters of the Application that syncs an environment's Namespaces. They are cluster-scoped,
 * but an AppProject allows destinations by namespace: the Application is sent to `namespace`, one of them.
 */
export function namespacesParams(argocd: ArgoCdConfig, environment: string, namespace: string, manifest: string): ApplicationParams {
  return { application: applicationName(argocd.name, environment, 'namespaces'), environment, namespace, workload: '', manifest };
}
