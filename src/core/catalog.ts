import type { FileIssue } from '../schema/issues.js';
import type { DatedPrice, ModelEntry, PricingFile } from '../schema/pricing.js';
import { closest } from './suggest.js';

/** All known models after overrides: later files replace a model of the same id whole. */
export interface Catalog {
  byId: Map<string, ModelEntry>;
  /** alias -> canonical id */
  aliases: Map<string, string>;
  /** id -> the files whose entry for it a later file replaced */
  replaced: Map<string, string[]>;
}

/** Merges pricing files in order and reports alias clashes, which would make a lookup ambiguous. */
export function buildCatalog(files: readonly PricingFile[]): { catalog: Catalog; issues: FileIssue[] } {
  const byId = new Map<string, ModelEntry>();
  const replaced = new Map<string, string[]>();
  for (const file of files) {
    for (const model of file.models) {
      const previous = byId.get(model.id);
      if (previous !== undefined) replaced.set(model.id, [...(replaced.get(model.id) ?? []), previous.file]);
      byId.set(model.id, model);
    }
  }
  const aliases = new Map<string, string>();
  const issues: FileIssue[] = [];
  for (const model of byId.values()) {
    model.aliases.forEach((alias, i) => {
      const path = ['models', model.id, 'aliases', i];
      const owner = byId.has(alias) ? alias : aliases.get(alias);
      if (owner !== undefined && owner !== model.id) {
        issues.push({ file: model.file, path, message: `alias "${alias}" already names model "${owner}"` });
      } else {
        aliases.set(alias, model.id);
      }
    });
  }
  return { catalog: { byId, aliases, replaced }, issues };
}

export type Lookup = { ok: true; model: ModelEntry } | { ok: false; suggestions: string[] };

/** Exact id or declared alias, nothing looser; a miss comes with the nearest names. */
export function lookupModel(catalog: Catalog, ref: string): Lookup {
  const id = catalog.byId.has(ref) ? ref : catalog.aliases.get(ref);
  const model = id === undefined ? undefined : catalog.byId.get(id);
  if (model !== undefined) return { ok: true, model };
  return { ok: false, suggestions: closest(ref, [...catalog.byId.keys(), ...catalog.aliases.keys()]) };
}

/** The price in force on `asOf` (the latest one that took effect on or before it). */
export function priceAt(model: ModelEntry, asOf: string): DatedPrice | undefined {
  let found: DatedPrice | undefined;
  for (const price of model.prices) {
    if (price.effective_from <= asOf) found = price;
  }
  return found;
}
