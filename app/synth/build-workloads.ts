import * as fs from 'node:fs';
import { type App, Chart } from 'cdk8s';
import { ENVIRONMENTS_KEY, overrideIssues, workloadInEnvironment } from '../config/environment-overlay';
import type { EnvironmentClusters, EnvironmentsConfig } from '../config/environments-file';
import { kindProblem, WORKLOAD_KINDS } from '../config/workload-kinds';
import { findYamlFiles, readInputFile } from '../config/input-files';
import { WORKLOAD_FILE_LIMITS } from '../config/input-limits';
import { type FileIssue, parseWorkloadFile, type WorkloadDocument, WorkloadFileError } from '../config/workload-file';
import { MODEL_SERVING_PROFILE } from '../../lib/serving/model-serving';
import { type PropPath, WorkloadPropsError } from '../../lib/core/errors';
import { CONSTRUCT_ONLY_PROPS } from '../../lib/core/schema';
import type { ResolvedWorkload } from '../../lib/workload/resolve';
import { objectsOf } from './apply-order';

/**
 * A workload built from a workload file: what it resolved to and its objects as JSON. The
 * construct tree it was built in is gone (its objects are resolved as soon as it is built, and
 * its chart removed from the app), so that a fleet's memory holds its objects only once.
 */
export interface BuiltWorkload {
  /** The document it came from. */
  readonly source: WorkloadDocument;
  /** The environment it was built for, when synth builds environments. */
  readonly environment?: string;
  /** The workload's settings, defaults filled in. */
  readonly config: ResolvedWorkload;
  /** The kinds of its objects, the workload itself first: what synth's table lists. */
  readonly kinds: readonly string[];
  /** Its objects as JSON, in apply order. */
  readonly objects: readonly Record<string, unknown>[];
}

/** The keys a workload is built from, and where a problem at one of them is reported. */
interface WorkloadInput {
  readonly source: WorkloadDocument;
  readonly environment?: string;
  readonly data: Record<string, unknown>;
  readonly locate: (path: PropPath) => Omit<FileIssue, 'message'>;
}

/**
 * What a run may take from an earlier one of the same configuration (watch mode): each workload
 * file's documents, as long as its size and mtime are the same, and each document's builds, as long
 * as the document is. Whoever holds it starts a new one when the environments file changes.
 */
export class BuildCache {
  /**
   * The files that may have changed since the last run, as the watcher saw them; the others are
   * taken as they were without a stat. Undefined: any may have, each is checked.
   */
  public changed?: ReadonlySet<string>;
  /** Per file: the stamp it was read with, its documents and its problems. */
  public readonly files = new Map<string, { readonly stamp: string; readonly text?: string; readonly documents: readonly WorkloadDocument[]; readonly issues: readonly FileIssue[] }>();
  /** Per document: its override problems and, per environment ('' without environments), what building it gave. */
  public readonly documents = new WeakMap<WorkloadDocument, { overrideIssues?: readonly FileIssue[]; readonly builds: Map<string, BuildResult> }>();
}

/** What building one workload input gave: the workload, or the problems that stopped it (a workload may have both). */
interface BuildResult {
  readonly input: WorkloadInput;
  readonly built?: BuiltWorkload;
  readonly issues: readonly FileIssue[];
}

/**
 * Reads every workload file under `dir` and builds each workload in its own
 * chart of `app`, once per environment when `environments` is given. Throws
 * a WorkloadFileError with every problem of every file, an entry that cannot
 * be read included (see findYamlFiles); `displayPath` turns a file path into
 * the one errors show. With `cache`, unchanged files and documents are not
 * read or built again.
 */
export function buildWorkloadsFromDir(app: App, dir: string, displayPath: (file: string) => string, environments?: EnvironmentsConfig, noEnvironments = 'there is none (environments.yaml)', edit?: (document: WorkloadDocument) => WorkloadDocument, cache?: BuildCache): BuiltWorkload[] {
  const { files, unreadable, links } = findYamlFiles(dir);
  if (files.length === 0 && unreadable.length === 0) {
    throw new WorkloadFileError([{ file: displayPath(dir), path: [], message: 'holds no workload files (*.yaml, *.yml); add one, or point CDK8S_ML_WORKLOADS at the folder that has them' }]);
  }
  const issues: FileIssue[] = unreadable.map((entry) => ({ file: displayPath(entry.path), path: [], message: `cannot be read: ${entry.cause}` }));
  const documents: WorkloadDocument[] = [];
  // Behind a symbolic link, a change is not seen by the watcher: every file is checked then.
  if (cache && links) cache.changed = undefined;
  for (const file of files) {
    const parsed = readWorkloadFile(file, displayPath, edit, cache);
    issues.push(...parsed.issues);
    documents.push(...parsed.documents);
  }
  if (cache) {
    // The files gone since the last run: a set, since a watch of thousands of files does this on every run.
    const present = new Set(files);
    for (const file of cache.files.keys()) if (!present.has(file)) cache.files.delete(file);
  }
  const built = environments
    ? buildEnvironments(app, documents, environments, issues, cache)
    : buildWorkloads(app, documents, issues, noEnvironments, cache);
  if (issues.length > 0) throw new WorkloadFileError(groupEnvironmentIssues(issues, environments));
  return built;
}

