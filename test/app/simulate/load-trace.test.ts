import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadAt, type LoadTrace, LoadTraceError, parseDuration, readLoad, SYNTHETIC_FORMS, traceFileText } from '../../../app/simulate/load-trace';

// The load traces of npm run simulate: CSV, Prometheus query_range JSON and synthetic shapes,
// and every input error with where it is and what to do.

let dir = '';
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-ml-load-trace-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Writes `text` to a new file in the temporary folder and returns its path. */
let files = 0;
function file(text: string | Buffer, name = `trace-${++files}.csv`): string {
  const full = path.join(dir, name);
  fs.writeFileSync(full, text);
  return full;
}

function thrown(read: () => unknown): LoadTraceError {
  try {
    read();
  } catch (e) {
    if (e instanceof LoadTraceError) return e;
    throw e;
  }
  throw new Error('expected a LoadTraceError, nothing was thrown');
}

function expectError(read: () => unknown, where: string, message: string): void {
  const error = thrown(read);
  expect({ where: error.where, message: error.message }).toEqual({ where, message: expect.stringContaining(message) });
}

const values = (trace: LoadTrace, times: readonly number[]) => times.map((t) => loadAt(trace, t));

describe('parseDuration', () => {
  test.each([
    ['90s', 90], ['15m', 900], ['2h', 7200], ['1d', 86400], ['45', 45], ['1.5h', 5400], ['0.5', 0.5], [' 30m ', 1800], ['0', 0],
  ])('%s is %d seconds', (text, seconds) => {
    expect(parseDuration(text, '--duration')).toBe(seconds);
  });

  test.each(['5x', '-5', '', '1h30m', 'h', '2 h', '1e3'])('%j is an error naming the flag', (text) => {
    expectError(() => parseDuration(text, '--pod-startup'), '--pod-startup', `--pod-startup ${text}: not a duration; write seconds (45) or a number with s, m, h or d (90s, 15m, 2h, 1d)`);
  });
});

describe('CSV', () => {
  test('seconds: header, comments, blank lines and decimals; times become seconds from the first', () => {
    const trace = readLoad(file('# exported from the load test\ntime,value\n\n10,5\n25,7.5\n# a gap\n40.5,0\n100,1e2\n'), {});
    expect(trace.points).toEqual([{ t: 0, value: 5 }, { t: 15, value: 7.5 }, { t: 30.5, value: 0 }, { t: 90, value: 100 }]);
  });

  test('RFC 3339 timestamps, with offsets, fractions, a space for T; the source is the file as given', () => {
    const csv = file('timestamp,requests per second\n2026-12-01T08:00:00Z,12\n2026-12-01T08:00:15.5Z,14\n2026-12-01 09:01:00+01:00,20\n2026-12-01t08:02:00z,18\n');
    const trace = readLoad(csv, {});
    expect(trace).toEqual({ source: csv, points: [{ t: 0, value: 12 }, { t: 15.5, value: 14 }, { t: 60, value: 20 }, { t: 120, value: 18 }] });
  });

  test('timestamps across a leap day and a month end', () => {
    const trace = readLoad(file('2028-02-28T23:59:45Z,1\n2028-02-29T00:00:00Z,2\n2028-03-01T00:00:00Z,3\n'), {});
    expect(trace.points.map((p) => p.t)).toEqual([0, 15, 86415]);
  });

  test('CRLF line ends, a byte order mark and quoted fields', () => {
    const trace = readLoad(file('\uFEFF"time","value"\r\n"0","1"\r\n"15", "2"\r\n'), {});
    expect(trace.points).toEqual([{ t: 0, value: 1 }, { t: 15, value: 2 }]);
  });

  test('a header is only read before the first point', () => {
    const csv = file('0,1\ntime,value\n');
    expectError(() => readLoad(csv, {}), `${csv}:2`, "'time' is not a time; write seconds from the start (90 or 90.5) or an RFC 3339 timestamp (2026-12-01T08:00:00Z)");
  });
});

