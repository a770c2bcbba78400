import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFleet } from '../../../bench/run';
import { runSynth } from '../../../app/synth/run-synth';
import { recoverOutput, STAGING_FOLDER } from '../../../app/synth/output-switch';
import { LOCK_FILE } from '../../../app/synth/output-lock';
import { compileSynthProgram, snapshotFolder } from '../../helpers';

// Kills a real synth process at many points of its write over a previous output and checks
// that the output folder is then the whole old output or the whole new one. CI runs a small
// fleet; `CDK8S_ML_CRASH_SIZES=300,3000 npx jest test/app/synth/crash-safety` runs larger ones.
const SIZES = (process.env.CDK8S_ML_CRASH_SIZES ?? '40').split(',').map(Number);

let program = '';
let base = '';
beforeAll(() => {
  program = compileSynthProgram();
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-ml-crash-'));
});
afterAll(() => {
  fs.rmSync(program, { force: true });
  fs.rmSync(base, { recursive: true, force: true });
});

/** Synth in-process, from `project` into `outdir`; fails the test on a non-zero exit. */
function synthInProcess(project: string, outdir: string): void {
  let stderr = '';
  const code = runSynth({ env: { CDK8S_OUTDIR: outdir, CDK8S_ML_ENVIRONMENTS: 'none' }, cwd: project, stdout: () => undefined, stderr: (t) => { stderr += t; } });
  if (code !== 0) throw new Error(`synth failed: ${stderr}`);
}

/** The files of an output folder a user sees: synth's staging folder and lock left out. */
function visible(outdir: string): Record<string, string> {
  return Object.fromEntries(Object.entries(snapshotFolder(outdir)).filter(([name]) => !name.startsWith(`${STAGING_FOLDER}/`) && name !== LOCK_FILE));
}

/** The entries of `folder`; 0 when it is not there (the process under test may remove it at any moment). */
function count(folder: string): number {
  try {
    return fs.readdirSync(folder).length;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  }
}

/** A point of the write at which to kill: true once the output folder shows it. */
interface KillPoint {
  readonly name: string;
  readonly reached: (outdir: string) => boolean;
}

function killPoints(changed: number, replacedOrRemoved: number): KillPoint[] {
  const staging = (outdir: string) => path.join(outdir, STAGING_FOLDER);
  const committed = (outdir: string) => fs.existsSync(path.join(staging(outdir), 'switch.json'));
  const points: KillPoint[] = [{ name: 'staging folder made', reached: (o) => fs.existsSync(path.join(staging(o), 'new')) }];
  for (const share of [0.1, 0.5, 0.9, 1]) {
    const n = Math.max(1, Math.floor(changed * share));
    points.push({ name: `${n} of ${changed} new files staged`, reached: (o) => count(path.join(staging(o), 'new')) >= n });
  }
  points.push({ name: 'switch committed', reached: committed });
  for (const share of [0.1, 0.5, 1]) {
    const n = Math.max(1, Math.floor(replacedOrRemoved * share));
    points.push({ name: `${n} of ${replacedOrRemoved} old files moved aside`, reached: (o) => count(path.join(staging(o), 'old')) >= n });
  }
  for (const share of [0.1, 0.5, 0.9]) {
    const n = Math.max(1, Math.floor(changed * share));
    points.push({ name: `${n} of ${changed} new files moved in`, reached: (o) => committed(o) && count(path.join(staging(o), 'new')) <= changed - n });
  }
  points.push({ name: 'staging folder being removed', reached: (o) => fs.existsSync(staging(o)) && !committed(o) && count(path.join(staging(o), 'old')) > 0 });
  return points;
}

