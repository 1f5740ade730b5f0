import { join } from 'node:path';
import type { RunContext } from '../domain/context.js';
import { EXIT, UsageError } from '../domain/errors.js';
import { checkOutputPath, writeResult } from '../io/output.js';
import { loadSavedDecision } from '../load/saved-decision.js';
import { loadSavedProbe } from '../load/saved-probe.js';
import { loadScenario, DEFAULT_SCENARIO } from '../load/scenario.js';
import { buildDeck } from '../render/report/deck.js';
import { Dec } from '../units/decimal.js';
import { costView } from './cost.js';
import type { ReportOptionsCli } from './report-options.js';

/** `ai-route report`: one deck from the cost engine, a saved decision and saved probe runs, as pptx, html or md. */
export async function runReport(opts: ReportOptionsCli, ctx: RunContext): Promise<number> {
  if (opts.format === 'pptx' && opts.out === undefined) throw new UsageError('--format pptx writes a file: pass --out report.pptx');
  if (opts.format === 'md' && opts.outDir !== undefined) checkOutputPath(join(opts.outDir, 'report.md'), '--out-dir', ctx.cwd);
  if (opts.format !== 'md' && opts.outDir !== undefined) throw new UsageError('--out-dir is for --format md (the charts are files beside the markdown)');
  const base = { ...opts, allModels: undefined, explain: undefined, budget: undefined, months: undefined, growth: undefined };
  const stages = await costView(base, ctx);
  const last = stages.view.report.rows[stages.view.report.rows.length - 1];
  if (last === undefined) throw new UsageError('nothing to report: no volume was priced');
  const scenario = (await loadScenario(opts.scenario ?? DEFAULT_SCENARIO, ctx.cwd)).scenario;
  const growth = opts.growth ?? scenario.growth?.monthly_pct ?? Dec('0');
  const projection = await costView({ ...base, volume: [last.point.tokens], months: opts.months, growth }, ctx);
  const decision = opts.decision === undefined ? undefined : await loadSavedDecision(opts.decision, ctx.cwd);
  const probes = await Promise.all(opts.probe.map((file) => loadSavedProbe(file, ctx.cwd)));
  const deck = buildDeck({ stages: stages.view, projection: projection.view, growth_pct: growth, decision, probes: probes.flatMap((p) => p.summaries) });
  const inputs = [...stages.inputs, ...(decision === undefined ? [] : [decision.abs]), ...probes.map((p) => p.abs)];
  if (opts.format === 'pptx') {
    const { deckPptx } = await import('../render/report/pptx.js');
    await writeResult(await deckPptx(deck), opts.out, inputs, ctx);
  } else if (opts.format === 'html') {
    const { deckHtml } = await import('../render/report/html.js');
    await writeResult(deckHtml(deck), opts.out, inputs, ctx);
  } else {
    const { deckMarkdown } = await import('../render/report/markdown.js');
    const md = deckMarkdown(deck, 'report');
    if (opts.outDir === undefined && md.files.length > 0 && opts.out === undefined) throw new UsageError('--format md writes its charts as SVG files: pass --out-dir DIR');
    const dir = opts.outDir ?? '.';
    for (const f of md.files) await writeResult(f.content, join(dir, f.name), inputs, ctx, '--out-dir');
    await writeResult(md.text, opts.out ?? join(dir, 'report.md'), inputs, ctx, opts.out === undefined ? '--out-dir' : '--out');
  }
  return EXIT.ok;
}
