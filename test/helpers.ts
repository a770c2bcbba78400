import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, type AppProps, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { runSynth } from '../app/synth/run-synth';

/** A synthesized Kubernetes object, as plain JSON. */
export type K8sObject = { kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: any; [key: string]: any };

// Tests turn charts into JSON and never synthesize an app to disk, so no app gets a
// folder of its own: cdk8s's Testing.app() and Testing.chart() make a temporary folder
// per call that nothing removes (hundreds per test run).
class TestApp extends App {
  public synth(): void {
    throw new Error('a test app is never synthesized to disk: read its charts with chart.toJson()');
  }
}

/** A fresh app for a test; unlike Testing.app(), it makes no folder, and it cannot be synthesized to disk. */
export function testApp(props: Omit<AppProps, 'outdir'> = {}): App {
  return new TestApp({ ...props, outdir: path.join(os.tmpdir(), 'cdk8s-ml-test-app-never-synthesized') });
}

/** A fresh chart in a fresh app for a test; unlike Testing.chart(), it makes no folder. */
export function testChart(): Chart {
  return new Chart(testApp(), 'test');
}

/** Builds one construct in a fresh chart and returns what it synthesizes. */
export function synthConstruct<P>(create: (scope: Construct, id: string, props: P) => unknown, props: P): K8sObject[] {
  const chart = testChart();
  create(chart, 'Workload', props);
  return chart.toJson();
}

/** The one object of `kind`; fails the test when there is not exactly one. */
export function only(objects: readonly K8sObject[], kind: string): K8sObject {
  const matches = objects.filter((o) => o.kind === kind);
  if (matches.length !== 1) throw new Error(`expected exactly one ${kind}, found ${matches.length}`);
  return matches[0];
}

/** The Deployment's first (only) container. */
export function container(objects: readonly K8sObject[]): any {
  return only(objects, 'Deployment').spec.template.spec.containers[0];
}

/** Every file below `dir`, as sorted paths relative to it (`prod/ns.name.k8s.yaml`). */
export function filesBelow(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesBelow(path.join(dir, e.name)).map((f) => `${e.name}/${f}`) : [e.name]).sort();
}

/** A throwaway project (a temporary folder with `workloads/`) for each test, and synth run in it. */
export interface TempProject {
  /** The project folder of the current test. */
  readonly root: string;
  /** Writes `text` to `file`, relative to the project, creating its folder. */
  write(file: string, text: string): void;
  /** Runs synth in the project; returns its exit code and output. */
  synth(env?: NodeJS.ProcessEnv): { code: number; stdout: string; stderr: string };
}

/** Registers a fresh TempProject per test (beforeEach / afterEach) and returns it. */
export function useTempProject(prefix: string): TempProject {
  let root = '';
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    fs.mkdirSync(path.join(root, 'workloads'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
  return {
    get root() { return root; },
    write(file, text) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    },
    synth(env = {}) {
      let stdout = '';
      let stderr = '';
      const code = runSynth({ env, cwd: root, stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
      return { code, stdout, stderr };
    },
  };
}

/**
 * Compiles main.ts as `npm run synth` does, into a file of its own below
 * `.build/` (so that its packages resolve), for tests that run synth as a
 * real process (to kill it, or run two at once). Returns the file; the
 * caller removes it.
 */
export function compileSynthProgram(): string {
  const root = path.resolve(__dirname, '..');
  const outfile = path.join(root, '.build', `test-main-${process.pid}-${Date.now()}.js`);
  const result = spawnSync(path.join(root, 'node_modules', '.bin', 'esbuild'), ['main.ts', '--bundle', '--platform=node', '--packages=external', '--log-level=warning', `--outfile=${outfile}`], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`esbuild main.ts failed:\n${result.stderr}`);
  return outfile;
}

/** Every file below dir with its content (hidden ones too), to compare whole output folders. */
export function snapshotFolder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const full = path.join(entry.parentPath, entry.name);
      out[path.relative(dir, full).split(path.sep).join('/')] = fs.readFileSync(full, 'utf8');
    }
  }
  return out;
}
