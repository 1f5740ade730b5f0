import { resolve } from 'node:path';
import { fitUsage } from '../core/usage/fit.js';
import { summarizeUsage } from '../core/usage/summary.js';
import type { RunContext } from '../domain/context.js';
import { EXIT, UsageError } from '../domain/errors.js';
import { fetchUsagePages, USAGE_APIS } from '../io/usage-api.js';
import { isPostgresUrl, readSpendLogs } from '../io/usage-postgres.js';
import { addDays, isoDay } from '../units/date.js';
import { renderContext } from '../io/color.js';
import { diagnostics } from '../io/diagnostics.js';
import { writeResult } from '../io/output.js';
import { loadPricing } from '../load/pricing.js';
import { type UsageDocument, type UsageLoad, loadUsage } from '../load/usage.js';
import { FIT_RENDERERS, USAGE_RENDERERS } from '../render/usage-formats.js';
import { skipText, type UsageView } from '../render/usage.js';
import type { FitOptions, SummaryOptions, USAGE_SOURCES } from './usage-spec.js';

interface SourceOptions {
  from?: (typeof USAGE_SOURCES)[number] | undefined;
  apiBase?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  pricing: string[];
  allowImplausible?: boolean;
}

const API_DAYS = 30;

/** An API's pages for the window, with its admin key from the environment; none for files. */
function apiPages(sources: string[], opts: SourceOptions, ctx: RunContext) {
  if (opts.from !== 'openai-api' && opts.from !== 'anthropic-api') {
    if (sources.length === 0)
      throw new UsageError('give the usage files to read, or --from openai-api or anthropic-api');
    if (opts.apiBase !== undefined)
      throw new UsageError('--api-base is for --from openai-api or anthropic-api');
    return undefined;
  }
  if (sources.length > 0)
    throw new UsageError(`--from ${opts.from} reads the API; give no files with it`);
  const { keyVar } = USAGE_APIS[opts.from];
  const key = ctx.env[keyVar];
  if (key === undefined || key.trim() === '')
    throw new UsageError(
      `--from ${opts.from} needs an admin key in ${keyVar} (an organization admin key, ` +
        'not a project key)',
    );
  const until = opts.until ?? isoDay(ctx.now());
  const since = opts.since ?? addDays(until, -(API_DAYS - 1));
  return fetchUsagePages(
    { api: opts.from, base: opts.apiBase, key: key.trim(), since, until },
    ctx.interrupted,
  ) as AsyncIterable<UsageDocument>;
}

/** Every document that is not a file: an API's pages, then each database's batches of rows. */
async function* documentsOf(
  pages: AsyncIterable<UsageDocument> | undefined,
  databases: string[],
  opts: SourceOptions,
  ctx: RunContext,
): AsyncGenerator<UsageDocument> {
  if (pages !== undefined) yield* pages;
  for (const url of databases) yield* readSpendLogs(url, opts, ctx.interrupted);
}

/** The sources read and the catalog, with what reading them left to say on stderr. */
async function loadAll(sources: string[], opts: SourceOptions, ctx: RunContext) {
  if (opts.since !== undefined && opts.until !== undefined && opts.since > opts.until)
    throw new UsageError(`--since ${opts.since} is after --until ${opts.until}`);
  const databases = sources.filter(isPostgresUrl);
  const files = sources.filter((s) => !isPostgresUrl(s));
  const pages = apiPages(sources, opts, ctx);
  const pricing = await loadPricing(opts.pricing, ctx.cwd, {
    allowImplausible: opts.allowImplausible === true,
  });
  const from = opts.from === 'openai-api' || opts.from === 'anthropic-api' ? undefined : opts.from;
  const load = await loadUsage(
    files,
    ctx.cwd,
    from,
    ctx.interrupted,
    documentsOf(pages, databases, opts, ctx),
  );
  const inputs = [...pricing.inputs, ...files.map((file) => resolve(ctx.cwd, file))];
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
  const fit = fitUsage(load.acc, pricing.catalog, opts.baseline, {
    since: opts.since,
    until: opts.until,
  });
  if (fit.tiers.length === 0)
    throw new UsageError('no completion usage grouped by model in the sources: nothing to fit');
  const view = { fit, sources: load.files, name: opts.name, baseline: opts.baseline };
  await writeResult(await FIT_RENDERERS[opts.format](view), opts.out, inputs, ctx);
  sayWhatWasLeft(load, ctx);
  return EXIT.ok;
}
