import { resolve } from 'node:path';
import { resolveModel } from '../core/catalog.js';
import { checkCatalogs } from '../core/pricing-check.js';
import { diffCatalogs, increasesOver, listModels } from '../core/pricing-view.js';
import type { RunContext } from '../domain/context.js';
import { DataError, EXIT, UsageError } from '../domain/errors.js';
import { renderContext } from '../io/color.js';
import { diagnostics } from '../io/diagnostics.js';
import { writeResult } from '../io/output.js';
import { packageRoot } from '../load/paths.js';
import { loadPricing, loadPricingFiles } from '../load/pricing.js';
import { plural } from '../render/format.js';
import { increaseText } from '../render/pricing.js';
import { type CheckView, disagreementText } from '../render/pricing-check.js';
import { DIFF_RENDERERS, LIST_RENDERERS } from '../render/pricing-formats.js';
import { unresolvedText } from '../render/problems.js';
import { isoDay } from '../units/date.js';
import type { CheckOptions, DiffOptions, ListOptions } from './pricing-spec.js';

/** `pricing list`: the catalog with the price in force on the day, stale ones marked. */
export async function runPricingList(opts: ListOptions, ctx: RunContext): Promise<number> {
  const pricing = await loadPricing(opts.pricing, ctx.cwd, {
    allowImplausible: opts.allowImplausible === true,
  });
  const asOf = opts.asOf ?? isoDay(ctx.now());
  const ids = new Set<string>();
  for (const ref of opts.model) {
    const found = resolveModel(pricing.catalog, ref, asOf);
    if (found.kind === 'unknown' || found.kind === 'ambiguous')
      throw new DataError([
        {
          place: { flag: '--model' },
          message: unresolvedText(found, { origin: false, shippedOnly: opts.pricing.length === 0 }),
        },
      ]);
    ids.add(found.model.id);
  }
  const view = {
    as_of: asOf,
    stale_after_days: opts.staleAfter,
    models: listModels(pricing.catalog, {
      ...(opts.provider === undefined ? {} : { provider: opts.provider }),
      ...(ids.size > 0 ? { ids } : {}),
      asOf,
      staleAfterDays: opts.staleAfter,
    }),
  };
  if (view.models.length === 0 && opts.provider !== undefined) {
    const providers = [
      ...new Set([...pricing.catalog.byId.values()].map((m) => m.provider)),
    ].sort();
    throw new UsageError(
      `--provider: no models of provider "${opts.provider}"; providers: ${providers.join(', ')}`,
    );
  }
  await writeResult(
    await LIST_RENDERERS[opts.format](view, renderContext(ctx, opts.out !== undefined)),
    opts.out,
    pricing.inputs,
    ctx,
  );
  return EXIT.ok;
}

/** `pricing validate`: every problem of every file, or a line per file that is fine. */
export async function runPricingValidate(files: string[], ctx: RunContext): Promise<number> {
  const targets = files.length > 0 ? files : [resolve(packageRoot(), 'pricing')];
  const loaded = await loadPricingFiles(targets, ctx.cwd);
  for (const file of loaded.files)
    ctx.stdout.write(`${file.file}: ok, ${plural(file.models.length, 'model')}\n`);
  return EXIT.ok;
}

/**
 * `pricing check A B [C...]`: the rates catalogs disagree on, through the one resolver; exit 3 over
 * the limit.
 */
export async function runPricingCheck(
  targets: string[],
  opts: CheckOptions,
  ctx: RunContext,
): Promise<number> {
  if (targets.length < 2)
    throw new UsageError('pricing check needs two catalogs or more: pricing check A B [C...]');
  const sides = [];
  for (const t of targets)
    sides.push(
      await loadPricingFiles([t], ctx.cwd, { allowImplausible: opts.allowImplausible === true }),
    );
  const asOf = opts.asOf ?? isoDay(ctx.now());
  const check = checkCatalogs(
    sides.map((s) => s.catalog),
    asOf,
    opts.tolerance,
  );
  const over =
    opts.failOnDisagreement === undefined
      ? []
      : check.disagreements.filter(
          (d) => d.spread_pct === undefined || d.spread_pct.gt(opts.failOnDisagreement!),
        );
  const view: CheckView = {
    catalogs: targets,
    as_of: asOf,
    tolerance: opts.tolerance,
    check,
    limit: opts.failOnDisagreement,
    over,
  };
  const { CHECK_RENDERERS } = await import('../render/pricing-check.js');
  await writeResult(
    await CHECK_RENDERERS[opts.format](view, renderContext(ctx, opts.out !== undefined)),
    opts.out,
    sides.flatMap((s) => s.inputs),
    ctx,
  );
  const say = diagnostics(ctx);
  for (const d of over) say.error(disagreementText(d, opts.failOnDisagreement!, targets));
  return over.length > 0 ? EXIT.gate : EXIT.ok;
}

/**
 * `pricing diff OLD [NEW]`: added, removed and changed prices (one catalog: its history since a
 * day); exit 3 on a rise over the limit.
 */
export async function runPricingDiff(
  before: string,
  after: string | undefined,
  opts: DiffOptions,
  ctx: RunContext,
): Promise<number> {
  if (after === undefined && opts.since === undefined)
    throw new UsageError(
      'pricing diff needs two catalogs, or one and --since DATE to compare its history',
    );
  if (opts.since !== undefined && opts.asOf !== undefined && opts.since > opts.asOf)
    throw new UsageError(`--since ${opts.since} is after --as-of ${opts.asOf}`);
  const oldSide = await loadPricingFiles([before], ctx.cwd);
  const newSide = after === undefined ? oldSide : await loadPricingFiles([after], ctx.cwd);
  const diff = diffCatalogs(oldSide.catalog, newSide.catalog, {
    asOf: opts.asOf,
    since: opts.since,
  });
  const over = opts.failOnIncrease === undefined ? [] : increasesOver(diff, opts.failOnIncrease);
  const view = {
    before: oldSide.files.map((f) => f.file),
    after: newSide.files.map((f) => f.file),
    as_of: opts.asOf,
    since: opts.since,
    diff,
    limit: opts.failOnIncrease,
    over,
  };
  await writeResult(
    await DIFF_RENDERERS[opts.format](view, renderContext(ctx, opts.out !== undefined)),
    opts.out,
    [...new Set([...oldSide.inputs, ...newSide.inputs])],
    ctx,
  );
  const say = diagnostics(ctx);
  for (const c of over) say.error(increaseText(c, opts.failOnIncrease!));
  return over.length > 0 ? EXIT.gate : EXIT.ok;
}
