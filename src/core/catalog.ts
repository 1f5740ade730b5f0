import {
  type Catalog,
  type DatedPrice,
  type ModelEntry,
  type PriceComponent,
  type PricingFile,
  type Shadow,
  TEXT_MODES,
} from '../domain/pricing.js';
import type { FileIssue } from '../schema/issues.js';
import { closest } from '../schema/suggest.js';

/** Merges pricing files in order. Within one file, two models claiming one name is an error. */
export function buildCatalog(files: readonly PricingFile[]): {
  catalog: Catalog;
  issues: FileIssue[];
} {
  const byId = new Map<string, ModelEntry>();
  const names = new Map<string, string>();
  const replaced = new Map<string, string[]>();
  const shadows = new Map<string, Shadow>();
  const ambiguous = new Map<string, string[]>();
  const skipped = new Map<string, { file: string; why: string }>();
  const issues: FileIssue[] = [];
  for (const file of files) {
    const claimed = new Map<string, string>(file.models.map((m) => [m.id, m.id]));
    for (const model of file.models) {
      model.aliases.forEach((alias, i) => {
        const owner = claimed.get(alias);
        if (owner !== undefined && owner !== model.id) {
          issues.push({
            file: model.file,
            path: ['models', model.id, 'aliases', i],
            message: `alias "${alias}" already names model "${owner}" in this file`,
          });
        } else {
          claimed.set(alias, model.id);
        }
      });
    }
    for (const model of file.models) {
      const previous = byId.get(model.id);
      if (previous !== undefined)
        replaced.set(model.id, [...(replaced.get(model.id) ?? []), previous.file]);
      byId.set(model.id, model);
    }
    for (const [name, id] of claimed) {
      const before = names.get(name);
      const was = before === undefined ? undefined : byId.get(before);
      if (before !== undefined && before !== id && was !== undefined)
        shadows.set(name, { name, was, now: byId.get(id)! });
      names.set(name, id);
      ambiguous.delete(name);
    }
    // a name this file says stands for several of its models: a later file's say wins, as for
    // aliases
    for (const [name, ids] of Object.entries(file.ambiguous)) {
      if (claimed.has(name)) continue;
      names.delete(name);
      ambiguous.set(name, ids);
    }
    for (const [name, why] of Object.entries(file.skipped ?? {}))
      skipped.set(name, { file: file.file, why });
  }
  const limits = files.flatMap((f) => f.limits ?? []);
  return { catalog: { byId, names, replaced, shadows, ambiguous, skipped, limits }, issues };
}

/** The price in force on `asOf` (the latest one that took effect on or before it). */
export function priceAt(model: ModelEntry, asOf: string): DatedPrice | undefined {
  let found: DatedPrice | undefined;
  for (const price of model.prices) {
    if (price.effective_from <= asOf) found = price;
  }
  return found;
}

/**
 * What a model reference means on a day: the one lookup every command uses. Exact id or
 * declared alias, nothing looser (a fuzzy match once priced the wrong model); a miss comes
 * with the nearest names, and a model whose prices all start later says so.
 */
export type Resolution =
  | {
      kind: 'priced';
      ref: string;
      model: ModelEntry;
      price: DatedPrice;
      shadow: Shadow | undefined;
    }
  | {
      kind: 'not_in_force';
      ref: string;
      model: ModelEntry;
      as_of: string;
      earliest: string | undefined;
      shadow: Shadow | undefined;
    }
  | {
      kind: 'ambiguous';
      ref: string;
      models: Array<{ model: ModelEntry; price: DatedPrice | undefined }>;
    }
  | {
      kind: 'unknown';
      ref: string;
      suggestions: string[];
      catalog_models: number;
      /** The name is a source entry an import left out, with why. */
      skipped: { file: string; why: string } | undefined;
    };

export function resolveModel(catalog: Catalog, ref: string, asOf: string): Resolution {
  const model = modelNamed(catalog, ref);
  if (model === undefined) {
    const several = catalog.ambiguous.get(ref);
    if (several !== undefined) {
      const models = several
        .flatMap((i) => catalog.byId.get(i) ?? [])
        .map((m) => ({ model: m, price: priceAt(m, asOf) }));
      return { kind: 'ambiguous', ref, models };
    }
    return {
      kind: 'unknown',
      ref,
      suggestions: catalog.skipped.has(ref) ? [] : suggestionsFor(catalog, ref),
      catalog_models: catalog.byId.size,
      skipped: catalog.skipped.get(ref),
    };
  }
  const shadow = catalog.shadows.get(ref);
  const price = priceAt(model, asOf);
  if (price === undefined)
    return {
      kind: 'not_in_force',
      ref,
      model,
      as_of: asOf,
      earliest: model.prices[0]?.effective_from,
      shadow,
    };
  return { kind: 'priced', ref, model, price, shadow };
}

/**
 * The model an id or alias names exactly, without the suggestions an unknown name costs (bulk
 * lookups).
 */
export function modelNamed(catalog: Catalog, ref: string): ModelEntry | undefined {
  const id = catalog.names.get(ref);
  return id === undefined ? undefined : catalog.byId.get(id);
}

/**
 * The nearest names to a mistyped one, text models first (never used to resolve, only to suggest).
 */
function suggestionsFor(catalog: Catalog, ref: string): string[] {
  const near = closest(ref, catalog.names.keys(), 8);
  const rank = (name: string) => {
    const mode = catalog.byId.get(catalog.names.get(name) ?? '')?.mode;
    return mode === undefined || TEXT_MODES.has(mode) ? 0 : 1;
  };
  return near
    .map((name, i) => ({ name, i }))
    .sort((a, b) => rank(a.name) - rank(b.name) || a.i - b.i)
    .slice(0, 3)
    .map((x) => x.name);
}

/**
 * Other models of the catalog that are the same model at another provider (the same last part of
 * the id, case aside) and have a rate for `component` in force: the choices a missing rate leaves.
 * Never used to price: only named, so a person can pick one on purpose.
 */
export function sameModelElsewhere(
  catalog: Catalog,
  id: string,
  component: PriceComponent,
  asOf: string,
  limit = 4,
): string[] {
  const base = (name: string) => name.slice(name.lastIndexOf('/') + 1).toLowerCase();
  const wanted = base(id);
  const out: string[] = [];
  for (const model of catalog.byId.values()) {
    if (model.id === id || base(model.id) !== wanted) continue;
    if (priceAt(model, asOf)?.rates[component] === undefined) continue;
    out.push(model.id);
    if (out.length === limit) break;
  }
  return out;
}
