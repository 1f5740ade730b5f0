import { type Catalog, lookupModel, priceAt } from '../core/catalog.js';
import { type Big, PER_MILLION, ZERO, decInt, sum } from '../core/decimal.js';
import type { ProbeRun } from './runner.js';
import { outputTokens } from './summary.js';

/** What one target's run spent: every attempt counted, warm-up included, since all are billed. */
export interface SpentTokens {
  target: string;
  model: string;
  input: number;
  output: number;
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
        const spent = byTarget.get(a.target) ?? { target: a.target, model: a.model, input: 0, output: 0, input_known: true, estimated: false };
        const out = outputTokens(a);
        spent.output += out.tokens;
        spent.estimated ||= out.estimated && out.tokens > 0;
        if (a.usage_prompt_tokens !== undefined) spent.input += a.usage_prompt_tokens;
        else if (a.error_class === undefined) spent.input_known = false;
        byTarget.set(a.target, spent);
      }
    }
  }
  return [...byTarget.values()];
}

export interface TargetCost extends SpentTokens {
  /** Undefined when the model has no output price in the catalog. */
  cost: Big | undefined;
  note: string | undefined;
}

/** The run priced with the catalog, exact like `cost`; unknown prices are said, never zero. */
export function priceRun(spent: SpentTokens[], catalog: Catalog, asOf: string, runsPerMonth: number): { targets: TargetCost[]; total: Big; complete: boolean; monthly: Big } {
  const targets = spent.map((s): TargetCost => {
    const found = lookupModel(catalog, s.model);
    const price = found.ok ? priceAt(found.model, asOf) : undefined;
    if (price?.rates.output === undefined) return { ...s, cost: undefined, note: found.ok ? `no output price for ${s.model} on ${asOf}` : `${s.model} is not in the pricing catalog` };
    const output = decInt(s.output).times(price.rates.output).times(PER_MILLION);
    if (s.input > 0 && price.rates.input === undefined) return { ...s, cost: output, note: `output only: no input price for ${s.model}` };
    const input = price.rates.input === undefined ? ZERO : decInt(s.input).times(price.rates.input).times(PER_MILLION);
    return { ...s, cost: output.plus(input), note: s.input_known ? undefined : 'some prompt tokens were not reported by the endpoint' };
  });
  const total = sum(targets.flatMap((t) => (t.cost === undefined ? [] : [t.cost])));
  return { targets, total, complete: targets.every((t) => t.cost !== undefined && t.note === undefined), monthly: total.times(decInt(runsPerMonth)) };
}
