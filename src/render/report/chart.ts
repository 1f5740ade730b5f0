import type { Big } from '../../units/decimal.js';

// The deck's charts as data, drawn natively by pptx.ts and as SVG by svg.ts: one description, so
// the same chart has the same series, colours and scale in PowerPoint, HTML and markdown.

/** Series over categories: bars or lines, linear from zero unless a log axis is asked for. */
export interface SeriesChart {
  kind: 'bar' | 'line';
  title: string;
  categories: string[];
  /** Each with its colour (RGB hex), the same in every format for the same option. */
  series: Array<{ name: string; values: number[]; colour: string }>;
  unit: 'usd' | 'ms' | 'count';
  /** A log axis, only when asked for (--log-scale) and said on the chart; linear from zero else. */
  log: boolean;
}

/** A line that starts at category `start` (a projection begins where the observed days end). */
export interface StartingLine {
  name: string;
  colour: string;
  start: number;
  values: number[];
}

/**
 * Observed vs projected: lines over days, and a range drawn as a shaded area between `lo` and
 * `hi` (P10 to P90), linear from zero. Only every `label_every`-th day is labelled.
 */
export interface BandChart {
  kind: 'band';
  title: string;
  /** Each day's label ("Nov 1"), and the day itself (YYYY-MM-DD) for a native date axis. */
  categories: string[];
  days: string[];
  lines: StartingLine[];
  band?: { name: string; colour: string; start: number; lo: number[]; hi: number[] };
  unit: 'usd';
  label_every: number;
}

export type Chart = SeriesChart | BandChart;

/**
 * One colour per option, in the order options are named, the baseline always grey: a reader can
 * follow an option from chart to chart and from the pptx to the HTML.
 */
export const OPTION_COLOURS = ['2563EB', '16A34A', 'EA580C', '9333EA', 'DC2626', '0891B2'];
export const BASELINE_COLOUR = '9CA3AF';
export const colourOf = (i: number) => OPTION_COLOURS[i % OPTION_COLOURS.length]!;

/** Past this many series a bar's value label runs into its neighbours': the table has them. */
export const LABELLED_SERIES = 3;

/** An amount as a chart draws it: to the cent, as a float (tables keep the exact figure). */
export const chartValue = (amount: Big): number => Number(amount.toFixed(2));

/** Every value a chart draws, for its scale. */
export function chartValues(chart: Chart): number[] {
  if (chart.kind !== 'band') return chart.series.flatMap((s) => s.values);
  return [
    ...chart.lines.flatMap((l) => l.values),
    ...(chart.band === undefined ? [] : [...chart.band.lo, ...chart.band.hi]),
  ];
}
