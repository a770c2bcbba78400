import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatHandWritten } from '../../bench/hand-written';
import { describeMachine, failureOf, formatGrowth, formatTable, runBenchmark, series, timeNode, writeFleet } from '../../bench/run';

// A smoke run of the benchmark at a tiny size: it measures, it does not judge speed.
jest.setTimeout(120_000);

test('the benchmark fleet is valid workloads of every kind it mixes', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-ml-fleet-'));
  writeFleet(dir, 5);
  const kinds = fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
  expect(kinds.filter((k) => k.includes('engine: keda'))).toHaveLength(1);
  expect(kinds.filter((k) => k.includes('mode: cronjob'))).toHaveLength(1);
  fs.rmSync(dir, { recursive: true });
});

test('a smoke run times all three and reports the ratios', () => {
  const [result] = runBenchmark([10], 1);
  expect(result.workloads).toBe(10);
  for (const s of [result.synth, result.reference, result.floor]) expect(s?.median).toBeGreaterThan(0);
  expect(result.synthPeakRssMiB).toBeGreaterThan(0);
  expect(result.synthFiles).toBe(10);
  expect(result.synthOverReference).toBeCloseTo(result.synth.median / result.reference!.median);
  expect(formatTable([result])).toMatch(/^\| 10 \| - \| /m);
});

test('above the limit for them, (b) and (c) are not timed; growth is reported from each size to the one ten times larger', () => {
  const results = runBenchmark([2, 20], 1, () => undefined, 0, false, { referenceUpTo: 5 });
  expect(results.map((r) => [r.workloads, r.reference !== undefined, r.floor !== undefined])).toEqual([[2, true, true], [20, false, false]]);
  expect(results[1].synthFiles).toBe(20);
  expect(formatTable(results)).toMatch(/^\| 20 \| - \| [\d.]+ \([\d.-]+\) \| - \| - \| - \| - \| \d+ \|$/m);
  expect(formatGrowth(results)).toMatch(/^time\(20\) \/ time\(2\) = \d+\.\d \(linear: 10\)$/);
  expect(formatGrowth([results[1]])).toBe('');
  expect(describeMachine()).toMatch(/^Node v\d+\.\d+\.\d+, \d+ x .+, [\d.]+ GiB, default heap limit \d+ MiB(, NODE_EXTRA_CA_CERTS set)?, load average [\d.]+ at the start$/);
});

test('with two processes, the fleet in two halves synthesized at once against one process on all of it, and (a)\'s CPU time', () => {
  const [result] = runBenchmark([6], 2, () => undefined, 0, false, { reference: false, twoProcesses: true });
  expect(result.twoProcesses!.halves.median).toBeGreaterThan(0);
  expect(result.twoProcesses!.whole.median).toBeGreaterThan(0);
  expect(result.synthCpu.median).toBeGreaterThan(0);
  expect(formatTable([result])).toMatch(/\| [\d.]+ \([\d.-]+\) \| [\d.]+ \([\d.-]+\) \| [\d.]+ \([\d.-]+\) \| [\d.]+ \|$/m);
});

test('--baseline times another commit\'s synth on the same fleet; --no-reference skips (b)', () => {
  const [result] = runBenchmark([4], 2, () => undefined, 0, false, { baseline: 'HEAD', reference: false });
  expect(result.baseline?.median).toBeGreaterThan(0);
  expect(result.synthOverBaseline).toBeCloseTo(result.synth.median / result.baseline!.median);
  expect(result.reference).toBeUndefined();
  expect(result.baselinePeakRssMiB).toBeGreaterThan(0);
  expect(formatTable([result])).toMatch(/^\| 4 \| - \| [\d.]+ \([\d.-]+\) \| - \| [\d.]+ \([\d.-]+\) \| - \| [\d.]+ \| \d+ \| [\d.]+ \([\d.-]+\) \| [\d.]+ \| \d+ \|$/m);
});

test('a baseline that fails at a size is reported as its result there: out of memory, or what it printed last', () => {
  expect(failureOf('node x.js failed:\n<--- Last few GCs --->\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n')).toBe('failed: out of memory');
  expect(failureOf('node x.js failed:\ncdk8s-ml: synth failed: Error: a bug\n')).toBe('failed: cdk8s-ml: synth failed: Error: a bug');
  const [result] = runBenchmark([2], 1, () => undefined, 0, false, { reference: false });
  const failed = { ...result, baseline: undefined, baselineFailure: 'failed: out of memory', baselinePeakRssMiB: 4200 };
  expect(formatTable([failed])).toMatch(/\| failed: out of memory \| - \| 4200 \|$/m);
});

test('--hand-written times each hand-written part against its libraries, and synth without each', () => {
  const [result] = runBenchmark([3], 1, () => undefined, 0, false, { reference: false, handWritten: true });
  const { parts, synth, without } = result.handWritten!;
  expect(parts.map((p) => p.part)).toEqual(['workload-file reader', 'YAML writer', 'KubeObject.toJson()']);
  for (const { seconds } of [...parts.flatMap((p) => p.contenders), { seconds: synth }, ...without]) expect(seconds.median).toBeGreaterThan(0);
  // Every library gives what the part it would replace gives, but js-yaml's writer, which quotes differently.
  expect(parts.flatMap((p) => p.contenders.filter((c) => !c.sameResult).map((c) => c.name))).toEqual(['js-yaml: dump, lineWidth -1, noRefs']);
  expect(without.map((w) => w.without)).toEqual(['workload-file reader', 'YAML writer', 'KubeObject.toJson()', 'remembered (memoisation)', 'every part']);
  expect(without[0].savedSeconds).toBeCloseTo(without[0].seconds.median - synth.median);
  expect(formatHandWritten(result.handWritten!)).toMatch(/^\| without every part \| [\d.]+ \([\d.-]+\) \| -?[\d.]+ \| -?[\d.]+% \|$/m);
  expect(result.reference).toBeUndefined();
});

