import * as fs from 'node:fs';
import { readInputFile } from '../config/input-files';
import { csvPoints } from './csv-trace';
import { prometheusPoints } from './prometheus-trace';
import { isSyntheticLoad, SYNTHETIC_FORMS, syntheticLoad } from './synthetic-load';
import { type LoadPoint, LoadTraceError, TRACE_FORMATS } from './trace-basics';

export { type LoadPoint, LoadTraceError, parseDuration } from './trace-basics';
export { SYNTHETIC_FORMS } from './synthetic-load';

// The load npm run simulate replays: a CSV, a Prometheus query_range response (csv-trace.ts,
// prometheus-trace.ts), or a synthetic shape (synthetic-load.ts). Times become seconds from the first point.

/** A load over time: what --load (or --metric) gives. */
export interface LoadTrace {
  /** At least one; sorted by time, one per time, the first at 0. */
  readonly points: readonly LoadPoint[];
  /** Where it came from, for messages and the chart: the file as given, or the synthetic spec. */
  readonly source: string;
  /** How long it lasts: a synthetic load's duration; a trace file lasts to its last point. */
  readonly durationSeconds?: number;
}

/** A trace file may be this large: a week of 15-second points is about 1.2 MB of CSV or JSON. */
export const TRACE_FILE_BYTES = 64 * 1024 * 1024;

export interface ReadLoadOptions {
  /** The one series of a Prometheus response with several (`--series`): `name="value"`, several separated by commas. */
  readonly series?: string;
  /** The length of a synthetic load, in seconds (`--duration`). @default 2 hours, or one period of a sine */
  readonly durationSeconds?: number;
  /** The flag `arg` came from, for messages. @default '--load' */
  readonly flag?: string;
  /** The path to read, when `arg` names a file as the user wrote it (messages show `arg`). @default arg */
  readonly file?: string;
}

/**
 * The load `arg` gives (`--load`): a synthetic spec (see SYNTHETIC_FORMS in
 * synthetic-load.ts), or a file, told apart by its content: a CSV of
 * `time,value` lines (see csv-trace.ts), or the JSON of a Prometheus
 * query_range response (it starts with `{`; see prometheus-trace.ts).
 * `series` picks a series of a Prometheus response with several;
 * `durationSeconds` is the length of a synthetic load. Bad input throws a
 * LoadTraceError: at `FILE:LINE` or `FILE`, or at the flag; `--series` or
 * `--duration` where they do not apply are errors too, not ignored.
 */
export function readLoad(arg: string, options: ReadLoadOptions = {}): LoadTrace {
  const flag = options.flag ?? '--load';
  if (isSyntheticLoad(arg)) {
    if (options.series !== undefined) throw new LoadTraceError('--series', `--series picks a series of a Prometheus response; ${flag} ${arg} is a synthetic load: leave --series out`);
    return { ...syntheticLoad(arg, options.durationSeconds, flag), source: arg };
  }
  const text = traceFileText(arg, options.file ?? arg, flag);
  const json = /^[{[]/.test(text.trimStart());
  if (options.durationSeconds !== undefined) throw new LoadTraceError('--duration', `--duration sets the length of a synthetic load; ${arg} is a trace, which lasts as long as its points: leave --duration out`);
  if (options.series !== undefined && !json) throw new LoadTraceError('--series', `--series picks a series of a Prometheus response; ${arg} is a CSV, which has one: leave --series out`);
  return { points: json ? prometheusPoints(arg, text, options.series) : csvPoints(arg, text), source: arg };
}

/**
 * The text of the trace file `file` (shown as `display`), read by the repo's
 * bounded reader (at most `maxBytes`); a file that cannot be read, is empty
 * or is not text is a LoadTraceError at `display`; a missing file whose name
 * looks like a synthetic spec (`constnt:5`) is one at `flag`.
 */
export function traceFileText(display: string, file: string, flag: string, maxBytes = TRACE_FILE_BYTES): string {
  const read = readInputFile(file, maxBytes, 'a load trace');
  if (read.text === undefined) {
    if (!isMissing(file)) throw new LoadTraceError(display, `cannot be read: ${read.cause.replace(/; split it into smaller files$/, '; save a shorter time range or a longer step')}`);
    if (/^[A-Za-z]+:/.test(display)) throw new LoadTraceError(flag, `'${display}' is neither a file nor a synthetic load; the synthetic loads are ${SYNTHETIC_FORMS}`);
    throw new LoadTraceError(display, 'cannot be read: it does not exist; check the path (relative to the current folder), or give a synthetic load such as step:10,100@30m');
  }
  const text = read.text.replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new LoadTraceError(display, `is empty; give ${TRACE_FORMATS}`);
  if (text.includes('\0')) throw new LoadTraceError(display, `is not a text file; give ${TRACE_FORMATS}`);
  return text;
}

/** Whether nothing is at `file`: not even a link (a link to nothing is a file that cannot be read). */
function isMissing(file: string): boolean {
  try {
    fs.lstatSync(file);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/**
 * The load at time `t`: the value of the last point at or before `t` (a step
 * function); before the first point, the first value; after the last, the
 * last. A binary search, O(log n): a week of 15-second steps (40,320 calls)
 * on a week of 15-second points takes a few milliseconds. Throws a
 * RangeError for a trace without points, which readLoad never returns.
 */
export function loadAt(trace: LoadTrace, t: number): number {
  const points = trace.points;
  if (points.length === 0) throw new RangeError(`the load trace ${trace.source} has no points`);
  if (!(t > points[0].t)) return points[0].value;
  let lo = 0;
  let hi = points.length - 1;
  // points[lo].t <= t throughout; the loop narrows to the last such point.
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (points[mid].t <= t) lo = mid;
    else hi = mid - 1;
  }
  return points[lo].value;
}
