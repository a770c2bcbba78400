import * as fs from 'node:fs';
import * as path from 'node:path';
import { ENVIRONMENTS_KEY, FIXED_KEYS } from '../config/environment-overlay';
import { readSynthConfig, SynthConfigError } from '../config/synth-config';
import { parseWorkloadFile, WorkloadFileError, type WorkloadDocument } from '../config/workload-file';
import { readInputFile } from '../config/input-files';
import { WORKLOAD_FILE_LIMITS } from '../config/input-limits';
import { quantityValue } from '../../lib/core/quantity';
import { GPU_RESOURCE } from '../../lib/pod/gpu';
import { DEFAULT_POD_CAPACITY, DEFAULT_POD_STARTUP_SECONDS } from '../../lib/simulation/resolve-simulation';
import { UnmodelledMetricError, UnusedTraceError } from '../../lib/simulation/signals';
import { type PodModel, simulate } from '../../lib/simulation/simulate';
import { renderChart } from './chart';
import { LoadTraceError, loadAt, type LoadTrace, readLoad } from './load-trace';
import { type Override, parseOptions, type SimulateOptions, USAGE, UsageError } from './options';
import { formatSummary, type LabelledRun, simulationJson } from './report';
import { type DocumentEdit, manifestTarget, SimulateInputError, type SimulationTarget, workloadTarget } from './targets';

