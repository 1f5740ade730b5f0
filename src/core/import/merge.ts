import type { ModelOut, PriceOut, PricingDocOut } from './common.js';
import { priceSignature } from './common.js';

export interface MergeCounts {
  /** Models the catalog did not have. */
  added_models: number;
  /** Models whose rates changed: a dated price was added. */
  new_prices: number;
  /** Models whose rates are the same as the price in force on the day: nothing added. */
  unchanged: number;
  /** Aliases the import gives that the catalog already uses for another model: left out. */
  aliases_dropped: number;
}

/** The price in force on `day` among dated prices: the latest that took effect on or before it. */
function inForce(prices: readonly PriceOut[], day: string): PriceOut | undefined {
  let found: PriceOut | undefined;
  for (const p of prices)
    if (p.effective_from <= day && (found === undefined || p.effective_from > found.effective_from))
      found = p;
  return found;
}

/**
 * One model's dated prices with an incoming one: added only where a rate changed; the same day's
 * price is replaced.
 */
function mergePrices(
  prices: readonly PriceOut[],
  incoming: PriceOut,
): { prices: PriceOut[]; changed: boolean } {
  const current = inForce(prices, incoming.effective_from);
  if (current !== undefined && priceSignature(current) === priceSignature(incoming))
    return { prices: [...prices], changed: false };
  const kept = prices.filter((p) => p.effective_from !== incoming.effective_from);
  return {
    prices: [...kept, incoming].sort((a, b) => a.effective_from.localeCompare(b.effective_from)),
    changed: true,
  };
}

/**
 * A dated import merged into an existing catalog, so several snapshots build a history: a new
 * model is added; a known model gets a dated price only when its rates differ from the price
 * in force on that day; a model the import no longer lists keeps its history. Names follow:
 * new aliases are added unless another model of the catalog already uses them.
 */
export function mergeIntoCatalog(
  catalog: PricingDocOut,
  incoming: PricingDocOut,
): { doc: PricingDocOut; counts: MergeCounts } {
  const counts: MergeCounts = { added_models: 0, new_prices: 0, unchanged: 0, aliases_dropped: 0 };
  const models: Record<string, ModelOut> = { ...catalog.models };
  const owner = new Map<string, string>();
  for (const [id, m] of Object.entries(models))
    for (const alias of m.aliases ?? []) owner.set(alias, id);
  for (const [id, model] of Object.entries(incoming.models)) {
    const existing = models[id];
    if (existing === undefined) {
      counts.added_models++;
      models[id] = { ...model };
    } else {
      let prices = existing.prices;
      let changed = false;
      for (const price of model.prices) {
        const merged = mergePrices(prices, price);
        prices = merged.prices;
        changed ||= merged.changed;
      }
      if (changed) counts.new_prices++;
      else counts.unchanged++;
      models[id] = { ...existing, prices };
    }
    const aliases = new Set(models[id]!.aliases ?? []);
    for (const alias of model.aliases ?? []) {
      const other = owner.get(alias);
      if ((other !== undefined && other !== id) || (models[alias] !== undefined && alias !== id)) {
        counts.aliases_dropped++;
        continue;
      }
      owner.set(alias, id);
      aliases.add(alias);
    }
    if (aliases.size > 0) models[id] = { ...models[id]!, aliases: [...aliases].sort() };
  }
  const ambiguous = { ...(catalog.ambiguous ?? {}), ...(incoming.ambiguous ?? {}) };
  for (const name of Object.keys(ambiguous))
    if (owner.has(name) || models[name] !== undefined) delete ambiguous[name];
  const sorted = Object.fromEntries(
    Object.entries(models).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  const { ambiguous: _before, ...rest } = catalog;
  return {
    doc: {
      ...rest,
      generated_from: [...(catalog.generated_from ?? []), ...incoming.generated_from],
      models: sorted,
      ...(Object.keys(ambiguous).length > 0 ? { ambiguous } : {}),
    },
    counts,
  };
}
