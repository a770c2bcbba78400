import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import type { SeriesPoint, SimulationResult } from '../../lib/simulation/types';

// The chart of npm run simulate: a Vega-Lite specification compiled to Vega and rendered to
// SVG by a headless Vega view (no browser, no canvas package: Vega estimates text widths, so
// labels may sit a few pixels off where a browser would put them). Same input, same bytes.

/** One run to draw, and what its legend calls it. */
export interface ChartRun {
  readonly label: string;
  readonly result: SimulationResult;
}

/** What renderChart draws around the runs. */
export interface ChartOptions {
  /** The chart's title. */
  readonly title: string;
  /** Width of each panel's plotting area, pixels (default 900); axes, legend and padding come on top. */
  readonly width?: number;
  /** Height of each panel's plotting area, pixels (default 220); the SVG stacks two or three panels. */
  readonly height?: number;
}

/** The colour of each series, fixed so that the chart reads the same every time (and a test can find each curve). */
export const SERIES_COLOURS = {
  'load': '#1f77b4',
  'ready capacity': '#2ca02c',
  'desired replicas': '#ff7f0e',
  'ready replicas': '#9467bd',
  'queue': '#d62728',
} as const;

/**
 * Each line's width. Where desired and ready replicas (or ready capacity and load) are equal, the
 * wider line drawn first shows as an edge around the other instead of vanishing under it.
 */
const SERIES_WIDTHS: Record<Series, number> = { 'load': 2, 'ready capacity': 4, 'desired replicas': 4, 'ready replicas': 2, 'queue': 2 };

/** The legend's name for the shaded band between minReplicas and maxReplicas. */
export const BAND_LABEL = 'min..max replicas';

/** The band's colour (drawn at BAND_OPACITY under the replica lines). */
export const BAND_COLOUR = '#bdbdbd';
const BAND_OPACITY = 0.35;

/** Each panel's title and y axis title (short, so that it never outgrows a low panel), and the time axis's titles. */
export const PANEL_TITLES = {
  load: ['load and ready capacity', 'units/s'],
  replicas: ['desired and ready replicas (shaded: min..max)', 'replicas'],
  queue: ['queue', 'units'],
} as const;
export const TIME_TITLES = {
  short: 'time from the start (h:mm)',
  long: 'time from the start (hours)',
} as const;

type Series = keyof typeof SERIES_COLOURS;

const SERIES_VALUES: readonly (readonly [Series, (p: SeriesPoint) => number | null])[] = [
  ['load', (p) => p.load],
  ['ready capacity', (p) => p.capacity],
  ['desired replicas', (p) => p.desiredReplicas],
  ['ready replicas', (p) => p.readyReplicas],
  ['queue', (p) => p.queue],
];

/** One point of one series of one run, as the chart's data holds it. */
interface Row {
  readonly hours: number;
  readonly value: number;
  readonly series: Series;
  readonly run: string;
}

/** A plain Vega-Lite JSON object (the spec is built as data, then typed once for compile). */
type Json = Record<string, unknown>;

/**
 * An SVG chart of one run, or several (`--compare`): the top panel load and ready capacity
 * (units/s) over time; the bottom panel desired and ready replicas over time, over a band
 * shaded between minReplicas and maxReplicas; a queue panel too when any run has a queue. The
 * panels share the time axis (h:mm up to two days, else hours). The legend names each series
 * by colour and, with several runs, each run by its label and dash.
 *
 * For the chart only (the JSON keeps every point), a series longer than four points per pixel of
 * width is drawn from each pixel's first, lowest, highest and last point: the line covers the
 * same pixels, peaks and dips included. A week of 15-s steps drops from 40,320 points to at most
 * 3,600 per series. Drawn whole, that week took 3-6 s and made a 4-5 MB SVG; downsampled, it takes
 * 0.3-0.6 s and makes about 0.35 MB (0.4 MB with a queue).
 */
export async function renderChart(runs: readonly ChartRun[], options: ChartOptions): Promise<string> {
  const spec = chartSpec(runs, { width: options.width ?? 900, height: options.height ?? 220, title: options.title });
  const compiled = vegaLite.compile(spec as unknown as vegaLite.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The Vega-Lite specification of the chart. */
function chartSpec(runs: readonly ChartRun[], size: { width: number; height: number; title: string }): Json {
  const rows = runs.flatMap((r) => rowsOf(r, size.width));
  const present = SERIES_VALUES.map(([s]) => s).filter((s) => rows.some((r) => r.series === s));
  const colour = {
    field: 'series', type: 'nominal', title: 'series',
    scale: { domain: [...present, BAND_LABEL], range: [...present.map((s) => SERIES_COLOURS[s]), BAND_COLOUR] },
  };
  const dash = runs.length > 1 ? { field: 'run', type: 'nominal', title: 'run', scale: { domain: runs.map((r) => r.label) } } : undefined;
  const time = timeAxis(Math.max(0, ...runs.map((r) => endHours(r.result))), size.width);
  // Each panel: its titles, its lines in drawing order, and what lies under them.
  const panels: [readonly [string, string], Series[], Json[]][] = [
    [PANEL_TITLES.load, ['ready capacity', 'load'], []],
    [PANEL_TITLES.replicas, ['desired replicas', 'ready replicas'], [bandLayer(runs, time.domain)]],
  ];
  if (present.includes('queue')) panels.push([PANEL_TITLES.queue, ['queue'], []]);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: size.title, anchor: 'start', fontSize: 14, offset: 12 },
    data: { values: rows },
    vconcat: panels.map(([[title, unit], series, under], i) => ({
      title: { text: title, anchor: 'start', frame: 'group', fontSize: 12, fontWeight: 'normal' },
      width: size.width,
      height: size.height,
      layer: [...under, ...series.map((s) => lineLayer(unit, s, { colour, dash, x: { ...time, last: i === panels.length - 1 } }))],
    })),
    resolve: { scale: { x: 'shared', color: 'shared', strokeDash: 'shared' } },
    config: { legend: { orient: 'right', symbolStrokeWidth: 3, symbolOpacity: 1, labelLimit: 400 }, view: { stroke: '#cccccc' }, axis: { labelFontSize: 11, titleFontSize: 12 } },
  };
}

