import { diffCosts, increasesOver, overBudget } from '../core/cost-diff.js';
import type { RunContext } from '../domain/context.js';
import { EXIT } from '../domain/errors.js';
import { renderContext } from '../io/color.js';
import { diagnostics } from '../io/diagnostics.js';
import { writeResult } from '../io/output.js';
import { DEFAULT_SCENARIO } from '../load/scenario.js';
import { DIFF_RENDERERS } from '../render/cost-diff-formats.js';
import { type CostDiffView, gateLines } from '../render/cost-diff.js';
import { loadSide } from '../views/cost-side.js';
import type { CostDiffOptions } from './cost-diff-spec.js';

/**
 * `cost diff`: both sides priced by the one cost engine (or read as saved), matched by stage and
 * tier, rendered, then the gates: exit 3 when a stage rose past --fail-on-increase or the head
 * is over --budget.
 */
export async function runCostDiff(opts: CostDiffOptions, ctx: RunContext): Promise<number> {
  const headSpec = opts.head ?? DEFAULT_SCENARIO;
  const inputs = {
    pricing: opts.pricing,
    volume: opts.volume,
    asOf: opts.asOf,
    baseline: opts.baseline,
    allowImplausible: opts.allowImplausible,
    months: opts.months,
    growth: opts.growth,
  };
  const head = await loadSide(headSpec, '--head', headSpec, inputs, ctx);
  const base = await loadSide(opts.base, '--base', headSpec, inputs, ctx);
  const diff = diffCosts(base.side, head.side);
  const view: CostDiffView = {
    base: { label: base.side.label, setup: base.side.setup },
    head: { label: head.side.label, setup: head.side.setup },
    diff,
    fail_on_increase: opts.failOnIncrease,
    budget: opts.budget,
    increases: opts.failOnIncrease === undefined ? [] : increasesOver(diff, opts.failOnIncrease),
    over_budget: opts.budget === undefined ? [] : overBudget(diff, opts.budget),
  };
  const text = await DIFF_RENDERERS[opts.format](view, renderContext(ctx, opts.out !== undefined));
  await writeResult(text, opts.out, [...base.inputs, ...head.inputs], ctx);
  const failed = gateLines(view);
  const say = diagnostics(ctx);
  for (const line of failed) say.error(line);
  // in a GitHub Actions job: the diff in the job summary, each failed gate as an annotation
  const { publishToGithub } = await import('../io/github.js');
  await publishToGithub(
    ctx,
    async () => DIFF_RENDERERS.markdown(view),
    failed.map((line) => ({ title: 'cost gate', line })),
    'cost diff',
  );
  return failed.length > 0 ? EXIT.gate : EXIT.ok;
}
