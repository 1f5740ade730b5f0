import type { RunContext } from '../domain/context.js';
import { EXIT } from '../domain/errors.js';
import { renderContext } from '../io/color.js';
import { diagnostics } from '../io/diagnostics.js';
import { writeResult } from '../io/output.js';
import { COST_RENDERERS } from '../render/cost/index.js';
import { describePoint } from '../render/cost/view.js';
import { formatUsd } from '../render/format.js';
import { costView } from '../views/cost.js';
import type { CostOptions } from './cost-spec.js';

/** load -> validate -> compute -> render -> write, then the budget gate. */
export async function runCost(opts: CostOptions, ctx: RunContext): Promise<number> {
  const { view, inputs } = await costView(opts, ctx);
  const { report } = view;
  const say = diagnostics(ctx);
  const text = await COST_RENDERERS[opts.format](view, renderContext(ctx, opts.out !== undefined));
  await writeResult(text, opts.out, inputs, ctx);

  const breaches = report.budget?.breaches ?? [];
  for (const { row, over } of breaches) {
    say.error(
      `budget exceeded: ${describePoint(row.point)} with ${row.candidate.label} ` +
        (`costs ${formatUsd(row.cost)}, ${formatUsd(over)} over the ` +
          `${formatUsd(report.budget!.limit)} budget`),
    );
  }
  return breaches.length > 0 ? EXIT.gate : EXIT.ok;
}
