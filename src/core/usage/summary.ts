import type { Catalog } from '../../domain/pricing.js';
import type { OtherOperation, UsageCounts } from '../../domain/usage.js';
import { NOT_GROUPED } from '../../schema/usage-read.js';
import { type Big, Dec, ONE, ZERO } from '../../units/decimal.js';

const HUNDRED = Dec('100');
import { type MeasuredUsage, priceUsage } from '../cost.js';
import type { UsageAccumulator, UsageGroup } from './aggregate.js';
import { resolveUsageModel } from './names.js';

/**
 * Usage priced at the catalog's list prices in force on each day, beside what the sources say
 * was billed, and the gap between the two with its likely causes. Data only: render/usage.ts
 * words it.
 */

/** Tiers the catalog prices today; others (priority, flex) wait for their own rates. */
const PRICED_TIERS: ReadonlySet<string> = new Set(['standard', 'batch']);

export type NotPricedReason =
  | { kind: 'not_in_catalog'; suggestions: string[] }
  | { kind: 'not_in_force'; earliest: string | undefined }
  | { kind: 'ambiguous'; models: string[] }
  | { kind: 'service_tier'; tier: string }
  | { kind: 'missing_rate'; components: string[] }
  | { kind: 'requests_not_counted' }
  | { kind: 'unpriceable'; why: string }
  | { kind: 'not_grouped' };

export interface UsageLine extends Omit<UsageCounts, 'cache_write_1h_tokens'> {
  /** Priced usage at list prices; null when none of it could be priced. */
  list_cost: Big | null;
  /** What the sources billed; null when none gives it. */
  billed_cost: Big | null;
  /** Tokens of this line the list cost leaves out (not priced). */
  unpriced_tokens: number;
}

export interface NotPriced {
  model: string;
  requests: number | null;
  tokens: number;
  reason: NotPricedReason;
}

export type GapCause =
  | { kind: 'not_priced'; tokens: number; models: string[] }
  | { kind: 'service_tier'; tokens: number; tiers: string[] }
  | { kind: 'batch'; tokens: number }
  | { kind: 'cache_writes'; tokens: number }
  | { kind: 'discount' }
  | { kind: 'unexplained' };

export interface UsageGap {
  /** The days with both usage and a bill: the gap compares those only. */
  days: number;
  list: Big;
  billed: Big;
  /** billed - list. */
  delta: Big;
  /** delta / list x 100; null when the list cost is zero. */
  delta_pct: Big | null;
  causes: GapCause[];
}

export interface UsageSummary {
  first_day: string | undefined;
  last_day: string | undefined;
  totals: UsageLine;
  by_model: Array<UsageLine & { model: string; priced_as: string | undefined }>;
  by_day: Array<UsageLine & { day: string }>;
  /** The finest grain: each day and model (the CSV's rows). */
  by_day_model: Array<UsageLine & { day: string; model: string }>;
  not_priced: NotPriced[];
  others: OtherOperation[];
  gap: UsageGap | null;
  duplicates: number;
}

/** A gap within this share of the list cost is rounding, not a finding. */
const GAP_TOLERANCE = Dec('0.005');

const tokensOf = (c: Omit<UsageCounts, 'cache_write_1h_tokens'>) =>
  c.input_tokens + c.output_tokens;

function emptyLine(): UsageLine {
  return {
    requests: 0,
    input_tokens: 0,
    cached_input_tokens: 0,
    cache_write_tokens: 0,
    output_tokens: 0,
    reasoning_tokens: 0,
    list_cost: null,
    billed_cost: null,
    unpriced_tokens: 0,
  };
}

function addTo(line: UsageLine, g: UsageGroup, cost: Big | undefined): void {
  line.requests = line.requests === null || g.requests === null ? null : line.requests + g.requests;
  line.input_tokens += g.input_tokens;
  line.cached_input_tokens += g.cached_input_tokens;
  line.cache_write_tokens += g.cache_write_tokens;
  line.output_tokens += g.output_tokens;
  line.reasoning_tokens += g.reasoning_tokens;
  if (cost === undefined) line.unpriced_tokens += tokensOf(g);
  else line.list_cost = (line.list_cost ?? ZERO).plus(cost);
}

