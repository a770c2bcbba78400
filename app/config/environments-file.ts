import { z } from 'zod';
import { issueMessage, toPropIssues } from '../../lib/core/issues';
import { isDns1123Label, isDns1123Subdomain } from '../../lib/core/names';
import { CONSTRUCT_ONLY_PROPS, workloadPropsSchema } from '../../lib/core/schema';
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
  /** One ApplicationSet with a list generator instead of one Application per environment. @default false */
  readonly applicationSet: boolean;
}

/** One environment: where it runs and what its workloads default to. */
export interface EnvironmentConfig {
  /** Directory name under the output folder, and the key of overrides in workload files. */
  readonly name: string;
  /** Argo CD destination: an API server URL, or the name of a cluster registered in Argo CD. @default https://kubernetes.default.svc */
  readonly cluster: string;
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
    applicationSet: z.boolean().optional(),
    appProject: z.boolean().optional(),
  }).refine((a) => !(a.appProject && a.project !== undefined), {
    path: ['project'],
    error: "'project' names an existing Argo CD project, and appProject: true writes one (named after 'name') for the Applications; keep one of them",
  }).optional(),
  createNamespaces: z.boolean().optional(),
  environments: z.record(environmentName, z.strictObject({
    cluster: z.string().min(1).optional(),
    namespace: dns1123('namespace').optional(),
    defaults: workloadKeys.optional(),
    overrides: workloadKeys.optional(),
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
    document,
    createNamespaces: result.data.createNamespaces ?? true,
    environments: Object.entries(environments).map(([name, env]) => ({
      name,
      cluster: env?.cluster ?? IN_CLUSTER,
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
      applicationSet: argocd.applicationSet ?? false,
    },
  };
  const issues = argocd?.applicationSet ? mixedClusterIssues(config, document) : [];
  return issues.length > 0 ? { issues } : { config, issues: [] };
}

/** True when `cluster` is an API server URL rather than the name of a cluster registered in Argo CD. */
export function isClusterUrl(cluster: string): boolean {
  return /^https?:\/\//.test(cluster);
}

// One ApplicationSet template has one destination field: server URLs or cluster names, not both.
function mixedClusterIssues(config: EnvironmentsConfig, document: WorkloadDocument): FileIssue[] {
  const first = config.environments[0];
  return config.environments
    .filter((env) => isClusterUrl(env.cluster) !== isClusterUrl(first.cluster))
    .map((env) => document.issue(['environments', env.name, 'cluster'], `an ApplicationSet needs every cluster given the same way: '${first.name}' gives ${isClusterUrl(first.cluster) ? 'an API server URL' : 'a cluster name'}, '${env.name}' gives '${env.cluster}'; use one kind for all, or set argocd.applicationSet: false`));
}