/**
 * One workload file's documents and problems. From `cache`: a file the watcher did not name, or
 * (when it cannot tell) whose size, mtime and inode are those it was read with; a file read again
 * whose text is what it was keeps its documents, and so their builds.
 */
function readWorkloadFile(file: string, displayPath: (file: string) => string, edit?: (document: WorkloadDocument) => WorkloadDocument, cache?: BuildCache): { documents: readonly WorkloadDocument[]; issues: readonly FileIssue[] } {
  const cached = cache?.files.get(file);
  if (cached && cache?.changed && !cache.changed.has(file)) return cached;
  const stat = cache && fs.statSync(file, { throwIfNoEntry: false });
  const stamp = stat ? `${stat.size} ${stat.mtimeMs} ${stat.ino}` : '';
  if (cached && stamp !== '' && cached.stamp === stamp && !cache?.changed) return cached;
  const read = readInputFile(file, WORKLOAD_FILE_LIMITS.fileBytes, 'a workload file');
  if (cached && read.text !== undefined && read.text === cached.text) {
    cache!.files.set(file, { ...cached, stamp });
    return cached;
  }
  const result = read.text === undefined
    ? { documents: [], issues: [{ file: displayPath(file), path: [], message: `cannot be read: ${read.cause}` }] }
    : (() => {
      const parsed = parseWorkloadFile(displayPath(file), read.text);
      return { documents: edit ? parsed.documents.map(edit) : parsed.documents, issues: parsed.issues };
    })();
  if (cache && stamp !== '') cache.files.set(file, { stamp, text: read.text, ...result });
  return result;
}

/** Builds each document into a chart; problems are appended to `issues`. */
export function buildWorkloads(app: App, documents: readonly WorkloadDocument[], issues: FileIssue[], noEnvironments = 'there is none (environments.yaml)', cache?: BuildCache): BuiltWorkload[] {
  const inputs: WorkloadInput[] = [];
  for (const source of documents) {
    // Overrides without environments are an error; the rest of the document is still checked.
    issues.push(...cachedOverrideIssues(source, cache, () => overrideIssues(source, undefined, noEnvironments)));
    inputs.push(cachedBuild(source, '', cache)?.input ?? (() => {
      const { [ENVIRONMENTS_KEY]: overrides, ...data } = source.data;
      return { source, data, locate: (path: PropPath) => ({ file: source.file, line: source.lineOf(path), path }) };
    })());
  }
  const duplicates: Duplicate[] = [];
  const built = build(app, inputs, issues, '', duplicates, cache);
  issues.push(...duplicateIssues(duplicates));
  return built;
}

/** Builds each document once per environment, each in a chart of its own. */
function buildEnvironments(app: App, documents: readonly WorkloadDocument[], environments: EnvironmentsConfig, issues: FileIssue[], cache?: BuildCache): BuiltWorkload[] {
  // A document with a bad override is still built, without it, so that all its problems are reported.
  for (const source of documents) issues.push(...cachedOverrideIssues(source, cache, () => overrideIssues(source, environments, environments.file)));
  const duplicates: Duplicate[] = [];
  const built = environments.environments.flatMap((environment) => {
    const inputs = documents.map((source) => cachedBuild(source, environment.name, cache)?.input ?? {
      source,
      ...workloadInEnvironment(source, environment, environments, source.data.kind === MODEL_SERVING_PROFILE.kind),
    });
    return build(app, inputs, issues, `${environment.name}-`, duplicates, cache);
  });
  issues.push(...duplicateIssues(duplicates));
  issues.push(...sharedTargetIssues(built, environments));
  return built;
}

function cachedOverrideIssues(source: WorkloadDocument, cache: BuildCache | undefined, compute: () => FileIssue[]): readonly FileIssue[] {
  if (!cache) return compute();
  const entry = documentEntry(cache, source);
  entry.overrideIssues ??= compute();
  return entry.overrideIssues;
}

