// What every reader of load traces shares: the point, the error, durations and numbers.

/** The load from time `t` (seconds from the start of the trace) until the next point, in load units per second. */
export interface LoadPoint {
  readonly t: number;
  readonly value: number;
}

/**
 * Bad input in a trace or in a flag: `where` is `FILE:LINE`, `FILE` or the
 * flag (`--load`, `--series`, `--duration`); the message says what is wrong
 * and how to fix it. Shown as `where: message`.
 */
export class LoadTraceError extends Error {
  public constructor(public readonly where: string, message: string) {
    super(message);
    this.name = 'LoadTraceError';
  }
}

/** What a trace file may hold, for messages about a file that holds neither. */
export const TRACE_FORMATS = 'a CSV of time,value lines or the JSON a Prometheus query_range call returns';

const DURATION = /^(\d+(?:\.\d+)?|\.\d+)(s|m|h|d)?$/;
const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400 };

/** The seconds of `text` ('90s', '15m', '2h', '1.5d', or plain seconds '45'), or undefined when it is not a duration. */
export function durationSeconds(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  return match ? Number(match[1]) * UNIT_SECONDS[match[2] ?? 's'] : undefined;
}

/**
 * '90s', '15m', '2h', '1d', or plain seconds '45', as seconds (decimals such
 * as '1.5h' too; no sign, no unit other than s, m, h and d). Throws a
 * LoadTraceError whose `where` is `flag` and whose message names the flag.
 */
export function parseDuration(text: string, flag: string): number {
  const seconds = durationSeconds(text);
  if (seconds === undefined) {
    throw new LoadTraceError(flag, `${flag} ${text}: not a duration; write seconds (45) or a number with s, m, h or d (90s, 15m, 2h, 1d)`);
  }
  return seconds;
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** The finite number `text` writes in decimal (`12`, `-0.5`, `1e3`), or undefined: not '', hex, `NaN` or `Inf`. */
export function decimal(text: string): number | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** Points with times made relative to the first, to the microsecond (no 14.999999 from subtracting Unix times). */
export function relativePoints(points: readonly { readonly time: number; readonly value: number }[]): LoadPoint[] {
  const start = points[0].time;
  return points.map((p) => ({ t: Math.round((p.time - start) * 1e6) / 1e6, value: p.value }));
}

/** `text` cut to `max` characters for a message, with an ellipsis when cut. */
export function clip(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}

/** Unix seconds as an RFC 3339 UTC timestamp, for messages: `2026-12-01T08:00:00Z`. */
export function isoTime(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? String(seconds) : date.toISOString().replace(/\.000Z$/, 'Z');
}
