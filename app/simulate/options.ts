import { parse as parseYamlScalar } from 'yaml';
import { parseDuration } from './load-trace';

// The command line of npm run simulate.

/** A flag or argument that is wrong: exit code 2, with the usage. */
export class UsageError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** One `--set KEY=VALUE`: a workload-file key (dotted path) and its value, read as YAML. */
export interface Override {
  readonly path: readonly string[];
  readonly value: unknown;
  /** As written, for messages. */
  readonly text: string;
}

/** The variant `--compare` runs beside the workload. */
export interface Variant {
  /** A second workload file: the workload of the same name in it (or its only one). */
  readonly file?: string;
  /** Another environment of the same workload. */
  readonly environment?: string;
  readonly overrides: readonly Override[];
}

export interface SimulateOptions {
  /** A workload name, or a manifest file or folder. */
  readonly target: string;
  readonly environment?: string;
  /** The Deployment, among several in manifests. */
  readonly deployment?: string;
  readonly load: string;
  readonly series?: string;
  readonly durationSeconds?: number;
  readonly podCapacity?: number;
  readonly podStartupSeconds?: number;
  readonly syncPeriodSeconds: number;
  readonly metrics: readonly { readonly name: string; readonly file: string }[];
  readonly costPerPodHour?: number;
  readonly costPerGpuHour?: number;
  readonly json?: string;
  readonly chart?: string;
  readonly variant?: Variant;
}

export const USAGE = `usage: npm run simulate -- TARGET --load FILE|SPEC [options]

TARGET                 a workload name (its objects as synth builds them), or a manifest file or folder
--load FILE|SPEC       the load: a CSV (time,value), a Prometheus query_range JSON response, or a
                       synthetic shape: constant:V, step:A,B@T, ramp:A,B@T1-T2, sine:MIN,MAX@PERIOD,
                       spike:BASE,PEAK@T+D (T, D, PERIOD durations such as 90s, 30m, 2h, 1d)
--environment E        the workload as built for environment E (required when it is built for several)
--target NAME          the Deployment to simulate, among several in the manifests
--series MATCHER       the series of a Prometheus response with several, e.g. 'pod="a"'
--duration D           length of a synthetic load (default 2h; one period for sine)
--pod-capacity N       load units per second one ready pod serves at 100% of its cpu request
                       (default: the workload's simulation.podCapacity, else 1)
--pod-startup D        from pod creation to ready (default: simulation.podStartupSeconds, else 60s)
--sync-period D        the HPA's sync period (default 15s)
--metric NAME=FILE     values of a metric the load model does not have (repeatable)
--cost-per-pod-hour X  price of one pod for an hour; --cost-per-gpu-hour X: of one GPU
--json FILE            the series and summary as JSON (default simulation/<target>.json)
--chart FILE           the chart as SVG (default: beside the JSON, .svg)
--compare FILE         also run the workload of the same name in another workload file
--compare-environment E  also run the workload as built for environment E
--set KEY=VALUE        also run the workload with a workload-file key changed (repeatable),
                       e.g. --set autoscaling.behavior.scaleDown.stabilizationWindowSeconds=60
--help                 this text
`;

const VALUE_FLAGS = new Set(['--load', '--environment', '--target', '--series', '--duration', '--pod-capacity', '--pod-startup', '--sync-period', '--metric', '--cost-per-pod-hour', '--cost-per-gpu-hour', '--json', '--chart', '--compare', '--compare-environment', '--set']);

/** The options of `argv` (without node and the script); undefined for --help. Throws UsageError. */
export function parseOptions(argv: readonly string[]): SimulateOptions | undefined {
  const values = new Map<string, string[]>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return undefined;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    if (!VALUE_FLAGS.has(flag)) throw new UsageError(`unknown flag ${flag}`);
    const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || value.trim() === '' || (eq < 0 && value.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
    values.set(flag, [...(values.get(flag) ?? []), value]);
  }
  if (positional.length !== 1) throw new UsageError(positional.length === 0 ? 'name a workload, or a manifest file or folder' : `one TARGET only, got ${positional.join(' ')}`);
  const one = (flag: string) => {
    const given = values.get(flag);
    if (given && given.length > 1) throw new UsageError(`${flag} is given ${given.length} times; give it once`);
    return given?.[0];
  };
  const load = one('--load');
  if (load === undefined) throw new UsageError('--load is required: a CSV, a Prometheus query_range response, or a synthetic shape such as step:10,100@30m');
  const duration = (flag: string) => {
    const text = one(flag);
    return text === undefined ? undefined : usage(() => parseDuration(text, flag));
  };
  return {
    target: positional[0],
    environment: one('--environment'),
    deployment: one('--target'),
    load,
    series: one('--series'),
    durationSeconds: duration('--duration'),
    podCapacity: positiveNumber(one('--pod-capacity'), '--pod-capacity'),
    podStartupSeconds: duration('--pod-startup'),
    syncPeriodSeconds: positiveOr(duration('--sync-period'), '--sync-period', 15),
    metrics: (values.get('--metric') ?? []).map(metricTrace),
    costPerPodHour: nonNegativeNumber(one('--cost-per-pod-hour'), '--cost-per-pod-hour'),
    costPerGpuHour: nonNegativeNumber(one('--cost-per-gpu-hour'), '--cost-per-gpu-hour'),
    json: one('--json'),
    chart: one('--chart'),
    variant: variantOf(one('--compare'), one('--compare-environment'), values.get('--set') ?? []),
  };
}

/** A --duration or --pod-startup error is a usage error. */
function usage<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function positiveOr(value: number | undefined, flag: string, fallback: number): number {
  if (value !== undefined && value <= 0) throw new UsageError(`${flag} must be above 0`);
  return value ?? fallback;
}

function positiveNumber(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`${flag} ${text}: give a number above 0 (load units per second one ready pod serves)`);
  return value;
}

function nonNegativeNumber(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new UsageError(`${flag} ${text}: give a price, a number of 0 or more`);
  return value;
}

function metricTrace(text: string): { name: string; file: string } {
  const eq = text.indexOf('=');
  if (eq <= 0 || eq === text.length - 1) throw new UsageError(`--metric ${text}: write NAME=FILE, e.g. --metric s0-prometheus=queue.csv`);
  return { name: text.slice(0, eq), file: text.slice(eq + 1) };
}

function variantOf(file: string | undefined, environment: string | undefined, sets: readonly string[]): Variant | undefined {
  if (file !== undefined && environment !== undefined) throw new UsageError('give --compare FILE or --compare-environment E, not both');
  const overrides = sets.map(override);
  if (file === undefined && environment === undefined && overrides.length === 0) return undefined;
  return { file, environment, overrides };
}

function override(text: string): Override {
  const eq = text.indexOf('=');
  const key = eq < 0 ? '' : text.slice(0, eq);
  if (eq <= 0 || key.split('.').some((part) => part === '')) throw new UsageError(`--set ${text}: write KEY=VALUE with a workload-file key, e.g. --set autoscaling.maxReplicas=20`);
  let value: unknown;
  try {
    value = parseYamlScalar(text.slice(eq + 1));
  } catch (e) {
    throw new UsageError(`--set ${text}: the value is not YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  return { path: key.split('.'), value, text };
}
