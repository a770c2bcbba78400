import { Resvg } from '@resvg/resvg-js';
import { BAND_COLOUR, BAND_LABEL, PANEL_TITLES, renderChart, SERIES_COLOURS, TIME_TITLES, type ChartRun } from '../../../app/simulate/chart';
import type { SeriesPoint, SimulationResult, SimulationSummary } from '../../../lib/simulation/types';

// The chart as a user opens it: an SVG that parses, names its series and axes, and, rendered
// to pixels by resvg, shows each curve in its panel in its colour.

const POD_CAPACITY = 120;
const SUMMARY: SimulationSummary = {
  durationSeconds: 0, peakReplicas: 0, peakReplicasAt: 0, longestCatchUpSeconds: 0, unservedUnitSeconds: 0,
  longestUnservedSeconds: 0, secondsAboveTarget: 0, peakQueue: null, replicaHours: 0, gpuHours: 0,
};

function point(t: number, load: number, desired: number, ready: number, queue: number | null): SeriesPoint {
  const capacity = ready * POD_CAPACITY;
  return { t, load, desiredReplicas: desired, readyReplicas: ready, capacity, unserved: Math.max(0, load - capacity), queue };
}

/** An hour of 15-s steps: load steps from 100 to 600 at 20 min; desired follows at once, ready 5 min later. */
function stepResult(options: { queue?: boolean; readyLag?: number } = {}): SimulationResult {
  const lag = options.readyLag ?? 20;
  const series = Array.from({ length: 240 }, (_, i) => {
    const load = i < 80 ? 100 : 600;
    const desired = i < 80 ? 2 : 6;
    const ready = i < 80 + lag ? 2 : 6;
    const queue = options.queue ? Math.max(0, Math.min(i - 80, 80 + lag - i) * 50) : null;
    return point(i * 15, load, desired, ready, queue);
  });
  return { stepSeconds: 15, minReplicas: 1, maxReplicas: 8, series, summary: SUMMARY };
}

/** A week of 15-s steps (40,320 points): a daily wave with noise. */
function weekResult(): SimulationResult {
  const series = Array.from({ length: 40_320 }, (_, i) => {
    const t = i * 15;
    const load = 500 + 400 * Math.sin((2 * Math.PI * t) / 86_400) + ((i * 7919) % 97);
    const ready = Math.max(2, Math.ceil(load / POD_CAPACITY));
    return point(t, load, Math.min(20, ready + (i % 40 < 20 ? 1 : 0)), ready, (i * 13) % 300);
  });
  return { stepSeconds: 15, minReplicas: 2, maxReplicas: 20, series, summary: SUMMARY };
}

interface Rendered {
  readonly svg: string;
  readonly width: number;
  readonly height: number;
  /** The plotting area of each panel, top to bottom, in pixels. */
  readonly panels: readonly Rect[];
  /** Counts the pixels within `tolerance` of `hex` (per channel) inside `rect`. */
  count(hex: string, rect: Rect, tolerance?: number): number;
}

interface Rect { readonly x: number; readonly y: number; readonly width: number; readonly height: number }

/** Renders the chart and the SVG to pixels; resvg throws on SVG that is not well-formed XML. */
async function render(runs: readonly ChartRun[], options: { title: string; width?: number; height?: number }): Promise<Rendered> {
  const svg = await renderChart(runs, options);
  const root = /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]* width="(\d+)" height="(\d+)"/.exec(svg);
  expect(root).not.toBeNull();
  const image = new Resvg(svg).render();
  // .pixels copies the buffer on every access: read it once.
  const pixels = image.pixels;
  expect(pixels.length).toBe(image.width * image.height * 4);
  // Vega lays each panel out as a concat_N_group translated within the root group.
  const origin = /<g fill="none" stroke-miterlimit="10" transform="translate\(([\d.]+),([\d.]+)\)">/.exec(svg)!;
  const panels = [...svg.matchAll(/concat_(\d)_group"[^>]*><g transform="translate\(([\d.]+),([\d.]+)\)">/g)].map((m) => ({
    x: Number(origin[1]) + Number(m[2]), y: Number(origin[2]) + Number(m[3]), width: options.width ?? 900, height: options.height ?? 220,
  }));
  const count = (hex: string, rect: Rect, tolerance = 6) => {
    const rgb = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    let n = 0;
    for (let y = Math.ceil(rect.y); y < rect.y + rect.height; y++) {
      for (let x = Math.ceil(rect.x); x < rect.x + rect.width; x++) {
        const at = (y * image.width + x) * 4;
        if (rgb.every((c, k) => Math.abs(pixels[at + k] - c) <= tolerance)) n++;
      }
    }
    return n;
  };
  return { svg, width: image.width, height: image.height, panels, count };
}