/** The line of one series, one per run. */
function lineLayer(title: string, series: Series, enc: { colour: Json; dash: Json | undefined; x: TimeAxis & { last: boolean } }): Json {
  return {
    transform: [{ filter: { field: 'series', equal: series } }],
    mark: { type: 'line', interpolate: 'step-after', strokeWidth: SERIES_WIDTHS[series] },
    encoding: {
      x: xEncoding(enc.x),
      y: { field: 'value', type: 'quantitative', title },
      color: enc.colour,
      ...(enc.dash ? { strokeDash: enc.dash } : {}),
      detail: { field: 'run' },
    },
  };
}

/** The band between each run's minReplicas and maxReplicas, over the whole run. */
function bandLayer(runs: readonly ChartRun[], domain: readonly [number, number]): Json {
  const bands = runs.map((r) => ({ from: domain[0], to: endHours(r.result), min: r.result.minReplicas, max: r.result.maxReplicas }));
  return {
    data: { values: bands },
    mark: { type: 'rect', opacity: BAND_OPACITY },
    encoding: {
      x: { field: 'from', type: 'quantitative' },
      x2: { field: 'to' },
      y: { field: 'min', type: 'quantitative' },
      y2: { field: 'max' },
      color: { datum: BAND_LABEL },
    },
  };
}

interface TimeAxis {
  /** The x scale's domain, hours. */
  readonly domain: readonly [number, number];
  /** Tick positions, hours. */
  readonly values: readonly number[];
  readonly title: string;
  /** A Vega expression for a tick's label. */
  readonly labelExpr: string;
}

/** Time steps for ticks, in minutes: round numbers a clock reads easily. */
const TICK_MINUTES = [1, 2, 5, 10, 15, 20, 30, 60, 120, 180, 240, 360, 720, 1440, 2880, 10080];

/** The time axis for a run of `hours`: ticks at whole clock steps, about one per 90 px; h:mm labels up to two days, hours beyond. */
function timeAxis(hours: number, width: number): TimeAxis {
  const end = hours > 0 ? hours : 1;
  const wanted = Math.max(2, Math.floor(width / 90));
  const minutes = TICK_MINUTES.find((m) => (end * 60) / m <= wanted) ?? Math.ceil((end * 60) / wanted / 10080) * 10080;
  const values: number[] = [];
  for (let m = 0; m <= end * 60 + 1e-9; m += minutes) values.push(m / 60);
  const short = end <= 48;
  return {
    domain: [0, end],
    values,
    title: short ? TIME_TITLES.short : TIME_TITLES.long,
    labelExpr: short
      ? "floor(round(datum.value * 60) / 60) + ':' + format(round(datum.value * 60) % 60, '02d')"
      : "format(datum.value, 'd')",
  };
}

/** The shared x encoding; only the bottom panel labels its axis. */
function xEncoding(time: TimeAxis & { last: boolean }): Json {
  return {
    field: 'hours',
    type: 'quantitative',
    scale: { domain: time.domain, nice: false, zero: false },
    axis: time.last
      ? { title: time.title, values: time.values, labelExpr: time.labelExpr }
      : { title: null, values: time.values, labels: false },
  };
}

/** When a run ends, hours: one sync period past its last point (the last value holds for that period). */
function endHours(result: SimulationResult): number {
  const last = result.series[result.series.length - 1];
  return last ? (last.t + result.stepSeconds) / 3600 : 0;
}

/** The rows of one run: each series it has (queue only when the run has a queue), downsampled to the width. */
function rowsOf({ label, result }: ChartRun, width: number): Row[] {
  const points = result.series;
  if (points.length === 0) return [];
  const end = endHours(result);
  return SERIES_VALUES.flatMap(([series, value]) => {
    if (points.every((p) => value(p) === null)) return [];
    const kept = downsample(points, (p) => value(p) ?? 0, width);
    const rows: Row[] = kept.map((p) => ({ hours: p.t / 3600, value: value(p) ?? 0, series, run: label }));
    // Step-after: the last value holds for one more period, to the end of the run.
    rows.push({ hours: end, value: rows[rows.length - 1].value, series, run: label });
    return rows;
  });
}

/**
 * Every point, or, for a series longer than four points per pixel, each pixel's first, lowest,
 * highest and last point in time order: at that width the line covers the same pixels.
 */
function downsample(points: readonly SeriesPoint[], value: (p: SeriesPoint) => number, pixels: number): readonly SeriesPoint[] {
  const buckets = Math.max(1, Math.floor(pixels));
  if (points.length <= 4 * buckets) return points;
  const kept: SeriesPoint[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * points.length) / buckets);
    const to = Math.floor(((b + 1) * points.length) / buckets);
    let low = from;
    let high = from;
    for (let i = from + 1; i < to; i++) {
      if (value(points[i]) < value(points[low])) low = i;
      if (value(points[i]) > value(points[high])) high = i;
    }
    for (const i of [...new Set([from, low, high, to - 1])].sort((x, y) => x - y)) kept.push(points[i]);
  }
  return kept;
}