test('with environments, synth builds every workload in each, and the reference as many charts', () => {
  const [result] = runBenchmark([5], 1, () => undefined, 2);
  expect(result.environments).toBe(2);
  // 5 workloads x 2 environments, a kustomization, its name references and Namespaces per environment,
  // 2 Applications and their kustomization and name references.
  expect(result.synthFiles).toBe(5 * 2 + 2 + 2 + 2 + 2 + 1 + 1);
  expect(formatTable([result])).toMatch(/^\| 5 \| 2 \| /m);
});

test('with granularity workload, synth writes a parameters file per workload and environment; the baseline keeps environment granularity', () => {
  const [result] = runBenchmark([3], 1, () => undefined, 2, false, { reference: false, baseline: 'HEAD', granularity: 'workload' });
  // As above, with 3 x 2 parameters files and one for each environment's Namespaces; two ApplicationSets instead of two Applications.
  expect(result.synthFiles).toBe(3 * 2 + 2 + 2 + 2 + 2 + 1 + 1 + 3 * 2 + 2);
  expect(result.baseline!.median).toBeGreaterThan(0);
});

test('with watch, the time from one edited workload file to its manifest on disk, and the fleet as it was', () => {
  const lines: string[] = [];
  const [result] = runBenchmark([6], 1, (line) => lines.push(line), 0, true, { reference: false, watch: true });
  expect(result.watchEdit!.median).toBeGreaterThan(0);
  expect(result.watchEdit!.median).toBeLessThan(10);
  expect(formatTable([result])).toMatch(/watch: one edit to disk, s \|\n.*\n\| 6 \| - \| .* \| \d\.\d{3} \(\d\.\d{3}-\d\.\d{3}\) \|$/m);
  const kept = lines.map((l) => /fleet kept in (.+)$/.exec(l)?.[1]).find((d) => d !== undefined)!;
  try {
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-ml-fleet-'));
    writeFleet(fresh, 6);
    for (const file of fs.readdirSync(fresh)) expect(fs.readFileSync(path.join(kept, 'workloads', file), 'utf8')).toBe(fs.readFileSync(path.join(fresh, file), 'utf8'));
    fs.rmSync(fresh, { recursive: true, force: true });
  } finally {
    fs.rmSync(kept, { recursive: true, force: true });
  }
});

test('with npm, npm run synth itself as a user runs it, beside (a)', () => {
  const [result] = runBenchmark([2], 1, () => undefined, 0, false, { reference: false, npm: true });
  expect(result.npmSynth!.median).toBeGreaterThan(0);
  expect(formatTable([result])).toMatch(/npm run synth, s \| npm\/b \|\n.*\n\| 2 \| - \| .* \| [\d.]+ \([\d.-]+\) \| - \|$/m);
});

test('--keep keeps the generated fleet, and only it, and says where', () => {
  const lines: string[] = [];
  runBenchmark([3], 1, (line) => lines.push(line), 1, true);
  const kept = /^N=3: fleet kept in (.+)$/m.exec(lines.join('\n'))?.[1];
  expect(kept).toBeDefined();
  try {
    expect(fs.readdirSync(kept!).sort()).toEqual(['environments.yaml', 'workloads']);
    expect(fs.readdirSync(path.join(kept!, 'workloads'))).toHaveLength(3);
  } finally {
    fs.rmSync(kept!, { recursive: true, force: true });
  }
});

test('every fleet is written before the first timed run, and everything is removed after the last', () => {
  const before = new Set(fs.readdirSync(os.tmpdir()));
  const fleets = () => fs.readdirSync(os.tmpdir()).filter((e) => e.startsWith('cdk8s-ml-bench-') && !before.has(e));
  const atEachRun: string[][] = [];
  runBenchmark([2, 3], 1, () => atEachRun.push(fleets()));
  // `cdk8s-ml-bench-<N>-<random>`: at the first run's progress line, both sizes' fleets are on disk.
  expect(atEachRun[0].map((e) => e.split('-')[3]).sort()).toEqual(['2', '3']);
  expect(fleets()).toEqual([]);
});

test('the median of an odd count is the middle run, of an even count the mean of the middle two', () => {
  expect(series([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3 });
  expect(series([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4 });
});

test('a timed process that fails is reported, and its peak-memory file goes all the same', () => {
  const rssFile = path.join(os.tmpdir(), `cdk8s-ml-bench-rss-${process.pid}`);
  expect(timeNode(['-e', '0'], {}).rssMiB).toBeGreaterThan(0);
  expect(fs.existsSync(rssFile)).toBe(false);
  expect(() => timeNode(['-e', 'process.exit(3)'], {})).toThrow('-e process.exit(3) failed');
  expect(fs.existsSync(rssFile)).toBe(false);
});
