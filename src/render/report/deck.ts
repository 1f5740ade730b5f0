import { bucketsOf } from '../../core/probe/histogram.js';
import type { TargetSummary } from '../../domain/probe-summary.js';
import type { DecisionFacts } from '../../schema/decision.js';
import type { SavedPremortem } from '../../schema/premortem.js';
import { VERDICT_TONE, verdictLine } from '../premortem.js';
import { type Big, Dec } from '../../units/decimal.js';
import type { CostView } from '../cost/view.js';
import type { Table } from '../document.js';
import { BASELINE_COLOUR, type Chart, type SeriesChart, chartValue, colourOf } from './chart.js';
import { formatMs, formatPct, formatTokens, formatUsd, printableDeep } from '../format.js';
import {
  PREMORTEM_NOTES,
  PROBE_NOTES,
  costNotes,
  decisionNotes,
  headlineNotes,
  projectionNotes,
  quoteNotes,
  sourcesSlide,
} from './notes.js';
import { observedSlides, usageHeadline } from './observed.js';
import { capacityDocument, limitWords } from '../capacity.js';

// The exec deck as data: slides of a title, a lead sentence, a table, a chart and bullets.
// One deck, drawn by pptx.ts, html.ts and markdown.ts; every figure on it is formatted here once.

export interface Slide {
  title: string;
  lead?: string;
  table?: Table;
  chart?: Chart;
  bullets?: string[];
  /** How its figures were made (volume, mix, rates, formula): the speaker notes. */
  notes?: string;
}

export interface Deck {
  title: string;
  headline: string;
  date: string;
  slides: Slide[];
  /** The title slide's speaker notes: what the headline figure is. */
  notes?: string;
}

export interface DeckInput {
  stages: CostView;
  projection: CostView;
  /** The monthly growth the projection assumes, in percent. */
  growth_pct: Big;
  /** Who states the growth: --growth, the scenario's growth block, or nobody (0%). */
  growth_from?: 'flag' | 'scenario' | 'usage' | 'unfitted' | 'none';
  decision?: DecisionFacts;
  probes: TargetSummary[];
  premortem?: SavedPremortem | undefined;
  /** --log-scale: cost charts on a log axis. */
  logScale?: boolean;
  /**
   * The deck is the decision's: its title and headline are the recommended setup at the decision's
   * volume, and the cost slides price that setup (or, unpriced, say what a quote must beat).
   */
  story?: boolean;
}

const perMonth = (tokens: number) => `${formatTokens(tokens)} tokens/month`;

/**
 * The one sentence a title slide leads with, from the largest stage's numbers: of several setups,
 * the cheapest there.
 */
function headline(view: CostView): string {
  const rows = view.report.rows;
  const point = rows[rows.length - 1]?.point;
  const atLargest = rows.filter((r) => r.point === point);
  const best = atLargest.reduce<(typeof rows)[number] | undefined>(
    (a, r) => (a === undefined || r.cost.lt(a.cost) ? r : a),
    undefined,
  );
  if (best === undefined) return 'No volume was priced.';
  const saved = best.baseline_cost.minus(best.cost);
  const verb = saved.gte('0') ? 'saves' : 'costs';
  const who =
    atLargest.length > 1
      ? `The cheapest of ${atLargest.length} setups, ${best.candidate.label},`
      : `Routing through ${best.candidate.label}`;
  return (
    `${who} ${verb} ${formatUsd(saved.abs())} a month ` +
    `at ${perMonth(best.point.tokens)}: ${formatPct(best.savings_pct)} ` +
    `${saved.gte('0') ? 'below' : 'above'} ${view.baseline.label}.`
  );
}

/** The setup a deck is about, or how many when it compares several. */
function setupsName(view: CostView): string {
  const names = candidatesOf(view);
  return names.length > 1 ? `${names.length} setups` : (names[0] ?? 'the setup');
}

/** The options a cost view prices, each once, in the order it names them. */
function candidatesOf(view: CostView): string[] {
  return [...new Set(view.report.rows.map((r) => r.candidate.label))];
}

