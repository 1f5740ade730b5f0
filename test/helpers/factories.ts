import type { Candidate, PricedTier } from '../../src/core/cost.js';
import { Dec, ONE, type Big } from '../../src/units/decimal.js';
import type { DatedPrice, ModelEntry, PriceSet } from '../../src/domain/pricing.js';
import type { TokenMix } from '../../src/domain/scenario.js';
import { ALL_OUTPUT_MIX } from '../../src/schema/scenario.js';

/** A dated price with the given rates (decimal strings per million tokens). */
export function makePrice(
  rates: Record<string, string>,
  overrides: Partial<DatedPrice> = {},
): DatedPrice {
  const set: PriceSet = {};
  for (const [k, v] of Object.entries(rates)) set[k as keyof PriceSet] = Dec(v);
  return {
    effective_from: '2026-01-01',
    source: 'test',
    rates: set,
    context_tiers: [],
    free_in_source: undefined,
    not_given: [],
    quarantine: [],
    implausible_taken: [],
    monthly_fee: undefined,
    minimum_commitment: undefined,
    path: [],
    ...overrides,
  };
}

export function makeModel(id: string, price: DatedPrice): ModelEntry {
  return {
    id,
    provider: 'test',
    display_name: undefined,
    mode: undefined,
    aliases: [],
    prices: [price],
    file: 'test.yaml',
  };
}

/** One model taking all traffic. */
export function single(id: string, price: DatedPrice): Candidate {
  return setup(id, [{ name: 'all', share: ONE, model: makeModel(id, price), price }]);
}

export function setup(
  id: string,
  tiers: Array<{ name: string; share: Big; model: ModelEntry; price: DatedPrice }>,
): Candidate {
  const priced: PricedTier[] = tiers.map((t) => ({
    tier: { name: t.name, model: t.model.id, share: t.share, fallback: [] },
    model: t.model,
    price: t.price,
  }));
  return { id, label: id, kind: 'setup', tiers: priced };
}

export function mix(overrides: Partial<Record<keyof TokenMix, string | number>> = {}): TokenMix {
  const out: TokenMix = { ...ALL_OUTPUT_MIX };
  for (const [k, v] of Object.entries(overrides)) {
    (out as unknown as Record<string, unknown>)[k] = typeof v === 'string' ? Dec(v) : v;
  }
  return out;
}
