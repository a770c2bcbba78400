import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Chart } from 'cdk8s';
import { type ArgoCdConfig, ARGOCD_FOLDER, type EnvironmentsConfig, readEnvironments } from '../config/environments-file';
import { isInside, readSynthConfig, type SynthConfig, SynthConfigError, SYNTH_ENV } from '../config/synth-config';
import { type FileIssue, WorkloadFileError } from '../config/workload-file';
import { type ApplicationParams, namespacesParams, PARAMS_SUFFIX, workloadParams } from '../gitops/application-params';
import { ArgoCdProject, projectScope } from '../gitops/app-project';
import { ArgoCdApplications } from '../gitops/argo-cd-applications';
import { EnvironmentNamespaces } from '../gitops/environment-namespaces';
import { formatReport, validateGroups } from '../../lib/validation/validate-manifests';
import { buildWorkloadsFromDir, objectKey } from './build-workloads';
import { compareStrings, groupByEnvironment, MANIFEST_SUFFIX, objectsOf, renderFile, renderJsonFile, renderKustomizations, renderManifests, type SynthesizedWorkload, synthesizeWorkloads, workloadManifests } from './render-manifests';
import { formatSummary, summarize } from './summary';
import { acquireOutputLock, LockHeldError, type OutputLock } from './output-lock';
import { OutputError, recoverOutput } from './output-switch';
import { writeManifests } from './write-manifests';

