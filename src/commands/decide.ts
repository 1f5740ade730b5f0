import { basename } from 'node:path';
import { mergeInputs, missingInputs } from '../core/decide-inputs.js';
import { baseUrlCount, litellmExport, portkeyExport, scenarioExport } from '../core/exports.js';
import type { Prompter, RunContext } from '../domain/context.js';
import { EXIT, UsageError } from '../domain/errors.js';
import type { Matrix, PartialInputs } from '../domain/matrix.js';
import type { Catalog } from '../domain/pricing.js';
import { renderContext } from '../io/color.js';
import { diagnostics, inCI } from '../io/diagnostics.js';
import { writeResult } from '../io/output.js';
import { loadAnswers } from '../load/answers.js';
import { loadMatrix } from '../load/matrix.js';
import {
  type DecisionView,
  type OptionDetail,
  exclusionText,
  fragileText,
  shortLabel,
} from '../render/decision.js';
import { DECISION_RENDERERS } from '../render/decision-formats.js';
import { emittedScenarioDescription, litellmHeader } from '../render/exports.js';
import { decisionView } from '../views/decision.js';
import { type DecideOptionsCli, flagOf, optionKey } from './decide-spec.js';

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
    ...(opts.monthlyBudget === undefined
      ? {}
      : { monthly_budget: opts.monthlyBudget === 'none' ? null : opts.monthlyBudget }),
    ...(opts.seed === undefined ? {} : { seed: opts.seed }),
  };
}

/** One line per open question, naming the flag and the answers-file key that answer it. */
function missingLines(matrix: Matrix, missing: string[], why: string): string[] {
  const lines = missing.map((id) => {
    const factor = matrix.factors.find((f) => f.id === id);
    if (factor === undefined)
      return 'no answer for volume: pass --volume 500M, or volume: in --answers FILE';
    return (
      `no answer for ${id}: pass ${flagOf(id)} ` +
      `${factor.answers.map((a) => a.id).join('|')}, or answers.${id} in --answers FILE`
    );
  });
  return [
    ...lines,
    `(${why}; --preset ${Object.keys(matrix.presets).join('|')} answers everything it is not told)`,
  ];
}

/**
 * Every source of answers in priority order: flags, the answers file, a preset; the wizard opens
 * only when something is still open, in a terminal, without --no-input. Returns the prompter when
 * the wizard ran, for its closing offer to save.
 */
async function gatherInputs(
  matrix: Matrix,
  opts: DecideOptionsCli,
  ctx: RunContext,
  inputs: string[],
): Promise<{ merged: PartialInputs; prompter: Prompter | undefined }> {
  const sources: PartialInputs[] = [fromFlags(matrix, opts)];
  if (opts.answers !== undefined) {
    const answers = await loadAnswers(matrix, opts.answers, ctx.cwd);
    inputs.push(answers.abs);
    sources.push(answers.inputs);
  }
  const open = missingInputs(matrix, mergeInputs(matrix, sources));
  const terminal = ctx.stdinIsTTY && ctx.stderr.isTTY && !inCI(ctx.env);
  let prompter: Prompter | undefined;
  if (open.length > 0 && terminal && opts.input !== false) {
    const wizard = await import('./decide-wizard.js');
    const plan = wizard.wizardPlan(matrix, mergeInputs(matrix, sources, false));
    prompter = await (
      ctx.prompter ?? (async () => (await import('../io/prompter.js')).inquirerPrompter())
    )();
    diagnostics(ctx).info(wizard.wizardIntro(matrix, plan));
    sources.push(await wizard.askMissing(matrix, plan, prompter));
  }
  const merged = mergeInputs(matrix, sources);
  const missing = missingInputs(matrix, merged);
  const why = opts.input === false ? '--no-input: nothing is asked' : 'no terminal to ask on';
  if (missing.length > 0) throw new UsageError(...missingLines(matrix, missing, why));
  return { merged, prompter };
}

