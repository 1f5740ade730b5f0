import { resolve } from 'node:path';
import { summarizeUsage } from '../core/usage/summary.js';
import type { RunContext } from '../domain/context.js';
import { EXIT, UsageError } from '../domain/errors.js';
import { renderContext } from '../io/color.js';
import { diagnostics } from '../io/diagnostics.js';
import { writeResult } from '../io/output.js';
import { loadPricing } from '../load/pricing.js';
import { loadUsage } from '../load/usage.js';
import { USAGE_RENDERERS } from '../render/usage-formats.js';
import { skipText, type UsageView } from '../render/usage.js';
import type { SummaryOptions } from './usage-spec.js';

/**
 * `usage summary SOURCE...`: the usage read, priced at the list prices of each day, beside the
 * bill. Ctrl-C keeps what was read (exit 130).
 */
export async function runUsageSummary(
  sources: string[],
  opts: SummaryOptions,
  ctx: RunContext,
): Promise<number> {
  if (opts.since !== undefined && opts.until !== undefined && opts.since > opts.until)
    throw new UsageError(`--since ${opts.since} is after --until ${opts.until}`);
  const pricing = await loadPricing(opts.pricing, ctx.cwd, {
    allowImplausible: opts.allowImplausible === true,
  });
  const load = await loadUsage(sources, ctx.cwd, opts.from, ctx.interrupted);
  const view: UsageView = {
    summary: summarizeUsage(load.acc, pricing.catalog, { since: opts.since, until: opts.until }),
    sources: load.files,
    since: opts.since,
    until: opts.until,
    skipped: load.skipped,
    skipped_count: load.skipped_count,
    input_excluding_cache: load.input_excluding_cache,
    interrupted: load.interrupted,
  };
  await writeResult(
    await USAGE_RENDERERS[opts.format](view, renderContext(ctx, opts.out !== undefined)),
    opts.out,
    [...pricing.inputs, ...sources.map((source) => resolve(ctx.cwd, source))],
    ctx,
  );
  const say = diagnostics(ctx);
  if (load.skipped_count > 0)
    say.warn(
      `${load.skipped_count} lines skipped (the rest read): ` +
        load.skipped.slice(0, 3).map(skipText).join('; '),
    );
  if (load.acc.duplicates > 0)
    say.warn(
      `${load.acc.duplicates} records seen twice (same bucket, request or span id), counted once`,
    );
  if (load.acc.forgetting)
    say.warn('over 5,000,000 record ids: repeats past that point may be counted twice');
  if (load.input_excluding_cache > 0)
    say.note(
      `${load.input_excluding_cache} spans counted cache tokens apart from input ` +
        '(gen_ai.usage.input_tokens should include them): added back',
    );
  return load.interrupted ? EXIT.interrupted : EXIT.ok;
}
