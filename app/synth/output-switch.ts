import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Crash-safe output: every file a run writes is first written (and flushed
 * to disk) in a staging folder inside the output folder; then a journal that
 * lists every rename of the switch is committed with one atomic rename; then
 * the old files are moved aside and the new ones moved in. A run killed
 * before the commit leaves the old output (the next run removes the staging
 * folder); a run killed after it leaves the journal, from which the next run
 * finishes the switch before it does anything else. A switch that fails (a
 * file that cannot be moved) is undone, so a failed run changes nothing.
 */

/** The staging folder, inside the output folder; its name keeps YAML tools and Kustomize away from it. */
export const STAGING_FOLDER = '.cdk8s-ml-staging';
const JOURNAL = 'switch.json';
const NEW = 'new';
const OLD = 'old';

/** A file in the output folder could not be read, written or removed; the message names it. */
export class OutputError extends Error {
  /** What went wrong, without the file. */
  public readonly reason: string;

  /** `action` completes "cannot ... FILE": `write`, `remove`, `replace`. */
  constructor(public readonly file: string, reason: unknown, public readonly action = 'write') {
    const text = typeof reason === 'object' && reason !== null && 'message' in reason ? withoutPaths(reason as Error) : String(reason);
    super(`cannot ${action} ${file}: ${text}`);
    this.name = 'OutputError';
    this.reason = text;
  }
}

