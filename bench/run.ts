// npm run bench [-- --sizes 100,1000,3000 --runs 3 --environments 0 --granularity environment --out bench/results/latest.json --keep --hand-written]
//
// Times, per fleet size N, over several runs: (a) this project's full synth, from
// workload files to manifests on disk, as `npm run synth` runs it; (b) the reference
// app in plain cdk8s-plus-28 with one Chart per workload; (c) the serialization floor:
// dumping the very objects (a) wrote with a fast YAML emitter (js-yaml) and writing them.
// Prints a table with the ratios and peak memory, and writes the results as JSON.
// With --environments E, (a) builds every workload in E environments (an environments
// file) and (b) builds N x E charts, one per workload per environment. Both apps run as
// JavaScript compiled by esbuild beforehand, as `npm run synth` runs the app.
// --keep keeps each generated fleet (workloads/, environments.yaml) and prints where.
// --baseline REF also times the synth of another commit (git archive of REF, compiled the
// same way) on the same fleets, alternating with (a), for a side-by-side ratio;
// --no-reference skips (b), which takes minutes at 3,000 workloads.
// --hand-written also times each part written by hand for speed against the library it
// replaces, and synth without each (bench/hand-written.ts).
// --npm also times `npm run synth` itself, as a user runs it (npm's start, app/launch.cjs, V8's
// code cache), into a new output folder: the small sizes' figure (--sizes 1,300 --npm).
// --watch also times watch mode: from saving one edited workload file to its changed manifest on
// disk (bench/watch-latency.ts), at least 5 edits per size.
// --large adds the sizes 10,000, 30,000 and 100,000 (LARGE_SIZES), and prints how time grows
// from each size to the one ten times larger. Above 3,000 workloads (REFERENCE_UP_TO) neither (b)
// nor (c) is timed: (b) takes minutes per run at 3,000 already, and (c) parses every output file
// in the benchmark's own process.
// --two-processes also times the fleet split in two halves, synthesized by two processes at once
// (bench/two-processes.cjs), against one process on the whole fleet, alternating: what splitting the
// work over both cores gives at best; and the CPU time of (a), every thread's.
// --granularity workload writes `argocd.granularity: workload` into the environments file of (a)
// (an ApplicationSet per environment, a parameters file per workload); the baseline keeps today's
// environments file, so a/baseline is the cost of per-workload Applications.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as jsyaml from 'js-yaml';
import { parseAllDocuments } from 'yaml';
import { formatHandWritten, type HandWrittenResult, measureHandWritten } from './hand-written';

const root = path.resolve(__dirname, '..');

