import { CATALOG_SOURCES, type Origin } from '../domain/sources.js';
import type { DataPath } from './issues.js';
import type { DocReader } from './read.js';

const REFERENCE_KEYS = ['title', 'publisher', 'about', 'url', 'read_on'];

/**
 * `reference: {title, publisher, about, url, read_on}`: the document a file's prices or facts
 * quote; `publisher: null` says the copy quoted does not name one (never left out silently).
 */
export function readReference(read: DocReader, raw: unknown, path: DataPath): Origin | undefined {
  if (raw === undefined) return undefined;
  const map = read.mapping(raw, path, 'a reference (a mapping with title and publisher)');
  if (map === undefined) return undefined;
  read.onlyKeys(map, REFERENCE_KEYS, path);
  const text = (key: string, what: string) =>
    map[key] === undefined || map[key] === null
      ? undefined
      : read.text(map[key], [...path, key], what);
  const title = text('title', "the document's title");
  if (title === undefined) read.issues.add([...path, 'title'], "expected the document's title");
  if (!('publisher' in map))
    read.issues.add([...path, 'publisher'], 'expected who published it, or null when unknown');
  return {
    kind: 'document',
    title: title ?? '',
    publisher: text('publisher', 'who published it') ?? null,
    about: text('about', 'what it is about'),
    url: text('url', 'where to read it'),
    date: text('read_on', 'the day it was read (YYYY-MM-DD)'),
  };
}

/** An imported catalog's origin, from the first `generated_from` entry an import wrote. */
export function catalogOrigin(raw: unknown): Origin | undefined {
  const first = Array.isArray(raw) ? (raw[0] as Record<string, unknown> | undefined) : undefined;
  if (first === undefined || typeof first !== 'object' || first === null) return undefined;
  const source = CATALOG_SOURCES.find((s) => s.id === first.source);
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    kind: 'catalog',
    title: source?.name ?? str(first.source) ?? 'an imported catalog',
    publisher: null,
    about: undefined,
    url: str(first.url) ?? source?.url,
    date: str(first.imported_on),
  };
}

/** A file with neither: a quote or a team's own prices, known by its name (never its path). */
export function fileOrigin(file: string): Origin {
  const name = file.split(/[\\/]/).pop() ?? file;
  return {
    kind: 'file',
    title: name,
    publisher: null,
    about: undefined,
    url: undefined,
    date: undefined,
  };
}
