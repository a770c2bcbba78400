import { clip, decimal, type LoadPoint, LoadTraceError, relativePoints, TRACE_FORMATS } from './trace-basics';

// A load trace in CSV: one `time,value` line per point. See readLoad in load-trace.ts.

type TimeKind = 'seconds' | 'timestamp';

interface Row {
  readonly line: number;
  /** As written, for messages. */
  readonly timeText: string;
  /** Seconds: from the start, or since the Unix epoch for a timestamp. */
  readonly time: number;
  readonly kind: TimeKind;
  readonly value: number;
}

const KIND_NAMES: Readonly<Record<TimeKind, string>> = { seconds: 'seconds from the start', timestamp: 'an RFC 3339 timestamp' };

/**
 * The points of a CSV trace: `time,value` lines, an optional header line of
 * two names (`time,value`) before the first point, `#` comments and blank
 * lines skipped, a field may be in double quotes. Times are all seconds
 * (decimals allowed) or all RFC 3339 timestamps; they come back as seconds
 * from the first. Throws a LoadTraceError at `file:line`.
 */
export function csvPoints(file: string, text: string): LoadPoint[] {
  const rows: Row[] = [];
  let header = false;
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(',').map(unquote);
    if (rows.length === 0 && !header && isHeader(fields)) {
      header = true;
      continue;
    }
    const row = csvRow(`${file}:${i + 1}`, i + 1, line, fields, rows[0]);
    const previous = rows[rows.length - 1];
    if (previous !== undefined && row.time <= previous.time) throw outOfOrder(file, row, previous);
    rows.push(row);
  }
  if (rows.length === 0) throw new LoadTraceError(file, `has no points${header ? ', only a header' : ''}: add time,value lines, e.g. 0,12.5`);
  return relativePoints(rows.map((r) => ({ time: r.time, value: r.value })));
}

/** A field without the spaces around it and its double quotes, if any. */
function unquote(field: string): string {
  const text = field.trim();
  return text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1).trim() : text;
}

/** A header line: two names, such as `time,value` or `timestamp,requests per second`. */
function isHeader(fields: readonly string[]): boolean {
  return fields.length === 2 && fields.every((f) => /^[A-Za-z_]/.test(f));
}

function csvRow(where: string, line: number, text: string, fields: readonly string[], first: Row | undefined): Row {
  if (fields.length !== 2) {
    if (first === undefined) throw new LoadTraceError(where, `'${clip(text)}' is not a time,value line; give ${TRACE_FORMATS}`);
    const separator = fields.length === 1 && /[;\t]/.test(text) ? ': separate them with a comma' : '';
    throw new LoadTraceError(where, `'${clip(text)}' has ${fields.length} field${fields.length === 1 ? '' : 's'}; write time,value${separator}, e.g. 90,12.5`);
  }
  const [timeText, valueText] = fields;
  const seconds = decimal(timeText);
  const timestamp = seconds === undefined ? timestampSeconds(timeText) : undefined;
  if (seconds === undefined && timestamp === undefined) throw new LoadTraceError(where, notATime(timeText));
  const kind: TimeKind = seconds === undefined ? 'timestamp' : 'seconds';
  if (first !== undefined && kind !== first.kind) {
    throw new LoadTraceError(where, `the time '${timeText}' is ${KIND_NAMES[kind]}, but line ${first.line}'s ('${first.timeText}') is ${KIND_NAMES[first.kind]}; write every time the same way`);
  }
  return { line, timeText, time: (seconds ?? timestamp) as number, kind, value: loadValue(valueText, where) };
}

/** The load `text` writes: a number of 0 or more. */
function loadValue(text: string, where: string): number {
  const value = decimal(text);
  if (value === undefined) throw new LoadTraceError(where, `the value '${clip(text)}' is not a number; write the load in units per second, e.g. 12.5`);
  if (value < 0) throw new LoadTraceError(where, `the value ${text} is negative; a load is 0 or more`);
  return value;
}

function notATime(text: string): string {
  if (/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) {
    return `the time '${text}' has no time zone; add Z for UTC or an offset such as +01:00, e.g. 2026-12-01T08:00:00Z`;
  }
  return `'${clip(text)}' is not a time; write seconds from the start (90 or 90.5) or an RFC 3339 timestamp (2026-12-01T08:00:00Z)`;
}

function outOfOrder(file: string, row: Row, previous: Row): LoadTraceError {
  const same = row.time === previous.time;
  return new LoadTraceError(`${file}:${row.line}`, same
    ? `line ${row.line}'s time ('${row.timeText}') is the same as line ${previous.line}'s ('${previous.timeText}'); give one point per time: remove or merge one of the lines`
    : `line ${row.line}'s time ('${row.timeText}') is before line ${previous.line}'s ('${previous.timeText}'); sort the lines by time`);
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/** Unix seconds of an RFC 3339 timestamp (`2026-12-01T08:00:00Z`, `2026-12-01 09:00:00.5+01:00`), or undefined. */
export function timestampSeconds(text: string): number | undefined {
  const match = RFC3339.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second, , , offsetHours, offsetMinutes] = match.slice(1).map((n) => (n === undefined ? 0 : Number(n)));
  const daysInMonth = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
  if (!(day >= 1 && day <= daysInMonth) || hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return undefined;
  const offset = (match[8] === '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
  // Date.UTC reads years 0 to 99 as 1900 to 1999: such a year is set apart.
  const utc = year >= 100 ? Date.UTC(year, month - 1, day, hour, minute, second) : new Date(0).setUTCFullYear(year, month - 1, day) + ((hour * 60 + minute) * 60 + second) * 1000;
  return utc / 1000 + Number(match[7] ?? 0) - offset;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