/** Where synth runs and where it reports. */
export interface SynthRun {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/**
 * Workload files to manifests on disk: reads the configuration, builds and
 * checks every workload, and only when all are valid writes the output
 * folder. Returns the process exit code; a failure leaves the folder as it was.
 */
export function runSynth(run: SynthRun): number {
  let debug = false;
  // Files are named as from where synth was started.
  const display = (p: string) => path.relative(run.cwd, p).split(path.sep).join('/') || '.';
  let output: OutputFolder | undefined;
  try {
    const config = readSynthConfig(run.env, run.cwd);
    debug = config.debug;
    output = openOutputFolder(config, run, display);
    return synthesize(config, run, display, output.lock);
  } catch (e) {
    if (e instanceof WorkloadFileError) {
      run.stderr(`${e.message}\ncdk8s-ml: synth failed with ${e.issues.length} problem(s); nothing was written\n`);
    } else if (e instanceof OutputError) {
      run.stderr(`cdk8s-ml: cannot ${e.action} ${display(e.file)}: ${e.reason}\ncdk8s-ml: synth failed; nothing was written\n`);
    } else if (e instanceof LockHeldError) {
      run.stderr(`cdk8s-ml: the output folder is in use: ${display(e.file)} is held by ${e.holder}; waited ${e.waitedSeconds} s (${SYNTH_ENV.lockWait.name}). If no synth runs there any more, delete ${display(e.file)}\ncdk8s-ml: synth failed; nothing was written\n`);
    } else if (e instanceof SynthConfigError) {
      run.stderr(`cdk8s-ml: ${e.message}\ncdk8s-ml: synth failed; nothing was written\n`);
    } else {
      const detail = debug ? (e as Error).stack : `${String(e)} (set CDK8S_ML_DEBUG=1 for the stack trace)`;
      run.stderr(`cdk8s-ml: synth failed: ${detail}\n`);
    }
    return 1;
  } finally {
    output?.close();
  }
}

/** The output folder, locked for the run, with what an interrupted run left there put right. */
interface OutputFolder {
  readonly lock: OutputLock;
  /** Releases the lock; removes the folder again when this run created it and left it empty. */
  close(): void;
}

function openOutputFolder(config: SynthConfig, run: SynthRun, display: (p: string) => string): OutputFolder {
  const created = makeFolder(config.outdir);
  const lock = acquireOutputLock(config.outdir, {
    waitSeconds: config.lockWaitSeconds,
    onWait: (holder) => run.stderr(`cdk8s-ml: waiting up to ${config.lockWaitSeconds} s for ${holder}, which holds ${display(config.outdir)}/ (${SYNTH_ENV.lockWait.name})\n`),
  });
  const close = () => {
    lock.release();
    for (const folder of created.reverse()) {
      try {
        fs.rmdirSync(folder);
      } catch {
        // Not empty: this run, or another, wrote into it.
      }
    }
  };
  try {
    const recovered = recoverOutput(config.outdir);
    if (recovered === 'finished') run.stderr(`cdk8s-ml: ${display(config.outdir)}/ held the output of a synth that was interrupted while switching to it; finished the switch\n`);
    if (recovered === 'discarded') run.stderr(`cdk8s-ml: ${display(config.outdir)}/ held the staged files of a synth that was interrupted before switching to them; removed them (the output was unchanged)\n`);
  } catch (e) {
    close();
    throw e;
  }
  return { lock, close };
}

/**
 * Creates `folder` and the missing folders above it, one at a time, so that
 * an error names the folder and its cause (a read-only file system is
 * EROFS, not ENOENT). Returns the folders it created, topmost first.
 */
function makeFolder(folder: string): string[] {
  const missing: string[] = [];
  for (let current = folder; !fs.existsSync(current); current = path.dirname(current)) {
    missing.unshift(current);
    if (path.dirname(current) === current) break;
  }
  for (const [i, current] of missing.entries()) {
    try {
      fs.mkdirSync(current);
    } catch (e) {
      for (const made of missing.slice(0, i).reverse()) fs.rmSync(made, { recursive: true, force: true });
      throw new OutputError(current, e, 'create');
    }
  }
  return missing;
}

/** The run itself, with the output folder locked. */
function synthesize(config: SynthConfig, run: SynthRun, display: (p: string) => string, lock: OutputLock): number {
  const timer = new StepTimer();
  const environments = config.environmentsFile === undefined ? undefined : readEnvironments(config.environmentsFile, display);
  const app = new App({ outdir: config.outdir });
  const built = buildWorkloadsFromDir(app, config.workloadsDir, display, environments, config.noEnvironments);
  timer.step('read and build');
  const synthesized = synthesizeWorkloads(built);
  const gitops = environments ? synthesizeGitOps(app, environments, synthesized) : [];
  timer.step('objects to JSON');
  const validation = validateGroups(groupByEnvironment([
    ...workloadManifests(synthesized),
    ...gitops.flatMap((g) => 'objects' in g ? g.objects.map((object) => ({ object, source: environments!.file, environment: g.environment })) : []),
  ]));
  timer.step('validate');
  if (validation.violations.length > 0) {
    run.stderr(`${formatReport(validation)}cdk8s-ml: synth failed; nothing was written\n`);
    return 1;
  }
  const manifests = [...renderManifests(synthesized), ...gitops.map((g) => 'objects' in g ? renderFile(g.name, environments!.file, g.objects) : renderJsonFile(g.name, g.source, g.data))];
  const files = environments ? [...manifests, ...renderKustomizations(manifests, environments.file)] : manifests;
  timer.step('YAML');
  // Manifests of workloads gone from this folder go; those from other folders (another team's
  // CDK8S_ML_WORKLOADS writing into the same output) stay, unless their workload file is gone.
  const result = writeManifests(config.outdir, files, (source, name) => {
    const file = path.resolve(run.cwd, source);
    // Folders below the output are environments: a run without them removes what an earlier one wrote there.
    return isInside(file, config.workloadsDir) || file === config.environmentsFile || (!environments && name.includes('/')) || !fs.existsSync(file);
  }, () => lock.isHeld());
  timer.step('write');
  run.stdout(`${formatSummary(summarize(built))}\n\n`);
  run.stdout(formatReport(validation));
  const into = environments ? `in ${environments.environments.length} environment(s) ` : '';
  run.stdout(`cdk8s-ml: ${new Set(built.map((b) => b.source)).size} workload(s) ${into}-> ${display(config.outdir)}/: ${result.written.length} written, ${result.unchanged.length} unchanged, ${result.removed.length} removed\n`);
  if (config.timings) run.stderr(`cdk8s-ml: timings: ${timer.report()}\n`);
  return 0;
}

/** Wall time of each step of a run, from the previous step's end. */
class StepTimer {
  private last = performance.now();
  private readonly steps: [string, number][] = [];

  public step(name: string): void {
    const now = performance.now();
    this.steps.push([name, now - this.last]);
    this.last = now;
  }

