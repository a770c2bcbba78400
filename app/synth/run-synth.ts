import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdk8s';
import { readEnvironments } from '../config/environments-file';
import { isInside, readSynthConfig, type SynthConfig, SynthConfigError, SYNTH_ENV } from '../config/synth-config';
import { WorkloadFileError } from '../config/workload-file';
import { formatReport, validateGroups } from '../../lib/validation/validate-manifests';
import { buildWorkloadsFromDir } from './build-workloads';
import { synthesizeGitOps } from './gitops-files';
import type { SynthSession } from './synth-session';
import { groupByEnvironment, renderFile, renderJsonFile, renderKustomizations, renderManifests, workloadManifests } from './render-manifests';
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
export function runSynth(run: SynthRun, session?: SynthSession): number {
  let debug = false;
  // Files are named as from where synth was started.
  const display = (p: string) => path.relative(run.cwd, p).split(path.sep).join('/') || '.';
  let output: OutputFolder | undefined;
  try {
    const config = readSynthConfig(run.env, run.cwd);
    debug = config.debug;
    output = openOutputFolder(config, run, display);
    return synthesize(config, run, display, output.lock, session);
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
    if (session) session.runs++;
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
 * EROFS, not ENOENT). Returns the folders it created, topmost first; one that
 * another run made meanwhile is not among them.
 */
function makeFolder(folder: string): string[] {
  const missing: string[] = [];
  for (let current = folder; !fs.existsSync(current); current = path.dirname(current)) {
    missing.unshift(current);
    if (path.dirname(current) === current) break;
  }
  const made: string[] = [];
  for (const current of missing) {
    try {
      fs.mkdirSync(current);
      made.push(current);
    } catch (e) {
      // Another synth into the same new folder, started at the same moment, made it first: it is not this run's.
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && fs.statSync(current, { throwIfNoEntry: false })?.isDirectory()) continue;
      for (const folder of [...made].reverse()) fs.rmSync(folder, { recursive: true, force: true });
      throw new OutputError(current, e, 'create');
    }
  }
  return made;
}

/** The run itself, with the output folder locked. */
function synthesize(config: SynthConfig, run: SynthRun, display: (p: string) => string, lock: OutputLock, session?: SynthSession): number {
  const timer = new StepTimer();
  const environments = config.environmentsFile === undefined ? undefined : readEnvironments(config.environmentsFile, display);
  // A workload's build depends on the environments file and the settings besides its own file.
  if (session) session.useInputs(JSON.stringify([config.workloadsDir, config.noEnvironments, environments?.text ?? null]));
  const app = new App({ outdir: config.outdir });
  const built = buildWorkloadsFromDir(app, config.workloadsDir, display, environments, config.noEnvironments, undefined, session?.build);
  const gitops = environments ? synthesizeGitOps(app, environments, built) : [];
  timer.step('read and build');
  const validation = validateGroups(groupByEnvironment([
    ...workloadManifests(built),
    ...gitops.flatMap((g) => 'objects' in g ? g.objects.map((object) => ({ object, source: environments!.file, environment: g.environment })) : []),
  ]), session?.checks);
  timer.step('validate');
  if (validation.violations.length > 0) {
    run.stderr(`${formatReport(validation)}cdk8s-ml: synth failed; nothing was written\n`);
    return 1;
  }
  const manifests = [...renderManifests(built, session?.rendered), ...gitops.map((g) => 'objects' in g ? renderFile(g.name, environments!.file, g.objects) : renderJsonFile(g.name, g.source, g.data))];
  const files = environments ? [...manifests, ...renderKustomizations(manifests, environments.file)] : manifests;
  // Manifests of workloads gone from this folder go; those from other folders (another team's
  // CDK8S_ML_WORKLOADS writing into the same output) stay, unless their workload file is gone.
  const result = writeManifests(config.outdir, files, (source, name) => {
    const file = path.resolve(run.cwd, source);
    // Folders below the output are environments: a run without them removes what an earlier one wrote there.
    return isInside(file, config.workloadsDir) || file === config.environmentsFile || (!environments && name.includes('/')) || !fs.existsSync(file);
  }, () => lock.isHeld(), session?.output);
  timer.step('YAML and write');
  // A watch prints the table of workloads once; then each run's result.
  if (!session || session.runs === 0) run.stdout(`${formatSummary(summarize(built))}\n\n`);
  run.stdout(formatReport(validation));
  const into = environments ? `in ${environments.environments.length} environment(s) ` : '';
  const took = session ? ` in ${timer.total().toFixed(2)} s` : '';
  run.stdout(`cdk8s-ml: ${new Set(built.map((b) => b.source)).size} workload(s) ${into}-> ${display(config.outdir)}/: ${result.written.length} written, ${result.unchanged.length} unchanged, ${result.removed.length} removed${took}\n`);
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

  /** Seconds since the timer started. */
  public total(): number {
    return this.steps.reduce((sum, [, ms]) => sum + ms, 0) / 1000;
  }

  /** `read and build 0.61 s, ..., YAML and write 0.55 s; 2.10 s in all, after 0.30 s of start-up`. */
  public report(): string {
    const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    const total = this.steps.reduce((sum, [, ms]) => sum + ms, 0);
    return `${this.steps.map(([name, ms]) => `${name} ${seconds(ms)}`).join(', ')}; ${seconds(total)} in all, after ${seconds(this.last - total)} of start-up`;
  }
}