/** One measured series: seconds per run. */
export interface Series {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** The results for one fleet size. */
export interface SizeResult {
  readonly workloads: number;
  /** Environments each workload is built in; 0 without an environments file. */
  readonly environments: number;
  readonly synth: Series;
  /** (b), unless skipped. */
  readonly reference?: Series;
  /** (c), unless the size is above the limit for it. */
  readonly floor?: Series;
  /** The baseline commit's synth, when one is given and it did not fail. */
  readonly baseline?: Series;
  /** The baseline's peak RSS, MiB, when one is given. */
  readonly baselinePeakRssMiB?: number;
  /** Why the baseline failed at this size (out of memory, say): not timed from then on. */
  readonly baselineFailure?: string;
  readonly synthPeakRssMiB: number;
  /** Files (a) wrote: workload manifests, and per environment its kustomization and Namespaces, plus the Argo CD objects. */
  readonly synthFiles: number;
  readonly synthOverReference?: number;
  readonly synthOverFloor?: number;
  readonly synthOverBaseline?: number;
  /** The hand-written parts against their libraries, when asked for. */
  readonly handWritten?: HandWrittenResult;
  /** Watch mode: seconds from saving one edited workload file to its changed manifest on disk, when asked for. */
  readonly watchEdit?: Series;
  /** `npm run synth` as a user runs it, into a new output folder, when asked for. */
  readonly npmSynth?: Series;
  /** CPU seconds (user and system, every thread) of (a). */
  readonly synthCpu: Series;
  /** The fleet split in two halves, synthesized by two processes at once, and (a) on the whole fleet alternating with them, when asked for. */
  readonly twoProcesses?: { readonly halves: Series; readonly whole: Series };
}

/** What to time besides (a) and (c). */
export interface BenchOptions {
  /** A git commit (or any ref) whose synth is timed beside (a). */
  readonly baseline?: string;
  /** Time (b); default true. */
  readonly reference?: boolean;
  /** `argocd.granularity` of (a)'s environments file; the baseline's has none. @default environment */
  readonly granularity?: 'environment' | 'workload';
  /** Also time watch mode: how long one edited workload file takes to reach the output. @default false */
  readonly watch?: boolean;
  /** Also time `npm run synth` itself (npm's start, the launcher, the code cache) into a new output folder. @default false */
  readonly npm?: boolean;
  /** Time the hand-written parts against their libraries; default false. */
  readonly handWritten?: boolean;
  /** Also time the fleet split in two halves, synthesized by two processes at once (no environments). @default false */
  readonly twoProcesses?: boolean;
  /** The largest size at which (b) and (c) are timed. @default REFERENCE_UP_TO */
  readonly referenceUpTo?: number;
}

/** The sizes --large adds: where memory, not the code, limits a run. */
export const LARGE_SIZES: readonly number[] = [10_000, 30_000, 100_000];

/** Above this many workloads (b) and (c) are not timed: (b) takes minutes at 3,000, (c) holds every output object in the benchmark's process. */
export const REFERENCE_UP_TO = 3_000;

/** A mixed fleet: model servers (HPA, GPU with KEDA presets), CPU and queue-fed workers, nightly jobs. */
export function writeFleet(dir: string, count: number): void {
  fs.mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const base = `name: w${i}\nnamespace: ns-${i % 10}\nimage: registry.example.com/ml/model-${i}:1.0.${i}\n`;
    const variants = [
      `kind: ModelServing\n${base}service: { port: 80 }\nautoscaling: { minReplicas: 1, maxReplicas: 10, targetCPUUtilizationPercentage: 50 }\nprobes: { path: /healthz }\n`,
      `kind: MlPipeline\n${base}resources: { requests: { cpu: 500m }, limits: { cpu: 1000m } }\nautoscaling: { minReplicas: 1, maxReplicas: 10, targetCPUUtilizationPercentage: 80 }\n`,
      `kind: ModelServing\n${base}gpu: { count: 1 }\nautoscaling: { engine: keda, maxReplicas: 4, presets: [{ name: vllm-queue-length, target: 5 }] }\n`,
      `kind: MlPipeline\n${base}autoscaling:\n  minReplicas: 0\n  maxReplicas: 20\n  triggers: [{ type: rabbitmq, metadata: { queueName: q${i}, mode: QueueLength, value: 20 }, authentication: { secret: rabbitmq, parameters: { host: uri } } }]\n`,
      `kind: MlPipeline\n${base}mode: cronjob\ncron: { schedule: "0 2 * * *" }\n`,
    ];
    fs.writeFileSync(path.join(dir, `w${i}.yaml`), variants[i % variants.length]);
  }
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** An environments file of `count` environments, each a cluster of its own overriding the replica range. */
export function writeEnvironments(file: string, count: number, granularity = 'environment'): void {
  const environments = Array.from({ length: count }, (_, i) => `  env-${i + 1}:\n    cluster: https://env-${i + 1}.k8s.example.com\n    overrides: { autoscaling: { maxReplicas: ${i + 2} } }\n`);
  const argocd = granularity === 'environment' ? '' : `, granularity: ${granularity}`;
  fs.writeFileSync(file, `argocd: { repoURL: https://git.example.com/ml.git${argocd} }\nenvironments:\n${environments.join('')}`);
}

/** The baseline's environments file: today's, without the granularity of (a). */
const BASELINE_ENVIRONMENTS = 'environments.baseline.yaml';

/**
 * Compiles `entry` to one JavaScript file, as `npm run synth` does (esbuild, in
 * tens of milliseconds), so both apps are timed as compiled JavaScript.
 */
export function bundle(entry: string, from = root, name = `bench-${path.basename(entry, '.ts')}`): string {
  // Below the project, so that the packages the bundle leaves out resolve from its node_modules.
  const outfile = path.join(root, '.build', `${name}.js`);
  const esbuild = path.join(root, 'node_modules', '.bin', 'esbuild');
  const result = spawnSync(esbuild, [entry, '--bundle', '--platform=node', '--packages=external', '--log-level=warning', `--outfile=${outfile}`], { cwd: from, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`esbuild ${entry} failed:\n${result.stderr}`);
  return outfile;
}

/** The synth of commit `ref`, compiled like (a); its packages come from this checkout's node_modules. */
function bundleBaseline(ref: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-ml-bench-baseline-'));
  try {
    const archive = spawnSync('sh', ['-c', 'git -C "$0" archive "$1" | tar -x -C "$2"', root, ref, dir], { encoding: 'utf8' });
    if (archive.status !== 0) throw new Error(`cannot check out ${ref}: ${archive.stderr}`);
    return bundle('main.ts', dir, 'bench-baseline-main');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** What a failed run's error says, in a few words: `out of memory` for V8's heap limit, else the last line it printed. */
export function failureOf(message: string): string {
  if (/heap out of memory|Reached heap limit/.test(message)) return 'failed: out of memory';
  const lines = message.trim().split('\n');
  return `failed: ${lines[lines.length - 1].trim()}`;
}

/** Runs `args` with node from the project root; returns wall seconds, peak RSS in MiB and the CPU seconds it used. */
export function timeNode(args: string[], env: NodeJS.ProcessEnv): { seconds: number; rssMiB: number; cpuSeconds: number } {
  const rssFile = path.join(os.tmpdir(), `cdk8s-ml-bench-rss-${process.pid}`);
  try {
    settleDisk();
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, ['--require', path.join(root, 'bench/rss.cjs'), ...args], {
      cwd: root,
      env: { ...process.env, ...env, BENCH_RSS_FILE: rssFile, CDK8S_CHECK_UPGRADE: 'false' },
      encoding: 'utf8',
      // The summary of 9,000 workloads is more than spawnSync's 1 MiB buffer: it is not kept.
      stdio: ['ignore', 'ignore', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
    const elapsed = seconds(start);
    if (result.status !== 0) throw new Error(`${args.join(' ')} failed:\n${result.stderr}`);
    const [kib, cpu] = fs.readFileSync(rssFile, 'utf8').split(' ').map(Number);
    return { seconds: elapsed, rssMiB: kib / 1024, cpuSeconds: cpu / 1e6 };
  } finally {
    fs.rmSync(rssFile, { force: true });
  }
}

/**
 * Writes what earlier runs left in the page cache to disk before a timed run, so that no
 * run pays for flushing another's files (synth flushes its output's file system before it
 * switches to the new output; see the README's Crash safety).
 */
function settleDisk(): void {
  spawnSync('sync', { stdio: 'ignore' });
}

/** Dumps the objects in `from` with js-yaml into `to`: the cost of writing the output at all. */
function floor(from: string, to: string): number {
  const files = filesBelow(from).map((name) => ({
    name,
    objects: parseAllDocuments(fs.readFileSync(path.join(from, name), 'utf8')).map((d) => d.toJS()),
  }));
  for (const folder of new Set(files.map((f) => path.dirname(f.name)))) fs.mkdirSync(path.join(to, folder), { recursive: true });
  settleDisk();
  const start = process.hrtime.bigint();
  for (const file of files) {
    fs.writeFileSync(path.join(to, file.name), file.objects.map((o) => jsyaml.dump(o, { lineWidth: -1, noRefs: true })).join('---\n'));
  }
  return seconds(start);
}

function filesBelow(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesBelow(path.join(dir, e.name)).map((f) => `${e.name}/${f}`) : [e.name]);
}

/** Median (the mean of the middle two for an even count), min and max of `values`. */
export function series(values: readonly number[]): Series {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/** Runs the benchmark; `log` gets progress lines. */
export function runBenchmark(sizes: readonly number[], runs: number, log: (line: string) => void = () => undefined, environments = 0, keep = false, options: BenchOptions = {}): SizeResult[] {
  const app = bundle('main.ts');
  const referenceApp = options.reference === false ? undefined : bundle('bench/reference-app.ts');
  const baselineApp = options.baseline === undefined ? undefined : bundleBaseline(options.baseline);
  // The benchmark's own file work (writing every fleet, removing what the runs wrote) comes before the
  // first timed run and after the last, so that no run waits for the disk to catch up with it.
  const dirs = sizes.map((n) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cdk8s-ml-bench-${n}-`));
    writeFleet(path.join(dir, 'workloads'), n);
    if (environments > 0) {
      writeEnvironments(path.join(dir, 'environments.yaml'), environments, options.granularity);
      if (options.granularity === 'workload') writeEnvironments(path.join(dir, BASELINE_ENVIRONMENTS), environments);
    }
    return dir;
  });
  try {
    return sizes.map((n, i) => {
      const small = n <= (options.referenceUpTo ?? REFERENCE_UP_TO);
      const result = measure(n, dirs[i], runs, environments, { app, referenceApp: small ? referenceApp : undefined, baselineApp, handWritten: options.handWritten ?? false, floor: small }, log);
      const npmSynth = options.npm ? measureNpm(dirs[i], runs, environments, log) : undefined;
      // A fleet of one workload has no halves.
      const twoProcesses = options.twoProcesses && n >= 2 ? measureTwoProcesses(app, dirs[i], runs, log) : undefined;
      return { ...result, npmSynth, twoProcesses, watchEdit: options.watch ? measureWatch(app, dirs[i], Math.max(5, runs), environments, log) : undefined };
    });
  } finally {
    for (const [i, dir] of dirs.entries()) {
      if (keep) {
        // The fleet stays, for CDK8S_ML_TIMINGS=1 runs of synth on it; what the runs wrote goes.
        for (const entry of fs.readdirSync(dir)) if (!['workloads', 'environments.yaml', BASELINE_ENVIRONMENTS].includes(entry)) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
        log(`N=${sizes[i]}: fleet kept in ${dir}`);
      } else {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  }
}

/** Times (a), (b) and (c), the baseline when given and the hand-written parts when asked, `runs` times on the fleet of `n` workloads in `dir`. */
function measure(n: number, dir: string, runs: number, environments: number, apps: { app: string; referenceApp?: string; baselineApp?: string; handWritten: boolean; floor: boolean }, log: (line: string) => void): SizeResult {
  const environmentsFile = path.join(dir, 'environments.yaml');
  const synth: number[] = [];
  const cpu: number[] = [];
  const reference: number[] = [];
  const baseline: number[] = [];
  const floors: number[] = [];
  let rss = 0;
  let baselineRss = 0;
  let baselineFailure: string | undefined;
  let synthFiles = 0;
  const synthEnv = (out: string, file = environmentsFile) => ({ CDK8S_ML_WORKLOADS: path.join(dir, 'workloads'), CDK8S_ML_ENVIRONMENTS: environments > 0 ? file : 'none', CDK8S_OUTDIR: out });
  for (let run = 0; run < runs; run++) {
    const out = path.join(dir, `out-${run}`);
    // The baseline goes first in every other run, so that neither always follows the other.
    // A baseline that fails (runs out of memory at a size this commit handles) is a result, not an error.
    const timeBaseline = () => {
      const file = fs.existsSync(path.join(dir, BASELINE_ENVIRONMENTS)) ? path.join(dir, BASELINE_ENVIRONMENTS) : environmentsFile;
      if (!apps.baselineApp || baselineFailure !== undefined) return;
      try {
        const timed = timeNode([apps.baselineApp], synthEnv(path.join(dir, `baseline-${run}`), file));
        baseline.push(timed.seconds);
        baselineRss = Math.max(baselineRss, timed.rssMiB);
      } catch (e) {
        baselineFailure = failureOf((e as Error).message);
      }
    };
    if (run % 2 === 1) timeBaseline();
    const a = timeNode([apps.app], synthEnv(out));
    if (run % 2 === 0) timeBaseline();
    synth.push(a.seconds);
    cpu.push(a.cpuSeconds);
    rss = Math.max(rss, a.rssMiB);
    if (apps.referenceApp) reference.push(timeNode([apps.referenceApp], { BENCH_WORKLOADS: String(n * Math.max(environments, 1)), CDK8S_OUTDIR: path.join(dir, `reference-${run}`) }).seconds);
    synthFiles = filesBelow(out).length;
    if (apps.floor) floors.push(floor(out, path.join(dir, `floor-${run}`)));
    const timed = [`synth ${a.seconds.toFixed(2)} s`, ...(apps.baselineApp ? [baselineFailure ?? `baseline ${baseline[run].toFixed(2)} s`] : []), ...(apps.referenceApp ? [`reference ${reference[run].toFixed(2)} s`] : []), ...(apps.floor ? [`floor ${floors[run].toFixed(2)} s`] : [])];
    log(`N=${n} run ${run + 1}/${runs}: ${timed.join(', ')}`);
  }
  const s = series(synth);
  const r = apps.referenceApp ? series(reference) : undefined;
  const b = apps.baselineApp && baselineFailure === undefined ? series(baseline) : undefined;
  const f = apps.floor ? series(floors) : undefined;
  const handWritten = apps.handWritten ? measureHandWritten(dir, runs, synthEnv, { root, bundle, series, timeNode }, log) : undefined;
  return {
    workloads: n, environments, synth: s, synthCpu: series(cpu), reference: r, floor: f, baseline: b, synthPeakRssMiB: Math.round(rss), synthFiles,
    baselinePeakRssMiB: apps.baselineApp && baselineRss > 0 ? Math.round(baselineRss) : undefined, baselineFailure,
    synthOverReference: r && s.median / r.median, synthOverFloor: f && s.median / f.median, synthOverBaseline: b && s.median / b.median, handWritten,
  };
}

/**
 * `npm run synth` on the fleet in `dir`, as a user runs it (npm, app/launch.cjs, the code cache),
 * `runs` times into a new output folder; one run before, untimed, compiles and writes the cache.
 */
function measureNpm(dir: string, runs: number, environments: number, log: (line: string) => void): Series {
  const env = (out: string) => ({
    ...process.env, CDK8S_ML_WORKLOADS: path.join(dir, 'workloads'), CDK8S_ML_ENVIRONMENTS: environments > 0 ? path.join(dir, 'environments.yaml') : 'none', CDK8S_OUTDIR: out,
  });
  const npm = (out: string) => spawnSync('npm', ['run', '--silent', 'synth'], { cwd: root, env: env(out), stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const warm = npm(path.join(dir, 'npm-warm'));
  if (warm.status !== 0) throw new Error(`npm run synth failed:\n${warm.stderr}`);
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    settleDisk();
    const start = process.hrtime.bigint();
    const result = npm(path.join(dir, `npm-${run}`));
    times.push(seconds(start));
    if (result.status !== 0) throw new Error(`npm run synth failed:\n${result.stderr}`);
  }
  log(`npm run synth: ${times.map((t) => t.toFixed(2)).join(', ')} s`);
  return series(times);
}

/**
 * The fleet in `dir` split in two halves (every other file), synthesized by two processes started at
 * once (bench/two-processes.cjs), alternating with (a) on the whole fleet, `runs` times each: what
 * splitting the work over two cores gives at best, with no merging of results.
 */
function measureTwoProcesses(app: string, dir: string, runs: number, log: (line: string) => void): { halves: Series; whole: Series } {
  const files = fs.readdirSync(path.join(dir, 'workloads')).sort();
  for (const [i, half] of ['half-a', 'half-b'].entries()) {
    fs.mkdirSync(path.join(dir, half));
    for (const file of files.filter((_, j) => j % 2 === i)) fs.copyFileSync(path.join(dir, 'workloads', file), path.join(dir, half, file));
  }
  const halves: number[] = [];
  const whole: number[] = [];
  for (let run = 0; run < runs; run++) {
    settleDisk();
    const result = spawnSync(process.execPath, [path.join(root, 'bench/two-processes.cjs'), app, path.join(dir, 'half-a'), path.join(dir, `halves-${run}-a`), path.join(dir, 'half-b'), path.join(dir, `halves-${run}-b`)], { cwd: root, encoding: 'utf8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' } });
    if (result.status !== 0) throw new Error(`two processes failed:\n${result.stderr}`);
    halves.push(JSON.parse(result.stdout) as number);
    whole.push(timeNode([app], { CDK8S_ML_WORKLOADS: path.join(dir, 'workloads'), CDK8S_ML_ENVIRONMENTS: 'none', CDK8S_OUTDIR: path.join(dir, `whole-${run}`) }).seconds);
  }
  log(`two processes, half each: ${halves.map((t) => t.toFixed(2)).join(', ')} s; whole fleet in one: ${whole.map((t) => t.toFixed(2)).join(', ')} s`);
  return { halves: series(halves), whole: series(whole) };
}

/**
 * Watch mode on the fleet in `dir` (bench/watch-latency.ts, a process of its own): `edits` edits
 * of one workload file each, timed from the save to the changed manifest on disk.
 */
function measureWatch(app: string, dir: string, edits: number, environments: number, log: (line: string) => void): Series {
  const out = path.join(dir, 'watch-out');
  const environmentsFile = environments > 0 ? path.join(dir, 'environments.yaml') : 'none';
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench/watch-latency.ts'), app, dir, out, String(edits), environmentsFile], { cwd: root, encoding: 'utf8' });
  // The edits changed the fleet's files: put them back, so that a kept fleet is the one measured.
  writeFleet(path.join(dir, 'workloads'), fs.readdirSync(path.join(dir, 'workloads')).filter((f) => f.endsWith('.yaml')).length);
  fs.rmSync(out, { recursive: true, force: true });
  if (result.status !== 0) throw new Error(`watch-latency failed:\n${result.stderr}`);
  const seconds = JSON.parse(result.stdout) as number[];
  log(`watch: ${seconds.map((s) => s.toFixed(3)).join(', ')} s`);
  return series(seconds);
}

/** The results as a Markdown table. */
export function formatTable(results: readonly SizeResult[]): string {
  const fmt = (s?: Series) => (s ? `${s.median.toFixed(2)} (${s.min.toFixed(2)}-${s.max.toFixed(2)})` : '-');
  const ratio = (value: number | undefined, digits: number) => (value === undefined ? '-' : value.toFixed(digits));
  const baseline = results.some((r) => r.baseline || r.baselineFailure);
  const watch = results.some((r) => r.watchEdit);
  const npm = results.some((r) => r.npmSynth);
  const two = results.some((r) => r.twoProcesses);
  const fmt3 = (s?: Series) => (s ? `${s.median.toFixed(3)} (${s.min.toFixed(3)}-${s.max.toFixed(3)})` : '-');
  return [
    `| workloads | environments | (a) cdk8s-ml synth, s | (b) cdk8s-plus, chart per workload, s | (c) YAML floor, s | a/b | a/c | peak RSS of (a), MiB |${baseline ? ' baseline synth, s | a/baseline | peak RSS of baseline, MiB |' : ''}${npm ? ' npm run synth, s | npm/b |' : ''}${watch ? ' watch: one edit to disk, s |' : ''}${two ? ' CPU time of (a), s | one process, whole fleet, s | two processes at once, half each, s | one/two |' : ''}`,
    `| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |${baseline ? ' ---: | ---: | ---: |' : ''}${npm ? ' ---: | ---: |' : ''}${watch ? ' ---: |' : ''}${two ? ' ---: | ---: | ---: | ---: |' : ''}`,
    ...results.map((r) => `| ${r.workloads} | ${r.environments || '-'} | ${fmt(r.synth)} | ${fmt(r.reference)} | ${fmt(r.floor)} | ${ratio(r.synthOverReference, 2)} | ${ratio(r.synthOverFloor, 1)} | ${r.synthPeakRssMiB} |${baseline ? ` ${r.baselineFailure ?? fmt(r.baseline)} | ${ratio(r.synthOverBaseline, 2)} | ${r.baselinePeakRssMiB ?? '-'} |` : ''}${npm ? ` ${fmt(r.npmSynth)} | ${ratio(r.npmSynth && r.reference && r.npmSynth.median / r.reference.median, 2)} |` : ''}${watch ? ` ${fmt3(r.watchEdit)} |` : ''}${two ? ` ${fmt(r.synthCpu)} | ${fmt(r.twoProcesses?.whole)} | ${fmt(r.twoProcesses?.halves)} | ${ratio(r.twoProcesses && r.twoProcesses.whole.median / r.twoProcesses.halves.median, 2)} |` : ''}`),
  ].join('\n');
}

/** How (a)'s time grows with the fleet: one line per size that has a size ten times smaller beside it. */
export function formatGrowth(results: readonly SizeResult[]): string {
  return results.flatMap((r) => {
    const tenth = results.find((t) => t.workloads * 10 === r.workloads && t.environments === r.environments);
    return tenth ? [`time(${r.workloads}) / time(${tenth.workloads}) = ${(r.synth.median / tenth.synth.median).toFixed(1)} (linear: 10)`] : [];
  }).join('\n');
}

/** `Node v20.20.2, 2 x AMD EPYC, 23.5 GiB, default heap limit 4144 MiB, load average 0.10 at the start`: what the figures were taken on. */
export function describeMachine(): string {
  const cpus = os.cpus();
  const heap = v8.getHeapStatistics().heap_size_limit / 1024 / 1024;
  // A CA bundle named by NODE_EXTRA_CA_CERTS is read at every Node start (about 0.04 s on the development machine).
  const extraCerts = process.env.NODE_EXTRA_CA_CERTS ? ', NODE_EXTRA_CA_CERTS set' : '';
  return `Node ${process.version}, ${cpus.length} x ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB, default heap limit ${heap.toFixed(0)} MiB${extraCerts}, load average ${os.loadavg()[0].toFixed(2)} at the start`;
}

function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const given = option(args, 'sizes', process.env.BENCH_SIZES ?? '100,1000,3000').split(',').map(Number);
  const sizes = args.includes('--large') ? [...new Set([...given, ...LARGE_SIZES])].sort((a, b) => a - b) : given;
  const runs = Number(option(args, 'runs', process.env.BENCH_RUNS ?? '3'));
  const environments = Number(option(args, 'environments', process.env.BENCH_ENVIRONMENTS ?? '0'));
  const out = path.resolve(process.env.INIT_CWD ?? root, option(args, 'out', 'bench/results/latest.json'));
  const keep = args.includes('--keep');
  const baseline = args.includes('--baseline') ? option(args, 'baseline', '') : undefined;
  const granularity = option(args, 'granularity', 'environment');
  if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(runs) || runs < 1 || !Number.isInteger(environments) || environments < 0 || baseline === ''
    || (granularity !== 'environment' && granularity !== 'workload') || (granularity === 'workload' && environments === 0) || (args.includes('--two-processes') && environments > 0)) {
    process.stderr.write('usage: npm run bench -- [--sizes 100,1000,3000] [--runs 3] [--environments 0] [--granularity environment|workload (needs --environments)] [--out FILE] [--keep] [--baseline GIT-REF] [--no-reference] [--hand-written] [--watch] [--npm] [--large] [--two-processes (no --environments)]\n');
    process.exit(2);
  }
  const results = runBenchmark(sizes, runs, (line) => process.stderr.write(`${line}\n`), environments, keep, { baseline, reference: !args.includes('--no-reference'), handWritten: args.includes('--hand-written'), granularity, watch: args.includes('--watch'), npm: args.includes('--npm'), twoProcesses: args.includes('--two-processes') });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const machine = describeMachine();
  fs.writeFileSync(out, `${JSON.stringify({ node: process.version, cpus: os.cpus().length, machine, runs, environments, results }, null, 2)}\n`);
  const handWritten = results.flatMap((r) => (r.handWritten ? [`Hand-written parts, ${r.workloads} workloads:\n\n${formatHandWritten(r.handWritten)}\n\n`] : []));
  const growth = formatGrowth(results);
  process.stdout.write(`measured on ${machine}\n\n${formatTable(results)}\n\n${growth ? `${growth}\n\n` : ''}${handWritten.join('')}results written to ${path.relative(process.cwd(), out)}\n`);
}
