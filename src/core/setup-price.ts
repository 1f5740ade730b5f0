import type { Catalog } from '../domain/pricing.js';
import type { Scenario } from '../domain/scenario.js';
import { ONE, type Big } from '../units/decimal.js';
import { resolveModel } from './catalog.js';
import {
  type Candidate,
  type CostReport,
  type PricedTier,
  findMissingPrices,
  projectCosts,
} from './cost.js';
import type { OptionCost, Unpriced } from './decide.js';

/**
 * A scenario's setup and baseline priced at one volume by the cost engine, or the prices it lacks;
 * `used` is every price it read.
 */
export function priceSetup(
  scenario: Scenario,
  catalog: Catalog,
  asOf: string,
  volume: number,
): {
  cost: OptionCost;
  report: CostReport | undefined;
  used: PricedTier[];
  candidate: Candidate | undefined;
} {
  const missing: Unpriced[] = [];
  const tier = (
    name: string,
    model: string,
    share: Big,
    fallback: string[],
  ): PricedTier | undefined => {
    const found = resolveModel(catalog, model, asOf);
    if (found.kind === 'priced')
      return { tier: { name, model, share, fallback }, model: found.model, price: found.price };
    missing.push(
      found.kind === 'not_in_force'
        ? { model, reason: 'not_in_force', as_of: asOf }
        : found.kind === 'ambiguous'
          ? { model, reason: 'ambiguous' }
          : { model, reason: 'not_in_catalog' },
    );
    return undefined;
  };
  const tiers = scenario.setup.tiers.flatMap(
    (t) => tier(t.name, t.model, t.share, t.fallback) ?? [],
  );
  const base = tier('all', scenario.baseline.model, ONE, []);
  const used = base === undefined ? tiers : [...tiers, base];
  if (missing.length > 0 || base === undefined)
    return { cost: { priced: false, missing }, report: undefined, used, candidate: undefined };
  const candidate: Candidate = {
    id: `setup:${scenario.name}`,
    label: scenario.setup.label,
    kind: 'setup',
    tiers,
  };
  const baseline: Candidate = {
    id: base.model.id,
    label: scenario.baseline.label ?? base.model.id,
    kind: 'model',
    tiers: [base],
  };
  const gaps = [
    ...findMissingPrices(candidate, scenario.token_mix),
    ...findMissingPrices(baseline, scenario.token_mix),
  ];
  if (gaps.length > 0)
    return {
      cost: {
        priced: false,
        missing: gaps.map((g) => ({ model: g.model, reason: 'no_rate', component: g.component })),
      },
      report: undefined,
      used,
      candidate: undefined,
    };
  const report = projectCosts({
    candidates: [candidate],
    baseline,
    mix: scenario.token_mix,
    points: [{ stage: null, month: null, tokens: volume }],
    budget: undefined,
    parts: false,
  });
  const row = report.rows[0]!;
  return {
    cost: { priced: true, cost: row.cost, baseline_cost: row.baseline_cost },
    report,
    used,
    candidate,
  };
}
