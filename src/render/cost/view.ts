import { tierBillingOf } from '../../core/tier-billing.js';
import { basename, isAbsolute } from 'node:path';
import type { NotPriced } from '../../core/all-models.js';
import type { Crossing } from '../../core/break-even.js';
import {
  type BreakEven,
  type Candidate,
  type CostReport,
  type CostRow,
  type FixedCharge,
  type Part,
  type PartNote,
  type VolumePoint,
  contextTierFor,
} from '../../core/cost.js';
import type { DatedPrice, ModelEntry, PriceComponent } from '../../domain/pricing.js';
import { PRICE_COMPONENTS } from '../../domain/pricing.js';
import type { TokenMix } from '../../domain/scenario.js';
import type { Bands } from '../../core/usage/bands.js';
import type { UsageSummary } from '../../core/usage/summary.js';
import { type CapacityView, capacityDocument } from '../capacity.js';
import { type Big, ZERO } from '../../units/decimal.js';
import type { Align, Block, Cell, ReportDocument, Tone } from '../document.js';
import { texts } from '../document.js';
import {
  formatPct,
  formatQuantity,
  formatShare,
  formatTokens,
  formatTokensApprox,
  formatUsd,
  formatUsdExact,
  plural,
} from '../format.js';
import { implausibleTakenNote } from '../problems.js';

/** Everything a cost renderer needs, built once by the command; renderers only read it. */
export interface CostView {
  report: CostReport;
  as_of: string;
  scenario: { name: string; file: string } | null;
  candidates: Candidate[];
  baseline: Candidate;
  mix: TokenMix;
  mix_defaulted: boolean;
  assumptions: string[];
  explain: boolean;
  /** --chart: bars of each row's cost under the table. */
  chart?: boolean;
  /** --log-scale: the chart on a log axis, on request only. */
  log_scale?: boolean;
  /** --all-models: the models left out, each with its reason. */
  not_priced: NotPriced[];
  /** cost --usage: the projection at both ends of the fitted growth's 80% interval. */
  bands?: Bands;
  /** cost --usage: the usage it was fitted from, priced day by day (report's observed slide). */
  observed?: UsageSummary;
  /** cost --explain with limits in the pricing files: the capacity each point needs. */
  capacity?: CapacityView;
}

/**
 * The slide layout. One candidate: a row per volume (the article's table). Several: a row per
 * candidate and a cost column per volume, the baseline first, so 2,500 models stay 2,500 rows.
 */
export function costGrid(view: CostView): { head: string[]; align: Align[]; rows: Cell[][] } {
  if (view.candidates.length === 1) return volumeRows(view);
  // a projection of a few models: months down the page, so a year fits a terminal (a column per
  // month would not)
  return view.report.totals.length > 0 && view.candidates.length <= MONTH_ROWS_UP_TO
    ? monthRows(view)
    : candidateRows(view);
}

/** Up to this many models, a projection has a row per month and a column per model. */
const MONTH_ROWS_UP_TO = 4;

function monthRows(view: CostView): { head: string[]; align: Align[]; rows: Cell[][] } {
  const { report } = view;
  const head = [
    'Month',
    'Monthly Volume',
    ...view.candidates.map((c) => c.label),
    view.baseline.label,
  ];
  const align: Align[] = head.map((_, i) => (i === 0 ? 'left' : 'right'));
  const over = new Set(report.budget?.breaches.map((b) => b.row));
  const points = uniquePoints(report.rows);
  const rows: Cell[][] = points.map((point) => {
    const here = report.rows.filter(
      (r) =>
        r.point === point || (r.point.month === point.month && r.point.tokens === point.tokens),
    );
    const costs = view.candidates.map((c) => here.find((r) => r.candidate === c)!);
    return [
      { text: `Month ${point.month}` },
      { text: `${formatTokensApprox(point.tokens)} tokens` },
      ...costs.map((r) => ({
        text: formatUsd(r.cost),
        tone: over.has(r) ? ('bad' as const) : ('plain' as const),
      })),
      { text: formatUsd(costs[0]!.baseline_cost) },
    ];
  });
  const totals = view.candidates.map((c) => report.totals.find((t) => t.candidate === c)!);
  rows.push(
    [
      { text: `Total (${points.length} months)` },
      { text: `${formatTokensApprox(totals[0]!.tokens)} tokens` },
      ...totals.map((t) => ({ text: formatUsd(t.cost) })),
      { text: formatUsd(totals[0]!.baseline_cost) },
    ].map((c) => ({ ...c, strong: true })),
    [
      { text: 'Savings' },
      { text: '' },
      ...totals.map((t) => ({ text: formatPct(t.savings_pct), tone: savingsTone(t.savings_pct) })),
      { text: '' },
    ].map((c) => ({
      ...c,
      strong: true,
    })),
  );
  return { head, align, rows };
}

