import { resolve } from 'node:path';
import { decide } from '../core/decide.js';
import { type RunContext, inCI, isoDay } from '../context.js';
import { DataError, EXIT, UsageError } from '../errors.js';
import { type PartialInputs, completeInputs, flagOf, mergeInputs, missingInputs, readAnswersDoc } from '../decide/inputs.js';
import { alertsFor, availabilityOf, priceSetup } from '../decide/recommend.js';
import { chalkFor } from '../io/color.js';
import { writeResult } from '../io/output.js';
import { issueLines, readDataFile } from '../load/data-file.js';
import { loadMatrix } from '../load/matrix.js';
import { loadPricing } from '../load/pricing.js';
import { loadScenario } from '../load/scenario.js';
import { type DecisionDocument, type OptionDetail, renderDecisionAdr, renderDecisionJson, renderDecisionMarkdown, renderDecisionTable } from '../render/decision.js';
import { litellmExport, portkeyExport, scenarioExport } from '../render/exports.js';
import { IssueList } from '../schema/issues.js';
import type { Matrix } from '../schema/matrix.js';
import { type DecideOptionsCli, optionKey } from './decide-options.js';

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

/** `ai-route decide`: gather answers (flags, file, wizard, preset), decide, price, explain or export. */
export async function runDecide(opts: DecideOptionsCli, ctx: RunContext): Promise<number> {
  if (opts.emit !== undefined && opts.format !== 'table') throw new UsageError('--emit writes config, not a report; leave out --format');
  const { matrix, file: matrixFile } = await loadMatrix(ctx.cwd);
  const inputs: string[] = [matrixFile];
  const sources: PartialInputs[] = [fromFlags(matrix, opts)];
  if (opts.answers !== undefined) {
    const doc = await readDataFile(resolve(ctx.cwd, opts.answers), ctx.cwd);
    inputs.push(doc.abs);
    const issues = new IssueList();
    sources.push(readAnswersDoc(matrix, doc.value, issues));
    if (!issues.empty) throw new DataError(await issueLines(doc, issues.items));
  }
  const interactive = ctx.stdinIsTTY && ctx.stderr.isTTY && !inCI(ctx.env);
  if (interactive) {
    const { askMissing } = await import('../decide/wizard.js');
    const prompter = await (ctx.prompter ?? (async () => (await import('../io/prompter.js')).inquirerPrompter()))();
    sources.push(await askMissing(matrix, mergeInputs(matrix, sources, false), prompter));
  }
  const merged = mergeInputs(matrix, sources);
  const missing = missingInputs(matrix, merged);
  if (missing.length > 0) throw new UsageError(...missingLines(matrix, missing));
  const decisionInputs = completeInputs(merged);

  const asOf = opts.asOf ?? isoDay(ctx.now());
  const pricing = await loadPricing(opts.pricing, ctx.cwd);
  inputs.push(...pricing.inputs);
  const details: OptionDetail[] = [];
  for (const option of matrix.options) {
    const { scenario, doc } = await loadScenario(option.scenario, ctx.cwd);
    inputs.push(doc.abs);
    const { cost, report } = priceSetup(scenario, pricing.catalog, asOf, decisionInputs.volume);
    details.push({ option, scenario, cost, report });
  }
  const decision = decide(matrix, decisionInputs, Object.fromEntries(details.map((d) => [d.option.id, d.cost])));
  const winner = details.find((d) => d.option.id === decision.winner?.id);
  const doc: DecisionDocument = {
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
    const { stringifyYaml } = await import('../load/yaml.js');
    let text: string;
    if (opts.emit === 'scenario') text = stringifyYaml(scenarioExport(winner.scenario, winner.option.id, decisionInputs.volume, doc.date));
    else if (opts.emit === 'litellm') {
      const { header, config } = litellmExport(winner.scenario, pricing.catalog, asOf);
      text = header + stringifyYaml(config);
    } else text = `${JSON.stringify(portkeyExport(winner.scenario), null, 2)}\n`;
    await writeResult(text, opts.out, inputs, ctx);
  } else {
    const text =
      opts.format === 'json'
        ? renderDecisionJson(doc)
        : opts.format === 'markdown'
          ? renderDecisionMarkdown(doc)
          : opts.format === 'adr'
            ? renderDecisionAdr(doc)
            : await renderDecisionTable(doc, await chalkFor(ctx, opts.out !== undefined));
    await writeResult(text, opts.out, inputs, ctx);
  }
  if (decision.fragile) ctx.stderr.write(`ai-route: warning: the decision is fragile: ${decision.fragile_reasons.join('; ')}\n`);
  if (decision.winner === undefined) {
    for (const e of decision.exclusions) ctx.stderr.write(`ai-route: excluded ${e.option}: ${e.reason}\n`);
    return EXIT.gate;
  }
  return EXIT.ok;
}