describe('CSV errors', () => {
  test('an empty file', () => {
    const csv = file('\n  \n');
    expectError(() => readLoad(csv, {}), csv, 'is empty; give a CSV of time,value lines or the JSON a Prometheus query_range call returns');
  });

  test('no points: only comments and a header', () => {
    const csv = file('# nothing yet\ntime,value\n');
    expectError(() => readLoad(csv, {}), csv, 'has no points, only a header: add time,value lines, e.g. 0,12.5');
  });

  test('a missing file, named as given', () => {
    const missing = path.join(dir, 'no-such-trace.csv');
    expectError(() => readLoad(missing, {}), missing, 'cannot be read: it does not exist; check the path');
  });

  test('a missing file read from another path is named as given', () => {
    expectError(() => readLoad('traces/peak.csv', { file: path.join(dir, 'traces', 'peak.csv') }), 'traces/peak.csv', 'does not exist');
  });

  test('a misspelt synthetic shape is an error at the flag, with the accepted forms', () => {
    expectError(() => readLoad('constnt:5', {}), '--load', `'constnt:5' is neither a file nor a synthetic load; the synthetic loads are ${SYNTHETIC_FORMS}`);
  });

  test('a folder, through the repo reader', () => {
    expectError(() => readLoad(dir, {}), dir, 'cannot be read: it is a folder, not a regular file');
  });

  test('a file above the size limit', () => {
    const csv = file('0,1\n'.repeat(100));
    expectError(() => traceFileText(csv, csv, '--load', 64), csv, 'cannot be read: it is 400 bytes, above the limit of 64 bytes for a load trace; save a shorter time range or a longer step');
  });

  test('a binary file', () => {
    const bin = file(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]), 'chart.png');
    expectError(() => readLoad(bin, {}), bin, 'is not a text file; give a CSV of time,value lines or the JSON a Prometheus query_range call returns');
  });

  test('a file that is neither CSV nor JSON', () => {
    const yaml = file('# a workload\nkind: ModelServing\nname: a\n', 'workload.yaml');
    expectError(() => readLoad(yaml, {}), `${yaml}:2`, "'kind: ModelServing' is not a time,value line; give a CSV of time,value lines or the JSON a Prometheus query_range call returns");
  });

  test('a line with three fields', () => {
    const csv = file('0,1\n15,2\n30,3,4\n');
    expectError(() => readLoad(csv, {}), `${csv}:3`, "'30,3,4' has 3 fields; write time,value, e.g. 90,12.5");
  });

  test('a semicolon for a comma', () => {
    const csv = file('0,1\n15;2\n');
    expectError(() => readLoad(csv, {}), `${csv}:2`, "'15;2' has 1 field; write time,value: separate them with a comma, e.g. 90,12.5");
  });

  test.each(['abc', 'NaN', 'Infinity', '0x10', ''])('the value %j is not a number', (value) => {
    const csv = file(`0,1\n15,${value}\n`);
    expectError(() => readLoad(csv, {}), `${csv}:2`, `the value '${value}' is not a number; write the load in units per second, e.g. 12.5`);
  });

  test('a negative load', () => {
    const csv = file('time,value\n0,1\n15,-2\n');
    expectError(() => readLoad(csv, {}), `${csv}:3`, 'the value -2 is negative; a load is 0 or more');
  });

  test('unsorted times name both lines', () => {
    const csv = file('0,1\n# then\n20,2\n10,3\n');
    expectError(() => readLoad(csv, {}), `${csv}:4`, "line 4's time ('10') is before line 3's ('20'); sort the lines by time");
  });

  test('a duplicate time names both lines, however it is written', () => {
    const csv = file('2026-12-01T08:00:00Z,1\n2026-12-01T09:00:00+01:00,2\n');
    expectError(() => readLoad(csv, {}), `${csv}:2`, "line 2's time ('2026-12-01T09:00:00+01:00') is the same as line 1's ('2026-12-01T08:00:00Z'); give one point per time");
  });

  test('seconds and timestamps mixed', () => {
    const csv = file('time,value\n0,1\n2026-12-01T08:00:15Z,2\n');
    expectError(() => readLoad(csv, {}), `${csv}:3`, "the time '2026-12-01T08:00:15Z' is an RFC 3339 timestamp, but line 2's ('0') is seconds from the start; write every time the same way");
  });

  test('a timestamp without a time zone', () => {
    const csv = file('2026-12-01T08:00:00,1\n');
    expectError(() => readLoad(csv, {}), `${csv}:1`, "the time '2026-12-01T08:00:00' has no time zone; add Z for UTC or an offset such as +01:00");
  });

  test.each(['2026-02-29T08:00:00Z', '2026-13-01T08:00:00Z', '2026-12-01T24:00:00Z', 'yesterday'])('%s is not a time', (time) => {
    const csv = file(`${time},1\n`);
    expectError(() => readLoad(csv, {}), `${csv}:1`, `'${time}' is not a time; write seconds from the start`);
  });

  test('--series and --duration do not apply to a CSV', () => {
    const csv = file('0,1\n');
    expectError(() => readLoad(csv, { series: 'pod="a"' }), '--series', `--series picks a series of a Prometheus response; ${csv} is a CSV, which has one: leave --series out`);
    expectError(() => readLoad(csv, { durationSeconds: 3600 }), '--duration', `--duration sets the length of a synthetic load; ${csv} is a trace, which lasts as long as its points: leave --duration out`);
  });
});