/** Runs synth as a process and kills it (SIGKILL) once `point` is reached, or lets it end. */
async function synthKilledAt(project: string, outdir: string, point: KillPoint): Promise<'killed' | 'ended'> {
  const env: NodeJS.ProcessEnv = { ...process.env, CDK8S_OUTDIR: outdir, CDK8S_ML_ENVIRONMENTS: 'none' };
  delete env.INIT_CWD;
  const child = spawn(process.execPath, [program], { cwd: project, env, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let ended = false;
  void exited.then(() => { ended = true; });
  const deadline = Date.now() + 60_000;
  // Polls the folder between turns of the event loop, so that the exit event is seen.
  while (!ended && Date.now() < deadline) {
    const until = Date.now() + 20;
    while (Date.now() < until) {
      if (point.reached(outdir)) {
        child.kill('SIGKILL');
        await exited;
        return 'killed';
      }
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  await exited;
  return 'ended';
}

describe.each(SIZES)('a synth of %d workloads killed during its write', (size) => {
  // base is made in beforeAll: every path below it is worked out when a test runs.
  let old = '';
  let changed = '';
  let oldOutput: Record<string, string> = {};
  let newOutput: Record<string, string> = {};
  const points = killPoints(size, size);
  let killedCommitted = 0;

  beforeAll(() => {
    old = path.join(base, `old-${size}`);
    changed = path.join(base, `new-${size}`);
    // The previous output; then every image changed, some workloads removed and some added.
    writeFleet(path.join(old, 'workloads'), size);
    writeFleet(path.join(changed, 'workloads'), size + Math.ceil(size / 10));
    const dropped = Math.ceil(size / 10);
    for (let i = 0; i < dropped; i++) fs.rmSync(path.join(changed, 'workloads', `w${i}.yaml`));
    for (const file of fs.readdirSync(path.join(changed, 'workloads'))) {
      const full = path.join(changed, 'workloads', file);
      fs.writeFileSync(full, fs.readFileSync(full, 'utf8').replace(/:1\.0\.(\d+)\n/, ':2.0.$1\n'));
    }
    synthInProcess(old, path.join(base, `reference-old-${size}`));
    fs.cpSync(path.join(base, `reference-old-${size}`), path.join(base, `reference-new-${size}`), { recursive: true });
    synthInProcess(changed, path.join(base, `reference-new-${size}`));
    oldOutput = snapshotFolder(path.join(base, `reference-old-${size}`));
    newOutput = snapshotFolder(path.join(base, `reference-new-${size}`));
  });

  test('the outputs differ in every file, so that a mix would show', () => {
    const names = new Set([...Object.keys(oldOutput), ...Object.keys(newOutput)]);
    expect([...names].every((name) => oldOutput[name] !== newOutput[name])).toBe(true);
    expect(Object.keys(oldOutput).some((name) => !(name in newOutput))).toBe(true);
    expect(Object.keys(newOutput).some((name) => !(name in oldOutput))).toBe(true);
  });

  test.each(points.map((p, i) => [p.name, i] as const))('at "%s": the old output or the new, whole; the next run leaves no trace', async (_name, index) => {
    const outdir = path.join(base, `out-${size}-${index}`);
    fs.cpSync(path.join(base, `reference-old-${size}`), outdir, { recursive: true });
    const outcome = await synthKilledAt(changed, outdir, points[index]);
    // Up to the commit, the run writes files (milliseconds each); the switch after it takes microseconds
    // per file, so on a busy machine a small run can end before a later point is seen.
    if (index <= points.findIndex((p) => p.name === 'switch committed')) expect(outcome).toBe('killed');
    const committed = fs.existsSync(path.join(outdir, STAGING_FOLDER, 'switch.json'));
    if (committed) killedCommitted += 1;
    // Without a committed switch, the folder is exactly one of the two outputs already.
    if (!committed) expect([oldOutput, newOutput]).toContainEqual(visible(outdir));
    // What the next run does first: finish (or discard) what the killed one left.
    recoverOutput(outdir);
    expect(visible(outdir)).toEqual(committed ? newOutput : visible(outdir));
    expect([oldOutput, newOutput]).toContainEqual(visible(outdir));
    expect(fs.existsSync(path.join(outdir, STAGING_FOLDER))).toBe(false);
    // The next successful run: the new output, and no temporary, marker or lock file.
    synthInProcess(changed, outdir);
    expect(snapshotFolder(outdir)).toEqual(newOutput);
    fs.rmSync(outdir, { recursive: true });
  }, 120_000);

  test('some kills landed after the commit, so that finishing a switch was tested', () => {
    expect(killedCommitted).toBeGreaterThan(0);
  });

  // Watch mode writes through the same switch: a watch killed while it stages the files of an edit
  // (every workload file changed at once, as a checkout of another branch does) leaves no half file.
  test('a watch killed while it stages the files of an edit: every file whole; the next run leaves no trace', async () => {
    const project = path.join(base, `watch-${size}`);
    fs.cpSync(old, project, { recursive: true });
    const outdir = path.join(project, 'out');
    const env: NodeJS.ProcessEnv = { ...process.env, CDK8S_OUTDIR: outdir, CDK8S_ML_ENVIRONMENTS: 'none', CDK8S_ML_DEBUG: '' };
    delete env.INIT_CWD;
    const child = spawn(process.execPath, [program, '--watch'], { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let printed = '';
    child.stdout!.on('data', (d) => { printed += String(d); });
    child.stderr!.on('data', (d) => { printed += String(d); });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    try {
      const deadline = Date.now() + 60_000;
      while (!(printed.includes(' written,') && printed.includes('Ctrl-C stops'))) {
        if (Date.now() > deadline) throw new Error(`the watch's first run did not end:\n${printed}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(visible(outdir)).toEqual(oldOutput);
      const workloads = path.join(project, 'workloads');
      for (const file of fs.readdirSync(workloads)) if (!fs.existsSync(path.join(changed, 'workloads', file))) fs.rmSync(path.join(workloads, file));
      for (const file of fs.readdirSync(path.join(changed, 'workloads'))) {
        fs.writeFileSync(path.join(workloads, `.${file}.tmp`), fs.readFileSync(path.join(changed, 'workloads', file)));
        fs.renameSync(path.join(workloads, `.${file}.tmp`), path.join(workloads, file));
      }
      const staged = path.join(outdir, STAGING_FOLDER, 'new');
      let killed = false;
      while (!killed && Date.now() < deadline) {
        const until = Date.now() + 20;
        while (!killed && Date.now() < until) {
          if (count(staged) >= 1) {
            child.kill('SIGKILL');
            killed = true;
          }
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(killed).toBe(true);
      await exited;
    } finally {
      child.kill('SIGKILL');
    }
    // The watcher may have seen the edit in several batches, each a run: the folder may hold the output of
    // a part of the edit, but every file in it is whole, the old one or the new one, before the next
    // run and after it finishes (or drops) what the killed one left.
    const whole = () => Object.entries(visible(outdir)).filter(([name, content]) => content !== oldOutput[name] && content !== newOutput[name]).map(([name]) => name);
    expect(whole()).toEqual([]);
    recoverOutput(outdir);
    expect(whole()).toEqual([]);
    // The next run: the new output, and no staging, temporary or lock file.
    synthInProcess(project, outdir);
    expect(snapshotFolder(outdir)).toEqual(newOutput);
  }, 120_000);
});
