import type { RunContext } from '../domain/context.js';
import { EXIT } from '../domain/errors.js';
import { renderContext } from '../io/color.js';
import { writeResult } from '../io/output.js';
import { CAPACITY_RENDERERS } from '../render/capacity-formats.js';
import { capacityView } from '../views/capacity.js';
import type { CapacityOptions } from './capacity-spec.js';

/** `capacity`: load -> plan -> render -> write; a plan is not a gate, so it exits 0. */
export async function runCapacity(opts: CapacityOptions, ctx: RunContext): Promise<number> {
  const { view, inputs } = await capacityView(opts, ctx);
  const text = await CAPACITY_RENDERERS[opts.format](
    view,
    renderContext(ctx, opts.out !== undefined),
  );
  await writeResult(text, opts.out, inputs, ctx);
  return EXIT.ok;
}
