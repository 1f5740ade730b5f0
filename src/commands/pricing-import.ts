import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type {
  ImportOptions,
  ImportResult,
  PricingDocOut,
  Provenance,
} from '../core/import/common.js';
import { type MergeCounts, mergeIntoCatalog } from '../core/import/merge.js';
import { buildCatalog } from '../core/catalog.js';
import type { RunContext } from '../domain/context.js';
import { DataError, EXIT, UsageError } from '../domain/errors.js';
import type { CatalogSourceId } from '../domain/sources.js';
import { diagnostics } from '../io/diagnostics.js';
import { checkSourceUrl, fetchSource } from '../io/fetch-source.js';
import { writeResult } from '../io/output.js';
import {
  MAX_YAML_BYTES,
  MB,
  checkedJson,
  displayPath,
  issueProblems,
  jsonSyntaxError,
  loadDocument,
  readInputText,
  refuseDeepText,
} from '../load/data-file.js';
import { plural } from '../render/format.js';
import { droppedAliasesText, importWarningText } from '../render/problems.js';
import { IssueList } from '../schema/issues.js';
import { validatePricing } from '../schema/pricing.js';
import { isoDay } from '../units/date.js';
import type { ImportOptionsCli } from './pricing-spec.js';

/** The importer of each source, loaded only when it is used. */
const IMPORTERS: Record<
  CatalogSourceId,
  () => Promise<(json: unknown, options: ImportOptions) => ImportResult>
> = {
  litellm: async () => (await import('../core/import/litellm.js')).importLitellm,
  openrouter: async () => (await import('../core/import/openrouter.js')).importOpenRouter,
  'genai-prices': async () => (await import('../core/import/genai-prices.js')).importGenaiPrices,
  'models.dev': async () => (await import('../core/import/models-dev.js')).importModelsDev,
};

/**
 * What was read: the text, how it is named in messages and sources, where it lives, and for a URL
 * its provenance.
 */
interface Read {
  text: string;
  shown: string;
  name: string;
  abs: string | undefined;
  provenance: Partial<Provenance>;
}

async function readInput(input: string, ctx: RunContext): Promise<Read> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) {
    const fetched = await fetchSource(checkSourceUrl(input), ctx.now(), ctx.interrupted);
    diagnostics(ctx).info(
      `fetched ${fetched.url} (${plural(fetched.bytes, 'byte')}, sha256 ` +
        `${fetched.sha256.slice(0, 12)})`,
    );
    return {
      text: fetched.text,
      shown: fetched.url,
      name: fetched.url,
      abs: undefined,
      provenance: {
        url: fetched.url,
        ...(fetched.read_from === undefined ? {} : { read_from: fetched.read_from }),
        sha256: fetched.sha256,
        fetched_at: fetched.fetched_at,
      },
    };
  }
  const abs = resolve(ctx.cwd, input);
  const shown = displayPath(abs, ctx.cwd);
  const text = readInputText(abs, shown);
  // the bytes' hash identifies the snapshot however it is named or reached
  const sha256 = createHash('sha256').update(text, 'utf8').digest('hex');
  return { text, shown, name: basename(abs), abs, provenance: { sha256 } };
}

async function parseJson(read: Read): Promise<unknown> {
  let value: unknown;
  refuseDeepText(read.shown, read.text, 'json');
  try {
    value = JSON.parse(read.text);
  } catch (err) {
    throw new DataError([jsonSyntaxError(read.shown, read.text, err)]);
  }
  // a catalog with one model written twice has two prices for it: refused like any data file
  return (
    await checkedJson({
      file: read.shown,
      abs: read.abs ?? read.shown,
      text: read.text,
      value,
      format: 'json',
    })
  ).value;
}

/** The summary line of an import: what came in, what was left out and why. */
function summary(result: ImportResult, shown: string): string {
  const c = result.counts;
  const parts = [
    `imported ${plural(c.models, 'model')} (${plural(c.aliases, 'alias', 'aliases')}) ` +
      `from ${shown}`,
    `skipped ${plural(c.unpriced, 'entry', 'entries')} without token ` +
      `prices${c.filtered > 0 ? `, ${c.filtered} filtered out` : ''}`,
  ];
  if (c.quarantined > 0)
    parts.push(
      `quarantined ${plural(c.quarantined, 'implausible rate')} (not priced; warnings above)`,
    );
  if (c.not_given > 0)
    parts.push(
      `${plural(c.not_given, 'price')} with zeros the source uses for "not known" (not ` +
        `priced as free)`,
    );
  if (c.free > 0) parts.push(`${plural(c.free, 'model')} free in the source`);
  if (c.ambiguous > 0)
    parts.push(
      `${plural(c.ambiguous, 'name')} that ${c.ambiguous === 1 ? 'stands' : 'stand'} ` +
        `for models with different prices (using one is an error that lists them)`,
    );
  if (c.rejected > 0)
    parts.push(`left out ${plural(c.rejected, 'invalid value')} (warnings above)`);
  return parts.join('; ');
}

