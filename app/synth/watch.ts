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
const SETTLE_MS = 10;

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
 * ReadDirectoryChangesW, below every folder; a workload file or folder reached through a symbolic
 * link inside it is re-checked on every run, but an edit to it alone starts none), not Node's fs.watch({ recursive }): on Linux, Node
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
  const watchers: Closable[] = environmentsFile === undefined ? [] : [watchFile(environmentsFile, changed, (e) => run.stderr(`cdk8s-ml: watch: ${String(e)}\n`))];
  const ready = Promise.resolve().then(() => subscribeWorkloads(workloadsDir, session, {
    changed,
    failed: (message) => {
      run.stderr(`cdk8s-ml: ${message}\n`);
      stop(1);
    },
    warn: (message) => run.stderr(`cdk8s-ml: ${message}\n`),
    display,
  }));
  void ready.then((subscription) => {
    watchers.push(subscription);
    if (stopping) return;
    // The first run once the watch is on: a change made while it runs is the next run's.
    runSynth(run, session);
    run.stderr(`cdk8s-ml: watching ${display(workloadsDir)}/${environmentsFile === undefined ? '' : ` and ${display(environmentsFile)}`}; Ctrl-C stops\n`);
  });
  function stop(code = 0): void {
    if (stopping) return;
    stopping = true;
    if (timer) clearTimeout(timer);
    void ready.catch(() => undefined).then(() => Promise.all(watchers.map((w) => w.close()))).then(() => {
      run.stderr('cdk8s-ml: watch stopped\n');
      resolveStopped(code);
    });
  }
  ready.catch((e: unknown) => {
    run.stderr(`cdk8s-ml: cannot watch ${display(workloadsDir)}/: ${String(e)}\n`);
    stop(1);
  });
  return { stopped, stop: () => stop(0) };
}

/** Watches one file by its folder: editors save by writing a new file and renaming it over the old, which a folder's watch reports by the file's name. */
function watchFile(file: string, changed: () => void, failed: (e: Error) => void): Closable {
  const folder = fs.watch(path.dirname(file), (_event, name) => {
    if (name === path.basename(file)) changed();
  });
  folder.on('error', failed);
  return folder;
}

/** What the watch of the workloads folder reports to. */
interface WorkloadEvents {
  /** A workload file may have changed: run again. */
  changed(): void;
  /** The watch cannot go on. */
  failed(message: string): void;
  warn(message: string): void;
  display(file: string): string;
}

/**
 * Watches the workloads folder with @parcel/watcher, noting in `session` which files changed.
 * Events name real paths: a workloads folder reached through a symbolic link is watched where it is.
 */
async function subscribeWorkloads(workloadsDir: string, session: SynthSession, on: WorkloadEvents): Promise<Closable> {
  const realDir = fs.realpathSync(workloadsDir);
  const subscription = await loadWatcher().subscribe(realDir, (error, events) => {
    if (error) {
      // Events may have been lost (an inotify queue overflow): every file is checked on the next run.
      on.warn(`watch: ${String(error)}; checking every workload file`);
      session.sawChange(undefined);
      on.changed();
    } else if (events.some((e) => e.path === realDir && e.type === 'delete')) {
      on.failed(`${on.display(workloadsDir)}/ went away; start the watch again once it is back`);
    } else if (noteChanges(session, realDir, workloadsDir, events)) {
      on.changed();
    }
  });
  return { close: () => subscription.unsubscribe() };
}

/**
 * Notes in `session` which workload files the events say changed; false when none of them can
 * change the output (an editor's temporary file, a hidden file).
 */
function noteChanges(session: SynthSession, realDir: string, workloadsDir: string, events: readonly { readonly type: string; readonly path: string }[]): boolean {
  let any = false;
  for (const event of events) {
    const relative = path.relative(realDir, event.path);
    // Hidden files and folders are no workload files (findYamlFiles skips them).
    if (relative.split(path.sep).some((part) => part.startsWith('.'))) continue;
    if (/\.ya?ml$/.test(event.path)) {
      // As synth names the file: below the workloads folder as it was given.
      session.sawChange(path.join(workloadsDir, relative));
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

/** @parcel/watcher, loaded only by a watch (a native module: plain synth does without it). */
function loadWatcher(): typeof import('@parcel/watcher') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@parcel/watcher') as typeof import('@parcel/watcher');
}

/** Where the environments file would be when there is none yet (a new one turns the output into environment folders); undefined with `none`. */
function environmentsPath(run: SynthRun): string | undefined {
  const given = run.env[SYNTH_ENV.environments.name] || undefined;
  if (given === SYNTH_ENV.environments.off) return undefined;
  return given ? path.resolve(run.env.INIT_CWD || run.cwd, given) : path.resolve(run.cwd, SYNTH_ENV.environments.default);
}
