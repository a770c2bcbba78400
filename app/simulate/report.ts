import type { SimulationResult, SimulationSummary } from '../../lib/simulation/types';

// What npm run simulate prints and writes: the summary (side by side for --compare) and the JSON.

/** One simulation and what it is called. */
export interface LabelledRun {
  readonly label: string;
  readonly result: SimulationResult;
}

/** '45s', '4m 30s', '2h 5m'. */
export function formatSeconds(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return s % 60 === 0 ? `${s / 60}m` : `${Math.floor(s / 60)}m ${s % 60}s`;
  const minutes = Math.floor((s % 3600) / 60);
  return minutes === 0 ? `${Math.floor(s / 3600)}h` : `${Math.floor(s / 3600)}h ${minutes}m`;
}

function round(n: number, digits = 1): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0, useGrouping: false });
}

/** The rows of the summary: a figure's name and its value in each run; rows no run has are left out. */
function rows(summaries: readonly SimulationSummary[]): [string, string[]][] {
  const each = (f: (s: SimulationSummary) => string) => summaries.map(f);
  const all: [string, string[] | undefined][] = [
    ['peak replicas', each((s) => `${s.peakReplicas} at ${formatSeconds(s.peakReplicasAt)}`)],
    ['longest catch-up (load above ready capacity until capacity caught up)', each((s) => formatSeconds(s.longestCatchUpSeconds))],
    ['load not served (unit-seconds over capacity)', each((s) => round(s.unservedUnitSeconds))],
    ['longest stretch not served', each((s) => formatSeconds(s.longestUnservedSeconds))],
    ['time above target utilization', each((s) => formatSeconds(s.secondsAboveTarget))],
    ['queue peak (units)', summaries.some((s) => s.peakQueue !== null) ? each((s) => (s.peakQueue === null ? '-' : round(s.peakQueue))) : undefined],
    ['replica-hours', each((s) => round(s.replicaHours, 2))],
    ['GPU-hours', summaries.some((s) => s.gpuHours > 0) ? each((s) => round(s.gpuHours, 2)) : undefined],
    ['cost', summaries.some((s) => s.cost !== undefined) ? each((s) => (s.cost === undefined ? '-' : round(s.cost, 2))) : undefined],
  ];
  return all.filter((r): r is [string, string[]] => r[1] !== undefined);
}

/** The summary as aligned columns, one per run. */
export function formatSummary(runs: readonly LabelledRun[]): string {
  const table = [['', ...runs.map((r) => r.label)], ...rows(runs.map((r) => r.result.summary)).map(([name, values]) => [name, ...values])];
  const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
  const duration = runs[0].result.summary.durationSeconds;
  const header = `simulated ${formatSeconds(duration)} in ${runs[0].result.series.length} steps of ${runs[0].result.stepSeconds}s`;
  return `${header}\n${table.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd()).join('\n')}\n`;
}

/** The JSON `--json` writes: the first run's step, series and summary, and the variant's beside them with --compare. */
export function simulationJson(runs: readonly LabelledRun[]): string {
  const [base, variant] = runs;
  const body = (r: LabelledRun) => ({ label: r.label, minReplicas: r.result.minReplicas, maxReplicas: r.result.maxReplicas, series: r.result.series, summary: r.result.summary });
  return `${JSON.stringify({ stepSeconds: base.result.stepSeconds, ...body(base), ...(variant ? { compare: body(variant) } : {}) })}\n`;
}