/**
 * The cost by stage, its chart and the savings; `recommended` names the decision's option when
 * the stages price its setup (the scenario's own label can differ: "Hybrid (80% default ...)").
 */
function stageSlides(view: CostView, logScale: boolean, recommended?: string): Slide[] {
  const rows = view.report.rows;
  const names = candidatesOf(view);
  const several = names.length > 1;
  const label = (i: number) => rows[i]!.point.stage ?? perMonth(rows[i]!.point.tokens);
  const table: Table = {
    head: [
      'Stage',
      'Volume',
      ...(several ? ['Setup', 'Cost a month'] : [names[0] ?? 'Setup']),
      view.baseline.label,
      'Saved a month',
      'Saved a year',
      'Savings',
    ],
    align: [
      'left',
      'right',
      ...(several ? ['left' as const] : []),
      'right',
      'right',
      'right',
      'right',
      'right',
    ],
    rows: rows.map((r, i) => [
      { text: label(i) },
      { text: perMonth(r.point.tokens) },
      ...(several ? [{ text: r.candidate.label }] : []),
      { text: formatUsd(r.cost) },
      { text: formatUsd(r.baseline_cost) },
      { text: formatUsd(r.baseline_cost.minus(r.cost)) },
      { text: formatUsd(r.baseline_cost.minus(r.cost).times('12')) },
      { text: formatPct(r.savings_pct) },
    ]),
  };
  const points = [...new Set(rows.map((r) => r.point))];
  const chart: SeriesChart = {
    kind: 'bar',
    title: 'Cost a month by stage (USD)',
    categories: points.map((p) => p.stage ?? perMonth(p.tokens)),
    series: [
      ...names.map((name, k) => ({
        name,
        colour: colourOf(k),
        values: points.map((p) => {
          const row = rows.find((r) => r.point === p && r.candidate.label === name);
          return row === undefined ? 0 : chartValue(row.cost);
        }),
      })),
      {
        name: view.baseline.label,
        colour: BASELINE_COLOUR,
        values: points.map((p) => chartValue(rows.find((r) => r.point === p)!.baseline_cost)),
      },
    ],
    unit: 'usd',
    log: logScale,
  };
  const lead = several
    ? `Monthly cost of ${names.length} setups against ${view.baseline.label}.`
    : recommended !== undefined
      ? `Monthly cost of the recommended ${recommended} setup, ${names[0] ?? 'its scenario'}, ` +
        `against ${view.baseline.label}.`
      : `Monthly cost of ${names[0] ?? 'the setup'} against ${view.baseline.label}.`;
  const notes = costNotes(view);
  return [
    { title: 'Cost by stage', lead, table, notes },
    {
      title: 'Cost by stage, charted',
      notes,
      lead: logScale
        ? 'Log scale (--log-scale): each decade is the same height, so bar length is not cost.'
        : 'Linear from zero: bar length is cost.',
      chart,
    },
    { ...savingsSlide(view, names, points), notes },
  ];
}

/** What each setup saves a month against the baseline, stage by stage, linear from zero. */
function savingsSlide(
  view: CostView,
  names: readonly string[],
  points: ReadonlyArray<CostView['report']['rows'][number]['point']>,
): Slide {
  const saved = (name: string, p: (typeof points)[number]) => {
    const row = view.report.rows.find((r) => r.point === p && r.candidate.label === name);
    return row === undefined ? 0 : chartValue(row.baseline_cost.minus(row.cost));
  };
  const largest = points[points.length - 1];
  const best = names
    .map((name) => ({ name, v: largest === undefined ? 0 : saved(name, largest) }))
    .sort((a, b) => b.v - a.v)[0];
  return {
    title: 'Saved a month, by stage',
    lead:
      best === undefined || largest === undefined
        ? undefined
        : `Dollars saved each month against ${view.baseline.label}: ` +
          `${formatUsd(Dec(best.v.toFixed(2)))} a month for ${best.name} at ` +
          `${largest.stage ?? perMonth(largest.tokens)}.`,
    chart: {
      kind: 'bar',
      title: `Saved a month against ${view.baseline.label} (USD)`,
      categories: points.map((p) => p.stage ?? perMonth(p.tokens)),
      series: names.map((name, k) => ({
        name,
        colour: colourOf(k),
        values: points.map((p) => saved(name, p)),
      })),
      unit: 'usd',
      log: false,
    },
  };
}

