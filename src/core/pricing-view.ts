import { type Catalog, CONTEXT_TIER_COMPONENTS, type DatedPrice, type ModelEntry, PRICE_COMPONENTS } from '../domain/pricing.js';
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

/** Every model of the catalog with the price in force on the day; stale when older than the limit. */
export function listModels(catalog: Catalog, filter: ListFilter): ListedModel[] {
  const out: ListedModel[] = [];
  for (const model of [...catalog.byId.values()].sort(byIdCaseless)) {
    if (filter.provider !== undefined && model.provider !== filter.provider) continue;
    if (filter.ids !== undefined && !filter.ids.has(model.id)) continue;
    const price = priceAt(model, filter.asOf);
    const age = price === undefined ? undefined : daysBetween(price.effective_from, filter.asOf);
    out.push({ model, price, age_days: age, stale: age !== undefined && age > filter.staleAfterDays });
  }
  return out;
}

/** A price flattened to comparable lines: `output`, `context>200000.input`, ... */
export function priceLines(price: DatedPrice): Map<string, Big> {
  const lines = new Map<string, Big>();
  for (const c of PRICE_COMPONENTS) if (price.rates[c] !== undefined) lines.set(c, price.rates[c]!);
  for (const tier of price.context_tiers) {
    for (const c of CONTEXT_TIER_COMPONENTS) {
      if (tier.rates[c] !== undefined) lines.set(`context>${tier.above_input_tokens}.${c}`, tier.rates[c]!);
    }
  }
  return lines;
}

export interface PriceChange {
  model: string;
  line: string;
  old: Big | undefined;
  new: Big | undefined;
  /** (new - old) / old x 100; undefined when old is zero or either side is absent. */
  change_pct: Big | undefined;
}

export interface PricingDiff {
  added: Array<{ model: ModelEntry; price: DatedPrice }>;
  removed: Array<{ model: ModelEntry; price: DatedPrice }>;
  changed: PriceChange[];
  unchanged: number;
}

/** Compares the prices in force on `asOf` (or the latest of each model) between two catalogs, by model id. */
export function diffCatalogs(before: Catalog, after: Catalog, asOf: string | undefined): PricingDiff {
  const pick = (m: ModelEntry) => (asOf === undefined ? m.prices[m.prices.length - 1] : priceAt(m, asOf));
  const diff: PricingDiff = { added: [], removed: [], changed: [], unchanged: 0 };
  const ids = [...new Set([...before.byId.keys(), ...after.byId.keys()])].sort();
  for (const id of ids) {
    const oldModel = before.byId.get(id);
    const newModel = after.byId.get(id);
    const oldPrice = oldModel && pick(oldModel);
    const newPrice = newModel && pick(newModel);
    if (oldPrice === undefined && newPrice !== undefined) diff.added.push({ model: newModel!, price: newPrice });
    else if (oldPrice !== undefined && newPrice === undefined) diff.removed.push({ model: oldModel!, price: oldPrice });
    else if (oldPrice !== undefined && newPrice !== undefined) {
      const changes = compareLines(id, priceLines(oldPrice), priceLines(newPrice));
      if (changes.length === 0) diff.unchanged++;
      diff.changed.push(...changes);
    }
  }
  return diff;
}

function compareLines(model: string, before: Map<string, Big>, after: Map<string, Big>): PriceChange[] {
  const changes: PriceChange[] = [];
  for (const line of new Set([...before.keys(), ...after.keys()])) {
    const o = before.get(line);
    const n = after.get(line);
    if (o !== undefined && n !== undefined && o.eq(n)) continue;
    const pct = o !== undefined && n !== undefined && !o.eq(ZERO) ? n.minus(o).div(o).times('100') : undefined;
    changes.push({ model, line, old: o, new: n, change_pct: pct });
  }
  return changes;
}

/** Changes that raise a price by more than `limitPct` percent; a rise from zero always counts. */
export function increasesOver(diff: PricingDiff, limitPct: Big): PriceChange[] {
  return diff.changed.filter((c) => {
    if (c.old === undefined || c.new === undefined || !c.new.gt(c.old)) return false;
    return c.change_pct === undefined || c.change_pct.gt(limitPct);
  });
}