function volumeRows(view: CostView): { head: string[]; align: Align[]; rows: Cell[][] } {
  const grid = volumeGrid(view);
  // the one model asked for is the baseline: its cost once, nothing to compare it with
  if (view.candidates[0]!.kind !== 'model' || view.candidates[0]!.id !== view.baseline.id)
    return grid;
  const keep = (_: unknown, i: number) => i < grid.head.length - 2;
  return {
    head: grid.head.filter(keep),
    align: grid.align.filter(keep),
    rows: grid.rows.map((r) => r.filter(keep)),
  };
}

function volumeGrid(view: CostView): { head: string[]; align: Align[]; rows: Cell[][] } {
  const { report } = view;
  const points = uniquePoints(report.rows);
  const hasStage = points.some((p) => p.stage !== null);
  const stageHead = points.some((p) => p.month !== null) ? 'Month' : 'Growth Stage';
  const head = [
    ...(hasStage ? [stageHead] : []),
    'Monthly Volume',
    view.candidates[0]!.label,
    view.baseline.label,
    'Savings',
  ];
  const align: Align[] = head.map((_, i) => (i === 0 && hasStage ? 'left' : 'right'));
  const over = new Set(report.budget?.breaches.map((b) => b.row));
  const lead = (label: string, strong: boolean): Cell[] =>
    hasStage ? [{ text: label, strong }] : [];
  // projected months read in one format; named stages keep their exact volumes
  const volume = (tokens: number) =>
    `${(report.totals.length > 0 ? formatTokensApprox : formatTokens)(tokens)} tokens`;
  const rows: Cell[][] = report.rows.map((row) => [
    ...lead(row.point.stage ?? '', false),
    { text: volume(row.point.tokens) },
    { text: formatUsd(row.cost), tone: over.has(row) ? 'bad' : 'plain' },
    { text: formatUsd(row.baseline_cost) },
    { text: formatPct(row.savings_pct), tone: savingsTone(row.savings_pct) },
  ]);
  for (const total of report.totals) {
    rows.push(
      [
        ...lead(`Total (${points.length} months)`, true),
        { text: volume(total.tokens) },
        { text: formatUsd(total.cost) },
        { text: formatUsd(total.baseline_cost) },
        { text: formatPct(total.savings_pct), tone: savingsTone(total.savings_pct) },
      ].map((c) => ({ ...c, strong: true })),
    );
  }
  return { head, align, rows };
}

