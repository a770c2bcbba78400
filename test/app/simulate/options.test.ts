import { parseOptions, type SimulateOptions, USAGE, UsageError } from '../../../app/simulate/options';

// The command line of npm run simulate: every flag in both spellings, the defaults, the
// repeatable flags, and every usage error (exit code 2, with the usage).

const BASE = ['fraud-detector', '--load', 'step:10,100@30m'];

/** The options of BASE and `extra`; parseOptions returns undefined only for --help. */
function parsed(...extra: string[]): SimulateOptions {
  const options = parseOptions([...BASE, ...extra]);
  if (options === undefined) throw new Error('parseOptions returned undefined (help) for options that do not ask for it');
  return options;
}

function usageError(argv: readonly string[]): UsageError {
  try {
    parseOptions(argv);
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error(`expected a UsageError for ${JSON.stringify(argv)}, nothing was thrown`);
}

/** Both spellings of a flag with a value: `--flag value` and `--flag=value`. */
const spellings = (flag: string, value: string): [string, string[]][] => [
  ['--flag value', [flag, value]],
  ['--flag=value', [`${flag}=${value}`]],
];

describe('defaults', () => {
  test('only TARGET and --load: the sync period is 15 s, nothing else is set', () => {
    expect(parseOptions(BASE)).toEqual({
      target: 'fraud-detector',
      environment: undefined,
      deployment: undefined,
      load: 'step:10,100@30m',
      series: undefined,
      durationSeconds: undefined,
      podCapacity: undefined,
      podStartupSeconds: undefined,
      syncPeriodSeconds: 15,
      metrics: [],
      costPerPodHour: undefined,
      costPerGpuHour: undefined,
      json: undefined,
      chart: undefined,
      variant: undefined,
    });
  });

  test('TARGET may come after the flags', () => {
    expect(parseOptions(['--load', 'constant:1', 'manifests/app.yaml'])).toMatchObject({ target: 'manifests/app.yaml', load: 'constant:1' });
  });
});

describe.each([
  ['--load', 'traces/peak.csv', { load: 'traces/peak.csv' }],
  ['--environment', 'prod', { environment: 'prod' }],
  ['--target', 'api', { deployment: 'api' }],
  ['--series', 'pod="a",code="200"', { series: 'pod="a",code="200"' }],
  ['--duration', '90m', { durationSeconds: 5400 }],
  ['--pod-capacity', '12.5', { podCapacity: 12.5 }],
  ['--pod-startup', '2m', { podStartupSeconds: 120 }],
  ['--sync-period', '30s', { syncPeriodSeconds: 30 }],
  ['--metric', 's0-prometheus=queue.csv', { metrics: [{ name: 's0-prometheus', file: 'queue.csv' }] }],
  ['--cost-per-pod-hour', '0.25', { costPerPodHour: 0.25 }],
  ['--cost-per-gpu-hour', '2.5', { costPerGpuHour: 2.5 }],
  ['--json', 'out/run.json', { json: 'out/run.json' }],
  ['--chart', 'out/run.svg', { chart: 'out/run.svg' }],
  ['--compare', 'other/fraud-detector.yaml', { variant: { file: 'other/fraud-detector.yaml', environment: undefined, overrides: [] } }],
  ['--compare-environment', 'staging', { variant: { file: undefined, environment: 'staging', overrides: [] } }],
  ['--set', 'autoscaling.maxReplicas=60', { variant: { file: undefined, environment: undefined, overrides: [{ path: ['autoscaling', 'maxReplicas'], value: 60, text: 'autoscaling.maxReplicas=60' }] } }],
])('%s %s', (flag, value, expected) => {
  test.each(spellings(flag, value))('%s', (_, args) => {
    // --load is in BASE; give it alone so that it is not given twice.
    const options = flag === '--load' ? parseOptions(['fraud-detector', ...args]) : parsed(...args);
    expect(options).toMatchObject(expected);
  });
});

describe('values', () => {
  test('the value after = keeps every later =, and may start with --', () => {
    expect(parsed('--set=labels.team=a=b').variant?.overrides[0]).toEqual({ path: ['labels', 'team'], value: 'a=b', text: 'labels.team=a=b' });
    expect(parsed('--metric=q=data/a=b.csv').metrics).toEqual([{ name: 'q', file: 'data/a=b.csv' }]);
    expect(parsed('--json=--out.json').json).toBe('--out.json');
  });

  test('a price of 0 is a price', () => {
    expect(parsed('--cost-per-pod-hour', '0', '--cost-per-gpu-hour=0')).toMatchObject({ costPerPodHour: 0, costPerGpuHour: 0 });
  });

  test('durations in seconds and with units', () => {
    expect(parsed('--duration', '45', '--pod-startup', '1.5m', '--sync-period', '1m')).toMatchObject({ durationSeconds: 45, podStartupSeconds: 90, syncPeriodSeconds: 60 });
  });
});

describe('repeatable flags', () => {
  test('--metric: one trace per NAME=FILE, in order', () => {
    expect(parsed('--metric', 's0-prometheus=queue.csv', '--metric=s1-rabbitmq=rabbit.json').metrics).toEqual([
      { name: 's0-prometheus', file: 'queue.csv' },
      { name: 's1-rabbitmq', file: 'rabbit.json' },
    ]);
  });

  test('--set: every override, each value read as YAML', () => {
    const options = parsed(
      '--set', 'autoscaling.maxReplicas=60',
      '--set=autoscaling.behavior.scaleDown.stabilizationWindowSeconds=0',
      '--set', 'simulation.podCapacity=12.5',
      '--set', 'monitoring.enabled=false',
      '--set', 'gitops.autoSync=true',
      '--set', 'image.tag=1.2.3',
      '--set', 'labels.team=fraud',
      '--set', 'image.digest="60"',
      '--set', 'resources.requests.cpu=500m',
    );
    expect(options.variant?.overrides.map((o) => [o.path.join('.'), o.value])).toEqual([
      ['autoscaling.maxReplicas', 60],
      ['autoscaling.behavior.scaleDown.stabilizationWindowSeconds', 0],
      ['simulation.podCapacity', 12.5],
      ['monitoring.enabled', false],
      ['gitops.autoSync', true],
      ['image.tag', '1.2.3'],
      ['labels.team', 'fraud'],
      ['image.digest', '60'],
      ['resources.requests.cpu', '500m'],
    ]);
    expect(options.variant).toMatchObject({ file: undefined, environment: undefined });
  });

  test('--set goes with --compare or --compare-environment into the one variant', () => {
    expect(parsed('--compare-environment', 'staging', '--set', 'autoscaling.maxReplicas=20').variant).toEqual({
      file: undefined,
      environment: 'staging',
      overrides: [{ path: ['autoscaling', 'maxReplicas'], value: 20, text: 'autoscaling.maxReplicas=20' }],
    });
    expect(parsed('--compare=b.yaml', '--set=replicas=3').variant).toMatchObject({ file: 'b.yaml', overrides: [{ path: ['replicas'], value: 3 }] });
  });
});

describe('--help', () => {
  test.each([
    [['--help']],
    [['-h']],
    [['fraud-detector', '--help']],
    // --help wins over what would be an error after it.
    [['--help', 'a', 'b']],
    [['fraud-detector', '--environment', 'prod', '--help', '--pod-capacity', '0']],
  ])('%j returns undefined', (argv) => {
    expect(parseOptions(argv)).toBeUndefined();
  });

  test('the usage names every flag', () => {
    for (const flag of ['--load', '--environment', '--target', '--series', '--duration', '--pod-capacity', '--pod-startup', '--sync-period', '--metric', '--cost-per-pod-hour', '--cost-per-gpu-hour', '--json', '--chart', '--compare', '--compare-environment', '--set', '--help']) {
      expect(USAGE).toMatch(new RegExp(`(^|\\s)${flag}[ :]`, 'm'));
    }
  });
});

describe('usage errors', () => {
  test.each([
    ['an unknown flag', [...BASE, '--loud', 'x'], 'unknown flag --loud'],
    ['an unknown flag with =', [...BASE, '--pod-capacty=3'], 'unknown flag --pod-capacty'],
    ['a missing value at the end', ['fraud-detector', '--load'], '--load needs a value'],
    ['a flag where the value should be', ['fraud-detector', '--environment', '--load', 'constant:1'], '--environment needs a value'],
    ['an empty value after =', [...BASE, '--json='], '--json needs a value'],
    ['an empty value', ['fraud-detector', '--load', ''], '--load needs a value'],
    ['no TARGET', ['--load', 'constant:1'], 'name a workload, or a manifest file or folder'],
    ['two TARGETs', ['fraud-detector', 'llm-server', '--load', 'constant:1'], 'one TARGET only, got fraud-detector llm-server'],
    ['no --load', ['fraud-detector', '--environment', 'prod'], '--load is required: a CSV, a Prometheus query_range response, or a synthetic shape such as step:10,100@30m'],
    ['--load twice', [...BASE, '--load=constant:1'], '--load is given 2 times; give it once'],
    ['--environment twice', [...BASE, '--environment', 'prod', '--environment', 'dev'], '--environment is given 2 times; give it once'],
    ['--json twice', [...BASE, '--json', 'a.json', '--json=b.json'], '--json is given 2 times; give it once'],
    ['a bad --duration', [...BASE, '--duration', '2 hours'], '--duration 2 hours: not a duration; write seconds (45) or a number with s, m, h or d'],
    ['a bad --pod-startup', [...BASE, '--pod-startup=-5s'], '--pod-startup -5s: not a duration'],
    ['a bad --sync-period', [...BASE, '--sync-period', '15x'], '--sync-period 15x: not a duration'],
    ['a --sync-period of 0', [...BASE, '--sync-period', '0'], '--sync-period must be above 0'],
    ['--pod-capacity 0', [...BASE, '--pod-capacity', '0'], '--pod-capacity 0: give a number above 0 (load units per second one ready pod serves)'],
    ['--pod-capacity as text', [...BASE, '--pod-capacity=many'], '--pod-capacity many: give a number above 0'],
    ['a negative --pod-capacity', [...BASE, '--pod-capacity', '-3'], '--pod-capacity -3: give a number above 0'],
    ['a negative --cost-per-pod-hour', [...BASE, '--cost-per-pod-hour', '-0.5'], '--cost-per-pod-hour -0.5: give a price, a number of 0 or more'],
    ['a negative --cost-per-gpu-hour', [...BASE, '--cost-per-gpu-hour=-2'], '--cost-per-gpu-hour -2: give a price, a number of 0 or more'],
    ['a --cost-per-pod-hour that is text', [...BASE, '--cost-per-pod-hour', 'cheap'], '--cost-per-pod-hour cheap: give a price'],
    ['--metric without =', [...BASE, '--metric', 'queue.csv'], '--metric queue.csv: write NAME=FILE, e.g. --metric s0-prometheus=queue.csv'],
    ['--metric without a name', [...BASE, '--metric', '=queue.csv'], '--metric =queue.csv: write NAME=FILE'],
    ['--metric without a file', [...BASE, '--metric=s0-prometheus='], '--metric s0-prometheus=: write NAME=FILE'],
    ['--set without =', [...BASE, '--set', 'autoscaling.maxReplicas'], '--set autoscaling.maxReplicas: write KEY=VALUE with a workload-file key, e.g. --set autoscaling.maxReplicas=20'],
    ['--set without a key', [...BASE, '--set', '=60'], '--set =60: write KEY=VALUE'],
    ['--set with an empty key part', [...BASE, '--set', 'autoscaling..maxReplicas=60'], '--set autoscaling..maxReplicas=60: write KEY=VALUE'],
    ['--set with a value that is not YAML', [...BASE, '--set', 'labels=[a'], '--set labels=[a: the value is not YAML: '],
    ['--compare and --compare-environment', [...BASE, '--compare', 'b.yaml', '--compare-environment', 'staging'], 'give --compare FILE or --compare-environment E, not both'],
  ])('%s', (_, argv, message) => {
    expect(usageError(argv).message).toContain(message);
  });

  test('a usage error is a UsageError named so, not a LoadTraceError', () => {
    const error = usageError([...BASE, '--duration', 'soon']);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.name).toBe('UsageError');
  });
});