/** The text of each <text> element. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
}

/** What the band looks like over white: its colour at the band's opacity. */
function bandOverWhite(): string {
  const opacity = 0.35;
  return '#' + [1, 3, 5].map((i) => Math.round(255 + opacity * (parseInt(BAND_COLOUR.slice(i, i + 2), 16) - 255)).toString(16).padStart(2, '0')).join('');
}

const run = (label: string, result: SimulationResult): ChartRun => ({ label, result });

test('one run: two panels sharing an h:mm time axis, the legend names each series, and every curve shows in its colour', async () => {
  const chart = await render([run('fraud-detector (prod)', stepResult())], { title: 'fraud-detector (prod): step:100,600@20m' });
  expect(chart.svg).toMatch(/<\/svg>$/);
  expect([chart.width, chart.height]).toEqual([Number(/width="(\d+)"/.exec(chart.svg)![1]), Number(/height="(\d+)"/.exec(chart.svg)![1])]);
  const text = texts(chart.svg);
  expect(text).toEqual(expect.arrayContaining(['fraud-detector (prod): step:100,600@20m', 'load', 'ready capacity', 'desired replicas', 'ready replicas', BAND_LABEL, ...PANEL_TITLES.load, ...PANEL_TITLES.replicas, TIME_TITLES.short]));
  expect(text).not.toContain('queue');
  // One shared time axis: its labels and title once, under the bottom panel.
  expect(text.filter((t) => t === '0:20')).toHaveLength(1);
  expect(text.filter((t) => t === TIME_TITLES.short)).toHaveLength(1);
  expect(text).toEqual(expect.arrayContaining(['0:00', '0:10', '0:30', '1:00']));

  expect(chart.panels).toHaveLength(2);
  const [top, bottom] = chart.panels;
  expect(top.y + top.height).toBeLessThan(bottom.y);
  // Each curve runs across its panel (a legend swatch is a few dozen pixels at most).
  for (const series of ['load', 'ready capacity'] as const) {
    expect(chart.count(SERIES_COLOURS[series], top)).toBeGreaterThan(top.width / 2);
    expect(chart.count(SERIES_COLOURS[series], bottom)).toBe(0);
  }
  for (const series of ['desired replicas', 'ready replicas'] as const) {
    expect(chart.count(SERIES_COLOURS[series], bottom)).toBeGreaterThan(bottom.width / 4);
    expect(chart.count(SERIES_COLOURS[series], top)).toBe(0);
  }
  expect(chart.count(SERIES_COLOURS.queue, { x: 0, y: 0, width: chart.width, height: chart.height })).toBe(0);
  // The min..max band: minReplicas 1 to maxReplicas 8 of a 0..8 axis, most of the bottom panel.
  expect(chart.count(bandOverWhite(), bottom, 2)).toBeGreaterThan(bottom.width * bottom.height * 0.5);
  expect(chart.count(bandOverWhite(), top, 2)).toBe(0);
});

test('a run with a queue: a third panel, the queue curve in it', async () => {
  const chart = await render([run('embedding-worker', stepResult({ queue: true }))], { title: 'queue' });
  expect(texts(chart.svg)).toEqual(expect.arrayContaining(['queue', ...PANEL_TITLES.queue, ...PANEL_TITLES.load, ...PANEL_TITLES.replicas]));
  expect(chart.panels).toHaveLength(3);
  const [top, middle, bottom] = chart.panels;
  expect(chart.count(SERIES_COLOURS.queue, bottom)).toBeGreaterThan(bottom.width / 2);
  expect(chart.count(SERIES_COLOURS.queue, top) + chart.count(SERIES_COLOURS.queue, middle)).toBe(0);
  expect(chart.count(SERIES_COLOURS.load, top)).toBeGreaterThan(top.width / 2);
  expect(chart.count(SERIES_COLOURS['ready replicas'], middle)).toBeGreaterThan(middle.width / 4);
  // The time axis is labelled once, under the queue.
  expect(texts(chart.svg).filter((t) => t === TIME_TITLES.short)).toHaveLength(1);
});

