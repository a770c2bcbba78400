// npm run bench -- --hand-written: each part written by hand for speed, against the library it replaces.
//
// First in this process, on the fleet's workload files (without environments), alternating, several runs:
// (a) the workload-file reader's fast path against the yaml package path it falls back to and js-yaml;
// (b) the YAML writer against cdk8s's Yaml.stringify and js-yaml; (c) KubeObject.toJson() against cdk8s's
// ApiObject.toJson(). Each library's result is compared with the hand-written part's. These medians are of
// warm code and caches. Then whole synth, as the bench runs it, with each part switched off in turn (and
// all at once) in a compiled copy of the app, alternating: the time each saves on the benchmark, and the
// only way to time (d) lib/util/remembered.ts, whose memoised functions are made when a module loads.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { ApiObject, App, Chart, Yaml } from 'cdk8s';
import * as jsyaml from 'js-yaml';
import { LineCounter } from 'yaml';
import { WORKLOAD_FILE_LIMITS, parseYamlStream } from '../app/config/input-limits';
import { parseSimpleYaml } from '../app/config/simple-yaml';
import { parseWorkloadFile } from '../app/config/workload-file';
import { WORKLOAD_KINDS } from '../app/config/workload-kinds';
import { objectsOf } from '../app/synth/apply-order';
import { emitYaml } from '../app/synth/emit-yaml';
import { KubeObject } from '../lib/kube/kube-object';
import type * as Run from './run';

/** One way of doing a part's work, timed. */
export interface Contender {
  readonly name: string;
  readonly seconds: Run.Series;
  /** Whether it gives what the hand-written part gives, on this fleet. */
  readonly sameResult: boolean;
}

/** A hand-written part (its first contender) and the libraries it replaces. */
export interface PartComparison {
  readonly part: string;
  readonly contenders: readonly Contender[];
}

/** Whole synth with one part (or all) switched off. */
export interface SynthWithout {
  readonly without: string;
  readonly seconds: Run.Series;
  /** Its median minus the median of synth with every part on. */
  readonly savedSeconds: number;
}

export interface HandWrittenResult {
  readonly parts: readonly PartComparison[];
  /** Synth with every part on, timed alternating with the runs below. */
  readonly synth: Run.Series;
  readonly without: readonly SynthWithout[];
}

/** What the bench already has: the project's root, compiling an entry, timing a process, medians. */
export type BenchTools = Pick<typeof Run, 'bundle' | 'series' | 'timeNode'> & { readonly root: string };

interface Way {
  readonly name: string;
  readonly run: () => unknown;
}

/** The fleet in `workloads`, read and built once; each part's ways of doing its work on it, the hand-written one first. */
function ways(workloads: string): { part: string; ways: Way[] }[] {
  const texts = fs.readdirSync(workloads).map((name) => fs.readFileSync(path.join(workloads, name), 'utf8'));
  // Synth drops each workload's chart once its objects are resolved; the contenders here need the charts.
  const app = new App();
  const charts = texts.flatMap((text, i) => parseWorkloadFile(String(i), text).documents.map(({ data: { kind, ...props } }, j) => {
    const chart = new Chart(app, `Workload${i}-${j}`);
    WORKLOAD_KINDS[kind as string](chart, 'Workload', { ...props, validation: false });
    return chart;
  }));
  const objects = charts.map(objectsOf);
  const kubeObjects = charts.flatMap((chart) => chart.node.findAll().filter((c) => c instanceof KubeObject));
  return [
    {
      part: 'workload-file reader',
      ways: [
        { name: 'parseSimpleYaml (app/config/simple-yaml.ts)', run: () => texts.map((t) => parseSimpleYaml(t, 'env')?.map((d) => d.data)) },
        // What parseWorkloadFile falls back to: parseAllDocuments' parser and composer, with the limits checked on its tokens.
        { name: 'yaml: parseYamlStream with a LineCounter, toJS()', run: () => texts.map((t) => parseYamlStream(t, { uniqueKeys: true, prettyErrors: false }, new LineCounter(), WORKLOAD_FILE_LIMITS).documents?.map((d) => d.toJS({ maxAliasCount: 100 }))) },
        { name: 'js-yaml: loadAll, CORE_SCHEMA', run: () => texts.map((t) => jsyaml.loadAll(t, null, { schema: jsyaml.CORE_SCHEMA })) },
      ],
    },
    {
      part: 'YAML writer',
      ways: [
        { name: 'emitYaml (app/synth/emit-yaml.ts)', run: () => objects.map((o) => emitYaml(...o)) },
        // The yaml package's stringify, with keepUndefined, lineWidth 0 and YAML 1.1.
        { name: 'cdk8s: Yaml.stringify', run: () => objects.map((o) => Yaml.stringify(...o)) },
        { name: 'js-yaml: dump, lineWidth -1, noRefs', run: () => objects.map((o) => o.map((d) => jsyaml.dump(d, { lineWidth: -1, noRefs: true })).join('---\n')) },
      ],
    },
    {
      part: 'KubeObject.toJson()',
      ways: [
        { name: 'KubeObject.toJson() (lib/kube/kube-object.ts)', run: () => kubeObjects.map((o) => o.toJson()) },
        { name: 'cdk8s: ApiObject.toJson()', run: () => kubeObjects.map((o) => ApiObject.prototype.toJson.call(o)) },
      ],
    },
  ];
}

/** `list` rotated left by `by`: each run starts with another contender. */
function rotated<T>(list: readonly T[], by: number): T[] {
  const start = by % list.length;
  return [...list.slice(start), ...list.slice(0, start)];
}