function candidateRows(view: CostView): { head: string[]; align: Align[]; rows: Cell[][] } {
  const { report } = view;
  const points = uniquePoints(report.rows);
  const projected = report.totals.length > 0;
  const head = [
    'Candidate',
    ...points.map((p) =>
      p.stage === null
        ? `${formatTokens(p.tokens)} tokens`
        : `${p.stage}, ${formatTokens(p.tokens)}`,
    ),
    ...(projected ? ['Total'] : []),
    'Savings',
  ];
  const align: Align[] = head.map((_, i) => (i === 0 ? 'left' : 'right'));
  const over = new Set(report.budget?.breaches.map((b) => b.row));
  const byCandidate = new Map<Candidate, CostRow[]>(view.candidates.map((c) => [c, []]));
  for (const row of report.rows) byCandidate.get(row.candidate)!.push(row);
  const first = byCandidate.get(view.candidates[0]!) ?? [];
  const baselineTotal = report.totals[0]?.baseline_cost;
  const rows: Cell[][] = [
    [
      { text: `${view.baseline.label} (baseline)` },
      ...first.map((r) => ({ text: formatUsd(r.baseline_cost) })),
      ...(baselineTotal ? [{ text: formatUsd(baselineTotal) }] : []),
      { text: '' },
    ],
  ];
  for (const [candidate, mine] of byCandidate) {
    const total = report.totals.find((t) => t.candidate === candidate);
    const savings = savingsRange(mine.map((r) => r.savings_pct));
    rows.push([
      { text: candidate.label },
      ...mine.map((r): Cell => ({ text: formatUsd(r.cost), tone: over.has(r) ? 'bad' : 'plain' })),
      ...(total ? [{ text: formatUsd(total.cost) }] : []),
      savings,
    ]);
  }
  return { head, align, rows };
}

function savingsTone(pct: Big | undefined): Tone {
  return pct?.lt(ZERO) ? 'bad' : 'good';
}

/**
 * One figure when every volume saves the same share, else the range (per-request fees make it
 * vary).
 */
function savingsRange(values: Array<Big | undefined>): Cell {
  // a linear candidate saves the same share at every volume: one figure, formatted once
  const labels = values.every((v) => v === values[0])
    ? [formatPct(values[0])]
    : [...new Set(values.map(formatPct))];
  const known = values.filter((v): v is Big => v !== undefined);
  const tone: Tone = known.some((v) => v.lt(ZERO)) ? 'bad' : 'good';
  if (labels.length === 1) return { text: labels[0]!, tone };
  const sorted = [...known].sort((a, b) => a.cmp(b));
  return { text: `${formatPct(sorted[0])} to ${formatPct(sorted[sorted.length - 1])}`, tone };
}

function uniquePoints(rows: readonly CostRow[]): VolumePoint[] {
  return [...new Set(rows.map((r) => r.point))];
}

/** Each distinct (model, dated price) the report used, baseline last. */
export function pricesUsed(view: CostView): Array<{ model: ModelEntry; price: DatedPrice }> {
  const seen = new Map<string, { model: ModelEntry; price: DatedPrice }>();
  for (const candidate of [...view.candidates, view.baseline]) {
    for (const { model, price } of candidate.tiers) seen.set(model.id, { model, price });
  }
  return [...seen.values()];
}

function rateList(rates: Partial<Record<PriceComponent, Big>>): string {
  return PRICE_COMPONENTS.filter((c) => rates[c] !== undefined)
    .map(
      (c) =>
        `${c.replace('_', ' ')} ` +
        `${formatUsdExact(rates[c]!)}${c === 'per_request' ? ' per request' : ''}`,
    )
    .join(', ');
}

/**
 * The base rates, the long-context rates when the mix's requests are over the threshold (what the
 * table billed), and monthly charges.
 */
function ratesBilled(price: DatedPrice, view: CostView, provider: string): string {
  const tier = contextTierFor(price, view.mix.input_tokens_per_request);
  const monthly = [
    ...(price.monthly_fee === undefined
      ? []
      : [`monthly fee ${formatUsdExact(price.monthly_fee)}`]),
    ...(price.minimum_commitment === undefined
      ? []
      : [`minimum commitment ${formatUsdExact(price.minimum_commitment)} a month`]),
  ];
  const base = [rateList(price.rates), ...monthly].filter((s) => s !== '').join(', ');
  return tier === undefined
    ? base
    : `${base}; over ${formatTokens(tier.above_input_tokens)} input tokens, as ` +
        `every request here: ${rateList(tier.rates)} (${tierRuleText(provider)})`;
}

/** Whose rule bills a request over the threshold whole at the tier's rates. */
function tierRuleText(provider: string): string {
  const rule = tierBillingOf(provider);
  return rule === undefined
    ? "the whole request at these rates, as the catalog bills it; the provider's own rule " +
        'is not on record'
    : `the whole request at these rates, as ${rule.provider_name} bills it: ${rule.source}`;
}