/** A running sum, month by month. */
function runningSum(values: readonly number[]): number[] {
  let sum = 0;
  return values.map((v) => (sum += v));
}

/** The projection's growth in words, said to be an assumption and whose. */
function growthWords(growth: Big, from: DeckInput['growth_from']): string {
  if (from === 'none' || (from === undefined && growth.eq('0')))
    return '0% growth a month (the scenario states none: pass --growth)';
  if (from === 'unfitted') return '0% growth a month (too few days of usage to fit one)';
  const whose =
    from === 'flag'
      ? 'an assumption given with --growth'
      : from === 'usage'
        ? 'fitted on the usage'
        : "the scenario's assumption";
  return `${growth.toFixed()}% growth a month (${whose})`;
}

function projectionSlide(
  view: CostView,
  growth: Big,
  logScale: boolean,
  from: DeckInput['growth_from'],
): Slide {
  const names = candidatesOf(view);
  const rowsOf = (name: string) => view.report.rows.filter((r) => r.candidate.label === name);
  const first = rowsOf(names[0] ?? '');
  const months = first.length;
  const total = view.report.totals[0];
  const saved = total === undefined ? undefined : total.baseline_cost.minus(total.cost);
  return {
    title: `The next ${months} months`,
    notes: projectionNotes(view, growth),
    lead:
      total === undefined || saved === undefined || first[0] === undefined
        ? undefined
        : `Over ${months} months from ${perMonth(first[0].point.tokens)} at ` +
          `${growthWords(growth, from)}: ` +
          `${names[0]} ${formatUsd(total.cost)} against ${formatUsd(total.baseline_cost)}, ` +
          `saving ${formatUsd(saved)}` +
          (months === 12
            ? ' a year.'
            : `, ${formatUsd(saved.times('12').div(String(months)))} a year.`),
    chart: {
      kind: 'line',
      title: 'Cumulative cost (USD)',
      categories: first.map((r) => `Month ${r.point.month}`),
      series: [
        ...names.map((name, k) => ({
          name,
          colour: colourOf(k),
          values: runningSum(rowsOf(name).map((r) => chartValue(r.cost))),
        })),
        {
          name: view.baseline.label,
          colour: BASELINE_COLOUR,
          values: runningSum(first.map((r) => chartValue(r.baseline_cost))),
        },
      ],
      unit: 'usd',
      log: logScale,
    },
  };
}

/** Dollars saved against the baseline, summed month by month over the projection, per setup. */
function cumulativeSavingsSlide(
  view: CostView,
  growth: Big,
  from: DeckInput['growth_from'],
): Slide {
  const names = candidatesOf(view);
  const rowsOf = (name: string) => view.report.rows.filter((r) => r.candidate.label === name);
  const first = rowsOf(names[0] ?? '');
  const saved = (name: string) =>
    runningSum(rowsOf(name).map((r) => chartValue(r.baseline_cost.minus(r.cost))));
  // the lead's figure exact, as the projection slide's total is; the chart's points to the cent
  const best = view.report.totals
    .map((t) => ({ name: t.candidate.label, total: t.baseline_cost.minus(t.cost) }))
    .sort((a, b) => b.total.cmp(a.total))[0];
  return {
    title: `Saved over the next ${first.length} months`,
    lead:
      best === undefined
        ? undefined
        : `Against ${view.baseline.label}, at ${growthWords(growth, from)}: ` +
          `${formatUsd(best.total)} saved by month ${first.length} with ` +
          `${best.name}.`,
    chart: {
      kind: 'line',
      title: `Saved against ${view.baseline.label}, cumulative (USD)`,
      categories: first.map((r) => `Month ${r.point.month}`),
      series: names.map((name, k) => ({ name, colour: colourOf(k), values: saved(name) })),
      unit: 'usd',
      log: false,
    },
    notes: projectionNotes(view, growth),
  };
}