function cachedBuild(source: WorkloadDocument, environment: string, cache?: BuildCache): BuildResult | undefined {
  return cache?.documents.get(source)?.builds.get(environment);
}

function documentEntry(cache: BuildCache, source: WorkloadDocument): { overrideIssues?: readonly FileIssue[]; readonly builds: Map<string, BuildResult> } {
  let entry = cache.documents.get(source);
  if (!entry) cache.documents.set(source, entry = { builds: new Map() });
  return entry;
}

/**
 * Two environments must not deploy a workload to the same namespace of the
 * same cluster: their Applications would own the same objects and undo each
 * other's changes. One problem per pair of environments. A name repeated
 * within one environment is a duplicate, reported at the file that repeats
 * it (duplicateIssues); it is no clash between environments.
 */
function sharedTargetIssues(built: readonly BuiltWorkload[], environments: EnvironmentsConfig): FileIssue[] {
  const clusters = new Map(environments.environments.map((e) => [e.name, clusterIdentities(e.clusters)]));
  const owner = new Map<string, string>();
  const clashes = new Map<string, { first: string; second: string; cluster: string; names: Set<string>; namespaces: Set<string | undefined> }>();
  for (const { environment, config: { name, namespace } } of built) {
    for (const cluster of clusters.get(environment!)!) {
      const key = JSON.stringify([cluster, namespace ?? '', name]);
      const first = owner.get(key);
      if (first === undefined) {
        owner.set(key, environment!);
        continue;
      }
      if (first === environment) continue;
      const pair = `${first}\u0000${environment}`;
      const clash = clashes.get(pair) ?? { first, second: environment!, cluster, names: new Set(), namespaces: new Set() };
      clash.names.add(name);
      clash.namespaces.add(namespace);
      clashes.set(pair, clash);
    }
  }
  return [...clashes.values()].map(({ first, second, cluster, names: named, namespaces }) => {
    const names = [...named];
    const env = environments.environments.find((e) => e.name === second)!;
    const [namespace] = namespaces;
    const where = namespaces.size > 1 ? 'the same namespaces' : namespace === undefined ? 'the same namespace' : `namespace '${namespace}'`;
    const what = names.length === 1 ? `'${names[0]}'` : `${names.length} workloads ('${names[0]}', ...)`;
    const clusterKey = 'single' in env.clusters ? 'cluster' : 'listed' in env.clusters ? 'clusters' : 'clusterSelector';
    return environments.document.issue(
      ['environments', second, env.namespace === undefined ? clusterKey : 'namespace'],
      `environments '${first}' and '${second}' both deploy ${what} to ${where} of ${cluster}; their Argo CD Applications would own the same objects and undo each other's changes: give each environment its own namespace or cluster`,
    );
  });
}

/**
 * The clusters of an environment as the clash check compares them: each one named, or its
 * selector (two environments with the same selector deploy to the same clusters; whether two
 * different selectors overlap is known only to Argo CD).
 */