/** Where a setup billed by the month and one billed by use cost the same, in words. */
export function breakEvenText(b: BreakEven): string {
  const name = (side: Crossing['cheaper']) =>
    side === 'a' ? b.a.label : side === 'b' ? b.b.label : undefined;
  const [first, ...rest] = b.crossings;
  if (first === undefined) return '';
  if (rest.length === 0) {
    return first.cheaper === 'same'
      ? `${b.a.label} and ${b.b.label} cost the same at every volume.`
      : `${name(first.cheaper)} costs less at every volume (no break-even: ` +
          (first.cheaper === 'b'
            ? `${b.a.label}'s monthly charges never pay off).`
            : `${b.b.label} is never cheaper).`);
  }
  const who = (c: Crossing) =>
    c.cheaper === 'same' ? 'both cost the same' : `${name(c.cheaper)} costs less`;
  if (rest.length === 1)
    return (
      `Break-even at ${formatTokens(rest[0]!.from_tokens)} tokens a month: below ` +
      `it ${who(first)}; from it ${who(rest[0]!)}.`
    );
  const stretches = b.crossings.map((c, i) => {
    const to = b.crossings[i + 1];
    const from = formatTokens(c.from_tokens);
    return to === undefined
      ? `${who(c)} from ${from} tokens a month`
      : `${who(c)} from ${from} to ${formatTokens(to.from_tokens)}`;
  });
  return `Break-even volumes: ${stretches.join('; ')}.`;
}

function breakEvenNotes(view: CostView): string[] {
  return view.report.break_even.map(breakEvenText).filter((t) => t !== '');
}

/**
 * A file as a footnote names it: footnotes end up on slides, so a path outside the project and the
 * working folder is shown by its name.
 */
function fileShown(file: string): string {
  return isAbsolute(file) ? basename(file) : file;
}

/**
 * Past this many models the footnote summarises prices per file; JSON and `pricing list` keep every
 * one.
 */
const LISTED_PRICES = 12;

function pricesByFile(used: Array<{ model: ModelEntry; price: DatedPrice }>): string[] {
  const files = new Map<string, { count: number; dates: Set<string> }>();
  for (const { model, price } of used) {
    const entry = files.get(model.file) ?? { count: 0, dates: new Set<string>() };
    entry.count++;
    entry.dates.add(price.effective_from);
    files.set(model.file, entry);
  }
  const lines = [...files].map(([file, { count, dates }]) => {
    const sorted = [...dates].sort();
    const when = sorted.length === 1 ? sorted[0] : `${sorted[0]} to ${sorted[sorted.length - 1]}`;
    return `${plural(count, 'model')} from ${fileShown(file)}, effective ${when}`;
  });
  return [
    ...lines,
    'Every rate with its source: ai-route pricing list (with the same --pricing ' +
      'files), or --format json.',
  ];
}

/** Long-context rates the scenario cannot apply: named when few, counted when many. */
function contextNote(view: CostView): string[] {
  const found = view.report.base_rate_context;
  if (found.length === 0) return [];
  const what =
    found.length <= 3
      ? found
          .map(
            (f) =>
              `${f.model} bills whole requests over ${formatTokens(f.above_input_tokens)} ` +
              `input tokens at higher rates`,
          )
          .join('; ')
      : `${plural(found.length, 'model')} bill whole requests over a size threshold at ` +
        `higher rates`;
  return [
    `${what}; the scenario gives no token_mix.input_tokens_per_request, so base rates apply.`,
  ];
}

/** Why a row costs $0: its source says the model is free; undefined for any other row. */
export function freeReason(row: CostRow): string | undefined {
  return row.cost.eq(ZERO)
    ? row.candidate.tiers.find((t) => t.price.free_in_source !== undefined)?.price.free_in_source
    : undefined;
}

/**
 * A $0 candidate says why: its source says the model is free (a local model, a ":free" variant).
 */
