import type { Catalog, DatedPrice, ModelEntry } from '../domain/pricing.js';
import { PRICE_COMPONENTS, type PriceComponent } from '../domain/pricing.js';
import type { Big } from '../units/decimal.js';
import { modelNamed, priceAt, resolveModel } from './catalog.js';

/** One catalog's view of a model: the model it resolved to and the price in force. */
export interface CheckSide {
  catalog: number;
  model: ModelEntry;
  price: DatedPrice;
}

/** One rate on which catalogs disagree by more than the tolerance, with each side's value. */
export interface Disagreement {
  model: string;
  rate: PriceComponent;
  sides: Array<CheckSide & { value: Big }>;
  /** (highest - lowest) / lowest x 100; undefined when the lowest is $0. */
  spread_pct: Big | undefined;
}

export interface CatalogCheck {
  /** Models of the first catalog found in at least one other. */
  shared: number;
  /** Rates compared (given by at least two catalogs). */
  compared: number;
  disagreements: Disagreement[];
}

/**
 * The provider that sells a model: the first segment of its id (openrouter/openai/gpt-4o is sold by
 * openrouter).
 */
const seller = (id: string): string => id.slice(0, id.indexOf('/') + 1);

/**
 * The same model in another catalog, by exact name as the resolver reads it: its id, one of its
 * aliases, or the id without its provider segment, and sold by the same provider. Two providers
 * selling one open model at different prices is a market, not a disagreement between catalogs.
 */
function counterpart(
  model: ModelEntry,
  catalog: Catalog,
  asOf: string,
): { model: ModelEntry; price: DatedPrice } | undefined {
  const names = [model.id, ...model.aliases, model.id.slice(model.id.indexOf('/') + 1)];
  for (const name of names) {
    const found = modelNamed(catalog, name);
    if (found === undefined || seller(found.id) !== seller(model.id)) continue;
    const price = priceAt(found, asOf);
    if (price !== undefined) return { model: found, price };
  }
  return undefined;
}

/**
 * Every rate of the models the catalogs share, compared side by side; a spread over `tolerancePct`
 * is listed.
 */
export function checkCatalogs(
  catalogs: readonly Catalog[],
  asOf: string,
  tolerancePct: Big,
): CatalogCheck {
  const [first, ...others] = catalogs;
  const result: CatalogCheck = { shared: 0, compared: 0, disagreements: [] };
  if (first === undefined) return result;
  for (const model of [...first.byId.values()].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const own = resolveModel(first, model.id, asOf);
    if (own.kind !== 'priced') continue;
    const sides: CheckSide[] = [{ catalog: 0, model, price: own.price }];
    others.forEach((catalog, i) => {
      const match = counterpart(model, catalog, asOf);
      if (match !== undefined) sides.push({ catalog: i + 1, ...match });
    });
    if (sides.length < 2) continue;
    result.shared++;
    for (const rate of PRICE_COMPONENTS) {
      const valued = sides.flatMap((s) =>
        s.price.rates[rate] === undefined ? [] : [{ ...s, value: s.price.rates[rate]! }],
      );
      if (valued.length < 2) continue;
      result.compared++;
      const values = valued.map((v) => v.value).sort((a, b) => a.cmp(b));
      const [low, high] = [values[0]!, values[values.length - 1]!];
      if (low.eq(high)) continue;
      const spread = low.eq('0') ? undefined : high.minus(low).div(low).times('100');
      if (spread === undefined || spread.gt(tolerancePct))
        result.disagreements.push({ model: model.id, rate, sides: valued, spread_pct: spread });
    }
  }
  return result;
}
