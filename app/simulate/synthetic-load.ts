import { decimal, durationSeconds, type LoadPoint, LoadTraceError } from './trace-basics';

/**
 * Synthetic loads, for `--load SPEC` in place of a file:
 *
 * | spec | the load |
 * | --- | --- |
 * | `constant:V` | V all along |
 * | `step:A,B@T` | A until T, then B |
 * | `ramp:A,B@T1-T2` | A until T1, then rising (or falling) in a straight line to B at T2, then B |
 * | `sine:MIN,MAX@PERIOD` | a daily-like wave: MIN at the start, MAX half a PERIOD later, MIN again after a whole PERIOD |
 * | `spike:BASE,PEAK@T+D` | BASE, and PEAK from T for D |
 *
 * V, A, B, MIN, MAX, BASE and PEAK are loads in units per second: numbers of
 * 0 or more (`12.5`, `1e3`). T, T1, T2, D and PERIOD are durations: seconds
 * (`45`) or a number with `s`, `m`, `h` or `d` (`90s`, `30m`, `2h`, `1.5d`);
 * T, T1 and T2 count from the start of the load. Spaces are ignored. For
 * example, `--load step:10,100@30m` is 10 units per second for 30 minutes,
 * then 100.
 *
 * The load lasts `--duration`: by default 2 hours, and one PERIOD for `sine`;
 * at most 31 days. It has a point every 15 seconds (the HPA's default sync
 * period) from the start to the end, plus one at each T, T1, T2 and T+D, so
 * that a step at `100s` starts at 100 seconds exactly; between two points the
 * load is that of the first. T (and T1) must come before the end of the load,
 * MIN must not be above MAX, T2 must be after T1, and D and PERIOD must be
 * above 0. A spec that does not parse is an error at `--load` that shows the
 * accepted forms.
 */
export const SYNTHETIC_FORMS = 'constant:V, step:A,B@T, ramp:A,B@T1-T2, sine:MIN,MAX@PERIOD or spike:BASE,PEAK@T+D (T, D and PERIOD are durations: 90s, 30m, 2h, 1d or seconds)';

/** The time between two points of a synthetic load: the HPA's default sync period. */
export const SAMPLE_SECONDS = 15;
/** How long a synthetic load lasts without --duration (but sine: one period). */
export const DEFAULT_SYNTHETIC_SECONDS = 2 * 3600;
/** The longest synthetic load: 31 days, 178,560 points. */
export const MAX_SYNTHETIC_SECONDS = 31 * 86400;

type Shape = 'constant' | 'step' | 'ramp' | 'sine' | 'spike';

interface Syntax {
  readonly form: string;
  readonly meaning: string;
  readonly example: string;
  readonly pattern: RegExp;
  /** The names of the loads, then of the durations, in the order the pattern captures them. */
  readonly loads: readonly string[];
  readonly times: readonly string[];
}

const SYNTAX: Readonly<Record<Shape, Syntax>> = {
  constant: { form: 'constant:V', meaning: 'V all along', example: 'constant:50', pattern: /^([^,@]*)$/, loads: ['V'], times: [] },
  step: { form: 'step:A,B@T', meaning: 'A until T, then B', example: 'step:10,100@30m', pattern: /^([^,@]*),([^,@]*)@([^,@]*)$/, loads: ['A', 'B'], times: ['T'] },
  ramp: { form: 'ramp:A,B@T1-T2', meaning: 'A until T1, in a straight line to B at T2, then B', example: 'ramp:10,100@30m-1h', pattern: /^([^,@]*),([^,@]*)@([^,@-]*)-([^,@-]*)$/, loads: ['A', 'B'], times: ['T1', 'T2'] },
  sine: { form: 'sine:MIN,MAX@PERIOD', meaning: 'MIN at the start, MAX half a PERIOD later', example: 'sine:10,100@1d', pattern: /^([^,@]*),([^,@]*)@([^,@]*)$/, loads: ['MIN', 'MAX'], times: ['PERIOD'] },
  spike: { form: 'spike:BASE,PEAK@T+D', meaning: 'BASE, and PEAK from T for D', example: 'spike:10,200@1h+5m', pattern: /^([^,@]*),([^,@]*)@([^,@+]*)\+([^,@+]*)$/, loads: ['BASE', 'PEAK'], times: ['T', 'D'] },
};

/** Whether `arg` is a synthetic load (it starts with a shape and a colon) rather than a file. */
export function isSyntheticLoad(arg: string): boolean {
  return /^(constant|step|ramp|sine|spike):/.test(arg.trim());
}

