import type { CostRow } from '../../core/cost.js';
import { DAYS_PER_MONTH } from '../../core/usage/growth.js';
import type { UsageSummary } from '../../core/usage/summary.js';
import { type Big, ZERO } from '../../units/decimal.js';
import { addDays, daysBetween } from '../../units/date.js';
import type { CostView } from '../cost/view.js';
import type { Table } from '../document.js';
import { formatTokens, formatUsd, plural } from '../format.js';
import { type BandChart, chartValue, colourOf } from './chart.js';
import type { Slide } from './deck.js';
import { costNotes } from './notes.js';

// `report --usage`: the deck of a projection fitted from usage opens on what was observed. The
// observed days and the projection's range share one chart (actuals as a line, P10 to P90 as a
// shaded area), and a table gives the range month by month, exact to the cent.

/** The chart shows at most this many months ahead, and as many observed days before them. */
const CHART_MONTHS = 3;
const CHART_OBSERVED_DAYS = Math.floor(CHART_MONTHS * DAYS_PER_MONTH);
/** A day label every week, or every two, three...: at most eight labels on the axis. */
const MAX_DAY_LABELS = 8;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const BAND_COLOUR = colourOf(0);
const OBSERVED_COLOUR = '111827';

/** "Nov 1" from 2026-11-01: the year is in the lead. */
const dayLabel = (day: string) => `${MONTHS[Number(day.slice(5, 7)) - 1]} ${Number(day.slice(8))}`;

type Observed = UsageSummary & { first_day: string; last_day: string };

/** The usage a view was fitted from, when it has any days. */
export function observedOf(view: CostView): Observed | undefined {
  const o = view.observed;
  return o === undefined || o.first_day === undefined || o.last_day === undefined
    ? undefined
    : (o as Observed);
}

/** The fitted setup's rows, month by month, at P50 and (with a range) at P10 and P90. */
function monthRows(view: CostView): { p50: CostRow[]; p10?: CostRow[]; p90?: CostRow[] } {
  const name = view.report.rows[0]?.candidate.label;
  const of = (rows: readonly CostRow[]) => rows.filter((r) => r.candidate.label === name);
  const b = view.bands;
  return b === undefined
    ? { p50: of(view.report.rows) }
    : { p50: of(view.report.rows), p10: of(b.p10.report.rows), p90: of(b.p90.report.rows) };
}

/** Day d (1-based) of the projection at its month's cost spread evenly over the month's days. */
function dailyOf(rows: readonly CostRow[], days: number): number[] {
  return Array.from({ length: days }, (_, d) => {
    const row = rows[Math.min(Math.floor(d / DAYS_PER_MONTH), rows.length - 1)];
    return row === undefined ? 0 : chartValue(row.cost.div(String(DAYS_PER_MONTH)));
  });
}

/** Each observed day's list cost, from the first shown to the last observed (none read is $0). */
function observedDays(o: Observed): { days: string[]; values: number[]; cut: number } {
  const all = daysBetween(o.first_day, o.last_day) + 1;
  const shown = Math.min(all, CHART_OBSERVED_DAYS);
  const byDay = new Map(o.by_day.map((d) => [d.day, d.list_cost]));
  const days = Array.from({ length: shown }, (_, i) => addDays(o.last_day, i - shown + 1));
  return {
    days,
    values: days.map((day) => chartValue(byDay.get(day) ?? ZERO)),
    cut: all - shown,
  };
}

function bandChart(view: CostView, o: Observed, seen: ReturnType<typeof observedDays>): BandChart {
  const rows = monthRows(view);
  const ahead = Math.floor(Math.min(CHART_MONTHS, rows.p50.length) * DAYS_PER_MONTH);
  const future = Array.from({ length: ahead }, (_, i) => addDays(o.last_day, i + 1));
  const days = [...seen.days, ...future];
  const categories = days.map(dayLabel);
  const every = 7 * Math.max(1, Math.ceil(categories.length / (7 * MAX_DAY_LABELS)));
  const start = seen.days.length;
  return {
    kind: 'band',
    title: 'List cost a day, observed then projected (USD)',
    categories,
    days,
    unit: 'usd',
    label_every: every,
    lines: [
      { name: 'Observed', colour: OBSERVED_COLOUR, start: 0, values: seen.values },
      { name: 'Projected (P50)', colour: BAND_COLOUR, start, values: dailyOf(rows.p50, ahead) },
    ],
    ...(rows.p10 === undefined || rows.p90 === undefined
      ? {}
      : {
          band: {
            name: 'P10 to P90 (80% range)',
            colour: BAND_COLOUR,
            start,
            lo: dailyOf(rows.p10, ahead),
            hi: dailyOf(rows.p90, ahead),
          },
        }),
  };
}

const pctWords = (view: CostView, growth: Big) =>
  view.bands === undefined
    ? `${growth.toFixed()}% a month (no range: too few days to fit one)`
    : `the fitted ${view.bands.p50_pct}% a month (P50); shaded, the 80% range from ` +
      `${view.bands.p10.monthly_pct}% (P10) to ${view.bands.p90.monthly_pct}% (P90)`;