function clusterIdentities(clusters: EnvironmentClusters): string[] {
  if ('single' in clusters) return [`cluster ${clusters.single}`];
  if ('listed' in clusters) return clusters.listed.map((c) => `cluster ${c.cluster}`);
  const labels = Object.entries(clusters.selector).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}=${v}`);
  return [`the clusters selected by ${labels.join(',')}`];
}

/** A workload whose name and namespace an earlier one (`first`) of the same environment has. */
interface Duplicate {
  readonly input: WorkloadInput;
  readonly first: WorkloadInput;
}

// Workload names are unique per namespace, so duplicates are looked for among one environment's
// workloads; they are added to `duplicates`, and reported by duplicateIssues once all are known.
function build(app: App, inputs: readonly WorkloadInput[], issues: FileIssue[], chartPrefix: string, duplicates: Duplicate[], cache?: BuildCache): BuiltWorkload[] {
  const built: BuiltWorkload[] = [];
  const seen = new Map<string, WorkloadInput>();
  const environment = chartPrefix.slice(0, -1);
  for (const [index, input] of inputs.entries()) {
    const { kind, name, namespace } = input.data;
    // A document of no known kind builds nothing, so it takes no name either.
    const named = kindProblem(kind) === undefined && typeof name === 'string' && ['string', 'undefined'].includes(typeof namespace);
    const key = named ? objectKey(namespace, name) : undefined;
    const first = key === undefined ? undefined : seen.get(key);
    if (first) {
      duplicates.push({ input, first });
    } else if (key !== undefined) {
      seen.set(key, input);
    }
    // Chart ids never reach the output (object names come from `name` alone), so the
    // position is enough; a duplicate still gets built, so that all its problems are reported.
    let result = cachedBuild(input.source, environment, cache);
    if (!result) {
      result = buildOne(app, input, `${chartPrefix}Workload${index}`);
      if (cache) documentEntry(cache, input.source).builds.set(environment, result);
    }
    issues.push(...result.issues);
    if (result.built) built.push(result.built);
  }
  return built;
}

/** One workload input in a chart of its own: the workload, and its problems. */
function buildOne(app: App, input: WorkloadInput, chartId: string): BuildResult {
  const { source, environment, locate } = input;
  const issues: FileIssue[] = [];
  const issue = (path: PropPath, message: string): FileIssue => ({ ...locate(path), message, environment, workload: String(input.data.name) });
  const { kind, validation, ...props } = input.data;
  const problem = kindProblem(kind);
  if (problem) return { input, issues: [issue(['kind'], problem)] };
  if (validation !== undefined) issues.push(issue(['validation'], CONSTRUCT_ONLY_PROPS.validation));
  const chart = new Chart(app, chartId);
  try {
    // This run validates every object of the fleet at once: no chart of it needs app.synth()'s gate.
    const workload = WORKLOAD_KINDS[kind as string](chart, 'Workload', { ...props, validation: false });
    const built = { source, environment, config: workload.config, kinds: workload.objects.map((o) => o.kind), objects: objectsOf(chart) };
    return { input, built, issues };
  } catch (e) {
    if (!(e instanceof WorkloadPropsError)) throw e;
    return { input, issues: [...issues, ...e.issues.map((i) => issue(i.path, i.message))] };
  } finally {
    app.node.tryRemoveChild(chartId);
  }
}

/**
 * A duplicate is reported at the document that repeats the name, with the
 * original's location, in words that are the same in every environment it
 * is found in (the namespace is named when it is the same in all of them),
 * so that groupEnvironmentIssues makes one line of it.
 */
function duplicateIssues(duplicates: readonly Duplicate[]): FileIssue[] {
  const namespaces = new Map<WorkloadDocument, Map<WorkloadDocument, Set<unknown>>>();
  for (const { input, first } of duplicates) {
    const ofSource = namespaces.get(input.source) ?? new Map<WorkloadDocument, Set<unknown>>();
    namespaces.set(input.source, ofSource.set(first.source, (ofSource.get(first.source) ?? new Set()).add(input.data.namespace)));
  }
  return duplicates.map(({ input, first }) => {
    const [namespace, ...others] = namespaces.get(input.source)!.get(first.source)!;
    const where = namespace !== undefined && others.length === 0 ? ` in namespace '${String(namespace)}'` : '';
    const at = first.locate(['name']);
    const name = String(input.data.name);
    return {
      ...input.locate(['name']),
      message: `'${name}' is already defined${where} at ${at.file}:${at.line}; workload names must be unique per namespace`,
      environment: input.environment,
      workload: name,
    };
  });
}

/**
 * One line per problem: the same problem found in several environments (or,
 * for an environment default, for several workloads) is reported once, with
 * the environments or workloads it concerns, unless it concerns them all.
 */
export function groupEnvironmentIssues(issues: readonly FileIssue[], environments?: EnvironmentsConfig): FileIssue[] {
  if (!environments) return [...issues];
  const groups = new Map<string, { issue: FileIssue; environments: Set<string>; workloads: Set<string> }>();
  for (const issue of issues) {
    const key = JSON.stringify([issue.file, issue.line, issue.path, issue.message]);
    const group = groups.get(key) ?? { issue, environments: new Set(), workloads: new Set() };
    if (issue.environment !== undefined) group.environments.add(issue.environment);
    if (issue.workload !== undefined) group.workloads.add(issue.workload);
    groups.set(key, group);
  }
  const all = environments.environments.length;
  return [...groups.values()].map(({ issue, environments: envs, workloads }) => {
    const inEnvironmentsFile = issue.file === environments.file;
    // An override's path already names its environment.
    const namesEnvironment = issue.path[0] === ENVIRONMENTS_KEY;
    const notes = [
      ...(envs.size > 0 && envs.size < all && !namesEnvironment ? [`environment ${[...envs].join(', ')}`] : []),
      ...(inEnvironmentsFile && workloads.size > 0 ? [`workload ${listed([...workloads].sort())}`] : []),
    ];
    return { ...issue, message: notes.length > 0 ? `${issue.message} (${notes.join('; ')})` : issue.message };
  });
}

function listed(names: readonly string[]): string {
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

/** `namespace.name`, or `name` without a namespace: unique per object, and the output file's stem. */
export function objectKey(namespace: unknown, name: unknown): string {
  return namespace === undefined ? String(name) : `${String(namespace)}.${String(name)}`;
}