  /** `read and build 0.61 s, ..., write 0.35 s; 2.10 s in all, after 0.30 s of start-up`. */
  public report(): string {
    const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    const total = this.steps.reduce((sum, [, ms]) => sum + ms, 0);
    return `${this.steps.map(([name, ms]) => `${name} ${seconds(ms)}`).join(', ')}; ${seconds(total)} in all, after ${seconds(this.last - total)} of start-up`;
  }
}

/**
 * A file synth writes besides the workloads': an environment's Namespaces, the Argo CD objects
 * (validated with the rest), or the parameters of a workload's Application (data, not objects).
 */
type GitOpsFile =
  | { readonly name: string; readonly environment?: string; readonly objects: readonly Record<string, unknown>[] }
  | { readonly name: string; readonly source: string; readonly data: ApplicationParams };

/** File of an environment's Namespaces; the underscore keeps it apart from any workload's file. */
export const NAMESPACES_FILE = `_namespaces${MANIFEST_SUFFIX}`;

function synthesizeGitOps(app: App, environments: EnvironmentsConfig, workloads: readonly SynthesizedWorkload[]): GitOpsFile[] {
  const files: GitOpsFile[] = [];
  // Each environment's first namespace: where its Namespaces' Application is sent.
  const namespaceFiles = new Map<string, string>();
  if (environments.createNamespaces) {
    for (const env of environments.environments) {
      const namespaces = workloads.filter((w) => w.built.environment === env.name).flatMap((w) => w.built.workload.config.namespace ?? []);
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
    if (params) files.push(...params.files);
    const chart = new Chart(app, 'ArgoCd');
    new ArgoCdApplications(chart, 'Applications', { argocd, environments: environments.environments, repositoryPath: argocd.path, params: params?.byEnvironment });
    if (argocd.appProject) {
      const scope = projectScope(environments.environments, (env) => workloads.filter((w) => w.built.environment === env).flatMap((w) => w.objects));
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

/**
 * Granularity workload: the Application parameters of each workload (and of each environment's
 * Namespaces), by environment, and the files that hold them beside the manifests, each headed by
 * the file it comes from. Two Applications of one name are an error.
 */
function applicationParams(argocd: ArgoCdConfig, environments: EnvironmentsConfig, workloads: readonly SynthesizedWorkload[], namespaceFiles: ReadonlyMap<string, string>): { byEnvironment: Map<string, ApplicationParams[]>; files: GitOpsFile[] } {
  const byEnvironment = new Map<string, ApplicationParams[]>(environments.environments.map((env) => [env.name, []]));
  const files: GitOpsFile[] = [];
  const owners = new Map<string, string>();
  const issues: FileIssue[] = [];
  const add = (params: ApplicationParams, stem: string, source: string, owner: string) => {
    const first = owners.get(params.application);
    if (first !== undefined) {
      issues.push(environments.document.issue(['environments', params.environment], `the Argo CD Applications of ${first} and of ${owner} would both be named '${params.application}'; rename one of the workloads or environments`));
    }
    owners.set(params.application, owner);
    byEnvironment.get(params.environment)!.push(params);
    files.push({ name: `${params.environment}/${stem}${PARAMS_SUFFIX}`, source, data: params });
  };
  for (const env of environments.environments) {
    const namespace = namespaceFiles.get(env.name);
    if (namespace !== undefined) add(namespacesParams(argocd, env.name, namespace, NAMESPACES_FILE), NAMESPACES_FILE.slice(0, -MANIFEST_SUFFIX.length), environments.file, `the Namespaces of '${env.name}'`);
  }
  for (const { built: { workload, environment, source } } of workloads) {
    const { name, namespace } = workload.config;
    const stem = objectKey(namespace, name);
    add(workloadParams(argocd, environment!, namespace ?? 'default', name, `${stem}${MANIFEST_SUFFIX}`), stem, source.file, `'${name}' in '${environment}'`);
  }
  if (issues.length > 0) throw new WorkloadFileError(issues);
  for (const list of byEnvironment.values()) list.sort((a, b) => compareStrings(a.manifest, b.manifest));
  return { byEnvironment, files };
}
