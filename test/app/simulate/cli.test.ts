import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// npm run simulate as a user runs it: the command compiled as package.json compiles it, run
// as a process from the project, its paths relative to a folder of its own (INIT_CWD).

const root = path.resolve(__dirname, '../../..');
let app: string;
let work: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-ml-simulate-'));
  app = path.join(work, 'simulate.js');
  const built = spawnSync(path.join(root, 'node_modules/.bin/esbuild'), ['simulate.ts', '--bundle', '--platform=node', '--packages=external', '--log-level=warning', `--outfile=${app}`], { cwd: root, encoding: 'utf8' });
  expect(built.stderr).toBe('');
  // The bundle resolves its packages from the project's node_modules.
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(work, 'node_modules'));
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function simulate(...args: string[]) {
  const r = spawnSync(process.execPath, [app, ...args], { cwd: root, env: { ...process.env, INIT_CWD: work, CDK8S_ML_DEBUG: '' }, encoding: 'utf8', timeout: 60_000 });
  // Never a stack trace, whatever the input.
  expect(r.stderr).not.toMatch(/\n\s+at /);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function write(name: string, text: string): string {
  fs.writeFileSync(path.join(work, name), text);
  return name;
}

const SERIES_KEYS = ['capacity', 'desiredReplicas', 'load', 'queue', 'readyReplicas', 't', 'unserved'];

test('a workload: the summary, the JSON (one element per sync) and the SVG chart beside it', () => {
  const r = simulate('fraud-detector', '--environment', 'prod', '--load', 'step:100,1000@30m', '--pod-capacity', '20', '--json', 'out/fd.json', '--cost-per-pod-hour', '0.5');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^simulated 2h in 480 steps of 15s\n/);
  for (const row of ['peak replicas', 'longest catch-up', 'load not served', 'longest stretch not served', 'time above target utilization', 'replica-hours', 'cost']) expect(r.stdout).toContain(row);
  expect(r.stdout).toContain('wrote out/fd.json and out/fd.svg');
  const json = JSON.parse(fs.readFileSync(path.join(work, 'out/fd.json'), 'utf8'));
  expect(json.stepSeconds).toBe(15);
  expect(json.series).toHaveLength(480);
  expect(Object.keys(json.series[0]).sort()).toEqual(SERIES_KEYS);
  expect(json.series[0]).toMatchObject({ t: 0, load: 100, queue: null });
  expect(json.summary.cost).toBeCloseTo(json.summary.replicaHours * 0.5);
  expect(fs.readFileSync(path.join(work, 'out/fd.svg'), 'utf8')).toMatch(/^<svg[^>]* width="\d+" height="\d+"/);
});

test.each([
  ['fraud-detector', 'HPA on cpu'],
  ['feature-extractor', 'HPA on cpu'],
  ['llm-server', 'KEDA, vLLM queue preset'],
  ['embedding-worker', 'KEDA, rabbitmq queue, scales to zero'],
])('every example workload simulates: %s (%s)', (workload) => {
  const r = simulate(workload, '--environment', 'prod', '--load', 'sine:0,100@1d', '--duration', '6h', '--pod-capacity', '10', '--json', `out/${workload}.json`);
  expect([r.code, r.stderr]).toEqual([0, '']);
  expect(r.stdout).toContain('simulated 6h in 1440 steps of 15s');
});

test('a batch workload has nothing to simulate, and says why', () => {
  const r = simulate('nightly-retrain', '--environment', 'prod', '--load', 'constant:1');
  expect(r.code).toBe(1);
  expect(r.stderr).toContain("workload 'nightly-retrain' runs as a CronJob: its pods run to completion and no HPA or ScaledObject scales them");
});

const DEPLOYMENT = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name} }
spec:
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers:
        - name: server
          image: registry.example.com/${name}:1.0.0
          resources: { requests: { cpu: 500m }, limits: { cpu: "1" } }
`;
const HPA = (name: string) => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: ${name} }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: ${name} }
  minReplicas: 2
  maxReplicas: 12
  metrics:
    - type: Resource
      resource: { name: cpu, target: { type: Utilization, averageUtilization: 70 } }
`;

test('a hand-written Deployment and HPA (no behavior) with a CSV load and with a Prometheus query_range response', () => {
  write('app.yaml', `${DEPLOYMENT('api')}---\n${HPA('api')}`);
  write('load.csv', 'time,value\n# a morning ramp\n0,10\n600,40\n1200,80\n1800,20\n');
  const csv = simulate('app.yaml', '--load', 'load.csv', '--pod-capacity', '10', '--pod-startup', '2m', '--json', 'out/api.json');
  expect([csv.code, csv.stderr]).toEqual([0, '']);
  // Up to one sync past the last point: (1800 + 15) / 15 steps.
  expect(csv.stdout).toContain('in 121 steps of 15s');
  const prometheus = JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [
    { metric: { pod: 'a' }, values: [[1764576000, '10'], [1764576060, '35'], [1764576120, '5']] },
    { metric: { pod: 'b' }, values: [[1764576000, '1'], [1764576060, '2']] },
  ] } });
  write('prom.json', prometheus);
  const picked = simulate('app.yaml', '--load', 'prom.json', '--series', 'pod="a"', '--json', 'out/prom.json');
  expect([picked.code, picked.stderr]).toEqual([0, '']);
  const json = JSON.parse(fs.readFileSync(path.join(work, 'out/prom.json'), 'utf8'));
  expect(json.series.map((p: { load: number }) => p.load).slice(0, 9)).toEqual([10, 10, 10, 10, 35, 35, 35, 35, 5]);
  const several = simulate('app.yaml', '--load', 'prom.json');
  expect(several.code).toBe(1);
  expect(several.stderr).toContain('prom.json: holds 2 series; pick one with --series');
});