/** The points of the synthetic load `spec` (see SYNTHETIC_FORMS), over `duration` seconds (--duration) or the shape's default. */
export function syntheticLoad(spec: string, duration: number | undefined, flag: string): { points: LoadPoint[]; durationSeconds: number } {
  const text = spec.replace(/\s+/g, '');
  const shape = text.slice(0, text.indexOf(':')) as Shape;
  const syntax = SYNTAX[shape];
  const match = syntax.pattern.exec(text.slice(shape.length + 1));
  if (!match) throw new LoadTraceError(flag, `'${spec}' is not a ${shape} load; write ${syntax.form} (${syntax.meaning}), e.g. ${syntax.example}. The synthetic loads: ${SYNTHETIC_FORMS}`);
  const fail = (message: string) => new LoadTraceError(flag, `${spec}: ${message}`);
  const loads = syntax.loads.map((name, i) => {
    const value = decimal(match[i + 1]);
    if (value === undefined || value < 0) throw fail(`${name} '${match[i + 1]}' is not a load; give a number of 0 or more (load units per second)`);
    return value;
  });
  const times = syntax.times.map((name, i) => {
    const seconds = durationSeconds(match[syntax.loads.length + i + 1]);
    if (seconds === undefined) throw fail(`${name} '${match[syntax.loads.length + i + 1]}' is not a duration; write seconds (45) or a number with s, m, h or d (90s, 30m, 2h, 1d)`);
    return seconds;
  });
  const valueAt = shapeFunction(shape, loads, times, fail);
  const end = loadLength(shape, times, duration, fail);
  const starts = shape === 'step' || shape === 'ramp' || shape === 'spike' ? times[0] : undefined;
  if (starts !== undefined && starts >= end) {
    throw fail(`${syntax.times[0]} (${formatSeconds(starts)}) is not before the end of the load, ${formatSeconds(end)}${duration === undefined ? ' (the default; set --duration)' : ' (--duration)'}; give an earlier ${syntax.times[0]} or a longer --duration`);
  }
  const breakpoints = shape === 'spike' ? [times[0], times[0] + times[1]] : times;
  return { points: samples(end, shape === 'sine' ? [] : breakpoints).map((t) => ({ t, value: valueAt(t) })), durationSeconds: end };
}

/** The load at `t` of a shape; checks what the numbers must be beyond their kind. */
function shapeFunction(shape: Shape, loads: readonly number[], times: readonly number[], fail: (message: string) => Error): (t: number) => number {
  const [a, b] = loads;
  switch (shape) {
    case 'constant':
      return () => a;
    case 'step':
      return (t) => (t < times[0] ? a : b);
    case 'ramp': {
      const [from, to] = times;
      if (to <= from) throw fail(`T2 must be after T1; for a sudden change, write step:${a},${b}@T`);
      return (t) => (t <= from ? a : t >= to ? b : a + ((b - a) * (t - from)) / (to - from));
    }
    case 'sine': {
      const period = times[0];
      if (a > b) throw fail(`MIN (${a}) is above MAX (${b}); write the lower load first`);
      if (period <= 0) throw fail('PERIOD must be above 0');
      return (t) => a + ((b - a) * (1 - Math.cos((2 * Math.PI * t) / period))) / 2;
    }
    case 'spike': {
      const [from, length] = times;
      if (length <= 0) throw fail('D, how long the spike lasts, must be above 0');
      return (t) => (t >= from && t < from + length ? b : a);
    }
  }
}

/** How long the load lasts: --duration, else 2 hours, or one period for sine. */
function loadLength(shape: Shape, times: readonly number[], duration: number | undefined, fail: (message: string) => Error): number {
  if (duration !== undefined) {
    if (!(duration > 0)) throw new LoadTraceError('--duration', `--duration ${formatSeconds(duration)}: a synthetic load must last more than 0 seconds`);
    if (duration > MAX_SYNTHETIC_SECONDS) throw new LoadTraceError('--duration', `--duration ${formatSeconds(duration)}: a synthetic load lasts at most 31 days; give a shorter --duration`);
    return duration;
  }
  if (shape !== 'sine') return DEFAULT_SYNTHETIC_SECONDS;
  if (times[0] > MAX_SYNTHETIC_SECONDS) throw fail(`PERIOD (${formatSeconds(times[0])}) is above 31 days, the longest a synthetic load lasts; give a shorter PERIOD, or a --duration of at most 31d`);
  return times[0];
}

/** Every SAMPLE_SECONDS from 0 to before `end`, and the breakpoints within, in order. */
function samples(end: number, breakpoints: readonly number[]): number[] {
  const times = new Set<number>();
  for (let k = 0; k * SAMPLE_SECONDS < end; k++) times.add(k * SAMPLE_SECONDS);
  for (const t of breakpoints) if (t > 0 && t < end) times.add(t);
  return [...times].sort((x, y) => x - y);
}

/** `2h`, `90m`, `45s`, `1.5s`: the largest unit that divides `seconds`. */
export function formatSeconds(seconds: number): string {
  const unit = [['d', 86400], ['h', 3600], ['m', 60]].find(([, size]) => seconds > 0 && seconds % (size as number) === 0);
  return unit ? `${seconds / (unit[1] as number)}${unit[0]}` : `${seconds}s`;
}
