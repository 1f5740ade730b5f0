import { basename, dirname, join } from 'node:path';
import type { RunContext } from '../domain/context.js';
import { EXIT, UsageError } from '../domain/errors.js';
import { checkOutputPath, writeResult } from '../io/output.js';
import { loadSavedDecision } from '../load/saved-decision.js';
import { type DecisionFacts, readSavedDecision } from '../schema/decision.js';
import { IssueList } from '../schema/issues.js';
import { loadSavedProbe } from '../load/saved-probe.js';
import { loadSavedPremortem } from '../load/saved-premortem.js';
import { type DeckInput, buildDeck } from '../render/report/deck.js';
import { Dec } from '../units/decimal.js';
import { type CostInputs, costView } from '../views/cost.js';
import type { ReportOptionsCli } from './report-spec.js';

/**
 * The decision to show: a saved one, or one made now from --preset or --answers through decide's
 * own engine and JSON.
 */
async function decisionFacts(
  opts: ReportOptionsCli,
  ctx: RunContext,
): Promise<(DecisionFacts & { abs?: string }) | undefined> {
  if (opts.decision !== undefined) return loadSavedDecision(opts.decision, ctx.cwd);
  if (opts.preset === undefined && opts.answers === undefined) return undefined;
  const [{ answersWithoutQuestions, decisionView }, { loadMatrix }] = await Promise.all([
    import('../views/decision.js'),
    import('../load/matrix.js'),
  ]);
  const { matrix, file } = await loadMatrix(ctx.cwd);
  const inputs = [file];
  const merged = await answersWithoutQuestions(matrix, opts, ctx, inputs);
  const { view } = await decisionView({ matrix, merged, opts }, ctx, inputs);
  const json = JSON.parse((await import('../render/decision-json.js')).renderDecisionJson(view));
  const issues = new IssueList();
  return readSavedDecision(json, issues);
}

/**
 * The stages and the projection the deck draws, and whose growth it is. Fitted from usage with a
 * growth, the projection is the fitted one, with its range (read again only for another number
 * of months); else it starts at the first stage and grows at the scenario's rate.
 */
async function pricedViews(opts: ReportOptionsCli, base: CostInputs, ctx: RunContext) {
  const stages = await costView(base, ctx);
  const first = stages.view.report.rows[0];
  if (first === undefined) throw new UsageError('nothing to report: no volume was priced');
  const growth = opts.growth ?? stages.growth?.monthly_pct ?? Dec('0');
  const fromUsage = opts.usage.length > 0;
  const fitted = fromUsage && stages.growth !== undefined;
  const projection =
    fitted && stages.growth?.months === opts.months
      ? stages
      : await costView(
          fitted
            ? { ...base, months: opts.months }
            : { ...base, volume: [first.point.tokens], months: opts.months, growth },
          ctx,
        );
  const growthFrom: DeckInput['growth_from'] = fromUsage
    ? fitted
      ? 'usage'
      : 'unfitted'
    : opts.growth !== undefined
      ? 'flag'
      : stages.growth === undefined
        ? 'none'
        : 'scenario';
  return { stages, projection, growth, growthFrom };
}

/**
 * `ai-route report`: one deck from the cost engine, a saved decision and saved probe runs, as pptx,
 * html or md.
 */
export async function runReport(opts: ReportOptionsCli, ctx: RunContext): Promise<number> {
  if (opts.format === 'markdown' && opts.outDir !== undefined)
    checkOutputPath(join(opts.outDir, 'report.md'), '--out-dir', ctx.cwd);
  // with a decision, the deck is the recommended setup's, unless --scenario or --model chose one
  const decision = await decisionFacts(opts, ctx);
  const rec = decision?.recommendation ?? undefined;
  const story =
    rec !== undefined &&
    opts.scenario === undefined &&
    opts.model.length === 0 &&
    opts.usage.length === 0;
  const base = {
    ...opts,
    scenario:
      story && rec.monthly_cost !== null && rec.scenario !== null ? rec.scenario : opts.scenario,
    allModels: undefined,
    explain: undefined,
    capacity: true,
    budget: undefined,
    months: undefined,
    growth: undefined,
  };
  const { stages, projection, growth, growthFrom } = await pricedViews(opts, base, ctx);
  const probes = await Promise.all(opts.probe.map((file) => loadSavedProbe(file, ctx.cwd)));
  const premortem =
    opts.premortem === undefined ? undefined : await loadSavedPremortem(opts.premortem, ctx.cwd);
  const deck = buildDeck({
    stages: stages.view,
    projection: projection.view,
    growth_pct: growth,
    growth_from: growthFrom,
    decision,
    probes: probes.flatMap((p) => p.summaries),
    premortem,
    logScale: opts.logScale === true,
    story,
  });
  const inputs = [
    ...stages.inputs,
    ...(decision?.abs === undefined ? [] : [decision.abs]),
    ...probes.map((p) => p.abs),
    ...(premortem === undefined ? [] : [premortem.abs]),
  ];
  if (opts.format === 'pptx') {
    const { deckPptx } = await import('../render/report/pptx.js');
    await writeResult(await deckPptx(deck), opts.out, inputs, ctx);
  } else if (opts.format === 'html') {
    const { deckHtml } = await import('../render/report/html.js');
    await writeResult(deckHtml(deck), opts.out, inputs, ctx);
  } else {
    const { deckMarkdown } = await import('../render/report/markdown.js');
    // the charts go beside the markdown, named after it: report.md with report-chart-1.svg
    const file = opts.out ?? join(opts.outDir ?? '.', 'report.md');
    const md = deckMarkdown(deck, basename(file).replace(/\.md$/i, ''));
    for (const f of md.files)
      await writeResult(
        f.content,
        join(dirname(file), f.name),
        inputs,
        ctx,
        opts.out === undefined ? '--out-dir' : '--out',
      );
    await writeResult(md.text, file, inputs, ctx, opts.out === undefined ? '--out-dir' : '--out');
  }
  return EXIT.ok;
}