/** The billing lines of a group's tokens at its tier: fresh input, cache, output, reasoning. */
function measured(g: UsageGroup): MeasuredUsage['tokens'] {
  const fresh = g.input_tokens - g.cached_input_tokens - g.cache_write_tokens;
  const plainOut = g.output_tokens - g.reasoning_tokens;
  const batch = g.service_tier === 'batch';
  return {
    [batch ? 'batch_input' : 'input']: fresh,
    cache_read: g.cached_input_tokens,
    cache_write: g.cache_write_tokens - g.cache_write_1h_tokens,
    cache_write_1h: g.cache_write_1h_tokens,
    [batch ? 'batch_output' : 'output']: plainOut,
    [batch ? 'batch_reasoning' : 'reasoning']: g.reasoning_tokens,
  };
}

/** One group at the list price in force on its day, or why it cannot be. */
export function priceGroup(
  g: UsageGroup,
  catalog: Catalog,
): { cost: Big; priced_as: string | undefined } | { reason: NotPricedReason } {
  if (g.unpriceable !== undefined) return { reason: { kind: 'unpriceable', why: g.unpriceable } };
  if (g.model === NOT_GROUPED) return { reason: { kind: 'not_grouped' } };
  if (!PRICED_TIERS.has(g.service_tier))
    return { reason: { kind: 'service_tier', tier: g.service_tier } };
  const { resolution: r, priced_as } = resolveUsageModel(catalog, g.model, g.provider, g.day);
  if (r.kind === 'unknown')
    return { reason: { kind: 'not_in_catalog', suggestions: r.suggestions } };
  if (r.kind === 'ambiguous')
    return { reason: { kind: 'ambiguous', models: r.models.map((m) => m.model.id) } };
  if (r.kind === 'not_in_force') return { reason: { kind: 'not_in_force', earliest: r.earliest } };
  if (r.price.rates.per_request !== undefined && g.requests === null)
    return { reason: { kind: 'requests_not_counted' } };
  const priced = priceUsage(
    {
      tier: { name: g.service_tier, model: r.model.id, share: ONE, fallback: [] },
      model: r.model,
      price: r.price,
    },
    { requests: g.requests ?? 0, tokens: measured(g) },
  );
  if (priced.missing.length > 0)
    return {
      reason: {
        kind: 'missing_rate',
        components: [...new Set(priced.missing.map((m) => m.component))],
      },
    };
  return { cost: priced.cost, priced_as };
}

/** Every group priced, summed by model and by day, with the bill beside it. */
export function summarizeUsage(
  acc: UsageAccumulator,
  catalog: Catalog,
  range: { since?: string | undefined; until?: string | undefined } = {},
): UsageSummary {
  const inRange = (day: string) =>
    (range.since === undefined || day >= range.since) &&
    (range.until === undefined || day <= range.until);
  const totals = emptyLine();
  const byModel = new Map<string, UsageLine & { model: string; priced_as: string | undefined }>();
  const byDay = new Map<string, UsageLine & { day: string }>();
  const byCell = new Map<string, UsageLine & { day: string; model: string }>();
  const notPriced = new Map<string, NotPriced>();
  const unpricedDays = new Map<string, UnpricedDay>();
  for (const g of acc.groups.values()) {
    if (!inRange(g.day)) continue;
    const priced = priceGroup(g, catalog);
    const cost = 'cost' in priced ? priced.cost : undefined;
    const m = byModel.get(g.model) ?? { ...emptyLine(), model: g.model, priced_as: undefined };
    if ('cost' in priced && priced.priced_as !== undefined) m.priced_as = priced.priced_as;
    byModel.set(g.model, m);
    const d = byDay.get(g.day) ?? { ...emptyLine(), day: g.day };
    byDay.set(g.day, d);
    const cellId = `${g.day}\u0000${g.model}`;
    const c = byCell.get(cellId) ?? { ...emptyLine(), day: g.day, model: g.model };
    byCell.set(cellId, c);
    for (const line of [totals, m, d, c]) addTo(line, g, cost);
    if ('reason' in priced) {
      notePriced(notPriced, g, priced.reason);
      if (priced.reason.kind !== 'service_tier') {
        const u = unpricedDays.get(g.day) ?? { tokens: 0, models: new Set<string>() };
        u.tokens += tokensOf(g);
        u.models.add(g.model);
        unpricedDays.set(g.day, u);
      }
    }
  }
  for (const b of acc.billed.values()) {
    if (!inRange(b.day)) continue;
    const d = byDay.get(b.day);
    if (d !== undefined) d.billed_cost = (d.billed_cost ?? ZERO).plus(b.amount);
    const m = b.model === undefined ? undefined : byModel.get(b.model);
    if (m !== undefined) m.billed_cost = (m.billed_cost ?? ZERO).plus(b.amount);
    const c = b.model === undefined ? undefined : byCell.get(`${b.day}\u0000${b.model}`);
    if (c !== undefined) c.billed_cost = (c.billed_cost ?? ZERO).plus(b.amount);
    totals.billed_cost = (totals.billed_cost ?? ZERO).plus(b.amount);
  }
  const days = [...byDay.keys()].sort();
  return {
    first_day: days[0],
    last_day: days.at(-1),
    totals,
    by_model: [...byModel.values()].sort((a, b) => tokensOf(b) - tokensOf(a)),
    by_day: days.map((day) => byDay.get(day)!),
    by_day_model: [...byCell.values()].sort(
      (a, b) => a.day.localeCompare(b.day) || tokensOf(b) - tokensOf(a),
    ),
    not_priced: [...notPriced.values()].sort((a, b) => b.tokens - a.tokens),
    others: [...acc.others.values()],
    gap: gapOf(acc, byDay, unpricedDays),
    duplicates: acc.duplicates,
  };
}