/** A query_range response for `sum by (namespace, pod) (rate(http_requests_total{namespace="ml"}[1m]))`, step=15. */
const TWO_PODS = JSON.stringify({
  status: 'success',
  data: {
    resultType: 'matrix',
    result: [
      { metric: { namespace: 'ml', pod: 'fraud-detector-7d9f8b6c4-x2x7q' }, values: [[1764576000, '12.5'], [1764576015, '13'], [1764576030, '14.266666666666667']] },
      { metric: { namespace: 'ml', pod: 'fraud-detector-7d9f8b6c4-zt9kd' }, values: [[1764576000.5, '3'], [1764576015.5, '0'], [1764576030.5, '4.2']] },
    ],
  },
});

/** The response for one series, with `values`. */
const oneSeries = (values: unknown[]) => JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [{ metric: { pod: 'a' }, values }] } });

describe('Prometheus query_range JSON', () => {
  test('one series of two, picked with --series; times become seconds from the first', () => {
    const json = file(TWO_PODS, 'prometheus.json');
    expect(readLoad(json, { series: 'pod="fraud-detector-7d9f8b6c4-zt9kd"' })).toEqual({
      source: json,
      points: [{ t: 0, value: 3 }, { t: 15, value: 0 }, { t: 30, value: 4.2 }],
    });
  });

  test('--series takes several labels, in braces as Prometheus writes them', () => {
    const json = file(TWO_PODS, 'prometheus.json');
    expect(readLoad(json, { series: '{namespace="ml", pod="fraud-detector-7d9f8b6c4-x2x7q"}' }).points.map((p) => p.value)).toEqual([12.5, 13, 14.266666666666667]);
  });

  test('name="" matches a series without that label, as in Prometheus', () => {
    const json = file(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [
      { metric: { pod: 'a', code: '500' }, values: [[1764576000, '1']] },
      { metric: { pod: 'a' }, values: [[1764576000, '2']] },
    ] } }), 'codes.json');
    expect(readLoad(json, { series: 'pod="a",code=""' }).points).toEqual([{ t: 0, value: 2 }]);
  });

  test('a single series needs no --series; pretty-printed JSON (jq) reads the same', () => {
    const json = file(JSON.stringify(JSON.parse(oneSeries([[1764576000, '1'], [1764576060, '2']])), null, 2), 'one.json');
    expect(readLoad(json, {}).points).toEqual([{ t: 0, value: 1 }, { t: 60, value: 2 }]);
  });

  test('a response with several series needs --series, and lists them', () => {
    const json = file(TWO_PODS, 'prometheus.json');
    expectError(() => readLoad(json, {}), json, 'holds 2 series; pick one with --series, e.g. --series \'pod="fraud-detector-7d9f8b6c4-x2x7q"\', or narrow the query to one series (e.g. with sum). The series: {namespace="ml",pod="fraud-detector-7d9f8b6c4-x2x7q"} {namespace="ml",pod="fraud-detector-7d9f8b6c4-zt9kd"}');
  });

  test('a matcher that matches none lists the series', () => {
    const json = file(TWO_PODS, 'prometheus.json');
    expectError(() => readLoad(json, { series: 'pod="fraud-detector-0"' }), '--series', `'pod="fraud-detector-0"' matches none of the 2 series of ${json}: {namespace="ml",pod="fraud-detector-7d9f8b6c4-x2x7q"} {namespace="ml",pod="fraud-detector-7d9f8b6c4-zt9kd"}`);
  });

  test('a matcher that matches several', () => {
    const json = file(TWO_PODS, 'prometheus.json');
    expectError(() => readLoad(json, { series: 'namespace="ml"' }), '--series', `'namespace="ml"' matches 2 series of ${json}`);
  });

  test.each(['pod=a', 'pod="a" code="200"', '="a"', ','])('%j is not a matcher', (series) => {
    const json = file(TWO_PODS, 'prometheus.json');
    expectError(() => readLoad(json, { series }), '--series', 'is not a label matcher; write name="value", several separated by commas');
  });

  test('an error response shows its error', () => {
    const json = file(JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'invalid parameter "query": 1:6: parse error: unexpected "}"' }), 'error.json');
    expectError(() => readLoad(json, {}), json, 'is a Prometheus error response (bad_data): invalid parameter "query": 1:6: parse error: unexpected "}"; fix the query and save the response again');
  });

  test('only a matrix is read: an instant query is an error that says so', () => {
    const json = file(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1764576000, '1'] }] } }), 'instant.json');
    expectError(() => readLoad(json, {}), json, 'holds a vector result; only a range query\'s matrix is read: save /api/v1/query_range?query=...&start=...&end=...&step=15, not /api/v1/query');
  });

  test('JSON that is not a query_range response', () => {
    const json = file('[{"t": 0, "value": 1}]', 'list.json');
    expectError(() => readLoad(json, {}), json, 'is JSON, but not a Prometheus query_range response, which is {"status":"success","data":{"resultType":"matrix","result":[...]}}');
  });

  test('JSON that does not parse names its line', () => {
    const json = file('{\n  "status": "success",\n  "data": {,\n}\n', 'broken.json');
    expectError(() => readLoad(json, {}), `${json}:3`, 'is not valid JSON (');
  });

  test('no series', () => {
    const json = file(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } }), 'none.json');
    expectError(() => readLoad(json, {}), json, 'has no series: the query matched nothing between start and end');
  });

  test('a series without values', () => {
    const json = file(oneSeries([]), 'empty-series.json');
    expectError(() => readLoad(json, {}), json, 'has no points: the series {pod="a"} has no values');
  });

  test.each(['NaN', '+Inf', '-Inf'])('the value %s is an error naming its time', (value) => {
    const json = file(oneSeries([[1764576000, '1'], [1764576015, value]]), 'nan.json');
    expectError(() => readLoad(json, {}), json, `the value "${value}" at time 1764576015 (2025-12-01T08:00:15Z) is not a number; make the query give a number at every step`);
  });

  test('a negative value names its time', () => {
    const json = file(oneSeries([[1764576000, '-0.5']]), 'negative.json');
    expectError(() => readLoad(json, {}), json, 'the value -0.5 at time 1764576000 (2025-12-01T08:00:00Z) is negative; a load is 0 or more');
  });

  test('unsorted and duplicate times', () => {
    const unsorted = file(oneSeries([[1764576015, '1'], [1764576000, '2']]), 'unsorted.json');
    expectError(() => readLoad(unsorted, {}), unsorted, 'the time 1764576000 (2025-12-01T08:00:00Z) is before the one before it, 1764576015; the values must be sorted by time, one per time');
    const duplicate = file(oneSeries([[1764576000, '1'], [1764576000, '2']]), 'duplicate.json');
    expectError(() => readLoad(duplicate, {}), duplicate, 'is the same as the one before it');
  });

  test('a value that is not [time, "value"]', () => {
    const json = file(oneSeries([[1764576000, 1]]), 'number-value.json');
    expectError(() => readLoad(json, {}), json, 'values[0] of the series {pod="a"} is [1764576000,1], not [unix time, "value"]');
  });

  test('--duration does not apply to a trace file', () => {
    const json = file(TWO_PODS, 'prometheus.json');
    expectError(() => readLoad(json, { series: 'pod="fraud-detector-7d9f8b6c4-zt9kd"', durationSeconds: 60 }), '--duration', 'leave --duration out');
  });
});

