import {
  type Catalog,
  type DatedPrice,
  type ModelEntry,
  PRICE_COMPONENTS,
  type PriceSet,
} from '../domain/pricing.js';
import { daysBetween } from '../units/date.js';
import { type Big, ZERO } from '../units/decimal.js';
import { priceAt } from './catalog.js';

/** Ids in reading order: case-insensitive first, then exact, so the order is total and stable. */
function byIdCaseless(a: ModelEntry, b: ModelEntry): number {
  const [x, y] = [a.id.toLowerCase(), b.id.toLowerCase()];
  return x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export interface ListedModel {
  model: ModelEntry;
  /** The price in force on the as-of day; undefined when none had taken effect yet. */
  price: DatedPrice | undefined;
  age_days: number | undefined;
  stale: boolean;
}

export interface ListFilter {
  provider?: string;
  /** Exact ids (already resolved from aliases by the caller). */
  ids?: ReadonlySet<string>;
  asOf: string;
  staleAfterDays: number;
}

/**
 * Every model of the catalog with the price in force on the day; stale when older than the limit.
 */
export function listModels(catalog: Catalog, filter: ListFilter): ListedModel[] {
  const out: ListedModel[] = [];
  for (const model of [...catalog.byId.values()].sort(byIdCaseless)) {
    if (filter.provider !== undefined && model.provider !== filter.provider) continue;
    if (filter.ids !== undefined && !filter.ids.has(model.id)) continue;
    const price = priceAt(model, filter.asOf);
    const age = price === undefined ? undefined : daysBetween(price.effective_from, filter.asOf);
    out.push({
      model,
      price,
      age_days: age,
      stale: age !== undefined && age > filter.staleAfterDays,
    });
  }
  return out;
}

/** One structural or rate change of a model between two catalogs. */
export type PriceChange =
  | {
      model: string;
      kind: 'rate_changed';
      line: string;
      old: Big;
      new: Big;
      /** (new - old) / old x 100; undefined from zero. */ change_pct: Big | undefined;
    }
  | { model: string; kind: 'rate_added'; line: string; new: Big }
  | { model: string; kind: 'rate_removed'; line: string; old: Big }
  | { model: string; kind: 'tier_added'; above: number; rates: PriceSet }
  | { model: string; kind: 'tier_removed'; above: number; rates: PriceSet }
  | { model: string; kind: 'threshold_moved'; from: number; to: number };

export interface PricingDiff {
  added: Array<{ model: ModelEntry; price: DatedPrice }>;
  removed: Array<{ model: ModelEntry; price: DatedPrice }>;
  changed: PriceChange[];
  unchanged: number;
}

/**
 * Compares the prices in force on `asOf` (or the latest of each model) between two catalogs, by
 * model id.
 */
/**
 * Which price of each model a diff compares: the old side's on `since` (else `asOf`), the new
 * side's on `asOf`; undefined is the latest.
 */
export interface DiffDays {
  asOf: string | undefined;
  since: string | undefined;
}

export function diffCatalogs(before: Catalog, after: Catalog, days: DiffDays): PricingDiff {
  const pick = (m: ModelEntry, day: string | undefined) =>
    day === undefined ? m.prices[m.prices.length - 1] : priceAt(m, day);
  const diff: PricingDiff = { added: [], removed: [], changed: [], unchanged: 0 };
  const ids = [...new Set([...before.byId.keys(), ...after.byId.keys()])].sort();
  for (const id of ids) {
    const oldModel = before.byId.get(id);
    const newModel = after.byId.get(id);
    const oldPrice = oldModel && pick(oldModel, days.since ?? days.asOf);
    const newPrice = newModel && pick(newModel, days.asOf);
    if (oldPrice === undefined && newPrice !== undefined)
      diff.added.push({ model: newModel!, price: newPrice });
    else if (oldPrice !== undefined && newPrice === undefined)
      diff.removed.push({ model: oldModel!, price: oldPrice });
    else if (oldPrice !== undefined && newPrice !== undefined) {
      const changes = comparePrices(id, oldPrice, newPrice);
      if (changes.length === 0) diff.unchanged++;
      diff.changed.push(...changes);
    }
  }
  return diff;
}

function compareRates(
  model: string,
  prefix: string,
  before: Readonly<Record<string, Big | undefined>>,
  after: Readonly<Record<string, Big | undefined>>,
  keys: readonly string[] = PRICE_COMPONENTS,
): PriceChange[] {
  const changes: PriceChange[] = [];
  for (const c of keys) {
    const [o, n] = [before[c], after[c]];
    const line = `${prefix}${c}`;
    if (o !== undefined && n !== undefined) {
      if (!o.eq(n))
        changes.push({
          model,
          kind: 'rate_changed',
          line,
          old: o,
          new: n,
          change_pct: o.eq(ZERO) ? undefined : n.minus(o).div(o).times('100'),
        });
    } else if (o === undefined && n !== undefined)
      changes.push({ model, kind: 'rate_added', line, new: n });
    else if (o !== undefined && n === undefined)
      changes.push({ model, kind: 'rate_removed', line, old: o });
  }
  return changes;
}

const tierLine = (above: number) => `context>${above}.`;

/**
 * Rates, then long-context tiers: a tier in both is compared rate by rate; a threshold that moved
 * (one tier gone, one come) is said as such and its rates compared; other tiers are added or
 * removed.
 */
/** Monthly charges compared like rates: a fee or a commitment that appears or rises costs more. */
const MONTHLY = ['monthly_fee', 'minimum_commitment'] as const;
const monthlyOf = (p: DatedPrice) => ({
  monthly_fee: p.monthly_fee,
  minimum_commitment: p.minimum_commitment,
});

function comparePrices(model: string, before: DatedPrice, after: DatedPrice): PriceChange[] {
  const changes = [
    ...compareRates(model, '', before.rates, after.rates),
    ...compareRates(model, '', monthlyOf(before), monthlyOf(after), MONTHLY),
  ];
  const oldTiers = new Map(before.context_tiers.map((t) => [t.above_input_tokens, t]));
  const newTiers = new Map(after.context_tiers.map((t) => [t.above_input_tokens, t]));
  const gone = before.context_tiers.filter((t) => !newTiers.has(t.above_input_tokens));
  const come = after.context_tiers.filter((t) => !oldTiers.has(t.above_input_tokens));
  for (const t of after.context_tiers) {
    const old = oldTiers.get(t.above_input_tokens);
    if (old !== undefined)
      changes.push(...compareRates(model, tierLine(t.above_input_tokens), old.rates, t.rates));
  }
  if (gone.length === 1 && come.length === 1) {
    changes.push({
      model,
      kind: 'threshold_moved',
      from: gone[0]!.above_input_tokens,
      to: come[0]!.above_input_tokens,
    });
    changes.push(
      ...compareRates(model, tierLine(come[0]!.above_input_tokens), gone[0]!.rates, come[0]!.rates),
    );
  } else {
    for (const t of come)
      changes.push({ model, kind: 'tier_added', above: t.above_input_tokens, rates: t.rates });
    for (const t of gone)
      changes.push({ model, kind: 'tier_removed', above: t.above_input_tokens, rates: t.rates });
  }
  return changes;
}

/**
 * Changes that raise what a request costs: a rate rising by more than `limitPct` percent (any
 * rise from $0), a rate where the model had none, a new long-context tier, or a tier threshold
 * moved lower (more requests pay the tier's rates).
 */
export function increasesOver(diff: PricingDiff, limitPct: Big): PriceChange[] {
  return diff.changed.filter((c) => {
    switch (c.kind) {
      case 'rate_changed':
        return c.new.gt(c.old) && (c.change_pct === undefined || c.change_pct.gt(limitPct));
      case 'rate_added':
      case 'tier_added':
        return true;
      case 'threshold_moved':
        return c.to < c.from;
      default:
        return false;
    }
  });
}
