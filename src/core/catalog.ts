import type { Catalog, DatedPrice, ModelEntry, PricingFile, Shadow } from '../domain/pricing.js';
import type { FileIssue } from '../schema/issues.js';
import { closest } from '../schema/suggest.js';

/** Merges pricing files in order. Within one file, two models claiming one name is an error. */
export function buildCatalog(files: readonly PricingFile[]): { catalog: Catalog; issues: FileIssue[] } {
  const byId = new Map<string, ModelEntry>();
  const names = new Map<string, string>();
  const replaced = new Map<string, string[]>();
  const shadows = new Map<string, Shadow>();
  const issues: FileIssue[] = [];
  for (const file of files) {
    const claimed = new Map<string, string>(file.models.map((m) => [m.id, m.id]));
    for (const model of file.models) {
      model.aliases.forEach((alias, i) => {
        const owner = claimed.get(alias);
        if (owner !== undefined && owner !== model.id) {
          issues.push({ file: model.file, path: ['models', model.id, 'aliases', i], message: `alias "${alias}" already names model "${owner}" in this file` });
        } else {
          claimed.set(alias, model.id);
        }
      });
    }
    for (const model of file.models) {
      const previous = byId.get(model.id);
      if (previous !== undefined) replaced.set(model.id, [...(replaced.get(model.id) ?? []), previous.file]);
      byId.set(model.id, model);
    }
    for (const [name, id] of claimed) {
      const before = names.get(name);
      const was = before === undefined ? undefined : byId.get(before);
      if (before !== undefined && before !== id && was !== undefined) shadows.set(name, { name, was, now: byId.get(id)! });
      names.set(name, id);
    }
  }
  return { catalog: { byId, names, replaced, shadows }, issues };
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
  | { kind: 'priced'; ref: string; model: ModelEntry; price: DatedPrice; shadow: Shadow | undefined }
  | { kind: 'not_in_force'; ref: string; model: ModelEntry; as_of: string; earliest: string | undefined; shadow: Shadow | undefined }
  | { kind: 'unknown'; ref: string; suggestions: string[] };

export function resolveModel(catalog: Catalog, ref: string, asOf: string): Resolution {
  const id = catalog.names.get(ref);
  const model = id === undefined ? undefined : catalog.byId.get(id);
  if (model === undefined) return { kind: 'unknown', ref, suggestions: closest(ref, catalog.names.keys()) };
  const shadow = catalog.shadows.get(ref);
  const price = priceAt(model, asOf);
  if (price === undefined) return { kind: 'not_in_force', ref, model, as_of: asOf, earliest: model.prices[0]?.effective_from, shadow };
  return { kind: 'priced', ref, model, price, shadow };
}