describe('synthetic loads', () => {
  test('constant:V lasts 2 hours by default, a point every 15 seconds', () => {
    const trace = readLoad('constant:50', {});
    expect(trace.source).toBe('constant:50');
    expect(trace.points).toHaveLength(480);
    expect(trace.points[479]).toEqual({ t: 7185, value: 50 });
    expect(values(trace, [0, 3600, 7199])).toEqual([50, 50, 50]);
  });

  test('--duration sets the length', () => {
    const trace = readLoad('constant:5', { durationSeconds: 600 });
    expect(trace.points.map((p) => p.t)).toEqual(Array.from({ length: 40 }, (_, i) => i * 15));
  });

  test('step:A,B@T: A until T, then B, at T exactly', () => {
    expect(values(readLoad('step:10,100@30m', {}), [0, 1799, 1800, 7199])).toEqual([10, 10, 100, 100]);
    const odd = readLoad('step:10,100@100s', {});
    expect(values(odd, [99.9, 100, 104])).toEqual([10, 100, 100]);
    expect(odd.points.slice(6, 9)).toEqual([{ t: 90, value: 10 }, { t: 100, value: 100 }, { t: 105, value: 100 }]);
  });

  test('ramp:A,B@T1-T2: A until T1, linear to B at T2, then B', () => {
    expect(values(readLoad('ramp:10,100@30m-1h', {}), [0, 1800, 2700, 3600, 7000])).toEqual([10, 10, 55, 100, 100]);
    expect(values(readLoad('ramp:100,0@0-100', {}), [0, 50, 99, 100])).toEqual([100, 55, 10, 0]);
  });

  test('sine:MIN,MAX@PERIOD: MIN at 0, MAX at half the period; one period by default', () => {
    const trace = readLoad('sine:10,100@1d', {});
    expect(trace.points[trace.points.length - 1].t).toBe(86385);
    expect(loadAt(trace, 0)).toBe(10);
    expect(loadAt(trace, 43200)).toBe(100);
    expect(loadAt(trace, 21600)).toBeCloseTo(55, 9);
    expect(loadAt(trace, 64800)).toBeCloseTo(55, 9);
    expect(readLoad('sine:10,100@1h', { durationSeconds: 7200 }).points).toHaveLength(480);
  });

  test('spike:BASE,PEAK@T+D: PEAK from T for D', () => {
    expect(values(readLoad('spike:10,200@1h+5m', {}), [0, 3599, 3600, 3899, 3900, 7199])).toEqual([10, 10, 200, 200, 10, 10]);
    expect(values(readLoad('spike:10,200@100+20', {}), [99, 100, 119, 120])).toEqual([10, 200, 200, 10]);
  });

  test('spaces are ignored; durations in any unit', () => {
    expect(values(readLoad(' step: 1, 2 @ 0.5h ', {}), [1799, 1800])).toEqual([1, 2]);
  });

  test('a spec that does not parse shows its form and every form', () => {
    expectError(() => readLoad('step:10', {}), '--load', `'step:10' is not a step load; write step:A,B@T (A until T, then B), e.g. step:10,100@30m. The synthetic loads: ${SYNTHETIC_FORMS}`);
    expectError(() => readLoad('ramp:1,2@30m', {}), '--load', 'write ramp:A,B@T1-T2');
    expectError(() => readLoad('spike:1,2@30m', {}), '--load', 'write spike:BASE,PEAK@T+D');
    expectError(() => readLoad('constant:', {}), '--load', "constant:: V '' is not a load");
  });

  test.each([
    ['step:x,100@30m', "step:x,100@30m: A 'x' is not a load; give a number of 0 or more (load units per second)"],
    ['step:10,-1@30m', "B '-1' is not a load"],
    ['step:10,100@30x', "step:10,100@30x: T '30x' is not a duration; write seconds (45) or a number with s, m, h or d (90s, 30m, 2h, 1d)"],
    ['ramp:1,2@1h-30m', 'ramp:1,2@1h-30m: T2 must be after T1; for a sudden change, write step:1,2@T'],
    ['sine:100,10@1d', 'sine:100,10@1d: MIN (100) is above MAX (10); write the lower load first'],
    ['sine:1,2@0', 'sine:1,2@0: PERIOD must be above 0'],
    ['spike:1,2@1h+0', 'spike:1,2@1h+0: D, how long the spike lasts, must be above 0'],
    ['step:1,2@3h', 'step:1,2@3h: T (3h) is not before the end of the load, 2h (the default; set --duration); give an earlier T or a longer --duration'],
    ['sine:1,2@40d', 'sine:1,2@40d: PERIOD (40d) is above 31 days'],
  ])('%s is an error at --load', (spec, message) => {
    expectError(() => readLoad(spec, {}), '--load', message);
  });

  test('--duration must be above 0 and at most 31 days', () => {
    expectError(() => readLoad('constant:1', { durationSeconds: 0 }), '--duration', '--duration 0s: a synthetic load must last more than 0 seconds');
    expectError(() => readLoad('constant:1', { durationSeconds: 32 * 86400 }), '--duration', '--duration 32d: a synthetic load lasts at most 31 days');
    expectError(() => readLoad('spike:1,2@1h+5m', { durationSeconds: 1800 }), '--load', 'T (1h) is not before the end of the load, 30m (--duration)');
  });

  test('--series does not apply; errors name the flag given', () => {
    expectError(() => readLoad('constant:1', { series: 'pod="a"' }), '--series', '--load constant:1 is a synthetic load: leave --series out');
    expectError(() => readLoad('step:1', { flag: '--metric queue' }), '--metric queue', 'is not a step load');
  });
});

