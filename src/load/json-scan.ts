import type { DataPath } from '../schema/issues.js';

/** A place in a text, 1-based. */
export interface TextPosition {
  line: number;
  col: number;
}

const key = (path: DataPath): string => JSON.stringify(path);

/**
 * One linear pass over a JSON text that JSON.parse has accepted: the first key that appears twice
 * in one object (JSON.parse would keep the last without a word), and the place of each wanted
 * path (so issues in a large JSON file are placed without the YAML parser).
 */
export function scanJson(
  text: string,
  wanted: readonly DataPath[] = [],
): {
  duplicate: { path: DataPath; at: TextPosition } | undefined;
  places: Map<string, TextPosition>;
} {
  const want = new Set(wanted.map(key));
  const places = new Map<string, TextPosition>();
  let duplicate: { path: DataPath; at: TextPosition } | undefined;
  const stack: Array<
    | { kind: 'object'; keys: Set<string>; key: string | undefined }
    | { kind: 'array'; index: number }
  > = [];
  let line = 1;
  let lineStart = 0;
  let expectKey = false;
  const pathHere = (): DataPath => stack.map((c) => (c.kind === 'object' ? c.key! : c.index));
  const deepest = Math.max(-1, ...wanted.map((p) => p.length));
  const valueAt = (i: number) => {
    // a value begins at i: note its place if someone asked for its path (no deeper: building the
    // path of every value would make the scan quadratic in the depth)
    if (want.size === 0 || stack.length > deepest) return;
    const k = key(pathHere());
    if (want.has(k) && !places.has(k)) places.set(k, { line, col: i - lineStart + 1 });
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      lineStart = i + 1;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 58 /* : */) continue;
    const top = stack[stack.length - 1];
    if (c === 44 /* , */) {
      if (top?.kind === 'array') top.index++;
      else if (top?.kind === 'object') expectKey = true;
      continue;
    }
    if (c === 125 /* } */ || c === 93 /* ] */) {
      stack.pop();
      expectKey = false;
      continue;
    }
    if (c === 34 /* " */) {
      const start = i;
      let end = i + 1;
      for (; end < text.length; end++) {
        const d = text.charCodeAt(end);
        if (d === 92) end++;
        else if (d === 34) break;
      }
      if (expectKey && top?.kind === 'object') {
        const name = JSON.parse(text.slice(start, end + 1)) as string;
        if (top.keys.has(name) && duplicate === undefined)
          duplicate = {
            path: [...pathHere().slice(0, -1), name],
            at: { line, col: start - lineStart + 1 },
          };
        top.keys.add(name);
        top.key = name;
        expectKey = false;
      } else valueAt(start);
      i = end;
      continue;
    }
    if (c === 123 /* { */ || c === 91 /* [ */) {
      if (stack.length > 0 || want.size > 0) valueAt(i);
      stack.push(
        c === 123
          ? { kind: 'object', keys: new Set(), key: undefined }
          : { kind: 'array', index: 0 },
      );
      expectKey = c === 123;
      continue;
    }
    // a number, true, false or null: its first character
    valueAt(i);
    while (i + 1 < text.length && !/[\s,\]}]/.test(text[i + 1]!)) i++;
  }
  return { duplicate, places };
}

/**
 * Nesting deeper than any of our formats needs; past it a recursive reader could run out of stack.
 */
export const MAX_DATA_DEPTH = 64;

/** Why a text nested too deep is refused. */
export const TOO_DEEP =
  `nested more than ${MAX_DATA_DEPTH} levels deep; ` + 'no ai-route file needs that';

const OPENS = new Set([91 /* [ */, 123 /* { */]);
const CLOSES = new Set([93 /* ] */, 125 /* } */]);

/**
 * The place where a text first opens more than `max` brackets at once, read in one pass before any
 * parser sees it: parsers and the checks after them cost time (or stack) with each level, so
 * 100,000 levels must be refused before they are parsed. Brackets inside strings do not count; in
 * YAML neither do comments nor brackets inside a plain scalar ("a [beta] model"): a bracket or
 * quote counts only where a value can begin. A YAML block nests by indentation, which a 1 MB file
 * cannot take deep.
 */
export function nestingPast(
  text: string,
  format: 'json' | 'yaml',
  max = MAX_DATA_DEPTH,
): TextPosition | undefined {
  const yaml = format === 'yaml';
  let depth = 0;
  let line = 1;
  let lineStart = 0;
  // the last character on this line that is not a space (-1 at the start of a line)
  let prev = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      lineStart = i + 1;
      prev = -1;
      continue;
    }
    if (c === 32 || c === 9 || c === 13) continue;
    const counts = !yaml || valueMayBegin(prev, depth);
    if (OPENS.has(c) && counts) {
      if (++depth > max) return { line, col: i - lineStart + 1 };
    } else if (CLOSES.has(c)) depth = Math.max(0, depth - 1);
    else if ((c === 34 /* " */ || (yaml && c === 39)) /* ' */ && counts)
      i = quoteEnd(text, i, c, yaml);
    else if (yaml && c === 35 /* # */ && (prev === -1 || /\s/.test(text[i - 1]!))) {
      while (i + 1 < text.length && text.charCodeAt(i + 1) !== 10) i++;
      continue;
    }
    prev = c;
  }
  return undefined;
}

/**
 * Where a YAML value may begin: after a key, a list dash or at a line's start in a block; after
 * an opening bracket, a comma or a key inside a flow collection (which holds no plain brackets).
 */
function valueMayBegin(prev: number, depth: number): boolean {
  if (depth > 0) return prev === -1 || prev === 91 || prev === 123 || prev === 44 || prev === 58;
  return prev === -1 || prev === 58 /* : */ || prev === 45 /* - */ || prev === 63; /* ? */
}

/** The index of the quote that closes the one at `i` (the last index when none does). */
function quoteEnd(text: string, i: number, quote: number, yaml: boolean): number {
  for (let j = i + 1; j < text.length; j++) {
    const d = text.charCodeAt(j);
    if (d === 92 /* backslash */ && !(yaml && quote === 39)) j++;
    else if (d === quote) {
      // YAML doubles a single quote to write one
      if (yaml && quote === 39 && text.charCodeAt(j + 1) === 39) j++;
      else return j;
    }
  }
  return text.length - 1;
}

/**
 * The first place in a parsed value that no data file may hold: a `__proto__` key (copying it into
 * an object would replace that object's prototype) or nesting deeper than MAX_DATA_DEPTH.
 * Iterative, so the check itself cannot run out of stack.
 */
export function unsafeShape(value: unknown): { path: DataPath; message: string } | undefined {
  const todo: Array<{ value: unknown; path: DataPath }> = [{ value, path: [] }];
  while (todo.length > 0) {
    const { value: v, path } = todo.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (path.length >= MAX_DATA_DEPTH) return { path, message: TOO_DEEP };
    if (Array.isArray(v)) {
      v.forEach((item, i) => todo.push({ value: item, path: [...path, i] }));
      continue;
    }
    for (const [k, item] of Object.entries(v)) {
      if (k === '__proto__')
        return {
          path: [...path, k],
          message:
            'the key "__proto__" is not allowed (it names the prototype of every ' +
            'object); rename it',
        };
      todo.push({ value: item, path: [...path, k] });
    }
  }
  return undefined;
}
