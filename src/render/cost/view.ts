import type { Candidate, CostReport, CostRow, Part, VolumePoint } from '../../core/cost.js';
import { type Big, ZERO } from '../../core/decimal.js';
import type { DatedPrice, ModelEntry } from '../../schema/pricing.js';
import { PRICE_COMPONENTS } from '../../schema/pricing.js';
import type { TokenMix } from '../../schema/scenario.js';
import type { Align } from '../table-kit.js';
import { formatPct, formatQuantity, formatShare, formatTokens, formatUsd, formatUsdExact, plural } from '../format.js';

/** Everything a cost renderer needs, built once by the command; renderers only read it. */
export interface CostDocument {
  report: CostReport;
  as_of: string;
  scenario: { name: string; file: string } | null;
  candidates: Candidate[];
  baseline: Candidate;
  mix: TokenMix;
  mix_defaulted: boolean;
  assumptions: string[];
  explain: boolean;
}

export type CellKind = 'text' | 'cost' | 'over' | 'savings' | 'loss';

/** Cells as text plus what each cell means, so the table renderer can colour without re-deriving. */
export interface Grid {
  head: string[];
  align: Align[];
  rows: Array<{ cells: string[]; kind: CellKind[]; total: boolean }>;
}

/**
 * The slide layout. One candidate: a row per volume (the article's table). Several: a row per
 * candidate and a cost column per volume, the baseline first, so 2,500 models stay 2,500 rows.
 */
export function costGrid(doc: CostDocument): Grid {
  return doc.candidates.length === 1 ? volumeRows(doc) : candidateRows(doc);
}

function volumeRows(doc: CostDocument): Grid {
  const { report } = doc;
  const points = uniquePoints(report.rows);
  const hasStage = points.some((p) => p.stage !== null);
  const stageHead = points.some((p) => p.month !== null) ? 'Month' : 'Growth Stage';
  const head = [...(hasStage ? [stageHead] : []), 'Monthly Volume', doc.candidates[0]!.label, doc.baseline.label, 'Savings'];
  const align: Align[] = head.map((_, i) => (i === 0 && hasStage ? 'left' : 'right'));
  const over = new Set(report.budget?.breaches.map((b) => b.row));
  const lead = (label: string): { cells: string[]; kind: CellKind[] } => ({ cells: hasStage ? [label] : [], kind: hasStage ? ['text'] : [] });
  const rows: Grid['rows'] = report.rows.map((row) => {
    const start = lead(row.point.stage ?? '');
    return {
      cells: [...start.cells, `${formatTokens(row.point.tokens)} tokens`, formatUsd(row.cost), formatUsd(row.baseline_cost), formatPct(row.savings_pct)],
      kind: [...start.kind, 'text', over.has(row) ? 'over' : 'cost', 'cost', savingsKind(row.savings_pct)],
      total: false,
    };
  });
  for (const total of report.totals) {
    const start = lead(`Total (${points.length} months)`);
    rows.push({
      cells: [...start.cells, `${formatTokens(total.tokens)} tokens`, formatUsd(total.cost), formatUsd(total.baseline_cost), formatPct(total.savings_pct)],
      kind: [...start.kind, 'text', 'cost', 'cost', savingsKind(total.savings_pct)],
      total: true,
    });
  }
  return { head, align, rows };
}

function candidateRows(doc: CostDocument): Grid {
  const { report } = doc;
  const points = uniquePoints(report.rows);
  const projected = report.totals.length > 0;
  const head = ['Candidate', ...points.map((p) => (p.stage === null ? `${formatTokens(p.tokens)} tokens` : `${p.stage}, ${formatTokens(p.tokens)}`)), ...(projected ? ['Total'] : []), 'Savings'];
  const align: Align[] = head.map((_, i) => (i === 0 ? 'left' : 'right'));
  const over = new Set(report.budget?.breaches.map((b) => b.row));
  const byCandidate = new Map<Candidate, CostRow[]>(doc.candidates.map((c) => [c, []]));
  for (const row of report.rows) byCandidate.get(row.candidate)!.push(row);
  const first = byCandidate.get(doc.candidates[0]!) ?? [];
  const baselineTotal = report.totals[0]?.baseline_cost;
  const rows: Grid['rows'] = [
    {
      cells: [`${doc.baseline.label} (baseline)`, ...first.map((r) => formatUsd(r.baseline_cost)), ...(baselineTotal ? [formatUsd(baselineTotal)] : []), ''],
      kind: ['text', ...first.map(() => 'cost' as const), ...(baselineTotal ? (['cost'] as const) : []), 'text'],
      total: false,
    },
  ];
  for (const [candidate, mine] of byCandidate) {
    const total = report.totals.find((t) => t.candidate === candidate);
    const savings = savingsRange(mine.map((r) => r.savings_pct));
    rows.push({
      cells: [candidate.label, ...mine.map((r) => formatUsd(r.cost)), ...(total ? [formatUsd(total.cost)] : []), savings.text],
      kind: ['text', ...mine.map((r) => (over.has(r) ? ('over' as const) : ('cost' as const))), ...(total ? (['cost'] as const) : []), savings.kind],
      total: false,
    });
  }
  return { head, align, rows };
}

