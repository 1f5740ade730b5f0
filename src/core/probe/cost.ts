import type { Catalog, Quarantined } from '../../domain/pricing.js';
import type { ProbeRun } from '../../domain/probe.js';
import { type Big, ONE, decInt, sum } from '../../units/decimal.js';
import { resolveModel } from '../catalog.js';
import { priceUsage } from '../cost.js';
import { outputTokens } from './summary.js';

/** What one target's run spent: every attempt counted, warm-up included, since all are billed. */
export interface SpentTokens {
  target: string;
  model: string;
  input: number;
  output: number;
  /** Attempts that were answered, for fees per request. */
  requests: number;
  /** Some served attempts came without prompt tokens in their usage. */
  input_known: boolean;
  /** Some output counts are chunks, not usage. */
  estimated: boolean;
}

export function spentTokens(run: ProbeRun): SpentTokens[] {
  const byTarget = new Map<string, SpentTokens>();
  for (const r of run.runs) {
    for (const request of r.requests) {
      for (const a of request.attempts) {
        const spent = byTarget.get(a.target) ?? {
          target: a.target,
          model: a.model,
          input: 0,
          output: 0,
          requests: 0,
          input_known: true,
          estimated: false,
        };
        const out = outputTokens(a);
        spent.output += out.tokens;
        spent.estimated ||= out.estimated && out.tokens > 0;
        if (a.error_class === undefined) spent.requests++;
        if (a.usage_prompt_tokens !== undefined) spent.input += a.usage_prompt_tokens;
        else if (a.error_class === undefined) spent.input_known = false;
        byTarget.set(a.target, spent);
      }
    }
  }
  return [...byTarget.values()];
}

/** Why a target's cost is missing or partial; render words it. */
export type CostNote =
  | { kind: 'not_in_catalog' | 'ambiguous'; model: string }
  | { kind: 'no_output_price'; model: string; as_of: string }
  | { kind: 'output_only'; model: string }
  | { kind: 'input_unreported' }
  | { kind: 'as_saved'; text: string };

export interface TargetCost extends SpentTokens {
  /** Undefined when the model has no output price in the catalog. */
  cost: Big | undefined;
  note: CostNote | undefined;
  /** Quarantined rates this pricing took as given (--allow-implausible). */
  implausible_taken: Quarantined[];
}

export interface RunCost {
  targets: TargetCost[];
  /**
   * Undefined when a target is not priced: a total of the priced ones would read as the run's cost.
   */
  total: Big | undefined;
  /** Every target priced in full (no output-only or unreported prompt tokens). */
  complete: boolean;
  monthly: Big | undefined;
}

/**
 * One target's tokens through the cost engine (its tiers, per-request fees, cache lines); unknown
 * prices are said, never zero.
 */
function priceTarget(s: SpentTokens, catalog: Catalog, asOf: string): TargetCost {
  const found = resolveModel(catalog, s.model, asOf);
  if (found.kind === 'unknown' || found.kind === 'ambiguous')
    return {
      ...s,
      cost: undefined,
      note: { kind: found.kind === 'unknown' ? 'not_in_catalog' : 'ambiguous', model: s.model },
      implausible_taken: [],
    };
  if (found.kind === 'not_in_force')
    return {
      ...s,
      cost: undefined,
      note: { kind: 'no_output_price', model: s.model, as_of: asOf },
      implausible_taken: [],
    };
  const taken = found.price.implausible_taken;
  const tier = {
    tier: { name: s.target, model: s.model, share: ONE, fallback: [] },
    model: found.model,
    price: found.price,
  };
  const priced = priceUsage(tier, {
    requests: s.requests,
    tokens: { input: s.input, output: s.output },
  });
  const lacks = new Set(priced.missing.map((m) => m.component));
  if (lacks.has('output') || (s.output === 0 && found.price.rates.output === undefined)) {
    return {
      ...s,
      cost: undefined,
      note: { kind: 'no_output_price', model: s.model, as_of: asOf },
      implausible_taken: [],
    };
  }
  if (lacks.has('input'))
    return {
      ...s,
      cost: priced.cost,
      note: { kind: 'output_only', model: s.model },
      implausible_taken: taken,
    };
  return {
    ...s,
    cost: priced.cost,
    note: s.input_known ? undefined : { kind: 'input_unreported' },
    implausible_taken: taken,
  };
}

/** The run priced with the catalog, exact like `cost`, per target, in total and per month. */
export function priceRun(
  spent: SpentTokens[],
  catalog: Catalog,
  asOf: string,
  runsPerMonth: number,
): RunCost {
  return totalOf(
    spent.map((s) => priceTarget(s, catalog, asOf)),
    runsPerMonth,
  );
}

/** The run's total and monthly cost, only when every target is priced. */
export function totalOf(targets: TargetCost[], runsPerMonth: number): RunCost {
  const priced = targets.every((t) => t.cost !== undefined);
  const total = priced ? sum(targets.map((t) => t.cost!)) : undefined;
  return {
    targets,
    total,
    complete: priced && targets.every((t) => t.note === undefined),
    monthly: total?.times(decInt(runsPerMonth)),
  };
}
