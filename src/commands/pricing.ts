import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { resolveModel } from '../core/catalog.js';
import type { ImportOptions, ImportResult } from '../core/import/common.js';
import { diffCatalogs, increasesOver, listModels } from '../core/pricing-view.js';
import type { RunContext } from '../domain/context.js';
import { DataError, EXIT, UsageError } from '../domain/errors.js';
import { chalkFor } from '../io/color.js';
import { diagnostics } from '../io/diagnostics.js';
import { writeResult } from '../io/output.js';
import { displayPath, issueProblems, jsonSyntaxError } from '../load/data-file.js';
import { packageRoot } from '../load/paths.js';
import { loadPricing, loadPricingFiles } from '../load/pricing.js';
import { plural } from '../render/format.js';
import { increaseText } from '../render/pricing.js';
import { DIFF_RENDERERS, LIST_RENDERERS } from '../render/pricing-formats.js';
import { importWarningText, unresolvedText } from '../render/problems.js';
import type { RenderContext } from '../render/registry.js';
import { IssueList } from '../schema/issues.js';
import { validatePricing } from '../schema/pricing.js';
import { isoDay } from '../units/date.js';
import type { DiffOptions, ImportOptionsCli, ListOptions } from './pricing-options.js';

function renderContext(ctx: RunContext, out: string | undefined): RenderContext {
  return { chalk: () => chalkFor(ctx, out !== undefined) };
}

/** `pricing list`: the catalog with the price in force on the day, stale ones marked. */
export async function runPricingList(opts: ListOptions, ctx: RunContext): Promise<number> {
  const pricing = await loadPricing(opts.pricing, ctx.cwd);
  const asOf = opts.asOf ?? isoDay(ctx.now());
  const ids = new Set<string>();
  for (const ref of opts.model) {
    const found = resolveModel(pricing.catalog, ref, asOf);
    if (found.kind === 'unknown') throw new DataError([{ place: { flag: '--model' }, message: unresolvedText(found, false) }]);
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
    const providers = [...new Set([...pricing.catalog.byId.values()].map((m) => m.provider))].sort();
    throw new UsageError(`--provider: no models of provider "${opts.provider}"; providers: ${providers.join(', ')}`);
  }
  await writeResult(await LIST_RENDERERS[opts.format](view, renderContext(ctx, opts.out)), opts.out, pricing.inputs, ctx);
  return EXIT.ok;
}

/** `pricing validate`: every problem of every file, or a line per file that is fine. */
export async function runPricingValidate(files: string[], ctx: RunContext): Promise<number> {
  const targets = files.length > 0 ? files : [resolve(packageRoot(), 'pricing')];
  const loaded = await loadPricingFiles(targets, ctx.cwd);
  for (const file of loaded.files) ctx.stdout.write(`${file.file}: ok, ${plural(file.models.length, 'model')}\n`);
  return EXIT.ok;
}

/** Reads the file to import as JSON, with a clear problem for a missing file or bad syntax. */
function readSource(abs: string, shown: string): { text: string; json: unknown } {
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (err) {
    throw new DataError([{ place: { file: shown }, message: `cannot read: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(err)}` }]);
  }
  try {
    return { text, json: JSON.parse(text) };
  } catch (err) {
    throw new DataError([jsonSyntaxError(shown, text, err)]);
  }
}

/** `pricing import`: a catalog the ecosystem maintains, converted to an exact ai-route pricing file. */
export async function runPricingImport(file: string, opts: ImportOptionsCli, ctx: RunContext): Promise<number> {
  if (opts.mode !== undefined && opts.from !== 'litellm') throw new UsageError('--mode applies to --from litellm only');
  const abs = resolve(ctx.cwd, file);
  const shown = displayPath(abs, ctx.cwd);
  const { text, json } = readSource(abs, shown);
  const options: ImportOptions = {
    effectiveFrom: opts.effectiveFrom ?? isoDay(ctx.now()),
    file: basename(abs),
    ...(opts.provider === undefined ? {} : { provider: opts.provider }),
    ...(opts.mode === undefined ? {} : { mode: opts.mode }),
  };
  const importer = opts.from === 'litellm' ? (await import('../core/import/litellm.js')).importLitellm : (await import('../core/import/openrouter.js')).importOpenRouter;
  const result: ImportResult = importer(json, options);
  if (result.doc === undefined) throw new DataError(await issueProblems({ file: shown, text }, result.issues));
  const say = diagnostics(ctx);
  for (const warning of result.warnings) say.warn(importWarningText(warning));
  const { counts } = result;
  if (counts.models === 0) throw new UsageError(`${shown}: nothing to import (${counts.filtered} entries filtered out, ${counts.unpriced} without token prices)`);
  // the importer's output must be a file `cost` accepts; a failure here is our bug, not the input's
  const check = new IssueList();
  validatePricing(result.doc, 'import', check);
  if (!check.empty) throw new Error(`import produced an invalid pricing file: ${check.items[0]!.message}`);
  const yamlOut = opts.out !== undefined && /\.ya?ml$/i.test(opts.out);
  const body = yamlOut ? (await import('../load/yaml.js')).stringifyYaml(result.doc) : `${JSON.stringify(result.doc, null, 2)}\n`;
  await writeResult(body, opts.out, [abs], ctx);
  say.error(
    `imported ${plural(counts.models, 'model')} (${plural(counts.aliases, 'alias', 'aliases')}) from ${shown}; skipped ${plural(counts.unpriced, 'entry', 'entries')} without token prices` +
      `${counts.filtered > 0 ? `, ${counts.filtered} filtered out` : ''}${counts.rejected > 0 ? `; left out ${counts.rejected} invalid values (warnings above)` : ''}`,
  );
  if (yamlOut && counts.models > 200) say.note('a YAML catalog this size loads slowly (the YAML parser takes ~0.5 s per 580 KB); a .json file loads in milliseconds');
  return EXIT.ok;
}

/** `pricing diff OLD NEW`: added, removed and changed prices; exit 3 on a rise over the limit. */
export async function runPricingDiff(before: string, after: string, opts: DiffOptions, ctx: RunContext): Promise<number> {
  const [oldSide, newSide] = [await loadPricingFiles([before], ctx.cwd), await loadPricingFiles([after], ctx.cwd)];
  const diff = diffCatalogs(oldSide.catalog, newSide.catalog, opts.asOf);
  const over = opts.failOnIncrease === undefined ? [] : increasesOver(diff, opts.failOnIncrease);
  const view = { before: oldSide.files.map((f) => f.file), after: newSide.files.map((f) => f.file), as_of: opts.asOf, diff, limit: opts.failOnIncrease, over };
  await writeResult(await DIFF_RENDERERS[opts.format](view, renderContext(ctx, opts.out)), opts.out, [...oldSide.inputs, ...newSide.inputs], ctx);
  const say = diagnostics(ctx);
  for (const c of over) say.error(increaseText(c, opts.failOnIncrease!));
  return over.length > 0 ? EXIT.gate : EXIT.ok;
}
