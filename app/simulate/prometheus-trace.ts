import { clip, decimal, isoTime, type LoadPoint, LoadTraceError, relativePoints, TRACE_FORMATS } from './trace-basics';

// A load trace in the JSON a Prometheus range query returns (GET /api/v1/query_range):
//   {"status":"success","data":{"resultType":"matrix","result":[{"metric":{...},"values":[[1733040000,"12.5"],...]}]}}
// See readLoad in load-trace.ts.

type Labels = Readonly<Record<string, string>>;

interface Series {
  readonly metric?: unknown;
  readonly values?: unknown;
  readonly histograms?: unknown;
}

/** One `name="value"` of a --series matcher. */
interface Matcher {
  readonly name: string;
  readonly value: string;
}

const SHAPE = '{"status":"success","data":{"resultType":"matrix","result":[...]}}';

/**
 * The points of the one series of a query_range response, or of the one
 * `series` (a --series matcher) picks; times become seconds from the first.
 * Throws a LoadTraceError at `file`, or at --series for a matcher that is
 * not one or matches no series or several.
 */
export function prometheusPoints(file: string, text: string, series: string | undefined): LoadPoint[] {
  const matchers = series === undefined ? undefined : parseMatchers(series);
  const result = matrixOf(file, parseJson(file, text));
  return seriesPoints(file, pickSeries(file, result, series, matchers));
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const position = /at position (\d+)/.exec(message);
    const where = position ? `${file}:${text.slice(0, Number(position[1])).split('\n').length}` : file;
    return fail(where, `is not valid JSON (${message.replace(/ in JSON at position \d+.*$/, '')}); give ${TRACE_FORMATS}, as curl saves it`);
  }
}

/** The series of a successful range query's response. */
function matrixOf(file: string, body: unknown): Series[] {
  const response = isObject(body) ? body : {};
  if (response.status === 'error') {
    const type = typeof response.errorType === 'string' ? ` (${response.errorType})` : '';
    return fail(file, `is a Prometheus error response${type}: ${String(response.error ?? 'no error text')}; fix the query and save the response again`);
  }
  const data = isObject(response.data) ? response.data : {};
  if (response.status !== 'success' || typeof data.resultType !== 'string') {
    return fail(file, `is JSON, but not a Prometheus query_range response, which is ${SHAPE}; give ${TRACE_FORMATS}`);
  }
  if (data.resultType !== 'matrix') {
    return fail(file, `holds a ${data.resultType} result; only a range query's matrix is read: save /api/v1/query_range?query=...&start=...&end=...&step=15, not /api/v1/query`);
  }
  if (!Array.isArray(data.result) || !data.result.every(isObject)) return fail(file, `data.result is not a list of series; a query_range response is ${SHAPE}`);
  if (data.result.length === 0) return fail(file, 'has no series: the query matched nothing between start and end; check the query and the time range');
  return data.result as Series[];
}

/** The one series: the only one, or the one the matchers pick. */
function pickSeries(file: string, result: readonly Series[], series: string | undefined, matchers: readonly Matcher[] | undefined): Series {
  const list = () => listSeries(result);
  if (matchers === undefined) {
    if (result.length === 1) return result[0];
    return fail(file, `holds ${result.length} series; pick one with --series, e.g. --series '${exampleMatcher(result)}', or narrow the query to one series (e.g. with sum). The series: ${list()}`);
  }
  const picked = result.filter((s) => matchers.every((m) => (labelsOf(s)[m.name] ?? '') === m.value));
  if (picked.length === 0) return fail('--series', `'${series}' matches none of the ${result.length} series of ${file}: ${list()}`);
  if (picked.length > 1) return fail('--series', `'${series}' matches ${picked.length} series of ${file}: ${listSeries(picked)}; add labels to pick one`);
  return picked[0];
}

/** The values of a series as points; NaN, Inf and negative values are errors naming their time. */
function seriesPoints(file: string, series: Series): LoadPoint[] {
  const name = formatLabels(labelsOf(series));
  if (!Array.isArray(series.values)) {
    const why = series.histograms === undefined ? 'no values' : 'native histograms, which are not read (query a rate or a quantile of them)';
    return fail(file, `the series ${name} has ${why}`);
  }
  if (series.values.length === 0) return fail(file, `has no points: the series ${name} has no values`);
  const points: { time: number; value: number }[] = [];
  for (const [i, entry] of series.values.entries()) {
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'number' || !Number.isFinite(entry[0]) || typeof entry[1] !== 'string') {
      return fail(file, `values[${i}] of the series ${name} is ${clip(JSON.stringify(entry) ?? String(entry))}, not [unix time, "value"]`);
    }
    const [time, text] = entry as [number, string];
    const at = () => `at time ${time} (${isoTime(time)})`;
    const value = decimal(text);
    if (value === undefined) return fail(file, `the value "${clip(text)}" ${at()} is not a number; make the query give a number at every step (NaN and Inf come from dividing by 0), or remove the point`);
    if (value < 0) return fail(file, `the value ${text} ${at()} is negative; a load is 0 or more`);
    const previous = points[points.length - 1];
    if (previous !== undefined && time <= previous.time) {
      return fail(file, `the time ${time} (${isoTime(time)}) is ${time === previous.time ? 'the same as' : 'before'} the one before it, ${previous.time}; the values must be sorted by time, one per time`);
    }
    points.push({ time, value });
  }
  return relativePoints(points);
}

const MATCHER = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(?:,|$)/;

/** `name="value"` pairs separated by commas, optionally in braces: `pod="a",code="200"`, `{pod="a"}`. */
function parseMatchers(text: string): Matcher[] {
  let rest = text.trim().replace(/^\{(.*)\}$/s, '$1');
  const matchers: Matcher[] = [];
  while (rest.trim() !== '') {
    const match = MATCHER.exec(rest);
    if (!match) return fail('--series', `'${text}' is not a label matcher; write name="value", several separated by commas, e.g. --series 'pod="a",code="200"'`);
    matchers.push({ name: match[1], value: match[2].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c)) });
    rest = rest.slice(match[0].length);
  }
  if (matchers.length === 0) return fail('--series', `'${text}' names no label; write name="value", e.g. --series 'pod="a"'`);
  return matchers;
}

/** The first series' value of the first label whose values tell every series apart; else all its labels. */
function exampleMatcher(result: readonly Series[]): string {
  const labels = result.map(labelsOf);
  const name = Object.keys(labels[0]).find((n) => new Set(labels.map((l) => l[n])).size === labels.length);
  return name === undefined ? formatLabels(labels[0]).slice(1, -1) : `${name}=${JSON.stringify(labels[0][name])}`;
}

/** `{pod="a"} {pod="b"}`, at most 10, then how many more. */
function listSeries(result: readonly Series[]): string {
  const shown = result.slice(0, 10).map((s) => formatLabels(labelsOf(s))).join(' ');
  return result.length > 10 ? `${shown} and ${result.length - 10} more` : shown;
}

function labelsOf(series: Series): Labels {
  if (!isObject(series.metric)) return {};
  return Object.fromEntries(Object.entries(series.metric).filter(([, v]) => typeof v === 'string')) as Labels;
}

/** `{__name__="http_requests_total",pod="a"}`, as Prometheus writes a label set. */
function formatLabels(labels: Labels): string {
  return `{${Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(where: string, message: string): never {
  throw new LoadTraceError(where, message);
}