test('two runs (--compare): a legend of runs by label, both runs drawn, the queue panel for the one that has a queue', async () => {
  const chart = await render([run('baseline', stepResult()), run('tuned', stepResult({ queue: true, readyLag: 40 }))], { title: 'baseline vs tuned' });
  const text = texts(chart.svg);
  expect(text).toEqual(expect.arrayContaining(['baseline', 'tuned', 'run', 'series', 'queue', 'baseline vs tuned']));
  expect(chart.panels).toHaveLength(3);
  // The runs are told apart by dash: solid for the first, dashed for the second.
  expect(chart.svg).toMatch(/stroke-dasharray/);
  for (const series of ['desired replicas', 'ready replicas'] as const) expect(chart.count(SERIES_COLOURS[series], chart.panels[1])).toBeGreaterThan(100);
  expect(chart.count(SERIES_COLOURS.queue, chart.panels[2])).toBeGreaterThan(100);
});

test('width and height size each panel\'s plotting area; the image has the size the SVG declares', async () => {
  const small = await render([run('a', stepResult())], { title: 't', width: 600, height: 150 });
  const tall = await render([run('a', stepResult())], { title: 't', width: 800, height: 200 });
  const queued = await render([run('a', stepResult({ queue: true }))], { title: 't', width: 600, height: 150 });
  const queuedTall = await render([run('a', stepResult({ queue: true }))], { title: 't', width: 600, height: 200 });
  expect(tall.width - small.width).toBe(200);
  expect(tall.height - small.height).toBe(2 * 50);
  expect(queuedTall.height - queued.height).toBe(3 * 50);
  expect(small.count(SERIES_COLOURS.load, small.panels[0])).toBeGreaterThan(300);
});

test('the SVG is well-formed XML: text is escaped, and the check catches what is not', async () => {
  const chart = await render([run('a <b> & "c"', stepResult())], { title: 'load & <capacity>' });
  expect(chart.svg).toContain('load &amp; &lt;capacity&gt;');
  expect(() => new Resvg('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><g></svg>')).toThrow(/parsing failed/);
  expect(() => new Resvg('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>a & b</text></svg>')).toThrow(/parsing failed/);
});

test('deterministic: the same runs give the same bytes, whatever was drawn before', async () => {
  const runs = [run('baseline', stepResult()), run('tuned', stepResult({ queue: true, readyLag: 40 }))];
  const first = await renderChart(runs, { title: 'same' });
  await renderChart([run('other', stepResult({ queue: true }))], { title: 'other', width: 500 });
  expect(await renderChart(runs, { title: 'same' })).toBe(first);
});

test('a week of 15-s steps renders fast, downsampled, with hours on the time axis and every curve', async () => {
  const week = weekResult();
  const started = performance.now();
  const svg = await renderChart([run('week', week)], { title: 'a week' });
  const seconds = (performance.now() - started) / 1000;
  expect(seconds).toBeLessThan(5);
  expect(svg.length).toBeLessThan(1_000_000);
  const chart = await render([run('week', week)], { title: 'a week' });
  expect(chart.svg).toBe(svg);
  const text = texts(svg);
  expect(text).toEqual(expect.arrayContaining([TIME_TITLES.long, '0', '24', '168']));
  expect(text).not.toContain(TIME_TITLES.short);
  expect(chart.panels).toHaveLength(3);
  expect(chart.count(SERIES_COLOURS['ready capacity'], chart.panels[0])).toBeGreaterThan(chart.panels[0].width);
  expect(chart.count(SERIES_COLOURS['ready replicas'], chart.panels[1])).toBeGreaterThan(chart.panels[1].width);
  expect(chart.count(SERIES_COLOURS.queue, chart.panels[2])).toBeGreaterThan(chart.panels[2].width);
}, 30_000);

test('no points: still a chart, not an error', async () => {
  const empty: SimulationResult = { stepSeconds: 15, minReplicas: 1, maxReplicas: 3, series: [], summary: SUMMARY };
  const chart = await render([run('empty', empty)], { title: 'empty' });
  expect(chart.panels).toHaveLength(2);
});
