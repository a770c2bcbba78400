// npm run bench:simulate [-- --workloads 3000 --runs 5 --out bench/results/simulate.json]
//
// Times npm run simulate's simulator: (a) one workload (an HPA on cpu, as synth writes it) over a
// week of 15-second syncs (40,320), in this process; (b) the same through the whole command
// (compiled as npm run simulate compiles it: building and checking the workloads, the chart and the
// JSON included), on the example fraud-detector; (c) every autoscaled workload of the bench's
// mixed fleet (bench/run.ts) over one day, in this process, after building the fleet once.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'cdk8s';
import { buildWorkloadsFromDir } from '../app/synth/build-workloads';
import { autoscaledDeployment } from '../app/simulate/targets';
import { simulate } from '../lib/simulation/simulate';
import type { HpaSpec } from '../lib/simulation/types';
import { bundle, type Series, series, writeFleet } from './run';

const root = path.resolve(__dirname, '..');
const WEEK = 7 * 86400;
const DAY = 86400;
/** A daily wave with noise-free steps: enough to move every autoscaler. */
const load = (t: number) => 50 + 45 * Math.sin((2 * Math.PI * t) / DAY) + (Math.floor(t / 900) % 4 === 0 ? 30 : 0);

export interface SimulateBenchResult {
  readonly weekInProcess: Series;
  readonly weekCommand: Series;
  readonly fleet: { readonly workloads: number; readonly simulated: number; readonly seconds: Series };
}

const HPA: HpaSpec = {
  scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'w' }, minReplicas: 2, maxReplicas: 40,
  metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }],
  behavior: { scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }, { type: 'Pods', value: 4, periodSeconds: 15 }] }, scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] } },
};

function seconds(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** (a), (b) and (c), `runs` times each, on a fleet of `workloads`. */
export function runSimulateBenchmark(workloads: number, runs: number, log: (line: string) => void = () => undefined): SimulateBenchResult {
  const week = () => simulate({ autoscaler: { kind: 'HorizontalPodAutoscaler', spec: HPA }, pod: { capacity: 5, startupSeconds: 90, gpus: 0 }, load, durationSeconds: WEEK });
  const weekInProcess = Array.from({ length: runs }, () => seconds(week));
  log(`a week, in process: ${weekInProcess.map((s) => s.toFixed(3)).join(', ')} s`);
  const app = bundle('simulate.ts', root, 'bench-simulate');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-ml-bench-simulate-'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-ml-bench-fleet-'));
  try {
    const weekCommand = Array.from({ length: runs }, () => seconds(() => {
      const r = spawnSync(process.execPath, [app, 'fraud-detector', '--environment', 'prod', '--load', 'sine:10,200@1d', '--duration', '7d', '--pod-capacity', '10', '--json', path.join(out, 'w.json')], { cwd: root, env: { ...process.env, INIT_CWD: root }, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`simulate failed: ${r.stderr}`);
    }));
    log(`a week, npm run simulate: ${weekCommand.map((s) => s.toFixed(3)).join(', ')} s`);
    writeFleet(path.join(dir, 'workloads'), workloads);
    const built = buildWorkloadsFromDir(new App(), path.join(dir, 'workloads'), (f) => f);
    const targets = built.flatMap(({ objects, config }) => {
      try {
        return [autoscaledDeployment(objects, config.name, config.name)];
      } catch {
        return []; // a batch workload: nothing to simulate
      }
    });
    const fleet = Array.from({ length: runs }, () => seconds(() => {
      for (const t of targets) simulate({ autoscaler: t.autoscaler, pod: { capacity: 5, startupSeconds: 90, gpus: 0 }, load, durationSeconds: DAY });
    }));
    log(`every workload of ${workloads} (${targets.length} autoscaled) over a day: ${fleet.map((s) => s.toFixed(2)).join(', ')} s`);
    return { weekInProcess: series(weekInProcess), weekCommand: series(weekCommand), fleet: { workloads, simulated: targets.length, seconds: series(fleet) } };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function formatSimulateTable(r: SimulateBenchResult): string {
  const fmt = (s: Series, digits = 3) => `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}-${s.max.toFixed(digits)})`;
  return [
    '| what | s |',
    '| --- | ---: |',
    `| one workload, a week of 15-s syncs (40,320), in process | ${fmt(r.weekInProcess)} |`,
    `| the same through npm run simulate (build, checks, chart, JSON) | ${fmt(r.weekCommand)} |`,
    `| every workload of a ${r.fleet.workloads}-workload fleet (${r.fleet.simulated} autoscaled), a day each, in process | ${fmt(r.fleet.seconds, 2)} |`,
  ].join('\n');
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const option = (name: string, fallback: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
  };
  const workloads = Number(option('workloads', '3000'));
  const runs = Number(option('runs', '5'));
  const out = path.resolve(option('out', path.join(root, 'bench', 'results', 'simulate.json')));
  if (!Number.isInteger(workloads) || workloads < 1 || !Number.isInteger(runs) || runs < 1) {
    process.stderr.write('usage: npm run bench:simulate -- [--workloads 3000] [--runs 5] [--out FILE]\n');
    process.exit(2);
  }
  const result = runSimulateBenchmark(workloads, runs, (line) => process.stderr.write(`${line}\n`));
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify({ node: process.version, cpus: os.cpus().length, runs, result }, null, 2)}\n`);
  process.stdout.write(`${formatSimulateTable(result)}\n\nresults written to ${path.relative(process.cwd(), out)}\n`);
}
