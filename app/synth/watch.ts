import * as fs from 'node:fs';
import * as path from 'node:path';
import { readSynthConfig, SYNTH_ENV } from '../config/synth-config';
import { runSynth, type SynthRun } from './run-synth';
import { SynthSession } from './synth-session';

/** A watch: stops on `stop()` (Ctrl-C), and says when it did. */
export interface Watch {
  /** Resolves with the exit code once the watch has stopped. */
  readonly stopped: Promise<number>;
  stop(): void;
}

/** How long a watch waits after a change for the next one, so that a save touching several files (or a `git checkout`) is one run. */
export const SETTLE_MS = 10;

/** Something that stops watching. */
interface Closable {
  close(): Promise<void> | void;
}

/**
 * `npm run synth -- --watch`: synthesizes, then again on every change to the workload files or the
 * environments file, until stopped. A run that fails reports its problems as synth does and
 * writes nothing, so the last good output stays; the watch goes on. Each run redoes only what the
 * change touched (SynthSession). A configuration error (a workloads folder that is not there)
 * ends the watch after the first run.
 *
 * The workloads folder is watched with @parcel/watcher (inotify, FSEvents or
 * ReadDirectoryChangesW, below every folder), not Node's fs.watch({ recursive }): on Linux, Node
 * 20's recursive watch stops reporting a file once an editor has saved it by renaming a new file
 * over it, and chokidar 4 lost such a save too (both measured). The environments file's folder
 * is watched by itself with fs.watch, which reports such a rename by the file's name.
 */
export function watchSynth(run: SynthRun): Watch {
  const session = new SynthSession();
  let resolveStopped: (code: number) => void = () => undefined;
  const stopped = new Promise<number>((resolve) => {
    resolveStopped = resolve;
  });
  let config;
  try {
    config = readSynthConfig(run.env, run.cwd);
  } catch {
    // Reported as synth reports it.
    resolveStopped(runSynth(run, session));
    return { stopped, stop: () => undefined };
  }
  const { workloadsDir } = config;
  const environmentsFile = config.environmentsFile ?? environmentsPath(run);
  const display = (p: string) => path.relative(run.cwd, p).split(path.sep).join('/') || '.';
  let timer: NodeJS.Timeout | undefined;
  let stopping = false;
  const changed = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (!stopping) runSynth(run, session);
    }, SETTLE_MS);
  };
  const watchers: Closable[] = [];
  if (environmentsFile !== undefined) {
    // Editors save by writing a new file and renaming it over the old: the folder is watched, for the file's name.
    const folder = fs.watch(path.dirname(environmentsFile), (_event, name) => {
      if (name === path.basename(environmentsFile)) changed();
    });
    folder.on('error', (e) => run.stderr(`cdk8s-ml: watch: ${String(e)}\n`));
    watchers.push(folder);
  }
  const ready = import('@parcel/watcher').then((parcel) => parcel.subscribe(workloadsDir, (error, events) => {
    if (error) {
      run.stderr(`cdk8s-ml: watch: ${String(error)}\n`);
      return;
    }
    if (noteChanges(session, workloadsDir, events)) changed();
  })).then((subscription) => {
    watchers.push({ close: () => subscription.unsubscribe() });
    if (stopping) return;
    // The first run once the watch is on: a change made while it runs is the next run's.
    runSynth(run, session);
    run.stderr(`cdk8s-ml: watching ${display(workloadsDir)}/${environmentsFile === undefined ? '' : ` and ${display(environmentsFile)}`}; Ctrl-C stops\n`);
  });
  const stop = () => {
    if (stopping) return;
    stopping = true;
    if (timer) clearTimeout(timer);
    void ready.catch(() => undefined).then(() => Promise.all(watchers.map((w) => w.close()))).then(() => {
      run.stderr('cdk8s-ml: watch stopped\n');
      resolveStopped(0);
    });
  };
  ready.catch((e: unknown) => {
    run.stderr(`cdk8s-ml: cannot watch ${display(workloadsDir)}/: ${String(e)}\n`);
    stop();
  });
  return { stopped, stop };
}

/**
 * Notes in `session` which workload files the events say changed; false when none of them can
 * change the output (an editor's temporary file, a hidden file).
 */
function noteChanges(session: SynthSession, workloadsDir: string, events: readonly { readonly type: string; readonly path: string }[]): boolean {
  let any = false;
  for (const event of events) {
    // Hidden files and folders are no workload files (findYamlFiles skips them).
    if (path.relative(workloadsDir, event.path).split(path.sep).some((part) => part.startsWith('.'))) continue;
    if (/\.ya?ml$/.test(event.path)) {
      session.sawChange(event.path);
      any = true;
    } else if (event.type === 'create' && fs.statSync(event.path, { throwIfNoEntry: false })?.isDirectory()) {
      // A folder moved in may hold any files.
      session.sawChange(undefined);
      any = true;
    } else if (event.type === 'delete') {
      // A folder that went took its files with it (an editor's temporary file, nothing).
      any = true;
    }
  }
  return any;
}

/** Where the environments file would be when there is none yet (a new one turns the output into environment folders); undefined with `none`. */
function environmentsPath(run: SynthRun): string | undefined {
  const given = run.env[SYNTH_ENV.environments.name] || undefined;
  if (given === SYNTH_ENV.environments.off) return undefined;
  return given ? path.resolve(run.env.INIT_CWD || run.cwd, given) : path.resolve(run.cwd, SYNTH_ENV.environments.default);
}
