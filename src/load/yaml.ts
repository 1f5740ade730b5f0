import {
  isCollection,
  isMap,
  isNode,
  isScalar,
  LineCounter,
  parseDocument,
  stringify,
  type Document,
} from 'yaml';
import type { DataPath } from '../domain/errors.js';

/**
 * The only importer of `yaml`; loaded lazily, because parsing YAML costs more than the rest of
 * `cost`.
 */
export interface ParsedYaml {
  value: unknown;
  errors: Array<{ line: number; col: number; message: string }>;
  locate: (path: DataPath) => { line: number; col: number } | undefined;
}

// uniqueKeys compares each key with every other (7,600 keys took 1.6 s): duplicates are found
// below, in one pass
const OPTIONS = {
  uniqueKeys: false,
  maxAliasCount: 100,
  prettyErrors: false,
  strict: true,
} as const;

/** Parses YAML (or JSON) text; syntax errors come back as data, with line and column. */
export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { ...OPTIONS, lineCounter });
  const errors = doc.errors.map((e) => {
    const pos = lineCounter.linePos(e.pos[0]);
    return { line: pos.line, col: pos.col, message: firstLine(e.message) };
  });
  if (errors.length === 0) {
    const twice = duplicateKey(doc);
    if (twice !== undefined)
      errors.push({
        ...lineCounter.linePos(twice.at),
        message: `"${twice.key}" appears twice in one mapping (only one would be kept); keep one`,
      });
  }
  let value: unknown;
  if (errors.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: OPTIONS.maxAliasCount });
    } catch (err) {
      errors.push({
        line: 1,
        col: 1,
        message: firstLine(err instanceof Error ? err.message : String(err)),
      });
    }
  }
  return { value, errors, locate: (path) => locate(doc, lineCounter, path) };
}

/**
 * The first key written twice in one mapping, walking every mapping once with a set of its keys.
 */
function duplicateKey(doc: Document): { key: string; at: number } | undefined {
  const pending: unknown[] = [doc.contents];
  while (pending.length > 0) {
    const node = pending.pop();
    if (!isCollection(node)) continue;
    const seen = new Set<string>();
    for (const item of node.items) {
      if (isMap(node)) {
        const { key, value } = item as { key: unknown; value: unknown };
        const name = isScalar(key)
          ? String(key.value)
          : JSON.stringify(isNode(key) ? key.toJSON() : key);
        if (seen.has(name)) return { key: name, at: isNode(key) && key.range ? key.range[0] : 0 };
        seen.add(name);
        pending.push(value);
      } else pending.push(item);
    }
  }
  return undefined;
}

function locate(
  doc: Document,
  lineCounter: LineCounter,
  path: DataPath,
): { line: number; col: number } | undefined {
  // the deepest node that exists on the path: a missing key points at its parent mapping
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) {
      const pos = lineCounter.linePos(node.range[0]);
      return { line: pos.line, col: pos.col };
    }
  }
  return undefined;
}

function firstLine(message: string): string {
  // the parser recurses per level: a stack overflow means the text nests absurdly deep
  if (message.includes('Maximum call stack size exceeded'))
    return 'nested too deeply to read; no ai-route file needs that';
  return message
    .split('\n')[0]!
    .replace(/ at line \d+, column \d+:?$/, '')
    .trim();
}

/** YAML text of plain data, lines unwrapped (for `pricing import --out x.yaml`). */
export function stringifyYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0 });
}