/** `EPERM: operation not permitted`, without the paths Node appends (`, rename 'a' -> 'b'`): the message names the file. */
function withoutPaths(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code !== undefined && error.message.startsWith(`${code}: `) ? error.message.replace(/, [a-z]+(?: '[^]*)?$/, '') : error.message;
}

/** What a switch does besides writing files, in names relative to the output folder (`prod/ns.name.k8s.yaml`). */
export interface SwitchPlan {
  /** Files to remove. */
  readonly remove: readonly string[];
  /** Folders to create before the files are moved in, parents first. */
  readonly createFolders: readonly string[];
  /** Folders to remove when the switch leaves them empty. */
  readonly pruneFolders: readonly string[];
}

/** The journal of a committed switch: enough to finish or undo it from any point. */
interface Journal {
  /** Files moved in: [name, staged file]. */
  readonly put: readonly [string, string][];
  /** Files moved aside (replaced or removed): [name, backup file]. */
  readonly aside: readonly [string, string][];
  readonly createFolders: readonly string[];
  readonly pruneFolders: readonly string[];
}

/**
 * A switch in the making. Each file to write goes into the staging folder as soon as it is
 * known, so that a fleet's files are never all in memory at once; commit() then carries out
 * the switch, and discard() drops what was staged (the output is as it was).
 */
export class StagedOutput {
  private readonly staging: string;
  private readonly put: [string, string][] = [];
  private opened = false;
  private committed = false;

  constructor(private readonly outdir: string) {
    this.staging = path.join(outdir, STAGING_FOLDER);
  }

  /** Stages `content` as the new file `name` (relative to the output folder). */
  public write(name: string, content: string): void {
    this.open();
    const staged = `${NEW}/${this.put.length}`;
    writeFile(path.join(this.staging, staged), content);
    this.put.push([name, staged]);
  }

  /**
   * Carries out the switch, crash-safely: the staged files and `plan` (names in `existing` are
   * replaced). `stillLocked` is asked just before the commit, so that a run whose lock was broken
   * never switches. Throws OutputError naming the file when anything fails, after undoing what
   * it did.
   */
  public commit(plan: SwitchPlan, existing: ReadonlySet<string>, stillLocked: () => boolean): void {
    if (this.put.length === 0 && plan.remove.length === 0) return;
    this.open();
    const journal: Journal = {
      put: this.put,
      aside: [...this.put.map(([name]) => name).filter((name) => existing.has(name)), ...plan.remove].map((name, i) => [name, `${OLD}/${i}`]),
      createFolders: plan.createFolders,
      pruneFolders: plan.pruneFolders,
    };
    writeFile(path.join(this.staging, `${JOURNAL}.draft`), `${JSON.stringify(journal)}\n`);
    const staged = [...journal.put.map(([, file]) => path.join(this.staging, file)), path.join(this.staging, `${JOURNAL}.draft`)];
    flushToDisk(this.staging, staged, [path.join(this.staging, NEW), this.staging]);
    if (!stillLocked()) throw new OutputError(this.outdir, 'another synth broke this run\'s lock of the folder; run synth again');
    // The commit: from here on, the next run finishes this switch if this one is killed.
    this.committed = true;
    fs.renameSync(path.join(this.staging, `${JOURNAL}.draft`), path.join(this.staging, JOURNAL));
    syncFolder(this.staging);
    finish(this.outdir, journal, false);
  }

  /**
   * Removes what this run staged, unless its switch was committed (the journal then stays for the
   * next run). A staging folder holding a committed journal is never removed here: it is not this
   * run's, or this run committed it.
   */
  public discard(): void {
    if (this.opened && !this.committed && !fs.existsSync(path.join(this.staging, JOURNAL))) fs.rmSync(this.staging, { recursive: true, force: true });
  }

  /** Makes the staging folder; one that is there already belongs to another run (its lock was taken over), and is left alone. */
  private open(): void {
    if (this.opened) return;
    try {
      // Not recursive: the folder is this run's only when this run made it.
      fs.mkdirSync(this.staging);
      this.opened = true;
      fs.mkdirSync(path.join(this.staging, NEW));
      fs.mkdirSync(path.join(this.staging, OLD));
    } catch (e) {
      throw new OutputError(this.staging, e);
    }
  }
}

/**
 * Brings an output folder left by a killed run back to a whole output: a
 * committed switch is finished (or undone, when it cannot be finished), an
 * uncommitted staging folder removed, and the temporary files of earlier
 * versions of synth (`.NAME.PID.tmp`) removed. Returns what it did, for the
 * report, or undefined when there was nothing to do.
 */
export function recoverOutput(outdir: string): 'finished' | 'discarded' | 'cleaned' | undefined {
  const staging = path.join(outdir, STAGING_FOLDER);
  let done: 'finished' | 'discarded' | 'cleaned' | undefined;
  if (fs.existsSync(path.join(staging, JOURNAL))) {
    finish(outdir, readJournal(path.join(staging, JOURNAL)), true);
    done = 'finished';
  } else if (fs.existsSync(staging)) {
    removeStaging(staging);
    done = 'discarded';
  }
  return removeOldTemporaryFiles(outdir) > 0 && done === undefined ? 'cleaned' : done;
}

function readJournal(file: string): Journal {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Journal;
  } catch (e) {
    throw new OutputError(file, `the journal of an interrupted synth cannot be read (${(e as Error).message}); restore the output folder from Git, delete ${STAGING_FOLDER}, and run synth again`);
  }
}

/** True when `outdir` holds a switch a killed run committed but did not finish. */
export function hasUnfinishedSwitch(outdir: string): boolean {
  return fs.existsSync(path.join(outdir, STAGING_FOLDER, JOURNAL));
}

/**
 * Moves old files aside and new ones in; undoes all of it when a step fails,
 * and throws. `resuming` (a journal a killed run left) skips each step that run
 * did already; the run that just committed knows none is done, and saves a
 * stat per file.
 */
function finish(outdir: string, journal: Journal, resuming: boolean): void {
  const staging = path.join(outdir, STAGING_FOLDER);
  const target = (name: string) => path.join(outdir, name);
  const inStaging = (name: string) => path.join(staging, name);
  try {
    for (const folder of journal.createFolders) mkdirIfMissing(target(folder));
    // Every old file goes aside before any new one comes in; each step is skipped when a
    // killed run did it already, so finishing again from any point gives the same result.
    const putNames = new Set(journal.put.map(([name]) => name));
    for (const [name, backup] of journal.aside) {
      if ((!resuming || !fs.existsSync(inStaging(backup))) && exists(target(name))) move(target(name), inStaging(backup), target(name), putNames.has(name) ? 'replace' : 'remove');
    }
    for (const [name, staged] of journal.put) {
      if (!resuming || fs.existsSync(inStaging(staged))) move(inStaging(staged), target(name), target(name), 'write');
    }
  } catch (e) {
    undo(outdir, journal);
    throw e;
  }
  for (const folder of journal.pruneFolders) removeIfEmpty(target(folder));
  // The files' data is on disk since the commit: making the renames durable takes an fsync of each folder they changed.
  for (const folder of touchedFolders(outdir, journal)) syncFolder(folder);
  removeStaging(staging);
}

/** Puts every file back where it was before the switch, and removes the folders it created. */
function undo(outdir: string, journal: Journal): void {
  const staging = path.join(outdir, STAGING_FOLDER);
  try {
    for (const [name, staged] of journal.put) {
      if (!fs.existsSync(path.join(staging, staged)) && exists(path.join(outdir, name))) fs.renameSync(path.join(outdir, name), path.join(staging, staged));
    }
    for (const [name, backup] of journal.aside) {
      if (fs.existsSync(path.join(staging, backup))) fs.renameSync(path.join(staging, backup), path.join(outdir, name));
    }
    for (const folder of [...journal.createFolders].reverse()) removeIfEmpty(path.join(outdir, folder));
  } catch {
    // Left as it is: the journal stays, and the next run tries again.
    return;
  }
  for (const folder of touchedFolders(outdir, journal)) syncFolder(folder);
  removeStaging(staging);
}

/** The folders whose entries a switch changes. */
function touchedFolders(outdir: string, journal: Journal): string[] {
  const names = [...journal.put, ...journal.aside].map(([name]) => path.dirname(name));
  return [...new Set(['.', ...names, ...journal.createFolders])].map((folder) => path.join(outdir, folder))
    .filter((folder) => fs.existsSync(folder));
}

/** Removes the staging folder, the journal first, so that a kill part way leaves an uncommitted (discardable) folder. */
function removeStaging(staging: string): void {
  fs.rmSync(path.join(staging, JOURNAL), { force: true });
  fs.rmSync(staging, { recursive: true, force: true });
}

function move(from: string, to: string, named: string, action: string): void {
  try {
    fs.renameSync(from, to);
  } catch (e) {
    throw new OutputError(named, e, action);
  }
}

function exists(file: string): boolean {
  return fs.lstatSync(file, { throwIfNoEntry: false }) !== undefined;
}

function mkdirIfMissing(folder: string): void {
  try {
    fs.mkdirSync(folder);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new OutputError(folder, e, 'create');
  }
}

function removeIfEmpty(folder: string): void {
  try {
    fs.rmdirSync(folder);
  } catch {
    // Not empty (a file synth did not write), or already gone: it stays.
  }
}

function writeFile(file: string, content: string): void {
  try {
    fs.writeFileSync(file, content);
  } catch (e) {
    throw new OutputError(file, e);
  }
}

/** Up to this many files, an fsync each is quicker than starting `sync -f` (about 20 ms). */
const FSYNC_EACH_UP_TO = 16;

/**
 * Makes what was written durable before the next step depends on it: one
 * syncfs(2) of the output's file system through coreutils' `sync -f` (tens of
 * milliseconds for thousands of files, where an fsync per file takes about
 * 0.5 s), or, for a few files (a watch's edit) or where that command is
 * missing, an fsync of each of `files` and `folders`.
 */
function flushToDisk(anywhere: string, files: readonly string[], folders: readonly string[]): void {
  if (files.length > FSYNC_EACH_UP_TO && spawnSync('sync', ['-f', anywhere], { stdio: 'ignore' }).status === 0) return;
  for (const file of files) syncFile(file);
  for (const folder of folders) syncFolder(folder);
}

function syncFile(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** fsync of a folder, which makes renames in it durable; not possible on every platform (Windows). */
function syncFolder(folder: string): void {
  try {
    syncFile(folder);
  } catch {
    // Nothing more can be done there.
  }
}

/** `.ns.name.k8s.yaml.1234.tmp`: what synth before the staging folder wrote beside a file it replaced. */
const OLD_TEMPORARY = /^\..+\.\d+\.tmp$/;

function removeOldTemporaryFiles(outdir: string): number {
  let removed = 0;
  const clean = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      if (entry.isFile() && OLD_TEMPORARY.test(entry.name) && /(\.k8s\.yaml|kustomization\.yaml)\.\d+\.tmp$/.test(entry.name)) {
        fs.rmSync(path.join(folder, entry.name));
        removed += 1;
      }
    }
  };
  clean(outdir);
  for (const entry of fs.readdirSync(outdir, { withFileTypes: true })) {
    if (entry.isDirectory() && !entry.name.startsWith('.')) clean(path.join(outdir, entry.name));
  }
  return removed;
}
