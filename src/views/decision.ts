import { compareCurves } from '../core/break-even.js';
import { costCurve, hasFixedCharges } from '../core/cost.js';
import { alertsFor, decide } from '../core/decide.js';
import { completeInputs, mergeInputs, missingInputs } from '../core/decide-inputs.js';
import { routesOf, setupAvailability } from '../core/setup-check.js';
import { priceSetup } from '../core/setup-price.js';
import type { RunContext } from '../domain/context.js';
import { UsageError } from '../domain/errors.js';
import type { Matrix, PartialInputs } from '../domain/matrix.js';
import type { Catalog } from '../domain/pricing.js';
import { loadAnswers } from '../load/answers.js';
import { loadPricing } from '../load/pricing.js';
import { loadScenario } from '../load/scenario.js';
import type { DecisionView, OptionDetail } from '../render/decision.js';
import { isoDay } from '../units/date.js';

/** What a decision is made from: the matrix, every answer given, and how to price it. */
export interface DecisionRequest {
  matrix: Matrix;
  /** Every answer given, merged in priority order (a preset fills what the others leave). */
  merged: PartialInputs;
  opts: {
    pricing: readonly string[];
    allowImplausible?: boolean | undefined;
    allowUnverified?: boolean | undefined;
    asOf?: string | undefined;
    maxKeys?: number | undefined;
  };
}

/**
 * The answers of a run that asks nothing: the answers file, then the preset; what is still open is
 * a usage error naming the keys that answer it.
 */
export async function answersWithoutQuestions(
  matrix: Matrix,
  given: { preset?: string | undefined; answers?: string | undefined },
  ctx: RunContext,
  inputs: string[],
): Promise<PartialInputs> {
  const sources: PartialInputs[] = [];
  if (given.preset !== undefined)
    sources.push({ preset: given.preset, answers: {}, importance: {} });
  if (given.answers !== undefined) {
    const answers = await loadAnswers(matrix, given.answers, ctx.cwd);
    inputs.push(answers.abs);
    sources.push(answers.inputs);
  }
  const merged = mergeInputs(matrix, sources);
  const missing = missingInputs(matrix, merged);
  if (missing.length > 0)
    throw new UsageError(
      ...missing.map((id) => {
        const key = id === 'volume' ? 'volume:' : `answers.${id}`;
        return `no answer for ${id}: give ${key} in --answers FILE`;
      }),
      `(--preset ${Object.keys(matrix.presets).join('|')} answers everything it is not told)`,
    );
  return merged;
}

/**
 * Where an option billed by the month and one billed by use cost the same, for every such pair that
 * is priced.
 */
function optionBreakEvens(details: readonly OptionDetail[]): DecisionView['break_even'] {
  const priced = details.filter((d) => d.candidate !== undefined);
  const fixed = priced.filter((d) => hasFixedCharges(d.candidate!));
  const byUse = priced.filter((d) => !hasFixedCharges(d.candidate!));
  return fixed.flatMap((a) =>
    byUse.map((b) => ({
      a: a.option.id,
      b: b.option.id,
      crossings: compareCurves(
        costCurve(a.candidate!, a.scenario.token_mix),
        costCurve(b.candidate!, b.scenario.token_mix),
      ),
    })),
  );
}

/** Every option's setup: its scenario priced, its routes, and its availability. */
async function optionDetails(
  matrix: Matrix,
  catalog: Catalog,
  asOf: string,
  volume: number,
  ctx: RunContext,
  inputs: string[],
): Promise<OptionDetail[]> {
  const details: OptionDetail[] = [];
  for (const option of matrix.options) {
    const loaded = await loadScenario(option.scenario, ctx.cwd);
    const { scenario, doc } = loaded;
    inputs.push(doc.abs);
    const routes = routesOf(scenario, matrix.channels);
    // with limits in the pricing files: the setup's peak at the decision volume against them
    const capacity =
      catalog.limits.length === 0
        ? undefined
        : await (
            await import('./capacity.js')
          ).capacityOf(
            loaded,
            catalog,
            [{ stage: null, month: null, tokens: volume }],
            {
              accountTier: [],
              asOf,
            },
            ctx,
          );
    details.push({
      option,
      scenario,
      ...priceSetup(scenario, catalog, asOf, volume),
      routes,
      availability: setupAvailability(scenario, routes, option.components),
      ...(capacity === undefined ? {} : { capacity }),
    });
  }
  return details;
}

/**
 * answers -> check every setup -> decide -> price: the view `decide` renders (and `report` shows);
 * the files it reads join `inputs`.
 */
export async function decisionView(
  request: DecisionRequest,
  ctx: RunContext,
  inputs: string[],
): Promise<{ view: DecisionView; catalog: Catalog }> {
  const { matrix, merged, opts } = request;
  const decisionInputs = completeInputs(merged);
  const asOf = opts.asOf ?? isoDay(ctx.now());
  const pricing = await loadPricing(opts.pricing, ctx.cwd, {
    allowImplausible: opts.allowImplausible === true,
  });
  inputs.push(...pricing.inputs);
  const details = await optionDetails(
    matrix,
    pricing.catalog,
    asOf,
    decisionInputs.volume,
    ctx,
    inputs,
  );
  const decision = decide(
    matrix,
    decisionInputs,
    Object.fromEntries(details.map((d) => [d.option.id, d])),
    opts.allowUnverified === true,
  );
  const winner = details.find((d) => d.option.id === decision.winner?.id);
  const view: DecisionView = {
    decision,
    matrix,
    preset: merged.preset,
    as_of: asOf,
    date: isoDay(ctx.now()),
    details,
    break_even: optionBreakEvens(details),
    alerts: alertsFor(winner?.availability.value ?? winner?.availability.at_least),
    max_keys: opts.maxKeys ?? 1,
  };
  return { view, catalog: pricing.catalog };
}
