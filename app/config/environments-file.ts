import { z } from 'zod';
import { issueMessage, toPropIssues } from '../../lib/core/issues';
import { isDns1123Label, isDns1123Subdomain } from '../../lib/core/names';
import { CONSTRUCT_ONLY_PROPS, labelMap, workloadPropsSchema } from '../../lib/core/schema';
import { closestMatch } from '../../lib/core/suggest';
import { readInputFile } from './input-files';
import { WORKLOAD_FILE_LIMITS } from './input-limits';
import { type FileIssue, parseWorkloadFile, type WorkloadDocument, WorkloadFileError } from './workload-file';

/** Where Argo CD finds the output and what its Applications look like. */
export interface ArgoCdConfig {
  /** Git repository Argo CD syncs from. */
  readonly repoURL: string;
  /** Branch, tag or commit. @default HEAD */
  readonly targetRevision: string;
  /** Folder of the output inside the repository; each environment is `<path>/<environment>`. @default dist */
  readonly path: string;
  /** Argo CD project the Applications use: an existing one, or with `appProject` the one synth writes (named `name`). @default default */
  readonly project: string;
  /** Write an AppProject (named `name`) that confines the Applications to the repository, the environments' clusters and namespaces and the kinds the workloads use. @default false */
  readonly appProject: boolean;
  /** Namespace Argo CD runs in. @default argocd */
  readonly namespace: string;
  /** Name of the ApplicationSet, and prefix of the Applications (`<name>-<environment>`). @default cdk8s-ml */
  readonly name: string;
  /** What one Argo CD Application syncs: an environment's folder, or one workload of it (see README, "Argo CD"). @default environment */
  readonly granularity: Granularity;
  /** ApplicationSets that generate the Applications, instead of the Applications themselves. @default true with granularity workload, else false */
  readonly applicationSet: boolean;
}

/** What one Argo CD Application syncs. */
export type Granularity = 'environment' | 'workload';

/** A cluster of an environment's `clusters` list. */
export interface ListedCluster {
  /** An API server URL, or the name of a cluster registered in Argo CD. */
  readonly cluster: string;
  /** Its Applications' name suffix and cluster label: the name (a URL's host) in lowercase letters, digits and '-', as Argo CD's nameNormalized. */
  readonly slug: string;
}

/**
 * Where an environment deploys: one cluster (`cluster`, the in-cluster one by default), several
 * (`clusters`: an Application per cluster), or the Argo CD clusters whose secrets carry labels
 * (`clusterSelector`: resolved by the ApplicationSet's cluster generator, unknown at synth time).
 */
export type EnvironmentClusters =
  | { readonly single: string }
  | { readonly listed: readonly ListedCluster[] }
  | { readonly selector: Readonly<Record<string, string>> };

/** One environment: where it runs and what its workloads default to. */
export interface EnvironmentConfig {
  /** Directory name under the output folder, and the key of overrides in workload files. */
  readonly name: string;
  /** Argo CD destinations: an API server URL or the name of a cluster registered in Argo CD, several, or a selector. @default { single: https://kubernetes.default.svc } */
  readonly clusters: EnvironmentClusters;
  /** Namespace of every workload of the environment (unless its override names another). @default - each workload's own */
  readonly namespace?: string;
  /** Workload keys every workload of the environment starts from; the workload file's keys win. @default - none */
  readonly defaults: Readonly<Record<string, unknown>>;
  /** Workload keys set on every workload of the environment, over the workload file's; only a workload's own override for the environment wins. @default - none */
  readonly overrides: Readonly<Record<string, unknown>>;
}

/** An environments file, checked. */
export interface EnvironmentsConfig {
  /** The file, as errors and headers show it. */
  readonly file: string;
  /** The file's text, as read. */
  readonly text: string;
  readonly document: WorkloadDocument;
  readonly environments: readonly EnvironmentConfig[];
  /** Argo CD settings; without them no Argo CD objects are written. */
  readonly argocd?: ArgoCdConfig;
  /** Write a Namespace for every namespace an environment uses, enforcing Pod Security "restricted". @default true */
  readonly createNamespaces: boolean;
}