test('a folder of manifests: --target picks among several autoscaled Deployments; none is an error', () => {
  fs.mkdirSync(path.join(work, 'many'), { recursive: true });
  write('many/a.yaml', `${DEPLOYMENT('a')}---\n${HPA('a')}`);
  write('many/b.yaml', `${DEPLOYMENT('b')}---\n${HPA('b')}`);
  const ambiguous = simulate('./many', '--load', 'constant:5');
  expect(ambiguous.code).toBe(1);
  expect(ambiguous.stderr).toContain('many holds 2 autoscaled Deployments (a, b); pick one with --target NAME');
  expect(simulate('./many', '--target', 'b', '--load', 'constant:5', '--json', 'out/b.json').code).toBe(0);
  fs.mkdirSync(path.join(work, 'plain'), { recursive: true });
  write('plain/a.yaml', DEPLOYMENT('a'));
  const none = simulate('./plain', '--load', 'constant:5');
  expect(none.code).toBe(1);
  expect(none.stderr).toContain('has no HorizontalPodAutoscaler (autoscaling/v2) or ScaledObject');
});

test('--compare: another environment and --set overrides, side by side in the summary and the JSON', () => {
  const r = simulate('fraud-detector', '--environment', 'prod', '--load', 'step:100,1000@30m', '--pod-capacity', '20', '--set', 'autoscaling.maxReplicas=60', '--json', 'out/cmp.json');
  expect([r.code, r.stderr]).toEqual([0, '']);
  expect(r.stdout).toMatch(/fraud-detector \(prod\)\s+fraud-detector \(autoscaling.maxReplicas=60\)/);
  const json = JSON.parse(fs.readFileSync(path.join(work, 'out/cmp.json'), 'utf8'));
  expect([json.maxReplicas, json.compare.maxReplicas]).toEqual([40, 60]);
  expect(json.compare.summary.unservedUnitSeconds).toBeLessThan(json.summary.unservedUnitSeconds);
  const env = simulate('fraud-detector', '--environment', 'prod', '--compare-environment', 'staging', '--load', 'constant:50', '--json', 'out/env.json');
  expect([env.code, env.stderr]).toEqual([0, '']);
  expect(env.stdout).toContain('fraud-detector (environment staging)');
});

test.each([
  [['no-such-model', '--load', 'constant:1'], 1, "no workload named 'no-such-model' in workloads/; there are: embedding-worker, feature-extractor, fraud-detector, llm-server, nightly-retrain"],
  [['fraud-detector', '--load', 'constant:1'], 1, "'fraud-detector' is built for 3 environments (dev, staging, prod); name one with --environment"],
  [['fraud-detector', '--environment', 'qa', '--load', 'constant:1'], 1, '--environment qa: environments.yaml has no such environment; it has dev, staging, prod'],
  [['fraud-detector', '--environment', 'prod', '--load', 'wobble:1'], 1, "--load: 'wobble:1' is neither a file nor a synthetic load"],
  [['fraud-detector', '--environment', 'prod', '--load', 'step:1@3'], 1, "--load: 'step:1@3' is not a step load; write step:A,B@T"],
  [['fraud-detector', '--environment', 'prod', '--load', 'constant:1', '--pod-capacity', '0'], 2, '--pod-capacity 0: give a number above 0'],
  [['fraud-detector', '--environment', 'prod', '--loud', 'constant:1'], 2, 'unknown flag --loud'],
  [['fraud-detector', '--environment', 'prod'], 2, '--load is required'],
  [['fraud-detector', '--environment', 'prod', '--load', 'constant:1', '--set', 'autoscaling.maxReplicas=-3'], 1, 'autoscaling.maxReplicas'],
  [['llm-server', '--environment', 'prod', '--load', 'constant:1', '--metric', 's0-prometheus=missing.csv'], 1, 'missing.csv: cannot be read: it does not exist'],
  [['llm-server', '--environment', 'prod', '--load', 'constant:1', '--metric', 's9-kafka=constant:3'], 1, '--metric s9-kafka: the autoscaler reads no metric of that name; it reads vllm-queue-length, s0-prometheus'],
  [['fraud-detector', '--environment', 'prod', '--load', 'constant:1', '--json', '/dev/null/out.json'], 1, 'cannot write'],
  [['fraud-detector', '--target', 'web', '--load', 'constant:1'], 2, '--target picks a Deployment in manifests; TARGET is a workload name'],
  [['./many', '--environment', 'prod', '--load', 'constant:1'], 2, '--environment is for a workload; TARGET is a manifest file or folder'],
  [['./many', '--set', 'replicas=2', '--load', 'constant:1'], 2, '--set and --compare-environment change a workload; TARGET is a manifest file or folder'],
])('bad input %#: exit %s, a message naming where', (args, code, message) => {
  const r = simulate(...args);
  expect(r.code).toBe(code);
  expect(r.stderr).toContain(message);
  if (code === 2) expect(r.stderr).toContain('usage: npm run simulate');
});

test('a bad CSV is named by file and line', () => {
  write('bad.csv', '0,10\n15,ten\n');
  const r = simulate('fraud-detector', '--environment', 'prod', '--load', 'bad.csv');
  expect(r.code).toBe(1);
  expect(r.stderr).toContain("bad.csv:2: the value 'ten' is not a number");
});

test('--help prints the usage and exits 0', () => {
  const r = simulate('--help');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('usage: npm run simulate -- TARGET --load FILE|SPEC [options]');
});