type Recommended = NonNullable<DecisionFacts['recommendation']>;

/**
 * The decision's story: the recommended setup at the decision's volume, in the title and the
 * headline; unpriced, what a quote must beat (the runner-up's cost, else the baseline's) in place
 * of the cost slides, which could only price something else.
 */
function decisionStory(
  input: DeckInput,
  rec: Recommended,
): { title: string; headline: string; name: string; quote?: Slide } {
  const d = input.decision!;
  const baseline = input.stages.baseline.label;
  const name = rec.label.split(' (')[0]!;
  const title = `LLM API decision: ${name} against ${baseline}`;
  const at = d.volume === null ? '' : ` at ${perMonth(d.volume)}`;
  if (rec.monthly_cost !== null) {
    const cost = Dec(rec.monthly_cost);
    const base = rec.baseline_monthly_cost === null ? undefined : Dec(rec.baseline_monthly_cost);
    const versus =
      base === undefined || base.eq('0')
        ? '.'
        : `: ${formatPct(base.minus(cost).abs().div(base).times('100'))} ` +
          `${cost.lte(base) ? 'below' : 'above'} ${baseline} (${formatUsd(base)}).`;
    return {
      title,
      name,
      headline: `Recommended: ${rec.label}, ${formatUsd(cost)} a month${at}${versus}`,
    };
  }
  const against =
    d.runner_up !== null && d.runner_up.monthly_cost !== null
      ? { label: d.runner_up.label.split(' (')[0]!, cost: Dec(d.runner_up.monthly_cost) }
      : d.baseline_monthly_cost !== null
        ? { label: baseline, cost: Dec(d.baseline_monthly_cost) }
        : undefined;
  const missing = rec.missing.length > 0 ? ` (${rec.missing.join(', ')})` : '';
  if (against === undefined || d.volume === null)
    return {
      title,
      name,
      headline: `Recommended: ${rec.label}. Its price is not in the catalog${missing}.`,
    };
  const perMillion = against.cost.div(String(d.volume)).times('1000000');
  const headlineText =
    `Recommended: ${rec.label}. Its price is not in the catalog${missing}: to cost less than ` +
    `${against.label}, a quote must come under ${formatUsd(against.cost)} a month${at}, ` +
    `${formatUsd(perMillion)} per 1M tokens.`;
  return {
    title,
    name,
    headline: headlineText,
    quote: {
      ...quoteSlide(input.stages, against, perMillion, name),
      notes: quoteNotes(against.label, against.cost, d.volume, perMillion),
    },
  };
}

/** At each stage, the most a quote may charge to cost less than the option it must beat. */
function quoteSlide(
  view: CostView,
  against: { label: string; cost: Big },
  perMillion: Big,
  name: string,
): Slide {
  const points = [...new Set(view.report.rows.map((r) => r.point))];
  return {
    title: 'What a quote must beat',
    lead:
      `${name} has no price in the catalog, so no cost slide can show it. To cost less than ` +
      `${against.label}, its price must stay under ${formatUsd(perMillion)} per 1M tokens; at ` +
      'each stage (the same price per token):',
    table: {
      head: ['Stage', 'Volume', `A quote must come under (${against.label}'s price per token)`],
      align: ['left', 'right', 'right'],
      rows: points.map((p) => [
        { text: p.stage ?? perMonth(p.tokens) },
        { text: perMonth(p.tokens) },
        { text: `${formatUsd(perMillion.times(String(p.tokens)).div('1000000'))} a month` },
      ]),
    },
  };
}