function observedSlide(view: CostView, o: Observed, growth: Big): Slide {
  const seen = observedDays(o);
  const chart = bandChart(view, o, seen);
  const ahead = chart.categories.length - chart.lines[1]!.start;
  const shown = daysBetween(o.first_day, o.last_day) + 1;
  const cut = seen.cut;
  const unpriced = o.totals.unpriced_tokens;
  return {
    title: 'Observed vs projected',
    lead:
      "Each day's list cost as observed, " +
      `${cut > 0 ? `the last ${shown - cut} of ${shown} days ` : ''}` +
      `${o.first_day} to ${o.last_day}, then the next ${ahead} days at ${pctWords(view, growth)}.` +
      (unpriced > 0
        ? ` ${formatTokens(unpriced)} observed tokens the catalog cannot price are left out.`
        : ''),
    chart,
    notes:
      "Observed: each day's tokens, model by model, at the list prices in force that day (as " +
      '`ai-route usage summary` prices them); a day with no usage read is drawn at $0. ' +
      "Projected: each month's cost from the cost engine, for the scenario `ai-route usage fit` " +
      `makes of the same usage, spread evenly over the month's ${DAYS_PER_MONTH} days (the ` +
      'average Gregorian month), so the line steps from month to month. P10 and P90 are the same ' +
      "at the ends of the growth's 80% interval. " +
      costNotes(view),
  };
}

function rangeSlide(view: CostView): Slide | undefined {
  const rows = monthRows(view);
  const { p10, p90 } = rows;
  const b = view.bands;
  if (p10 === undefined || p90 === undefined || b === undefined) return undefined;
  const total = (rs: readonly CostRow[]) => rs.reduce((s, r) => s.plus(r.cost), ZERO);
  const last = rows.p50.length - 1;
  const table: Table = {
    head: [
      'Month',
      'Volume (P50)',
      `P10 (${b.p10.monthly_pct}%)`,
      `P50 (${b.p50_pct}%)`,
      `P90 (${b.p90.monthly_pct}%)`,
    ],
    align: ['left', 'right', 'right', 'right', 'right'],
    rows: [
      ...rows.p50.map((r, i) => [
        { text: `Month ${r.point.month ?? i + 1}` },
        { text: `${formatTokens(r.point.tokens)} tokens` },
        { text: formatUsd(p10[i]!.cost) },
        { text: formatUsd(r.cost) },
        { text: formatUsd(p90[i]!.cost) },
      ]),
      [
        { text: `Total (${plural(rows.p50.length, 'month')})` },
        { text: '' },
        { text: formatUsd(total(p10)) },
        { text: formatUsd(total(rows.p50)) },
        { text: formatUsd(total(p90)) },
      ],
    ],
  };
  return {
    title: 'The range, month by month',
    lead:
      `Cost a month of ${rows.p50[0]?.candidate.label ?? 'the setup'} at each end of the ` +
      `growth's 80% range; in month ${last + 1}, ${formatUsd(rows.p50[last]!.cost)} at P50, ` +
      `${formatUsd(p10[last]!.cost)} to ${formatUsd(p90[last]!.cost)}.`,
    table,
    notes:
      `The growth is fitted by ${b.method} on ${plural(b.days, 'day')} of usage; P10 and P90 ` +
      'are the ends of its 80% interval. The mix, tiers and prices are the same at each end: ' +
      `only the volume differs. ${costNotes(view)}`,
  };
}

/** The usage deck's slides: observed vs projected, and the range month by month. */
export function observedSlides(view: CostView, growth: Big): Slide[] {
  const o = observedOf(view);
  if (o === undefined) return [];
  const range = rangeSlide(view);
  return [observedSlide(view, o, growth), ...(range === undefined ? [] : [range])];
}

/** The usage deck's headline: what was spent, and where the fitted growth takes it. */
export function usageHeadline(view: CostView, growth: Big): string | undefined {
  const o = observedOf(view);
  const rows = monthRows(view);
  const last = rows.p50[rows.p50.length - 1];
  if (o === undefined || last === undefined) return undefined;
  const days = daysBetween(o.first_day, o.last_day) + 1;
  const name = rows.p50[0]?.candidate.label ?? 'The usage';
  const list = o.totals.list_cost === null ? 'no list cost' : formatUsd(o.totals.list_cost);
  const billed = o.totals.billed_cost === null ? '' : `, ${formatUsd(o.totals.billed_cost)} billed`;
  const i = rows.p50.length - 1;
  const range =
    rows.p10 === undefined || rows.p90 === undefined
      ? ''
      : ` (80% range ${formatUsd(rows.p10[i]!.cost)} to ${formatUsd(rows.p90[i]!.cost)})`;
  const pct =
    view.bands === undefined
      ? `${growth.toFixed()}% (no growth fitted)`
      : `the fitted ${view.bands.p50_pct}%`;
  return (
    `${name}: ${list} at list prices over the ${days} days observed (${o.first_day} to ` +
    `${o.last_day})${billed}. At ${pct} a month, ${formatUsd(last.cost)} in month ${i + 1}` +
    `${range}.`
  );
}