/** Where simulate runs and where it reports. */
export interface SimulateRun {
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** Where the workload files and the environments file are found, as synth finds them. */
  readonly projectDir: string;
  /** What the paths given on the command line are relative to. */
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** npm run simulate: returns the exit code (0, 1 for bad input, 2 for a bad flag). */
export async function runSimulate(run: SimulateRun): Promise<number> {
  let options: SimulateOptions | undefined;
  try {
    options = parseOptions(run.argv);
  } catch (e) {
    run.stderr(`cdk8s-ml simulate: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (!options) {
    run.stdout(USAGE);
    return 0;
  }
  try {
    await simulateAndReport(options, run);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      run.stderr(`cdk8s-ml simulate: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    const known = e instanceof SimulateInputError || e instanceof LoadTraceError || e instanceof UnmodelledMetricError || e instanceof UnusedTraceError || e instanceof SynthConfigError;
    if (e instanceof WorkloadFileError) run.stderr(`${e.message}\n`);
    else if (known) run.stderr(`cdk8s-ml simulate: ${e instanceof LoadTraceError ? `${e.where}: ` : ''}${e.message}\n`);
    else run.stderr(`cdk8s-ml simulate: failed: ${run.env.CDK8S_ML_DEBUG ? (e as Error).stack : `${String(e)} (set CDK8S_ML_DEBUG=1 for the stack trace)`}\n`);
    run.stderr('cdk8s-ml simulate: nothing was simulated\n');
    return 1;
  }
}

async function simulateAndReport(options: SimulateOptions, run: SimulateRun): Promise<void> {
  const display = (p: string) => path.relative(run.cwd, path.resolve(run.cwd, p)).split(path.sep).join('/') || '.';
  const targets = resolveTargets(options, run, display);
  // Read from where the user typed the command (never the project), named in messages as given.
  const load = readLoad(options.load, { file: path.resolve(run.cwd, options.load), series: options.series, durationSeconds: options.durationSeconds });
  const traces = new Map(options.metrics.map(({ name, file }) => {
    const trace = readLoad(file, { file: path.resolve(run.cwd, file), flag: `--metric ${name}` });
    return [name, (t: number) => loadAt(trace, t)] as const;
  }));
  const runs: LabelledRun[] = targets.map((target) => ({ label: target.label, result: simulate({
    autoscaler: target.autoscaler,
    initialReplicas: specReplicas(target.deployment),
    pod: podModel(target, options),
    load: (t) => loadAt(load, t),
    durationSeconds: durationOf(load, options.syncPeriodSeconds),
    syncPeriodSeconds: options.syncPeriodSeconds,
    traces,
    costPerPodHour: options.costPerPodHour,
    costPerGpuHour: options.costPerGpuHour,
  }) }));
  const json = path.resolve(run.cwd, options.json ?? path.join('simulation', `${slug(targets[0].label)}.json`));
  const chart = path.resolve(run.cwd, options.chart ?? json.replace(/\.json$/, '') + '.svg');
  const svg = await renderChart(runs, { title: `${runs.map((r) => r.label).join(' vs ')}: ${load.source}` });
  writeFile(json, simulationJson(runs), display);
  writeFile(chart, svg, display);
  run.stdout(`${formatSummary(runs)}\nwrote ${display(json)} and ${display(chart)}\n`);
}

/** The run's length: a synthetic load's, else to one sync period past the trace's last point. */
function durationOf(trace: LoadTrace, step: number): number {
  return trace.durationSeconds ?? trace.points[trace.points.length - 1].t + step;
}

function slug(label: string): string {
  return label.replace(/[ ()]+/g, '.').replace(/\.+$/, '').replace(/[^A-Za-z0-9._-]/g, '-');
}

function writeFile(file: string, text: string, display: (p: string) => string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const partial = `${file}.partial-${process.pid}`;
    fs.writeFileSync(partial, text);
    fs.renameSync(partial, file);
  } catch (e) {
    throw new SimulateInputError(`cannot write ${display(file)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function specReplicas(deployment: Record<string, unknown>): number | undefined {
  const replicas = (deployment.spec as { replicas?: unknown } | undefined)?.replicas;
  return typeof replicas === 'number' ? replicas : undefined;
}

/** The pod model: the flags, else the workload file's `simulation`, else the defaults; requests, limits and GPUs from the Deployment. */
function podModel(target: SimulationTarget, options: SimulateOptions): PodModel {
  const spec = (target.deployment.spec ?? {}) as { template?: { spec?: { containers?: { resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> } }[] } } };
  const resources = spec.template?.spec?.containers?.[0]?.resources ?? {};
  const request = resources.requests?.cpu === undefined ? undefined : quantityValue(resources.requests.cpu);
  const limit = resources.limits?.cpu === undefined ? undefined : quantityValue(resources.limits.cpu);
  const gpus = resources.limits?.[GPU_RESOURCE] ?? resources.requests?.[GPU_RESOURCE];
  return {
    capacity: options.podCapacity ?? target.settings?.podCapacity ?? DEFAULT_POD_CAPACITY,
    startupSeconds: options.podStartupSeconds ?? target.settings?.podStartupSeconds ?? DEFAULT_POD_STARTUP_SECONDS,
    cpuRequestCores: request,
    cpuLimitRatio: request !== undefined && limit !== undefined && request > 0 ? limit / request : undefined,
    gpus: gpus === undefined ? 0 : quantityValue(gpus),
  };
}

/** The target, and the variant beside it with --compare. */
function resolveTargets(options: SimulateOptions, run: SimulateRun, display: (p: string) => string): SimulationTarget[] {
  // A workload name is a DNS label: no slash, no dot. Anything else is a manifest file or folder (./NAME for one named like a workload).
  const asPath = /[\\/.]/.test(options.target);
  if (asPath) {
    // Flags that do not fit the target are usage errors, before any file is read.
    if (options.environment !== undefined) throw new UsageError('--environment is for a workload; TARGET is a manifest file or folder');
    const variant = options.variant;
    if (variant && (variant.overrides.length > 0 || variant.environment !== undefined)) throw new UsageError('--set and --compare-environment change a workload; TARGET is a manifest file or folder: compare with --compare FILE');
    const base = manifestTarget(path.resolve(run.cwd, options.target), display, options.deployment);
    if (!variant) return [base];
    return [base, { ...manifestTarget(path.resolve(run.cwd, variant.file!), display, base.name), label: `${base.name} (${display(variant.file!)})` }];
  }
  if (options.deployment !== undefined) throw new UsageError('--target picks a Deployment in manifests; TARGET is a workload name');
  const config = readSynthConfig(run.env, run.projectDir);
  // The workload files are named as synth names them: from the project.
  const fromProject = (p: string) => path.relative(run.projectDir, p).split(path.sep).join('/') || '.';
  const base = workloadTarget(config, fromProject, options.target, options.environment);
  const variant = options.variant;
  if (!variant) return [base];
  const environment = variant.environment ?? options.environment;
  const edits: DocumentEdit[] = [];
  if (variant.file) edits.push(replacedBy(path.resolve(run.cwd, variant.file), options.target, display));
  if (variant.overrides.length > 0) edits.push(overridden(options.target, variant.overrides, environment));
  const edit: DocumentEdit = (doc) => edits.reduce((d, e) => e(d), doc);
  const other = workloadTarget(config, fromProject, options.target, environment, edit);
  const what = [variant.file && display(variant.file), variant.environment && `environment ${variant.environment}`, ...variant.overrides.map((o) => o.text)].filter(Boolean).join(', ');
  return [base, { ...other, label: `${base.name} (${what})` }];
}

/** The workload `name` as the workload file `file` has it, in place of the fleet's. */
function replacedBy(file: string, name: string, display: (p: string) => string): DocumentEdit {
  const read = readInputFile(file, WORKLOAD_FILE_LIMITS.fileBytes, 'a workload file');
  if (read.text === undefined) {
    // The shared reader expects a file it was told exists; a missing one is the user's typo, not a race.
    const missing = !fs.existsSync(file) && !isSymlink(file);
    throw new SimulateInputError(`--compare ${display(file)}: cannot be read: ${missing ? 'it does not exist; check the path (relative to the current folder)' : read.cause}`);
  }
  const parsed = parseWorkloadFile(display(file), read.text);
  if (parsed.issues.length > 0) throw new WorkloadFileError(parsed.issues);
  const named = parsed.documents.filter((d) => d.data.name === name);
  const replacement = named[0] ?? (parsed.documents.length === 1 ? parsed.documents[0] : undefined);
  if (!replacement) throw new SimulateInputError(`--compare ${display(file)}: holds no workload named '${name}'`);
  return (doc) => (doc.data.name === name ? replacement.withData({ ...replacement.data, name }) : doc);
}

function isSymlink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * The workload `name` with the --set overrides applied last: to the file's keys and, in an
 * environment, to the file's override for it, which comes after every other layer.
 */
function overridden(name: string, overrides: readonly Override[], environment: string | undefined): DocumentEdit {
  return (doc: WorkloadDocument) => {
    if (doc.data.name !== name) return doc;
    const data = structuredClone(doc.data);
    for (const o of overrides) {
      setPath(data, o);
      if (environment !== undefined && !FIXED_KEYS.includes(o.path[0])) setPath(data, { ...o, path: [ENVIRONMENTS_KEY, environment, ...o.path] });
    }
    return doc.withData(data);
  };
}

function setPath(data: Record<string, unknown>, o: Override): void {
  let node: Record<string, unknown> = data;
  for (const [i, key] of o.path.entries()) {
    if (['__proto__', 'constructor', 'prototype'].includes(key)) throw new UsageError(`--set ${o.text}: '${key}' is not a workload-file key`);
    if (i === o.path.length - 1) {
      node[key] = o.value;
      return;
    }
    const next = node[key];
    if (next !== undefined && (typeof next !== 'object' || next === null || Array.isArray(next))) throw new UsageError(`--set ${o.text}: '${o.path.slice(0, i + 1).join('.')}' is not a mapping in the workload file`);
    node = (node[key] ??= {}) as Record<string, unknown>;
  }
}