/** Why an option is out, in the words a board can repeat. */
function exclusionWords(e: DecisionFacts['excluded'][number]): string {
  const usd = (v: string | null) => (v === null ? 'its' : formatUsd(Dec(v)));
  if (e.kind === 'over_budget')
    return `${usd(e.projected)} a month, over the ${usd(e.limit)} ceiling`;
  if (e.kind === 'unpriced') return `no price to check the ${usd(e.limit)} ceiling against`;
  if (e.kind === 'unverified_capability') return `cannot be shown to meet ${e.requirement}`;
  if (e.kind === 'conflict') return `a route of its setup breaks ${e.requirement}`;
  return `does not meet ${e.requirement}`;
}

function conflictWords(c: DecisionFacts['conflicts'][number]): string {
  const where = c.via === null ? '' : ` (its fallback to ${c.via})`;
  return (
    `${c.accepted ? 'Accepted conflict' : 'Conflict'}: ${c.model} on tier ${c.tier}${where} ` +
    `does not meet ${c.requirement}`
  );
}

function decisionSlide(d: DecisionFacts): Slide {
  return {
    title: 'The decision',
    notes: decisionNotes(d),
    lead:
      (d.recommendation === null
        ? 'No option is known to meet the hard requirements'
        : `Recommended: ${d.recommendation.label}`) +
      (d.volume === null ? '.' : `, each setup priced at ${perMonth(d.volume)}.`),
    table: {
      head: ['Setup', 'Score', 'Cost a month', 'Availability'],
      align: ['left', 'right', 'right', 'left'],
      rows: d.options.map((o) => [
        { text: o.excluded ? `${o.label} (excluded)` : o.label },
        { text: o.score === null ? '-' : o.score.toFixed(2) },
        { text: o.monthly_cost === null ? 'not priced' : formatUsd(Dec(o.monthly_cost)) },
        {
          text:
            o.uptime_pct === null
              ? 'unknown'
              : `${o.uptime_at_least ? 'at least ' : ''}${o.uptime_pct}%`,
        },
      ]),
    },
    bullets: [
      ...d.reasons.map((r) => `Why: ${r}`),
      ...d.conflicts.map(conflictWords),
      ...d.excluded.map((e) => `Excluded: ${e.option}: ${exclusionWords(e)}`),
    ],
  };
}

function probeSlides(probes: readonly TargetSummary[]): Slide[] {
  if (probes.length === 0) return [];
  const ttft = probes.map((p) => ({ p, m: p.metrics.ttft, h: p.histograms.ttft }));
  const table: Table = {
    head: ['Target', 'Requests', 'Error rate', 'TTFT p50', 'TTFT p95', 'TTFT p99', 'E2E p99'],
    align: ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
    rows: ttft.map(({ p, m }) => [
      { text: p.name },
      { text: String(p.requests) },
      { text: `${(p.error_rate * 100).toFixed(2)}%` },
      { text: m === undefined ? '-' : formatMs(m.p50) },
      { text: m === undefined ? '-' : formatMs(m.p95) },
      { text: m === undefined ? '-' : formatMs(m.p99) },
      { text: p.metrics.e2e === undefined ? '-' : formatMs(p.metrics.e2e.p99) },
    ]),
  };
  const buckets = ttft.map(({ h }) => (h === undefined ? [] : bucketsOf(h)));
  const edges = latencyBins(buckets.flat().map((b) => b.value));
  const chart: SeriesChart = {
    kind: 'bar',
    title: 'TTFT distribution (requests per latency band)',
    categories: edges.map(([lo, hi]) => `${formatMs(lo)}-${formatMs(hi)}`),
    series: ttft.map(({ p }, i) => ({
      name: p.name,
      colour: colourOf(i),
      values: edges.map(([lo, hi], j) =>
        buckets[i]!.filter((b) => b.value >= lo && (b.value < hi || j === edges.length - 1)).reduce(
          (n, b) => n + b.count,
          0,
        ),
      ),
    })),
    unit: 'count',
    log: false,
  };
  return [
    {
      title: 'Latency, measured',
      lead: 'Percentiles over the requests that succeeded; failures are in the error rate.',
      table,
      notes: PROBE_NOTES,
    },
    { title: 'Latency distribution', chart, notes: PROBE_NOTES },
  ];
}

/**
 * The architect's checklist: each check's verdict and the finding behind it, the failures first in
 * the lead.
 */