export const IN_CLUSTER = 'https://kubernetes.default.svc';
/** The folder under the output folder that holds the Argo CD objects; no environment may take its name. */
export const ARGOCD_FOLDER = 'argocd';

// Workload keys an environment cannot set for all its workloads.
const NOT_DEFAULTS: Readonly<Record<string, string>> = {
  name: 'a workload name cannot have a default',
  image: 'each workload names its own image; override it per workload under environments.<name>.image',
  namespace: "set the environment's 'namespace' instead",
};

const dns1123 = (what: string) => z.string().refine(isDns1123Label, {
  error: (iss) => `'${String(iss.input)}' is not a valid ${what}; use lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters`,
});

const environmentName = dns1123('environment name').refine((n) => n !== ARGOCD_FOLDER, {
  error: `'${ARGOCD_FOLDER}' is the folder of the Argo CD objects; name the environment otherwise`,
});

const knownWorkloadKeys = Object.keys(workloadPropsSchema.shape);

const workloadKeys = z.record(z.string(), z.unknown()).superRefine((given, ctx) => {
  for (const key of Object.keys(given)) {
    if (NOT_DEFAULTS[key]) {
      ctx.addIssue({ code: 'custom', path: [key], message: `'${key}' cannot be set for a whole environment: ${NOT_DEFAULTS[key]}`, input: key });
    } else if (Object.hasOwn(CONSTRUCT_ONLY_PROPS, key)) {
      ctx.addIssue({ code: 'custom', path: [key], message: CONSTRUCT_ONLY_PROPS[key as keyof typeof CONSTRUCT_ONLY_PROPS], input: key });
    } else if (!knownWorkloadKeys.includes(key)) {
      const hint = closestMatch(key, knownWorkloadKeys);
      ctx.addIssue({ code: 'custom', path: [key], message: `'${key}' is not a workload key${hint ? `; did you mean '${hint}'?` : ''}`, input: key });
    }
  }
});

const environmentsFileSchema = z.strictObject({
  argocd: z.strictObject({
    repoURL: z.string().min(1),
    targetRevision: z.string().min(1).optional(),
    path: z.string().refine((p) => /^[^/\s]\S*$/.test(p) && !p.split('/').includes('..'), { error: (iss) => `'${String(iss.input)}' is not a path inside the repository; write it relative to the repository root, without '..', e.g. deploy/dist` }).optional(),
    project: z.string().refine(isDns1123Subdomain, { error: (iss) => `'${String(iss.input)}' is not a valid Argo CD project name` }).optional(),
    namespace: dns1123('namespace').optional(),
    name: dns1123('name').optional(),
    granularity: z.enum(['environment', 'workload']).optional(),
    applicationSet: z.boolean().optional(),
    appProject: z.boolean().optional(),
  }).refine((a) => !(a.appProject && a.project !== undefined), {
    path: ['project'],
    error: "'project' names an existing Argo CD project, and appProject: true writes one (named after 'name') for the Applications; keep one of them",
  }).optional(),
  createNamespaces: z.boolean().optional(),
  environments: z.record(environmentName, z.strictObject({
    cluster: z.string().min(1).optional(),
    clusters: z.array(z.string().min(1)).min(1, { error: 'name at least one cluster, e.g. clusters: [prod-eu, prod-us]; or use cluster for one' }).optional(),
    clusterSelector: z.strictObject({
      matchLabels: labelMap.refine((m) => Object.keys(m).length > 0, { error: 'name at least one label of the Argo CD cluster secrets, e.g. matchLabels: { env: prod }' }),
    }).optional(),
    namespace: dns1123('namespace').optional(),
    defaults: workloadKeys.optional(),
    overrides: workloadKeys.optional(),
  }).superRefine((env, ctx) => {
    const given = (['cluster', 'clusters', 'clusterSelector'] as const).filter((key) => env[key] !== undefined);
    if (given.length > 1) {
      ctx.addIssue({ code: 'custom', path: [given[1]], input: env[given[1]], message: `'${given[0]}' and '${given[1]}' both say where the environment deploys; keep one: 'cluster' (one), 'clusters' (a list) or 'clusterSelector' (the labels of Argo CD cluster secrets)` });
    }
  }).nullable()).refine((envs) => Object.keys(envs).length > 0, { error: 'name at least one environment, e.g. environments: { dev: {}, prod: {} }' }),
});

