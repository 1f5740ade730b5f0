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
  const valueAt = (i: number) => {
    // a value begins at i: note its place if someone asked for its path
    if (want.size === 0) return;
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
    if (path.length >= MAX_DATA_DEPTH)
      return {
        path,
        message: `nested more than ${MAX_DATA_DEPTH} levels deep; no ai-route file needs that`,
      };
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