function premortemSlide(p: SavedPremortem): Slide {
  const failed = p.checks.filter((c) => c.verdict === 'fail').map((c) => c.title);
  return {
    title: 'Pre-mortem: the six checks, run for real',
    notes: PREMORTEM_NOTES,
    lead:
      `${verdictLine(p.checks)} against ${p.target.model} at ` +
      `${p.target.base_url}${failed.length === 0 ? '.' : `; failed: ${failed.join(', ')}.`}`,
    table: {
      head: ['Check', 'Verdict', 'Finding'],
      align: ['left', 'left', 'left'],
      rows: p.checks.map((c) => [
        { text: c.title },
        { text: c.verdict.toUpperCase(), tone: VERDICT_TONE[c.verdict] },
        { text: c.finding },
      ]),
    },
    bullets: [`${p.requests_sent} requests sent by ai-route premortem.`],
  };
}

/** With limits in the pricing files: each stage's peak against them, and the keys it needs. */
function capacitySlides(view: CostView): Slide[] {
  const c = view.capacity;
  if (c === undefined) return [];
  const doc = capacityDocument(c);
  const table = doc.blocks[0]?.parts[0];
  if (table?.kind !== 'table') return [];
  return [
    {
      title: 'Capacity at the peak',
      lead: doc.headline?.text,
      table: {
        head: table.table.head,
        align: table.table.align,
        rows: table.table.rows.map((r) => r.map((cell) => ({ text: cell.text }))),
      },
      // a board reads where a limit is written down, not which file holds it
      bullets: c.limits.map((l) => `Limit: ${limitWords(l, false)}`),
      notes:
        'Peak TPM = tokens a month x tier share / (days x 1,440) x peak factor ' +
        `(${c.traffic.peak_factor.toFixed()}); peak RPM = peak TPM / ` +
        `${c.traffic.tokens_per_request} tokens a request; keys = the larger of peak / (limit x ` +
        `(1 - ${c.headroom_pct.toFixed()}% headroom)) for RPM and TPM, rounded up.`,
    },
  ];
}

/** Eight equal bands from the fastest to the slowest request seen. */
function latencyBins(values: readonly number[]): Array<[number, number]> {
  if (values.length === 0) return [];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const width = (hi - lo) / 8 || 1;
  return Array.from(
    { length: 8 },
    (_, i) => [lo + i * width, lo + (i + 1) * width] as [number, number],
  );
}

/**
 * The deck: title, cost by stage and its chart, the projection, then decision and latency when
 * given, then sources.
 */
export function buildDeck(input: DeckInput): Deck {
  const rec = input.story === true ? input.decision?.recommendation : undefined;
  const told = rec === null || rec === undefined ? undefined : decisionStory(input, rec);
  const observed = observedSlides(input.projection, input.growth_pct);
  // names from data files reach every format's XML and HTML: shown escaped, valid everywhere
  return printableDeep({
    title:
      told?.title ??
      `LLM API cost: ${setupsName(input.stages)} against ${input.stages.baseline.label}`,
    headline:
      told?.headline ?? usageHeadline(input.projection, input.growth_pct) ?? headline(input.stages),
    notes: told?.quote?.notes ?? headlineNotes(input.stages),
    date: input.stages.as_of,
    slides: [
      ...(told?.quote !== undefined
        ? [told.quote]
        : [
            ...(observed.length > 0
              ? observed
              : stageSlides(input.stages, input.logScale === true, told?.name)),
            projectionSlide(
              input.projection,
              input.growth_pct,
              input.logScale === true,
              input.growth_from,
            ),
            cumulativeSavingsSlide(input.projection, input.growth_pct, input.growth_from),
          ]),
      ...(input.decision === undefined ? [] : [decisionSlide(input.decision)]),
      ...capacitySlides(input.stages),
      ...probeSlides(input.probes),
      ...(input.premortem === undefined ? [] : [premortemSlide(input.premortem)]),
      sourcesSlide(input.stages, input.decision),
    ],
  });
}