function savingsKind(pct: Big | undefined): CellKind {
  return pct?.lt(ZERO) ? 'loss' : 'savings';
}

/** One figure when every volume saves the same share, else the range (per-request fees make it vary). */
function savingsRange(values: Array<Big | undefined>): { text: string; kind: CellKind } {
  const texts = [...new Set(values.map(formatPct))];
  const known = values.filter((v): v is Big => v !== undefined);
  const kind = known.some((v) => v.lt(ZERO)) ? 'loss' : 'savings';
  if (texts.length === 1) return { text: texts[0]!, kind };
  const sorted = [...known].sort((a, b) => a.cmp(b));
  return { text: `${formatPct(sorted[0])} to ${formatPct(sorted[sorted.length - 1])}`, kind };
}

function uniquePoints(rows: readonly CostRow[]): VolumePoint[] {
  return [...new Set(rows.map((r) => r.point))];
}

/** Each distinct (model, dated price) the report used, baseline last. */
export function pricesUsed(doc: CostDocument): Array<{ model: ModelEntry; price: DatedPrice }> {
  const seen = new Map<string, { model: ModelEntry; price: DatedPrice }>();
  for (const candidate of [...doc.candidates, doc.baseline]) {
    for (const { model, price } of candidate.tiers) seen.set(model.id, { model, price });
  }
  return [...seen.values()];
}

function rateList(price: DatedPrice): string {
  return PRICE_COMPONENTS.filter((c) => price.rates[c] !== undefined)
    .map((c) => `${c.replace('_', ' ')} ${formatUsdExact(price.rates[c]!)}${c === 'per_request' ? ' per request' : ''}`)
    .join(', ');
}

/** Past this many models the footnote summarises prices per file; JSON and `pricing list` keep every one. */
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
    return `${plural(count, 'model')} from ${file}, effective ${when}`;
  });
  return [...lines, 'Every rate with its source: ai-route pricing list (with the same --pricing files), or --format json.'];
}

/** Long-context rates the scenario cannot apply: named when few, counted when many. */
function contextNote(doc: CostDocument): string[] {
  const found = doc.report.base_rate_context;
  if (found.length === 0) return [];
  const what =
    found.length <= 3
      ? found.map((f) => `${f.model} bills whole requests over ${formatTokens(f.above_input_tokens)} input tokens at higher rates`).join('; ')
      : `${plural(found.length, 'model')} bill whole requests over a size threshold at higher rates`;
  return [`${what}; the scenario gives no token_mix.input_tokens_per_request, so base rates apply.`];
}

export interface Footnotes {
  heading: string;
  prices: string[];
  notes: string[];
}

/** Where the numbers come from and what they assume: printed under the table and the markdown. */
export function footnotes(doc: CostDocument): Footnotes {
  const used = pricesUsed(doc);
  const prices =
    used.length <= LISTED_PRICES
      ? used.map(({ model, price }) => `${model.id}: ${rateList(price)} (source: ${price.source}; effective ${price.effective_from}; ${model.file})`)
      : pricesByFile(used);
  const notes = [mixNote(doc)];
  for (const candidate of doc.candidates) {
    if (candidate.kind === 'setup' && candidate.tiers.length > 1) notes.push(setupNote(candidate));
  }
  notes.push(...doc.assumptions.map((a) => `Assumption: ${a}`), ...contextNote(doc));
  notes.push('Savings = 1 - cost / baseline cost. Amounts are rounded to the cent for display; totals are summed from unrounded parts.');
  const budget = doc.report.budget;
  if (budget !== undefined) {
    notes.push(
      budget.breaches.length === 0
        ? `Budget ${formatUsd(budget.limit)} a month: every row is within it.`
        : `Budget ${formatUsd(budget.limit)} a month: exceeded by ${budget.breaches
            .map((b) => `${describePoint(b.row.point)} with ${b.row.candidate.label} (${formatUsd(b.row.cost)}, ${formatUsd(b.over)} over)`)
            .join('; ')}.`,
    );
  }
  return { heading: `Prices in USD per 1M tokens, in force on ${doc.as_of}:`, prices, notes };
}

