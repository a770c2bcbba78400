import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The lock file synth holds in its output folder for the whole run. */
export const LOCK_FILE = '.cdk8s-ml.lock';

/** Who holds a lock: written into the lock file when it is taken. */
interface LockOwner {
  readonly pid: number;
  readonly host: string;
  /** When the owning process started (Linux: its start time in clock ticks since boot), to tell a reused PID. */
  readonly processStart?: string;
  /** ISO time the lock was taken. */
  readonly since: string;
  /** Unique per lock taken, so that an owner can tell its own lock from a successor's. */
  readonly token: string;
}

/** The output folder's lock is held by another synth and was not released in time. */
export class LockHeldError extends Error {
  constructor(public readonly file: string, public readonly holder: string, public readonly waitedSeconds: number) {
    super(`${file} is held by ${holder}`);
    this.name = 'LockHeldError';
  }
}

/** A lock taken by this process. */
export interface OutputLock {
  /** The lock file. */
  readonly file: string;
  /** True while the lock file is still this lock's (nobody broke it). */
  isHeld(): boolean;
  /** Removes the lock file, if it is still this lock's. */
  release(): void;
}

/** How long to wait for another synth, and what to say while waiting. */
export interface LockOptions {
  /** Seconds to wait for a lock another live synth holds; 0 fails at once. */
  readonly waitSeconds: number;
  /** Told once when the lock is busy and synth starts waiting. */
  readonly onWait: (holder: string) => void;
}

/**
 * Takes the exclusive lock of `folder` (which must exist): a file created
 * atomically (hard link of a complete file, so nobody reads a half-written
 * one) holding the owner's PID, host and process start time. A lock whose
 * owner is gone (same host, PID not running or reused) is stale and taken
 * over; a live one is waited for up to `waitSeconds`, then LockHeldError.
 * A lock of another host cannot be checked and is waited for like a live one.
 */
export function acquireOutputLock(folder: string, options: LockOptions): OutputLock {
  const file = path.join(folder, LOCK_FILE);
  const owner: LockOwner = { pid: process.pid, host: os.hostname(), processStart: processStart(process.pid), since: new Date().toISOString(), token: randomBytes(8).toString('hex') };
  const deadline = Date.now() + options.waitSeconds * 1000;
  let told = false;
  for (;;) {
    if (tryCreate(file, owner)) break;
    const current = readOwner(file);
    if (current === 'gone') continue;
    if (current !== 'unreadable' && isStale(current)) {
      breakStaleLock(file, current);
      continue;
    }
    const holder = describeOwner(current);
    if (Date.now() >= deadline) throw new LockHeldError(file, holder, options.waitSeconds);
    if (!told) options.onWait(holder);
    told = true;
    sleep(100);
  }
  return {
    file,
    isHeld: () => {
      const current = readOwner(file);
      return typeof current === 'object' && current.token === owner.token;
    },
    release() {
      if (this.isHeld()) fs.rmSync(file, { force: true });
    },
  };
}

/** Creates the lock file with `owner` in it, or returns false when one exists. */
function tryCreate(file: string, owner: LockOwner): boolean {
  const draft = `${file}.${owner.token}`;
  fs.writeFileSync(draft, `${JSON.stringify(owner)}\n`);
  try {
    fs.linkSync(draft, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    // A file system without hard links: an exclusive create, written at once.
    if (['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'].includes((e as NodeJS.ErrnoException).code ?? '')) return createExclusive(file, owner);
    throw e;
  } finally {
    fs.rmSync(draft, { force: true });
  }
}

function createExclusive(file: string, owner: LockOwner): boolean {
  try {
    fs.writeFileSync(file, `${JSON.stringify(owner)}\n`, { flag: 'wx' });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/** The owner in a lock file; 'gone' when it was just released, 'unreadable' when it holds something else. */
function readOwner(file: string): LockOwner | 'gone' | 'unreadable' {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw e;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockOwner>;
    return typeof parsed.pid === 'number' && typeof parsed.host === 'string' && typeof parsed.token === 'string' ? parsed as LockOwner : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

/** True when the owner is a process of this host that no longer runs (or whose PID now belongs to another process). */
function isStale(owner: LockOwner): boolean {
  if (owner.host !== os.hostname()) return false;
  if (!isRunning(owner.pid)) return true;
  const start = processStart(owner.pid);
  return owner.processStart !== undefined && start !== undefined && start !== owner.processStart;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs, as another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A process's start time (Linux /proc), or undefined where it cannot be read. */
function processStart(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name, in parentheses, may hold spaces: fields are counted after its closing one.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/**
 * Removes a stale lock without removing a successor's: the stale file is
 * renamed to a name of our own first, and put back when it turns out to be
 * a live lock another process took in the meantime.
 */
function breakStaleLock(file: string, stale: LockOwner): void {
  const aside = `${file}.stale.${process.pid}`;
  try {
    fs.renameSync(file, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  const moved = readOwner(aside);
  if (typeof moved === 'object' && moved.token !== stale.token) {
    try {
      fs.linkSync(aside, file);
    } catch {
      // A third process took the lock meanwhile; the one moved aside finds its lock gone (isHeld) and stops.
    }
  }
  fs.rmSync(aside, { force: true });
}

function describeOwner(owner: LockOwner | 'unreadable'): string {
  if (owner === 'unreadable') return 'a synth whose lock file cannot be read';
  return `the synth of process ${owner.pid} on host ${owner.host}, started ${owner.since}`;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
/** Blocks the thread for `ms` milliseconds (synth is synchronous). */
function sleep(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}
