import { resolve } from 'node:path';
import { fitUsage } from '../core/usage/fit.js';
import { summarizeUsage } from '../core/usage/summary.js';
import type { RunContext } from '../domain/context.js';
import { EXIT, UsageError } from '../domain/errors.js';
import type { UsageFormat } from '../domain/usage.js';
import { renderContext } from '../io/color.js';
import { diagnostics } from '../io/diagnostics.js';
import { writeResult } from '../io/output.js';
import { loadPricing } from '../load/pricing.js';
import { type UsageLoad, loadUsage } from '../load/usage.js';
import { FIT_RENDERERS, USAGE_RENDERERS } from '../render/usage-formats.js';
import { skipText, type UsageView } from '../render/usage.js';
import type { FitOptions, SummaryOptions } from './usage-spec.js';

/** The sources read and the catalog, with what reading them left to say on stderr. */
async function loadAll(
  sources: string[],
  opts: { from?: UsageFormat | undefined; pricing: string[]; allowImplausible?: boolean },
  ctx: RunContext,
) {
  const pricing = await loadPricing(opts.pricing, ctx.cwd, {
    allowImplausible: opts.allowImplausible === true,
  });
  const load = await loadUsage(sources, ctx.cwd, opts.from, ctx.interrupted);
  const inputs = [...pricing.inputs, ...sources.map((source) => resolve(ctx.cwd, source))];
  return { pricing, load, inputs };
}

/** What a run read but could not use, on stderr, after its result. */
function sayWhatWasLeft(load: UsageLoad, ctx: RunContext): void {
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
}

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
  const { pricing, load, inputs } = await loadAll(sources, opts, ctx);
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
    inputs,
    ctx,
  );
  sayWhatWasLeft(load, ctx);
  return load.interrupted ? EXIT.interrupted : EXIT.ok;
}

/** `usage fit SOURCE...`: the scenario the usage implies, as a file `cost` reads or as JSON. */
export async function runUsageFit(
  sources: string[],
  opts: FitOptions,
  ctx: RunContext,
): Promise<number> {
  const { pricing, load, inputs } = await loadAll(sources, opts, ctx);
  if (load.interrupted) throw new UsageError('interrupted while reading; nothing written');
  const fit = fitUsage(load.acc, pricing.catalog, opts.baseline);
  if (fit.tiers.length === 0)
    throw new UsageError('no completion usage grouped by model in the sources: nothing to fit');
  const view = { fit, sources: load.files, name: opts.name, baseline: opts.baseline };
  await writeResult(await FIT_RENDERERS[opts.format](view), opts.out, inputs, ctx);
  sayWhatWasLeft(load, ctx);
  return EXIT.ok;
}