function freeNotes(view: CostView): string[] {
  const free = view.candidates.flatMap((c) =>
    c.tiers
      .filter((t) => t.price.free_in_source !== undefined)
      .map((t) => ({ model: t.model.id, why: t.price.free_in_source! })),
  );
  if (free.length === 0) return [];
  if (free.length <= 3) return free.map((f) => `${f.model} is free in its source: ${f.why}.`);
  return [
    `${plural(free.length, 'model')} are free in their source ` +
      `(local or free variants; \`free_in_source\` in --format json): ` +
      `${free
        .slice(0, 5)
        .map((f) => f.model)
        .join(', ')}${free.length > 5 ? ', ...' : ''}.`,
  ];
}

/**
 * Rates outside the plausible range that this run took as given (--allow-implausible): said under
 * every table.
 */
function implausibleNotes(view: CostView): string[] {
  return implausibleTakenNote(
    pricesUsed(view).map(({ model, price }) => ({ id: model.id, taken: price.implausible_taken })),
  );
}

const ABSENCE_NOTE: Partial<Record<string, string>> = {
  not_given: ' (0 in the source, its "not known")',
  quarantined: ' (quarantined as implausible)',
};

/** Why a model was left out of --all-models, in a few words (its group's heading). */
export function notPricedReason(n: NotPriced): string {
  if (n.reason.kind === 'not_in_force')
    return `no price in force yet (earliest ${n.reason.earliest ?? 'never'})`;
  return n.reason.missing
    .map((m) =>
      m.present !== undefined
        ? 'priced per request: the mix needs tokens_per_request'
        : `no ${m.component} rate${ABSENCE_NOTE[m.absence.kind] ?? ''}`,
    )
    .join(', ');
}

/** --all-models: the models left out, grouped by reason, a few named per group. */
function notPricedNotes(view: CostView): string[] {
  if (view.not_priced.length === 0) return [];
  const groups = new Map<string, string[]>();
  for (const n of view.not_priced) {
    const reason = notPricedReason(n);
    groups.set(reason, [...(groups.get(reason) ?? []), n.model]);
  }
  const lines = [...groups]
    .sort((a, b) => b[1].length - a[1].length)
    .map(
      ([reason, models]) =>
        `${reason}: ${plural(models.length, 'model')} ` +
        `(${models.slice(0, 6).join(', ')}${models.length > 6 ? ', ...' : ''})`,
    );
  return [
    `Not priced, never guessed (${plural(view.not_priced.length, 'model')}; every one ` +
      `with its reason in --format json): ${lines.join('; ')}.`,
  ];
}

export interface Footnotes {
  /** Which token mix the figures use: the first thing under the table. */
  convention: string;
  heading: string;
  prices: string[];
  notes: string[];
}

/** Where the numbers come from and what they assume: printed under the table and the markdown. */
export function footnotes(view: CostView): Footnotes {
  const used = pricesUsed(view);
  const prices =
    used.length <= LISTED_PRICES
      ? used.map(
          ({ model, price }) =>
            `${model.id}: ${ratesBilled(price, view, model.provider)} ` +
            `(source: ${price.source}; effective ${price.effective_from}; ` +
            `${fileShown(model.file)})`,
        )
      : pricesByFile(used);
  const notes: string[] = [];
  for (const candidate of view.candidates) {
    if (candidate.kind === 'setup' && candidate.tiers.length > 1) notes.push(setupNote(candidate));
  }
  notes.push(
    ...view.assumptions.map((a) => `Assumption: ${a}`),
    ...contextNote(view),
    ...freeNotes(view),
    ...implausibleNotes(view),
    ...breakEvenNotes(view),
    ...notPricedNotes(view),
  );
  notes.push(
    'Savings = 1 - cost / baseline cost. Amounts are rounded to the cent for ' +
      'display; totals are summed from unrounded parts.',
  );
  const budget = view.report.budget;
  if (budget !== undefined) {
    notes.push(
      budget.breaches.length === 0
        ? `Budget ${formatUsd(budget.limit)} a month: every row is within it.`
        : `Budget ${formatUsd(budget.limit)} a month: exceeded by ${budget.breaches
            .map(
              (b) =>
                `${describePoint(b.row.point)} with ${b.row.candidate.label} ` +
                `(${formatUsd(b.row.cost)}, ` +
                `${formatUsd(b.over)} over)`,
            )
            .join('; ')}.`,
    );
  }
  return {
    convention: mixNote(view),
    heading: `Prices in USD per 1M tokens, in force on ${view.as_of}:`,
    prices,
    notes,
  };
}

