import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const repoRoot = path.resolve(__dirname, '..');

/** What a command run in a child process did. */
export interface CommandResult {
  /** The exit code; null when it was killed (timed out). */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** True when it ran past its time and was killed: a hang. */
  readonly timedOut: boolean;
}

/** Options of runCommand. */
export interface CommandOptions {
  /** Where the command runs (synth: the project; validate: where paths are relative to). */
  readonly cwd: string;
  /** validate's paths. */
  readonly paths?: readonly string[];
  /** Variables for synth, besides PATH. */
  readonly env?: NodeJS.ProcessEnv;
  /** Run as this user id (and group id), e.g. to meet file permissions as a user other than root. */
  readonly uid?: number;
  /** @default 60000 */
  readonly timeoutMs?: number;
}

const SCRIPTS = {
  synth: `const { runSynth } = require(${JSON.stringify(path.join(repoRoot, 'app/synth/run-synth.ts'))});
process.exitCode = runSynth({ env: JSON.parse(process.env.TEST_SYNTH_ENV), cwd: process.env.TEST_CWD, stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) });`,
  validate: `const { runValidate } = require(${JSON.stringify(path.join(repoRoot, 'app/validate/run-validate.ts'))});
process.exitCode = runValidate({ paths: JSON.parse(process.env.TEST_PATHS), cwd: process.env.TEST_CWD, stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) });`,
};

/**
 * Runs synth or validate from the sources in a child process, so that a
 * hang (a FIFO read) ends in a timeout instead of stopping the test run,
 * and so that it can run as another user.
 */
export function runCommand(command: keyof typeof SCRIPTS, options: CommandOptions): CommandResult {
  const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', SCRIPTS[command]], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 60_000,
    uid: options.uid,
    gid: options.uid,
    env: {
      PATH: process.env.PATH,
      TEST_CWD: options.cwd,
      TEST_PATHS: JSON.stringify(options.paths ?? []),
      TEST_SYNTH_ENV: JSON.stringify(options.env ?? {}),
    },
  });
  return { code: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '', timedOut: result.error !== undefined || result.signal !== null };
}

/** The user id nobody (65534), used to meet file permissions when the tests run as root. */
export const NOBODY = 65534;

/**
 * How a test can meet a file it has no permission to read: as itself when it
 * is not root (chmod 000 stops it), as nobody when it is root and may run
 * commands as nobody (root reads any file), else not at all.
 */
export function unprivilegedUser(): { uid?: number } | undefined {
  if (process.getuid?.() !== 0) return {};
  const probe = spawnSync(process.execPath, ['--import', 'tsx', '-e', ''], { cwd: repoRoot, uid: NOBODY, gid: NOBODY, timeout: 30_000, env: { PATH: process.env.PATH } });
  return probe.status === 0 ? { uid: NOBODY } : undefined;
}