function notePriced(into: Map<string, NotPriced>, g: UsageGroup, reason: NotPricedReason): void {
  const id = `${g.model}\u0000${JSON.stringify(reason)}`;
  const n = into.get(id) ?? { model: g.model, requests: 0, tokens: 0, reason };
  n.requests = n.requests === null || g.requests === null ? null : n.requests + g.requests;
  n.tokens += tokensOf(g);
  into.set(id, n);
}

/** The bill against the list cost over the days that have both, and what likely explains it. */
interface UnpricedDay {
  tokens: number;
  models: Set<string>;
}

function gapOf(
  acc: UsageAccumulator,
  byDay: Map<string, UsageLine & { day: string }>,
  unpricedDays: Map<string, UnpricedDay>,
): UsageGap | null {
  const both = [...byDay.values()].filter((d) => d.billed_cost !== null);
  if (both.length === 0) return null;
  const list = both.reduce((s, d) => s.plus(d.list_cost ?? ZERO), ZERO);
  const billed = both.reduce((s, d) => s.plus(d.billed_cost!), ZERO);
  const delta = billed.minus(list);
  const delta_pct = list.eq(ZERO) ? null : delta.div(list).times(HUNDRED);
  const days = new Set(both.map((d) => d.day));
  const causes: GapCause[] = [];
  const off = list.eq(ZERO) ? !billed.eq(ZERO) : delta.abs().gt(list.times(GAP_TOLERANCE));
  if (off) {
    const groups = [...acc.groups.values()].filter((g) => days.has(g.day));
    const sumOf = (pick: (g: UsageGroup) => number) => groups.reduce((s, g) => s + pick(g), 0);
    // usage of the compared days that the list cost leaves out (service tiers come next)
    const unpriced = [...days].flatMap((d) => unpricedDays.get(d) ?? []);
    if (unpriced.length > 0)
      causes.push({
        kind: 'not_priced',
        tokens: unpriced.reduce((s, u) => s + u.tokens, 0),
        models: [...new Set(unpriced.flatMap((u) => [...u.models]))],
      });
    const tiered = groups.filter((g) => !PRICED_TIERS.has(g.service_tier));
    if (tiered.length > 0)
      causes.push({
        kind: 'service_tier',
        tokens: tiered.reduce((s, g) => s + tokensOf(g), 0),
        tiers: [...new Set(tiered.map((g) => g.service_tier))],
      });
    const batch = sumOf((g) => (g.service_tier === 'batch' ? tokensOf(g) : 0));
    if (batch > 0) causes.push({ kind: 'batch', tokens: batch });
    const writes = sumOf((g) => g.cache_write_tokens);
    if (writes > 0) causes.push({ kind: 'cache_writes', tokens: writes });
    if (causes.length === 0) causes.push({ kind: delta.lt(ZERO) ? 'discount' : 'unexplained' });
  }
  return { days: days.size, list, billed, delta, delta_pct, causes };
}