/** The config of --emit (or of the wizard's save) for the recommended setup. */
async function emitted(
  kind: 'scenario' | 'litellm' | 'portkey',
  winner: OptionDetail,
  x: { catalog: Catalog; asOf: string; volume: number; date: string; file: string | undefined },
): Promise<string> {
  const { catalog, asOf, volume, date } = x;
  const { stringifyYaml } = await import('../load/yaml.js');
  if (kind === 'scenario')
    return stringifyYaml(
      scenarioExport(
        winner.scenario,
        winner.option.id,
        volume,
        emittedScenarioDescription(date, winner.scenario.name),
      ),
    );
  if (kind === 'litellm') {
    const { env, config } = litellmExport(winner.scenario, catalog, asOf);
    return (
      litellmHeader(env, x.file === undefined ? undefined : basename(x.file)) +
      stringifyYaml(config)
    );
  }
  if (baseUrlCount(winner.scenario) > 1) {
    // Portkey's inline config carries each provider's key itself, and ai-route writes no secrets
    throw new UsageError(
      `--emit portkey: ${winner.option.label} spans ${baseUrlCount(winner.scenario)} ` +
        `providers, and a Portkey inline config needs each one's key written in ` +
        `it; use --emit litellm, which reads each key from the environment`,
    );
  }
  return `${JSON.stringify(portkeyExport(winner.scenario), null, 2)}\n`;
}

/**
 * The wizard's close: offer to save the decision (JSON, ADR or config), then the command that
 * repeats it without questions.
 */
async function offerToSave(
  view: DecisionView,
  prompter: Prompter,
  catalog: Catalog,
  inputs: string[],
  ctx: RunContext,
): Promise<void> {
  const { askToSave } = await import('./decide-wizard.js');
  const { replayCommand, renderDecisionAdr } = await import('../render/decision-adr.js');
  const winner = view.details.find((d) => d.option.id === view.decision.winner?.id);
  const save = await askToSave(prompter, {
    litellm: winner !== undefined,
    portkey: winner !== undefined && baseUrlCount(winner.scenario) === 1,
  });
  if (save !== undefined) {
    const body =
      save.kind === 'json'
        ? (await import('../render/decision-json.js')).renderDecisionJson(view)
        : save.kind === 'adr'
          ? renderDecisionAdr(view)
          : await emitted(save.kind, winner!, {
              catalog,
              asOf: view.as_of,
              volume: view.decision.inputs.volume,
              date: view.date,
              file: save.file,
            });
    await writeResult(body, save.file, inputs, ctx, 'the file to save to');
  }
  diagnostics(ctx).info(`the same decision without questions: ${replayCommand(view)}`);
}

/**
 * `ai-route decide`: gather answers (flags, file, preset, wizard), check every setup against the
 * hard requirements, decide, price, explain or export.
 */
export async function runDecide(opts: DecideOptionsCli, ctx: RunContext): Promise<number> {
  const { matrix, file: matrixFile } = await loadMatrix(ctx.cwd);
  const inputs: string[] = [matrixFile];
  const { merged, prompter } = await gatherInputs(matrix, opts, ctx, inputs);
  const { view, catalog } = await decisionView({ matrix, merged, opts }, ctx, inputs);
  const { decision } = view;
  const winner = view.details.find((d) => d.option.id === decision.winner?.id);
  if (opts.emit !== undefined) {
    if (winner === undefined)
      throw new UsageError(
        `--emit ${opts.emit}: no option is known to meet the hard requirements, ` +
          `so there is nothing to emit`,
      );
    await writeResult(
      await emitted(opts.emit, winner, {
        catalog,
        asOf: view.as_of,
        volume: decision.inputs.volume,
        date: view.date,
        file: opts.out,
      }),
      opts.out,
      inputs,
      ctx,
    );
  } else {
    await writeResult(
      await DECISION_RENDERERS[opts.format](view, {
        ...renderContext(ctx, opts.out !== undefined),
        detail: opts.detail === true,
      }),
      opts.out,
      inputs,
      ctx,
    );
  }
  const say = diagnostics(ctx);
  if (decision.fragile)
    say.warn(`the decision is fragile: ${decision.fragile_reasons.map(fragileText).join('; ')}`);
  if (prompter !== undefined) await offerToSave(view, prompter, catalog, inputs, ctx);
  if (decision.winner === undefined) {
    for (const e of decision.exclusions)
      say.error(
        `excluded ${shortLabel(view, e.option)}: ${exclusionText(view, e.option, e.reason)}`,
      );
    return EXIT.gate;
  }
  return EXIT.ok;
}
