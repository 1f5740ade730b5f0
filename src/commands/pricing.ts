import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { lookupModel } from '../core/catalog.js';
import type { ImportOptions, ImportResult } from '../core/import/common.js';
import { diffCatalogs, increasesOver, listModels } from '../core/pricing-view.js';
import { type RunContext, isoDay } from '../context.js';
import { DataError, EXIT, UsageError } from '../errors.js';
import { chalkFor } from '../io/color.js';
import { writeResult } from '../io/output.js';
import { displayPath, jsonSyntaxError } from '../load/data-file.js';
import { loadPricing, loadPricingFiles } from '../load/pricing.js';
import { packageRoot } from '../paths.js';
import { formatPct, plural } from '../render/format.js';
import { type TextTable, diffJson, diffTable, listCsv, listJson, listTable, markdownTable, terminalTable } from '../render/pricing.js';
import { IssueList } from '../schema/issues.js';
import { validatePricing } from '../schema/pricing.js';
import type { DiffOptions, ImportOptionsCli, ListOptions } from './pricing-options.js';

async function tableText(table: TextTable, format: 'table' | 'markdown', out: string | undefined, ctx: RunContext): Promise<string> {
  return format === 'markdown' ? markdownTable(table) : terminalTable(table, await chalkFor(ctx, out !== undefined));
}

/** `pricing list`: the catalog with the price in force on the day, stale ones marked. */
export async function runPricingList(opts: ListOptions, ctx: RunContext): Promise<number> {
  const pricing = await loadPricing(opts.pricing, ctx.cwd);
  const ids = new Set<string>();
  for (const ref of opts.model) {
    const found = lookupModel(pricing.catalog, ref);
    if (!found.ok) {
      const hint = found.suggestions.length > 0 ? `; did you mean ${found.suggestions.map((s) => `"${s}"`).join(', ')}?` : '';
      throw new UsageError(`--model: unknown model "${ref}"${hint}`);
    }
    ids.add(found.model.id);
  }
  const view = {
    as_of: opts.asOf ?? isoDay(ctx.now()),
    stale_after_days: opts.staleAfter,
    models: listModels(pricing.catalog, {
      ...(opts.provider === undefined ? {} : { provider: opts.provider }),
      ...(ids.size > 0 ? { ids } : {}),
      asOf: opts.asOf ?? isoDay(ctx.now()),
      staleAfterDays: opts.staleAfter,
    }),
  };
  if (view.models.length === 0 && opts.provider !== undefined) {
    const providers = [...new Set([...pricing.catalog.byId.values()].map((m) => m.provider))].sort();
    throw new UsageError(`--provider: no models of provider "${opts.provider}"; providers: ${providers.join(', ')}`);
  }
  const text =
    opts.format === 'json' ? listJson(view) : opts.format === 'csv' ? listCsv(view) : await tableText(listTable(view), opts.format, opts.out, ctx);
  await writeResult(text, opts.out, pricing.inputs, ctx);
  return EXIT.ok;
}

/** `pricing validate`: every problem of every file, or a line per file that is fine. */
export async function runPricingValidate(files: string[], ctx: RunContext): Promise<number> {
  const targets = files.length > 0 ? files : [resolve(packageRoot(), 'pricing')];
  const loaded = await loadPricingFiles(targets, ctx.cwd);
  for (const file of loaded.files) ctx.stdout.write(`${file.file}: ok, ${plural(file.models.length, 'model')}\n`);
  return EXIT.ok;
}