describe('loadAt', () => {
  const trace: LoadTrace = { source: 'test', points: [{ t: 0, value: 5 }, { t: 10, value: 7 }, { t: 20, value: 9 }] };

  test('a step function: the last point at or before t', () => {
    expect(values(trace, [0, 9.999, 10, 15, 19.999, 20])).toEqual([5, 5, 7, 7, 7, 9]);
  });

  test('before the first point, the first value; after the last, the last', () => {
    expect(values(trace, [-100, -0.001, 20.001, 1e9])).toEqual([5, 5, 9, 9]);
  });

  test('a trace of one point', () => {
    expect(values({ source: 'one', points: [{ t: 0, value: 3 }] }, [-1, 0, 1e6])).toEqual([3, 3, 3]);
  });

  test('a trace without points is a programming error', () => {
    expect(() => loadAt({ source: 'none', points: [] }, 0)).toThrow(RangeError);
  });

  test('a week of 15-second steps over a week of points, read the way the simulator does', () => {
    const week = readLoad('sine:0,100@1d', { durationSeconds: 7 * 86400 });
    expect(week.points).toHaveLength(40320);
    for (let step = 0; step < 40320; step++) {
      const t = step * 15;
      if (loadAt(week, t) !== week.points[step].value || loadAt(week, t + 14.9) !== week.points[step].value) throw new Error(`wrong load at ${t}`);
    }
  });
});
