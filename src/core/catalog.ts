import type { FileIssue } from '../schema/issues.js';
import type { DatedPrice, ModelEntry, PricingFile } from '../schema/pricing.js';
import { closest } from './suggest.js';

/** A name (id or alias) that a later file took over from a different model of an earlier file. */
export interface Shadow {
  name: string;
  was: ModelEntry;
  now: ModelEntry;
}

/**
 * All known models after overrides. Names are ids and declared aliases; files apply in order,
 * so a later file's model replaces one of the same id and takes over any name it declares.
 */
export interface Catalog {
  byId: Map<string, ModelEntry>;
  /** name (id or alias) -> id */
  names: Map<string, string>;
  /** id -> the files whose entry for it a later file replaced */
  replaced: Map<string, string[]>;
  /** names that now mean a different model than an earlier file gave them */
  shadows: Map<string, Shadow>;
}

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

export type Lookup = { ok: true; model: ModelEntry; shadow: Shadow | undefined } | { ok: false; suggestions: string[] };

/** Exact id or declared alias, nothing looser; a miss comes with the nearest names. */
export function lookupModel(catalog: Catalog, ref: string): Lookup {
  const id = catalog.names.get(ref);
  const model = id === undefined ? undefined : catalog.byId.get(id);
  if (model !== undefined) return { ok: true, model, shadow: catalog.shadows.get(ref) };
  return { ok: false, suggestions: closest(ref, catalog.names.keys()) };
}

/** The price in force on `asOf` (the latest one that took effect on or before it). */
export function priceAt(model: ModelEntry, asOf: string): DatedPrice | undefined {
  let found: DatedPrice | undefined;
  for (const price of model.prices) {
    if (price.effective_from <= asOf) found = price;
  }
  return found;
}