/** `pricing import`: a catalog the ecosystem maintains, converted to an exact ai-route pricing file. */
export async function runPricingImport(file: string, opts: ImportOptionsCli, ctx: RunContext): Promise<number> {
  if (opts.mode !== undefined && opts.from !== 'litellm') throw new UsageError('--mode applies to --from litellm only');
  const abs = resolve(ctx.cwd, file);
  const shown = displayPath(abs, ctx.cwd);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (err) {
    throw new DataError([`${shown}: cannot read: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(err)}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new DataError([jsonSyntaxError(shown, text, err)]);
  }
  const options: ImportOptions = {
    effectiveFrom: opts.effectiveFrom ?? isoDay(ctx.now()),
    file: basename(abs),
    ...(opts.provider === undefined ? {} : { provider: opts.provider }),
    ...(opts.mode === undefined ? {} : { mode: opts.mode }),
  };
  let result: ImportResult;
  try {
    const importer = opts.from === 'litellm' ? (await import('../core/import/litellm.js')).importLitellm : (await import('../core/import/openrouter.js')).importOpenRouter;
    result = importer(json, options);
  } catch (err) {
    if (err instanceof TypeError) throw new DataError([`${shown}: (top level): ${err.message}`]);
    throw err;
  }
  for (const warning of result.warnings) ctx.stderr.write(`ai-route: warning: ${warning}\n`);
  const { counts } = result;
  if (counts.models === 0) {
    throw new UsageError(`${shown}: nothing to import (${counts.filtered} entries filtered out, ${counts.unpriced} without token prices)`);
  }
  // the importer's output must be a file `cost` accepts; a failure here is our bug, not the input's
  const check = new IssueList();
  validatePricing(result.doc, 'import', check);
  if (!check.empty) throw new Error(`import produced an invalid pricing file: ${check.items[0]!.message}`);
  const yamlOut = opts.out !== undefined && /\.ya?ml$/i.test(opts.out);
  const body = yamlOut ? (await import('../load/yaml.js')).stringifyYaml(result.doc) : `${JSON.stringify(result.doc, null, 2)}\n`;
  await writeResult(body, opts.out, [abs], ctx);
  ctx.stderr.write(
    `ai-route: imported ${plural(counts.models, 'model')} (${plural(counts.aliases, 'alias', 'aliases')}) from ${shown}; skipped ${plural(counts.unpriced, 'entry', 'entries')} without token prices` +
      `${counts.filtered > 0 ? `, ${counts.filtered} filtered out` : ''}${counts.rejected > 0 ? `; left out ${counts.rejected} invalid values (warnings above)` : ''}\n`,
  );
  if (yamlOut && counts.models > 200) {
    ctx.stderr.write('ai-route: note: a YAML catalog this size loads slowly (the YAML parser takes ~0.5 s per 580 KB); a .json file loads in milliseconds\n');
  }
  return EXIT.ok;
}

/** `pricing diff OLD NEW`: added, removed and changed prices; exit 3 on a rise over the limit. */
export async function runPricingDiff(before: string, after: string, opts: DiffOptions, ctx: RunContext): Promise<number> {
  const [oldSide, newSide] = [await loadPricingFiles([before], ctx.cwd), await loadPricingFiles([after], ctx.cwd)];
  const diff = diffCatalogs(oldSide.catalog, newSide.catalog, opts.asOf);
  const over = opts.failOnIncrease === undefined ? [] : increasesOver(diff, opts.failOnIncrease);
  const view = {
    before: oldSide.files.map((f) => f.file),
    after: newSide.files.map((f) => f.file),
    as_of: opts.asOf,
    diff,
    limit: opts.failOnIncrease,
    over,
  };
  const text = opts.format === 'json' ? diffJson(view) : await tableText(diffTable(view), opts.format, opts.out, ctx);
  await writeResult(text, opts.out, [...oldSide.inputs, ...newSide.inputs], ctx);
  for (const c of over) {
    const how = c.change_pct === undefined ? 'from $0' : `+${formatPct(c.change_pct)}`;
    ctx.stderr.write(`ai-route: price increase over ${opts.failOnIncrease!.toFixed()}%: ${c.model} ${c.line} ${c.old!.toFixed()} -> ${c.new!.toFixed()} per 1M (${how})\n`);
  }
  return over.length > 0 ? EXIT.gate : EXIT.ok;
}
