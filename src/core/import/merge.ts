import type { ModelOut, PriceOut, PricingDocOut, Provenance } from './common.js';
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
  /**
   * Names that stopped being aliases, each once, with why: a model of that id appeared (an exact id
   * wins), or another model already held it.
   */
  dropped: Array<{ alias: string; model: string; reason: 'now_a_model' | 'held_by'; by: string }>;
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
  const counts: MergeCounts = {
    added_models: 0,
    new_prices: 0,
    unchanged: 0,
    aliases_dropped: 0,
    dropped: [],
  };
  const models: Record<string, ModelOut> = { ...catalog.models };
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
  }
  const owner = deriveAliases(models, catalog, incoming, counts);
  const ambiguous = { ...(catalog.ambiguous ?? {}), ...(incoming.ambiguous ?? {}) };
  for (const name of Object.keys(ambiguous))
    if (owner.has(name) || models[name] !== undefined) delete ambiguous[name];
  const sorted = Object.fromEntries(
    Object.entries(models).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  const { ambiguous: _before, skipped: _skipped, ...rest } = catalog;
  return {
    doc: {
      ...rest,
      generated_from: [
        ...(catalog.generated_from ?? []),
        ...incoming.generated_from.filter(
          (g) => !(catalog.generated_from ?? []).some((c) => sameProvenance(c, g)),
        ),
      ],
      models: sorted,
      ...(Object.keys(ambiguous).length > 0 ? { ambiguous } : {}),
      ...skippedOf(catalog, incoming, sorted),
    },
    counts,
  };
}

/**
 * The same import read again: the same source and bytes (whatever the file was called, where it
 * was fetched from or on which day), or, when the bytes are not known, the same file and day.
 */
function sameProvenance(a: Provenance, b: Provenance): boolean {
  if (a.sha256 !== undefined && b.sha256 !== undefined)
    return a.source === b.source && a.sha256 === b.sha256 && sameFilters(a, b);
  return (
    a.source === b.source &&
    a.file === b.file &&
    a.imported_on === b.imported_on &&
    a.sha256 === b.sha256
  );
}

function sameFilters(a: Provenance, b: Provenance): boolean {
  return (
    JSON.stringify(Object.entries(a.filters).sort()) ===
    JSON.stringify(Object.entries(b.filters).sort())
  );
}

/**
 * Every alias of the merged catalog, derived again over all of it: the catalog's own, then the
 * import's; an exact model id always wins over an alias, and a name two models claim stays with
 * the one that held it first. Each name dropped is recorded once. Returns who owns each alias.
 */
function deriveAliases(
  models: Record<string, ModelOut>,
  catalog: PricingDocOut,
  incoming: PricingDocOut,
  counts: MergeCounts,
): Map<string, string> {
  const owner = new Map<string, string>();
  const claims: Array<[alias: string, id: string, fresh: boolean]> = [
    ...Object.entries(catalog.models).flatMap(([id, m]) =>
      (m.aliases ?? []).map((a): [string, string, boolean] => [a, id, false]),
    ),
    ...Object.entries(incoming.models).flatMap(([id, m]) =>
      (m.aliases ?? []).map((a): [string, string, boolean] => [a, id, true]),
    ),
  ];
  const noted = new Set<string>();
  for (const [alias, id, fresh] of claims) {
    if (alias === id || owner.get(alias) === id) continue;
    const held = models[alias] !== undefined ? alias : owner.get(alias);
    if (held === undefined) {
      owner.set(alias, id);
      continue;
    }
    if (fresh) counts.aliases_dropped++;
    if (noted.has(`${alias}\0${id}`)) continue;
    noted.add(`${alias}\0${id}`);
    counts.dropped.push({
      alias,
      model: id,
      reason: held === alias ? 'now_a_model' : 'held_by',
      by: held,
    });
  }
  for (const [id, m] of Object.entries(models)) {
    const mine = [...owner].filter(([, o]) => o === id).map(([a]) => a);
    const { aliases: _aliases, ...rest } = m;
    models[id] = mine.length > 0 ? { ...rest, aliases: mine.sort() } : rest;
  }
  return owner;
}

/** What both sides skipped, the later import's word winning, minus names that are models now. */
function skippedOf(
  catalog: PricingDocOut,
  incoming: PricingDocOut,
  models: Record<string, ModelOut>,
): { skipped?: Record<string, string> } {
  const all = Object.entries({ ...(catalog.skipped ?? {}), ...(incoming.skipped ?? {}) })
    .filter(([name]) => models[name] === undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return all.length > 0 ? { skipped: Object.fromEntries(all) } : {};
}
