import * as fs from 'node:fs';
import * as path from 'node:path';
import { notRegularCause, unreadableCause } from './input-files';

/** Where synth reads workloads from and writes manifests to. */
export interface SynthConfig {
  /** Folder of workload files. */
  readonly workloadsDir: string;
  /** Folder the manifests are written to. */
  readonly outdir: string;
  /** Print stack traces of unexpected errors. */
  readonly debug: boolean;
  /** Print how long each step of synth took. */
  readonly timings: boolean;
  /** The environments file: synth writes one folder per environment. Undefined without one. */
  readonly environmentsFile?: string;
  /** Why there is no environments file, for messages: `there is none (environments.yaml)`. */
  readonly noEnvironments: string;
  /** Seconds to wait for another synth that holds the output folder's lock. */
  readonly lockWaitSeconds: number;
}

/** Environment variables synth reads, with their defaults. */
export const SYNTH_ENV = {
  /** Folder of workload files. */
  workloads: { name: 'CDK8S_ML_WORKLOADS', default: 'workloads' },
  /** Output folder; `cdk8s synth -o DIR` sets it too. */
  outdir: { name: 'CDK8S_OUTDIR', default: 'dist' },
  /** `1` or `true` prints stack traces. */
  debug: { name: 'CDK8S_ML_DEBUG', default: '' },
  /** `1` or `true` prints how long each step of synth took. */
  timings: { name: 'CDK8S_ML_TIMINGS', default: '' },
  /** Environments file; when it exists, synth writes one folder per environment. `none` ignores it. */
  environments: { name: 'CDK8S_ML_ENVIRONMENTS', default: 'environments.yaml', off: 'none' },
  /** Seconds a synth waits for another one that holds the output folder's lock; 0 fails at once. */
  lockWait: { name: 'CDK8S_ML_LOCK_WAIT', default: '120' },
} as const;

/** Thrown for a bad environment override; the message names the variable. */
export class SynthConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SynthConfigError';
  }
}

/**
 * Reads the synth configuration from environment variables. The defaults
 * are relative to the project (`cwd`); a folder you give is relative to the
 * directory you typed the command in, which npm passes as INIT_CWD.
 */
export function readSynthConfig(env: NodeJS.ProcessEnv, cwd: string): SynthConfig {
  const given = (name: string) => env[name] || undefined;
  const userCwd = env.INIT_CWD || cwd;
  const workloads = given(SYNTH_ENV.workloads.name) ?? SYNTH_ENV.workloads.default;
  const outdir = given(SYNTH_ENV.outdir.name) ?? SYNTH_ENV.outdir.default;
  const workloadsDir = path.resolve(given(SYNTH_ENV.workloads.name) ? userCwd : cwd, workloads);
  const outdirPath = path.resolve(given(SYNTH_ENV.outdir.name) ? userCwd : cwd, outdir);
  if (!isDirectory(workloadsDir)) {
    throw new SynthConfigError(`${SYNTH_ENV.workloads.name}: '${workloads}' is not a directory; point it at the folder that holds your workload files (default '${SYNTH_ENV.workloads.default}')`);
  }
  if (fs.existsSync(outdirPath) && !isDirectory(outdirPath)) {
    throw new SynthConfigError(`${SYNTH_ENV.outdir.name}: '${outdir}' exists and is not a directory; choose another output folder (default '${SYNTH_ENV.outdir.default}')`);
  }
  if (isInside(outdirPath, workloadsDir)) {
    throw new SynthConfigError(`${SYNTH_ENV.outdir.name}: '${outdir}' is inside the workloads folder '${workloads}', so manifests would be read back as workload files; choose an output folder outside it`);
  }
  const environments = given(SYNTH_ENV.environments.name) ?? SYNTH_ENV.environments.default;
  const environmentsOff = environments === SYNTH_ENV.environments.off;
  const environmentsPath = path.resolve(given(SYNTH_ENV.environments.name) ? userCwd : cwd, environments);
  const environmentsStat = environmentsOff ? undefined : statEnvironmentsFile(environmentsPath, environments);
  if (given(SYNTH_ENV.environments.name) && !environmentsOff && !environmentsStat?.isFile()) {
    throw new SynthConfigError(`${SYNTH_ENV.environments.name}: '${environments}' is not a file; point it at your environments file, or set it to '${SYNTH_ENV.environments.off}' for one output folder (default '${SYNTH_ENV.environments.default}', used when it exists)`);
  }
  if (environmentsStat?.isFile() && isInside(environmentsPath, workloadsDir)) {
    throw new SynthConfigError(`${SYNTH_ENV.environments.name}: '${environments}' is inside the workloads folder '${workloads}', so it would be read as a workload file; keep it outside`);
  }
  return {
    workloadsDir,
    outdir: outdirPath,
    debug: readSwitch(env, SYNTH_ENV.debug, 'print stack traces'),
    timings: readSwitch(env, SYNTH_ENV.timings, 'print how long each step took'),
    environmentsFile: environmentsStat?.isFile() ? environmentsPath : undefined,
    noEnvironments: environmentsOff ? `${SYNTH_ENV.environments.name} is ${SYNTH_ENV.environments.off}` : `there is none (${environments})`,
    lockWaitSeconds: readSeconds(env, SYNTH_ENV.lockWait),
  };
}

/** A whole number of seconds, 0 or more. */
function readSeconds(env: NodeJS.ProcessEnv, variable: { readonly name: string; readonly default: string }): number {
  const value = env[variable.name] || variable.default;
  if (!/^\d{1,6}$/.test(value)) {
    throw new SynthConfigError(`${variable.name}: '${value}' is not a number of seconds; set a whole number such as ${variable.default} (the default), or 0 to fail at once`);
  }
  return Number(value);
}

/** A variable that is on (`1`, `true`) or off (unset, empty, `0`, `false`). */
function readSwitch(env: NodeJS.ProcessEnv, variable: { readonly name: string; readonly default: string }, does: string): boolean {
  const value = env[variable.name] ?? variable.default;
  if (!['', '0', 'false', '1', 'true'].includes(value)) {
    throw new SynthConfigError(`${variable.name}: '${value}' is not a switch; set it to 1 or true to ${does}, or leave it unset`);
  }
  return value === '1' || value === 'true';
}

/**
 * The environments file's stat, or undefined when there is none. One that is there but
 * cannot be read (a link to a missing file, a loop of links, no permission, a FIFO) is an
 * error: ignoring it would write one output folder instead of one per environment.
 */
function statEnvironmentsFile(file: string, shown: string): fs.Stats | undefined {
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat && fs.lstatSync(file, { throwIfNoEntry: false })) stat = fs.statSync(file);
  } catch (e) {
    throw new SynthConfigError(`${SYNTH_ENV.environments.name}: '${shown}' cannot be read: ${unreadableCause(e, file)}`);
  }
  if (stat && !stat.isFile() && !stat.isDirectory()) {
    throw new SynthConfigError(`${SYNTH_ENV.environments.name}: '${shown}' cannot be read: ${notRegularCause(stat)}`);
  }
  return stat;
}

function isDirectory(p: string): boolean {
  return fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/** True when `child` is `parent` or lies below it. */
export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