/**
 * --into: the catalog to merge into, read and checked like any pricing file (names across its
 * models too); a file that does not exist yet starts the catalog.
 */
async function readCatalog(
  into: string,
  ctx: RunContext,
): Promise<{ doc: PricingDocOut | undefined; abs: string }> {
  const abs = resolve(ctx.cwd, into);
  if (!existsSync(abs)) return { doc: undefined, abs };
  const { doc } = await loadDocument(abs, ctx.cwd, (value, file, issues) => {
    const parsed = validatePricing(value, file, issues);
    if (issues.empty) for (const i of buildCatalog([parsed]).issues) issues.add(i.path, i.message);
    return parsed;
  });
  return { doc: doc.value as unknown as PricingDocOut, abs };
}

/**
 * What ai-route would say of the file about to be written, as `cost` reads it: the schema, then the
 * names across its models. Empty when it would be accepted.
 */
function refusals(doc: PricingDocOut): string[] {
  const check = new IssueList();
  const parsed = validatePricing(doc, 'import', check);
  if (!check.empty) return check.items.map((i) => i.message);
  return buildCatalog([parsed]).issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

/** What a merge did, said once: the counts, then each alias it had to drop and why. */
function sayMerged(m: MergeCounts, abs: string, effectiveFrom: string, ctx: RunContext): void {
  const say = diagnostics(ctx);
  say.info(
    `merged into ${displayPath(abs, ctx.cwd)} as of ${effectiveFrom}: ` +
      `${plural(m.added_models, 'new model')}, ` +
      `${plural(m.new_prices, 'new dated price')}, ${m.unchanged} unchanged`,
  );
  if (m.dropped.length > 0) say.note(droppedAliasesText(m.dropped));
}

/** A value as JSON with its keys sorted: two catalogs that hold the same compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * `pricing import`: a catalog the ecosystem maintains, converted to an exact ai-route pricing file,
 * or merged into one.
 */
export async function runPricingImport(
  input: string,
  opts: ImportOptionsCli,
  ctx: RunContext,
): Promise<number> {
  const catalog = opts.into === undefined ? undefined : await readCatalog(opts.into, ctx);
  const read = await readInput(input, ctx);
  const effectiveFrom = opts.effectiveFrom ?? isoDay(ctx.now());
  const options: ImportOptions = {
    effectiveFrom,
    file: read.name,
    ...(opts.provider === undefined ? {} : { provider: opts.provider }),
    ...(opts.mode === undefined ? {} : { mode: opts.mode }),
  };
  const result = (await IMPORTERS[opts.from]())(await parseJson(read), options);
  if (result.doc === undefined)
    throw new DataError(await issueProblems({ file: read.shown, text: read.text }, result.issues));
  const say = diagnostics(ctx);
  for (const warning of result.warnings) say.warn(importWarningText(warning));
  if (result.counts.models === 0)
    throw new UsageError(
      `${read.shown}: nothing to import (${result.counts.filtered} entries filtered ` +
        `out, ${result.counts.unpriced} without token prices)`,
    );
  result.doc.generated_from = result.doc.generated_from.map((g) => ({ ...g, ...read.provenance }));
  const merged = catalog?.doc === undefined ? undefined : mergeIntoCatalog(catalog.doc, result.doc);
  const doc = merged?.doc ?? result.doc;
  if (merged !== undefined) sayMerged(merged.counts, catalog!.abs, effectiveFrom, ctx);
  // the output must be a file `cost` accepts; a failure here is our bug, not the input's
  const refused = refusals(doc);
  if (refused.length > 0)
    throw new Error(`import produced a pricing file ai-route would refuse: ${refused[0]}`);
  const out = opts.out ?? opts.into;
  const intoItself = out === opts.into || resolve(ctx.cwd, out ?? '') === catalog?.abs;
  if (merged !== undefined && intoItself && canonical(doc) === canonical(catalog!.doc)) {
    say.info(`${displayPath(catalog!.abs, ctx.cwd)} already holds this import: left as it was`);
    say.error(summary(result, read.shown));
    return EXIT.ok;
  }
  const yamlOut = out !== undefined && /\.ya?ml$/i.test(out);
  const body = yamlOut
    ? (await import('../load/yaml.js')).stringifyYaml(doc)
    : `${JSON.stringify(doc, null, 2)}\n`;
  if (yamlOut && Buffer.byteLength(body) > MAX_YAML_BYTES)
    throw new UsageError(
      `--out ${out}: ${plural(result.counts.models, 'model')} make ` +
        `${MB(Buffer.byteLength(body))} of YAML, over the ${MB(MAX_YAML_BYTES)} ai-route ` +
        `reads back; write .json`,
    );
  // --into is rewritten on purpose: it is both what is merged into and the result
  await writeResult(body, out, read.abs === undefined ? [] : [read.abs], ctx);
  say.error(summary(result, read.shown));
  return EXIT.ok;
}