/** The environments file at `file`, checked; its problems are thrown as a WorkloadFileError. */
export function readEnvironments(file: string, display: (p: string) => string): EnvironmentsConfig {
  const { config, issues } = readEnvironmentsFile(file, display(file));
  if (!config) throw new WorkloadFileError(issues);
  return config;
}

/**
 * Reads the environments file at `file` (shown as `display`) and parses it
 * (see parseEnvironmentsFile); a file that cannot be read, or is larger than
 * a workload file may be, is an issue.
 */
export function readEnvironmentsFile(file: string, display: string): { config?: EnvironmentsConfig; issues: FileIssue[] } {
  const read = readInputFile(file, WORKLOAD_FILE_LIMITS.fileBytes, 'an environments file');
  if (read.text === undefined) return { issues: [{ file: display, path: [], message: `cannot be read: ${read.cause}` }] };
  return parseEnvironmentsFile(display, read.text);
}

/**
 * Reads an environments file: the environments (name, cluster, namespace,
 * defaults) and the Argo CD settings. Problems come back as issues naming
 * the file, line and field.
 */
export function parseEnvironmentsFile(file: string, text: string): { config?: EnvironmentsConfig; issues: FileIssue[] } {
  const parsed = parseWorkloadFile(file, text);
  if (parsed.issues.length > 0) return { issues: parsed.issues };
  if (parsed.documents.length !== 1) {
    return { issues: [{ file, line: 1, path: [], message: 'an environments file holds one YAML document with environments (and argocd)' }] };
  }
  const document = parsed.documents[0];
  const result = environmentsFileSchema.safeParse(document.data, { reportInput: true, error: issueMessage });
  if (!result.success) {
    return { issues: toPropIssues(result.error.issues, environmentsFileSchema).map((i) => document.issue(i.path, i.message)) };
  }
  const { argocd, environments } = result.data;
  const config: EnvironmentsConfig = {
    file,
    text,
    document,
    createNamespaces: result.data.createNamespaces ?? true,
    environments: Object.entries(environments).map(([name, env]) => ({
      name,
      clusters: env?.clusters ? { listed: env.clusters.map((cluster) => ({ cluster, slug: clusterSlug(cluster) })) }
        : env?.clusterSelector ? { selector: env.clusterSelector.matchLabels }
          : { single: env?.cluster ?? IN_CLUSTER },
      namespace: env?.namespace,
      defaults: env?.defaults ?? {},
      overrides: env?.overrides ?? {},
    })),
    argocd: argocd && {
      repoURL: argocd.repoURL,
      targetRevision: argocd.targetRevision ?? 'HEAD',
      path: argocd.path?.replace(/\/+$/, '') ?? 'dist',
      project: argocd.appProject ? argocd.name ?? 'cdk8s-ml' : argocd.project ?? 'default',
      appProject: argocd.appProject ?? false,
      namespace: argocd.namespace ?? 'argocd',
      name: argocd.name ?? 'cdk8s-ml',
      granularity: argocd.granularity ?? 'environment',
      applicationSet: argocd.applicationSet ?? argocd.granularity === 'workload',
    },
  };
  const issues = clusterIssues(config, document);
  return issues.length > 0 ? { issues } : { config, issues: [] };
}

/** True when `cluster` is an API server URL rather than the name of a cluster registered in Argo CD. */
export function isClusterUrl(cluster: string): boolean {
  return /^https?:\/\//.test(cluster);
}