function timeInProcess(part: string, all: readonly Way[], runs: number, tools: BenchTools): PartComparison {
  const seconds = new Map(all.map((w) => [w, [] as number[]]));
  for (let run = 0; run < runs; run++) {
    for (const way of rotated(all, run)) {
      const start = process.hrtime.bigint();
      way.run();
      seconds.get(way)!.push(Number(process.hrtime.bigint() - start) / 1e9);
    }
  }
  const expected = all[0].run();
  return { part, contenders: all.map((w) => ({ name: w.name, seconds: tools.series(seconds.get(w)!), sameResult: isDeepStrictEqual(w.run(), expected) })) };
}

/**
 * Each part switched off by an early return, at the top of the function named, into
 * the library it replaces (or, for remembered, into the function it memoises).
 */
const SWITCHES = [
  { part: 'workload-file reader', file: 'app/config/simple-yaml.ts', fn: 'export function parseSimpleYaml(', off: 'return undefined;' },
  { part: 'YAML writer', file: 'app/synth/emit-yaml.ts', fn: 'export function emitYaml(', off: 'return Yaml.stringify(...docs);' },
  { part: 'KubeObject.toJson()', file: 'lib/kube/kube-object.ts', fn: 'function hasOnlyDefaultResolvers(', off: 'return false;' },
  { part: 'remembered (memoisation)', file: 'lib/util/remembered.ts', fn: 'export function remembered<', off: 'return compute;' },
] as const;

/** `source` with `off` as the first statement of the function that starts with `fn`. */
function switchedOff(source: string, { file, fn, off }: (typeof SWITCHES)[number]): string {
  const at = source.indexOf(fn);
  const body = at < 0 ? -1 : source.indexOf(' {\n', at);
  if (body < 0) throw new Error(`bench: ${file} has no '${fn}...' to switch off; update SWITCHES in bench/hand-written.ts`);
  return `${source.slice(0, body + 3)}  ${off}\n${source.slice(body + 3)}`;
}

/** Compiles the app from a copy of this checkout, with the parts in `off` switched off. */
function compileWithout(off: readonly (typeof SWITCHES)[number][], name: string, tools: BenchTools): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-ml-hand-written-'));
  try {
    for (const entry of ['main.ts', 'app', 'lib', 'tsconfig.json']) fs.cpSync(path.join(tools.root, entry), path.join(copy, entry), { recursive: true });
    for (const s of off) fs.writeFileSync(path.join(copy, s.file), switchedOff(fs.readFileSync(path.join(copy, s.file), 'utf8'), s));
    return tools.bundle('main.ts', copy, `bench-${name}`);
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

/**
 * Times the hand-written parts against their libraries on the fleet in `dir`, `runs` times.
 * `synthEnv` gives the environment synth runs with, writing into a folder.
 */
export function measureHandWritten(dir: string, runs: number, synthEnv: (out: string) => NodeJS.ProcessEnv, tools: BenchTools, log: (line: string) => void): HandWrittenResult {
  const parts = ways(path.join(dir, 'workloads')).map(({ part, ways: all }) => timeInProcess(part, all, runs, tools));
  const apps = [
    { without: '', app: compileWithout([], 'with-every-part', tools) },
    ...SWITCHES.map((s, i) => ({ without: s.part, app: compileWithout([s], `without-part-${i}`, tools) })),
    { without: 'every part', app: compileWithout(SWITCHES, 'without-every-part', tools) },
  ];
  // One output folder for every run, written once before: every variant writes the same files, so no run
  // writes thousands of new ones, whose time depends on the disk more than on the variant.
  const out = path.join(dir, 'hand-written-out');
  tools.timeNode([apps[0].app], synthEnv(out));
  const seconds = new Map(apps.map((a) => [a, [] as number[]]));
  for (let run = 0; run < runs; run++) {
    for (const a of rotated(apps, run)) seconds.get(a)!.push(tools.timeNode([a.app], synthEnv(out)).seconds);
    log(`hand-written parts: synth run ${run + 1}/${runs}: ${apps.map((a) => `${a.without ? `without ${a.without}` : 'with every part'} ${seconds.get(a)![run].toFixed(2)} s`).join(', ')}`);
  }
  const [all, ...without] = apps.map((a) => tools.series(seconds.get(a)!));
  return { parts, synth: all, without: without.map((s, i) => ({ without: apps[i + 1].without, seconds: s, savedSeconds: s.median - all.median })) };
}

/** The results as two Markdown tables. */
export function formatHandWritten(result: HandWrittenResult): string {
  const fmt = (s: Run.Series) => `${s.median.toFixed(3)} (${s.min.toFixed(3)}-${s.max.toFixed(3)})`;
  const synth = (s: Run.Series) => `${s.median.toFixed(2)} (${s.min.toFixed(2)}-${s.max.toFixed(2)})`;
  return [
    '| part | done by | s, in one process | x hand-written | same result |',
    '| --- | --- | ---: | ---: | --- |',
    ...result.parts.flatMap(({ part, contenders }) => contenders.map((c, i) =>
      `| ${i === 0 ? part : ''} | ${c.name} | ${fmt(c.seconds)} | ${(c.seconds.median / contenders[0].seconds.median).toFixed(2)} | ${c.sameResult ? 'yes' : 'no'} |`)),
    '',
    '| synth | s | saved by the part(s), s | of synth |',
    '| --- | ---: | ---: | ---: |',
    `| with every part | ${synth(result.synth)} | - | - |`,
    ...result.without.map((w) => `| without ${w.without} | ${synth(w.seconds)} | ${w.savedSeconds.toFixed(2)} | ${(100 * w.savedSeconds / result.synth.median).toFixed(1)}% |`),
  ].join('\n');
}