/** "Launch (10K), 500M tokens" or "500M tokens". */
export function describePoint(point: VolumePoint): string {
  const volume = `${formatTokens(point.tokens)} tokens`;
  return point.stage === null ? volume : `${point.stage}, ${volume}`;
}

function mixNote(view: CostView): string {
  if (view.mix_defaulted) {
    return (
      'Convention: every token is billed at the output rate, as in the article Enterprise vs ' +
      'Startup (2026); ' +
      'a real mix (most tokens are input, many cached) costs less: set it with ' +
      "--input-share and --cache-hit-rate, or a scenario's token_mix."
    );
  }
  const own = view.candidates.flatMap((c) =>
    c.tiers.flatMap(({ tier }) =>
      tier.token_mix === undefined
        ? []
        : [`Tier ${tier.name} has its own mix: ${mixWords(tier.token_mix)}.`],
    ),
  );
  const main = `Convention: token mix of ${mixWords(view.mix)}`;
  return own.length === 0
    ? `${main}.`
    : [`${main} (the baseline's, and that of any tier without its own).`, ...own].join(' ');
}

/** A token mix in words: "input 75%, output 25%; cache hits 30% of input". */
function mixWords(m: TokenMix): string {
  const parts = [`input ${formatShare(m.input)}, output ${formatShare(m.output)}`];
  if (!m.cache_hit_rate.eq(ZERO))
    parts.push(`cache hits ${formatShare(m.cache_hit_rate)} of input`);
  if (!m.cache_write_rate.eq(ZERO))
    parts.push(`cache writes ${formatShare(m.cache_write_rate)} of input`);
  if (!m.cache_write_1h_share.eq(ZERO))
    parts.push(`${formatShare(m.cache_write_1h_share)} of cache writes kept 1 hour`);
  if (!m.reasoning_share.eq(ZERO))
    parts.push(`reasoning ${formatShare(m.reasoning_share)} of output`);
  if (!m.batch_share.eq(ZERO)) parts.push(`batch ${formatShare(m.batch_share)} of traffic`);
  if (m.tokens_per_request !== undefined) parts.push(`${m.tokens_per_request} tokens per request`);
  if (m.input_tokens_per_request !== undefined)
    parts.push(`${m.input_tokens_per_request} input tokens per request`);
  return parts.join('; ');
}

function setupNote(candidate: Candidate): string {
  const tiers = candidate.tiers.map(({ tier, model }) => {
    const chain =
      tier.fallback.length === 0 ? 'no fallback' : `falls back to ${tier.fallback.join(' then ')}`;
    return `${tier.name} ${formatShare(tier.share)} ${model.id} (${chain})`;
  });
  return `${candidate.label}: ${tiers.join('; ')}.`;
}

/** Why a part is billed the way it is, in words (explain lines and JSON parts). */
export function partNoteText(note: PartNote | undefined): string | undefined {
  if (note === undefined) return undefined;
  if (note.kind === 'long_context')
    return `long-context rate: requests over ${note.above_input_tokens} input tokens`;
  if (note.kind === 'base_rate_above_tier')
    return (
      `the source gives no rate above ${note.above_input_tokens} input tokens ` +
      `for this line: the base rate is used`
    );
  if (note.kind === 'billed_as') return `no ${note.wanted} rate: billed as ${note.used}`;
  return `${note.tokens_per_request} tokens per request`;
}