/** "Launch (10K), 500M tokens" or "500M tokens". */
export function describePoint(point: VolumePoint): string {
  const volume = `${formatTokens(point.tokens)} tokens`;
  return point.stage === null ? volume : `${point.stage}, ${volume}`;
}

function mixNote(doc: CostDocument): string {
  if (doc.mix_defaulted) {
    return "Every token of a volume is billed at the output rate (the seed article's convention; a scenario's token_mix changes it).";
  }
  const m = doc.mix;
  const parts = [`Token mix: input ${formatShare(m.input)}, output ${formatShare(m.output)}`];
  if (!m.cache_hit_rate.eq(ZERO)) parts.push(`cache hits ${formatShare(m.cache_hit_rate)} of input`);
  if (!m.cache_write_rate.eq(ZERO)) parts.push(`cache writes ${formatShare(m.cache_write_rate)} of input`);
  if (!m.reasoning_share.eq(ZERO)) parts.push(`reasoning ${formatShare(m.reasoning_share)} of output`);
  if (!m.batch_share.eq(ZERO)) parts.push(`batch ${formatShare(m.batch_share)} of traffic`);
  if (m.tokens_per_request !== undefined) parts.push(`${m.tokens_per_request} tokens per request`);
  if (m.input_tokens_per_request !== undefined) parts.push(`${m.input_tokens_per_request} input tokens per request`);
  return `${parts.join('; ')}.`;
}

function setupNote(candidate: Candidate): string {
  const tiers = candidate.tiers.map(({ tier, model }) => {
    const chain = tier.fallback.length === 0 ? 'no fallback' : `falls back to ${tier.fallback.join(' then ')}`;
    return `${tier.name} ${formatShare(tier.share)} ${model.id} (${chain})`;
  });
  return `${candidate.label}: ${tiers.join('; ')}.`;
}

function partLine(part: Part): string {
  const rate = part.line === 'per_request' ? `${formatUsdExact(part.rate)} per request` : `${formatUsdExact(part.rate)}/M`;
  const unit = part.line === 'per_request' ? 'requests' : 'tokens';
  const note = part.note === undefined ? '' : `; ${part.note}`;
  return (
    `      ${part.line}: ${formatQuantity(part.quantity)} ${unit} x ${rate} = ${formatUsdExact(part.cost)}` +
    `  [${part.component} price from ${part.file}, effective ${part.effective_from}: ${part.source}${note}]`
  );
}

function explainPriced(label: string, cost: CostRow['cost'], parts: readonly Part[]): string[] {
  const lines = [`  ${label} = ${formatUsdExact(cost)}`];
  let tier: string | undefined;
  for (const part of parts) {
    if (part.tier !== tier) {
      tier = part.tier;
      lines.push(`    tier ${part.tier}: ${formatShare(part.share)} of the volume = ${formatQuantity(part.tier_tokens)} tokens to ${part.model}`);
    }
    lines.push(partLine(part));
  }
  return lines;
}

/** How each figure is made: tokens per tier and component, times the rate, with the rate's source. */
export function explainLines(doc: CostDocument): string[] {
  const lines = ['How each figure is made (exact amounts; tables round to the cent):'];
  for (const point of uniquePoints(doc.report.rows)) {
    const rows = doc.report.rows.filter((r) => r.point === point);
    lines.push(describePoint(point));
    for (const row of rows) lines.push(...explainPriced(row.candidate.label, row.cost, row.parts));
    const first = rows[0];
    if (first !== undefined) lines.push(...explainPriced(`${doc.baseline.label} (baseline)`, first.baseline_cost, first.baseline_parts));
  }
  return lines;
}
