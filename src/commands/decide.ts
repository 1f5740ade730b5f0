import { alertsFor, availabilityOf, decide } from '../core/decide.js';
import { completeInputs, mergeInputs, missingInputs } from '../core/decide-inputs.js';
import { litellmExport, portkeyExport, scenarioExport } from '../core/exports.js';
import { priceSetup } from '../core/setup-price.js';
import type { RunContext } from '../domain/context.js';
import { EXIT, UsageError } from '../domain/errors.js';
import type { Matrix, PartialInputs } from '../domain/matrix.js';
import type { Catalog } from '../domain/pricing.js';
import { chalkFor } from '../io/color.js';
import { diagnostics, inCI } from '../io/diagnostics.js';
import { writeResult } from '../io/output.js';
import { loadAnswers } from '../load/answers.js';
import { loadMatrix } from '../load/matrix.js';
import { loadPricing } from '../load/pricing.js';
import { loadScenario } from '../load/scenario.js';
import { type DecisionView, type OptionDetail, exclusionText, fragileText } from '../render/decision.js';
import { DECISION_RENDERERS } from '../render/decision-formats.js';
import { emittedScenarioDescription, litellmHeader } from '../render/exports.js';
import { isoDay } from '../units/date.js';
import { type DecideOptionsCli, flagOf, optionKey } from './decide-options.js';

function fromFlags(matrix: Matrix, opts: DecideOptionsCli): PartialInputs {
  const answers: Record<string, string> = {};
  for (const f of matrix.factors) {
    const value = opts[optionKey(f.id)];
    if (typeof value === 'string') answers[f.id] = value;
  }
  return {
    ...(opts.preset === undefined ? {} : { preset: opts.preset }),
    answers,
    importance: Object.fromEntries(opts.importance),
    ...(opts.volume === undefined ? {} : { volume: opts.volume }),
    ...(opts.monthlyBudget === undefined ? {} : { monthly_budget: opts.monthlyBudget }),
    ...(opts.seed === undefined ? {} : { seed: opts.seed }),
  };
}

/** One line per open question, naming the flag and the answers-file key that answer it. */
function missingLines(matrix: Matrix, missing: string[]): string[] {
  const lines = missing.map((id) => {
    const factor = matrix.factors.find((f) => f.id === id);
    if (factor === undefined) return 'no answer for volume: pass --volume 500M, or volume: in --answers FILE';
    return `no answer for ${id}: pass ${flagOf(id)} ${factor.answers.map((a) => a.id).join('|')}, or answers.${id} in --answers FILE`;
  });
  return [...lines, `(no terminal to ask on; --preset ${Object.keys(matrix.presets).join('|')} answers everything it is not told)`];
}

/** Every source of answers in priority order: flags, the answers file, then the wizard for what is left. */
async function gatherInputs(matrix: Matrix, opts: DecideOptionsCli, ctx: RunContext, inputs: string[]): Promise<PartialInputs> {
  const sources: PartialInputs[] = [fromFlags(matrix, opts)];
  if (opts.answers !== undefined) {
    const answers = await loadAnswers(matrix, opts.answers, ctx.cwd);
    inputs.push(answers.abs);
    sources.push(answers.inputs);
  }
  const interactive = ctx.stdinIsTTY && ctx.stderr.isTTY && !inCI(ctx.env);
  if (interactive) {
    const { askMissing } = await import('./decide-wizard.js');
    const prompter = await (ctx.prompter ?? (async () => (await import('../io/prompter.js')).inquirerPrompter()))();
    sources.push(await askMissing(matrix, mergeInputs(matrix, sources, false), prompter));
  }
  const merged = mergeInputs(matrix, sources);
  const missing = missingInputs(matrix, merged);
  if (missing.length > 0) throw new UsageError(...missingLines(matrix, missing));
  return merged;
}

/** The config of --emit for the recommended setup. */
async function emitted(kind: NonNullable<DecideOptionsCli['emit']>, winner: OptionDetail, catalog: Catalog, asOf: string, volume: number, date: string): Promise<string> {
  const { stringifyYaml } = await import('../load/yaml.js');
  if (kind === 'scenario') return stringifyYaml(scenarioExport(winner.scenario, winner.option.id, volume, emittedScenarioDescription(date, winner.scenario.name)));
  if (kind === 'litellm') {
    const { env, config } = litellmExport(winner.scenario, catalog, asOf);
    return litellmHeader(env) + stringifyYaml(config);
  }
  return `${JSON.stringify(portkeyExport(winner.scenario), null, 2)}\n`;
}

/** `ai-route decide`: gather answers (flags, file, wizard, preset), decide, price, explain or export. */
export async function runDecide(opts: DecideOptionsCli, ctx: RunContext): Promise<number> {
  if (opts.emit !== undefined && opts.format !== 'table') throw new UsageError('--emit writes config, not a report; leave out --format');
  const { matrix, file: matrixFile } = await loadMatrix(ctx.cwd);
  const inputs: string[] = [matrixFile];
  const merged = await gatherInputs(matrix, opts, ctx, inputs);
  const decisionInputs = completeInputs(merged);

  const asOf = opts.asOf ?? isoDay(ctx.now());
  const pricing = await loadPricing(opts.pricing, ctx.cwd, { allowImplausible: opts.allowImplausible === true });
  inputs.push(...pricing.inputs);
  const details: OptionDetail[] = [];
  for (const option of matrix.options) {
    const { scenario, doc } = await loadScenario(option.scenario, ctx.cwd);
    inputs.push(doc.abs);
    const { cost, report, used } = priceSetup(scenario, pricing.catalog, asOf, decisionInputs.volume);
    details.push({ option, scenario, cost, report, used });
  }
  const decision = decide(matrix, decisionInputs, Object.fromEntries(details.map((d) => [d.option.id, d.cost])));
  const winner = details.find((d) => d.option.id === decision.winner?.id);
  const view: DecisionView = {
    decision,
    matrix,
    preset: merged.preset,
    as_of: asOf,
    date: isoDay(ctx.now()),
    details,
    availability: winner === undefined ? undefined : availabilityOf(winner.scenario, winner.option.uptime.value, winner.option.uptime.in_writing, winner.option.uptime.source),
    alerts: winner === undefined ? [] : alertsFor(winner.option.uptime.value),
  };

  if (opts.emit !== undefined) {
    if (winner === undefined) throw new UsageError(`--emit ${opts.emit}: no option meets the hard requirements, so there is nothing to emit`);
    await writeResult(await emitted(opts.emit, winner, pricing.catalog, asOf, decisionInputs.volume, view.date), opts.out, inputs, ctx);
  } else {
    await writeResult(await DECISION_RENDERERS[opts.format](view, { chalk: () => chalkFor(ctx, opts.out !== undefined) }), opts.out, inputs, ctx);
  }
  const say = diagnostics(ctx);
  if (decision.fragile) say.warn(`the decision is fragile: ${decision.fragile_reasons.map(fragileText).join('; ')}`);
  if (decision.winner === undefined) {
    for (const e of decision.exclusions) say.error(`excluded ${e.option}: ${exclusionText(view, e.option, e.reason)}`);
    return EXIT.gate;
  }
  return EXIT.ok;
}