function partLine(part: Part): string {
  const rate =
    part.line === 'per_request'
      ? `${formatUsdExact(part.rate)} per request`
      : `${formatUsdExact(part.rate)}/M`;
  const unit = part.line === 'per_request' ? 'requests' : 'tokens';
  const noteText = partNoteText(part.note);
  const note = noteText === undefined ? '' : `; ${noteText}`;
  return (
    `      ${part.line}: ${formatQuantity(part.quantity)} ${unit} x ${rate} ` +
    `= ${formatUsdExact(part.cost)}` +
    (`  [${part.component} price from ${part.file}, effective ${part.effective_from}: ` +
      `${part.source}${note}]`)
  );
}

/** A monthly charge in words: the fee, or the top-up to a commitment with the usage it tops up. */
export function fixedChargeText(f: FixedCharge): string {
  return f.kind === 'monthly_fee'
    ? `${f.model} monthly fee ${formatUsdExact(f.amount)}`
    : `${f.model} usage ${formatUsdExact(f.usage!)} is under its ` +
        `${formatUsdExact(f.commitment!)} ` +
        `monthly commitment: topped up by ${formatUsdExact(f.amount)}`;
}

function explainPriced(
  label: string,
  cost: CostRow['cost'],
  parts: readonly Part[],
  fixed: readonly FixedCharge[],
): string[] {
  const lines = [`  ${label} = ${formatUsdExact(cost)}`];
  let tier: string | undefined;
  for (const part of parts) {
    if (part.tier !== tier) {
      tier = part.tier;
      lines.push(
        `    tier ${part.tier}: ${formatShare(part.share)} of the volume = ` +
          `${formatQuantity(part.tier_tokens)} ` +
          `tokens to ${part.model}`,
      );
    }
    lines.push(partLine(part));
  }
  if (fixed.length > 0)
    lines.push(
      '    by the month:',
      ...fixed.map(
        (f) =>
          `      ${fixedChargeText(f)}  [from ${f.file}, effective ` +
          `${f.effective_from}: ${f.source}]`,
      ),
    );
  return lines;
}

/**
 * How each figure is made: tokens per tier and component, times the rate, with the rate's source.
 */
export function explainLines(view: CostView): string[] {
  const lines = ['How each figure is made (exact amounts; tables round to the cent):'];
  for (const point of uniquePoints(view.report.rows)) {
    const rows = view.report.rows.filter((r) => r.point === point);
    lines.push(describePoint(point));
    for (const row of rows)
      lines.push(...explainPriced(row.candidate.label, row.cost, row.parts, row.fixed));
    const first = rows[0];
    if (first !== undefined)
      lines.push(
        ...explainPriced(
          `${view.baseline.label} (baseline)`,
          first.baseline_cost,
          first.baseline_parts,
          first.baseline_fixed,
        ),
      );
  }
  return lines;
}

/**
 * Width of the longest bar of --chart, in characters: with a label and an amount, a line stays
 * inside 80 columns.
 */
const BAR = 28;
const CHART_LABEL = 34;

/**
 * --chart: under each stage or month, a bar per candidate and the baseline, linear from zero and
 * scaled to the largest cost (bar length is cost); on a log scale only with --log-scale.
 */
export function chartLines(view: CostView): string[] {
  const groups = uniquePoints(view.report.rows).map((point) => {
    const rows = view.report.rows.filter((r) => r.point === point);
    const name =
      point.month !== null
        ? `Month ${point.month}, ${formatTokensApprox(point.tokens)} tokens`
        : (point.stage ?? `${formatTokens(point.tokens)} tokens a month`);
    return {
      name,
      bars: [
        ...rows.map((r) => ({ label: r.candidate.label, cost: r.cost })),
        { label: view.baseline.label, cost: rows[0]!.baseline_cost },
      ],
    };
  });
  const values = groups.flatMap((g) => g.bars.map((b) => Number(b.cost.toFixed(2))));
  const positive = values.filter((v) => v > 0);
  const max = Math.max(...positive, 0.01);
  const min = Math.min(...positive, max);
  const log = view.log_scale === true && max / min > 1;
  const lo = Math.log10(min) - 1;
  const length = (v: number) =>
    v <= 0
      ? 0
      : Math.max(
          1,
          Math.round((log ? (Math.log10(v) - lo) / (Math.log10(max) - lo) : v / max) * BAR),
        );
  const width = Math.min(
    CHART_LABEL,
    Math.max(...groups.flatMap((g) => g.bars.map((b) => b.label.length))),
  );
  const label = (text: string) =>
    text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
  return [
    `Cost a month${log ? ' (log scale: each decade the same length)' : ''}:`,
    ...groups.flatMap((g) => [
      g.name,
      ...g.bars.map(
        (b) =>
          `  ${label(b.label)} ${'█'.repeat(length(Number(b.cost.toFixed(2))))} ` +
          `${formatUsd(b.cost)}`,
      ),
    ]),
  ];
}