/**
 * A cluster's name (a URL's host and port) in lowercase letters, digits and '-': the suffix of its
 * Applications' names and the value of their cluster label, as the cluster generator's
 * nameNormalized is for a selected cluster.
 */
function clusterSlug(cluster: string): string {
  const name = isClusterUrl(cluster) ? cluster.replace(/^https?:\/\//, '').split('/')[0] : cluster;
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
}

/** The destinations of an environment as its ApplicationSet's template and the plain Applications give them. */
export function destinationOf(cluster: string): { server: string } | { name: string } {
  return isClusterUrl(cluster) ? { server: cluster } : { name: cluster };
}

/**
 * What the cluster keys cannot be, once the settings are known: a list naming a cluster twice or two
 * clusters the same Application suffix; a selector without an ApplicationSet, or without Argo CD at all;
 * and, in one ApplicationSet template (which has one destination field), URLs and names mixed.
 */
function clusterIssues(config: EnvironmentsConfig, document: WorkloadDocument): FileIssue[] {
  const issues: FileIssue[] = [];
  const at = (env: EnvironmentConfig, ...rest: (string | number)[]) => ['environments', env.name, ...rest];
  const argocd = config.argocd;
  for (const env of config.environments) {
    if ('listed' in env.clusters) {
      const seen = new Map<string, string>();
      for (const [i, { cluster, slug }] of env.clusters.listed.entries()) {
        const first = seen.get(slug);
        if (slug === '') {
          issues.push(document.issue(at(env, 'clusters', i), `'${cluster}' has no letter or digit to name its Applications by; register the cluster in Argo CD under a name that has`));
        } else if (first !== undefined) {
          issues.push(document.issue(at(env, 'clusters', i), first === cluster ? `'${cluster}' is listed twice` : `'${cluster}' and '${first}' would both name their Applications '-${slug}'; name the clusters so that they differ in more than case and punctuation`));
        }
        seen.set(slug, cluster);
      }
      const [{ cluster: firstCluster }] = env.clusters.listed;
      const mixed = env.clusters.listed.findIndex((c) => isClusterUrl(c.cluster) !== isClusterUrl(firstCluster));
      if (argocd?.applicationSet && mixed >= 0) {
        issues.push(document.issue(at(env, 'clusters', mixed), `an ApplicationSet needs every cluster of an environment given the same way: '${firstCluster}' is ${isClusterUrl(firstCluster) ? 'an API server URL' : 'a cluster name'}, '${env.clusters.listed[mixed].cluster}' is not; use one kind for all, or set argocd.applicationSet: false`));
      }
    }
    if ('selector' in env.clusters && !argocd?.applicationSet) {
      issues.push(document.issue(at(env, 'clusterSelector'), argocd
        ? "a cluster selector is resolved by Argo CD's cluster generator, which only an ApplicationSet runs: set argocd.applicationSet: true, or list the clusters under 'clusters'"
        : "a cluster selector is resolved by an Argo CD ApplicationSet, and there is no argocd section: add one (with applicationSet: true), or list the clusters under 'clusters'"));
    }
  }
  // The environments of one cluster each share the ApplicationSet of granularity environment.
  if (argocd?.applicationSet && argocd.granularity === 'environment') {
    const singles = config.environments.flatMap((env) => 'single' in env.clusters ? [{ env, cluster: env.clusters.single }] : []);
    const first = singles[0];
    for (const { env, cluster } of singles.filter((s) => isClusterUrl(s.cluster) !== isClusterUrl(first.cluster))) {
      issues.push(document.issue(at(env, 'cluster'), `an ApplicationSet needs every cluster given the same way: '${first.env.name}' gives ${isClusterUrl(first.cluster) ? 'an API server URL' : 'a cluster name'}, '${env.name}' gives '${cluster}'; use one kind for all, or set argocd.applicationSet: false`));
    }
  }
  return issues;
}
