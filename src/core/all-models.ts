import type { Catalog } from '../domain/pricing.js';
import type { Tier, TokenMix } from '../domain/scenario.js';
import { ONE } from '../units/decimal.js';
import { TEXT_MODES } from '../domain/pricing.js';
import { resolveModel } from './catalog.js';
import { type Candidate, type MissingPrice, type PricedTier, findMissingPrices } from './cost.js';

/**
 * Why a model of the catalog is left out of --all-models: no price yet on the day, or a rate the
 * mix needs.
 */
export type NotPriced = {
  model: string;
  reason:
    | { kind: 'not_in_force'; earliest: string | undefined }
    | { kind: 'missing'; missing: MissingPrice[] };
};

/** One model taking all traffic. */
export function singleModel(ref: string): Tier {
  return { name: 'all', model: ref, share: ONE, fallback: [] };
}

export function modelCandidate(tier: PricedTier): Candidate {
  return {
    id: tier.model.id,
    label: tier.model.display_name ?? tier.model.id,
    kind: 'model',
    tiers: [tier],
  };
}

/**
 * --all-models: each text model with a price in force and every rate the mix needs, the baseline
 * left out (it is the row everything is compared with). The rest are named with the reason,
 * never priced with a guess.
 */
export function everyPricedModel(
  catalog: Catalog,
  asOf: string,
  mix: TokenMix,
  baselineId: string,
): { candidates: Candidate[]; not_priced: NotPriced[]; not_text: number } {
  const candidates: Candidate[] = [];
  const notPriced: NotPriced[] = [];
  let notText = 0;
  const ids = [...catalog.byId.keys()].sort((a, b) =>
    a.toLowerCase().localeCompare(b.toLowerCase()),
  );
  for (const id of ids) {
    const model = catalog.byId.get(id)!;
    if (id === baselineId) continue;
    if (model.mode !== undefined && !TEXT_MODES.has(model.mode)) {
      notText++;
      continue;
    }
    const found = resolveModel(catalog, id, asOf);
    // a name a later file took over means that file's model: the baseline again, or a model listed
    // under its own id
    if ((found.kind === 'priced' || found.kind === 'not_in_force') && found.model !== model)
      continue;
    if (found.kind !== 'priced') {
      notPriced.push({
        model: id,
        reason: { kind: 'not_in_force', earliest: model.prices[0]?.effective_from },
      });
      continue;
    }
    const candidate = modelCandidate({ tier: singleModel(id), model, price: found.price });
    const missing = findMissingPrices(candidate, mix);
    if (missing.length > 0) notPriced.push({ model: id, reason: { kind: 'missing', missing } });
    else candidates.push(candidate);
  }
  return { candidates, not_priced: notPriced, not_text: notText };
}