/**
 * The cost report as a document: the table with its footnotes, then (with --explain) how each
 * figure is made.
 */
export function costDocument(view: CostView): ReportDocument {
  const notes = footnotes(view);
  const blocks: Block[] = [
    {
      parts: [
        { kind: 'table', table: costGrid(view) },
        { kind: 'paragraphs', items: texts([notes.convention, notes.heading], 'muted') },
        { kind: 'list', items: texts(notes.prices, 'muted'), indent: true },
        { kind: 'paragraphs', items: texts(notes.notes, 'muted') },
      ],
    },
  ];
  if (view.bands !== undefined) blocks.push(bandsBlock(view, view.bands));
  if (view.chart === true) blocks.push({ parts: [{ kind: 'code', lines: chartLines(view) }] });
  if (view.explain) blocks.push({ parts: [{ kind: 'code', lines: explainLines(view) }] });
  if (view.capacity !== undefined) {
    const plan = capacityDocument(view.capacity);
    blocks.push(
      {
        parts: [
          { kind: 'title', text: 'Capacity' },
          { kind: 'paragraphs', items: [plan.headline!] },
        ],
      },
      ...plan.blocks,
    );
  }
  return { blocks };
}

/**
 * The projection's range (cost --usage): each month's volume and cost at P10, P50 and P90 of the
 * fitted growth, for the setup, with the cumulative totals.
 */
function bandsBlock(view: CostView, bands: Bands): Block {
  const p50 = view.report;
  const ends = [bands.p10.report, p50, bands.p90.report];
  const rows: Cell[][] = p50.rows.map((row, i) => [
    { text: row.point.month === null ? describePoint(row.point) : `Month ${row.point.month}` },
    ...ends.map((r) => ({ text: `${formatTokensApprox(r.rows[i]!.point.tokens)}` })),
    ...ends.map((r) => ({ text: formatUsd(r.rows[i]!.cost) })),
  ]);
  const totals = ends.map((r) => r.totals[0]);
  if (totals.every((t) => t !== undefined))
    rows.push([
      { text: `Total (${p50.rows.length} months)`, strong: true },
      ...totals.map((t) => ({ text: formatTokensApprox(t!.tokens), strong: true })),
      ...totals.map((t) => ({ text: formatUsd(t!.cost), strong: true })),
    ]);
  const head = ['Month', 'Tokens P10', 'P50', 'P90', 'Cost P10', 'P50', 'P90'];
  return {
    parts: [
      {
        kind: 'title',
        text:
          `Range of ${view.candidates[0]?.label ?? 'the setup'}: growth ` +
          `${bands.p10.monthly_pct}% ` +
          `(P10), ${bands.p50_pct}% (P50), ${bands.p90.monthly_pct}% (P90) a month`,
      },
      {
        kind: 'table',
        table: { head, align: ['left', ...head.slice(1).map(() => 'right' as const)], rows },
      },
      {
        kind: 'paragraphs',
        items: texts(
          [
            'P10 and P90 are the ends of the 80% interval of the growth fitted on ' +
              `${plural(bands.days, 'day')} ` +
              `of usage (${bands.method}); the table above is P50.`,
          ],
          'muted',
        ),
      },
    ],
  };
}
