import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { DataError } from '../errors.js';
import { DATA_CACHE, packageRoot } from '../paths.js';
import { type Issue, formatPath } from '../schema/issues.js';

/** A data file as read from disk: its name as the user sees it, its text and its parsed value. */
export interface DataDoc {
  /** The path as shown in messages: relative to the working directory when inside it. */
  file: string;
  abs: string;
  text: string;
  value: unknown;
}

type Cache = Record<string, { text: string; value: unknown }>;
let cache: Cache | undefined;

/** The build's parse of the shipped YAML, so that `cost` on the defaults never loads the YAML parser. */
function precompiled(abs: string): Cache[string] | undefined {
  const root = packageRoot();
  const rel = relative(root, abs);
  if (rel.startsWith('..') || isAbsolute(rel)) return undefined;
  if (cache === undefined) {
    try {
      cache = JSON.parse(readFileSync(join(root, DATA_CACHE), 'utf8')) as Cache;
    } catch {
      cache = {};
    }
  }
  return cache[rel.split(sep).join('/')];
}

/** Shows `abs` the way a user would type it from `cwd`. */
export function displayPath(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

/**
 * Reads and parses a YAML or JSON data file. A syntax error is a DataError listing every
 * syntax problem with its line and column. The text is kept so positions can be found later.
 */
export async function readDataFile(abs: string, cwd: string): Promise<DataDoc> {
  const file = displayPath(abs, cwd);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, expected a file' : code ?? 'unreadable';
    throw new DataError([`${file}: cannot read: ${why}`]);
  }
  const hit = precompiled(abs);
  if (hit !== undefined && hit.text === text) return { file, abs, text, value: hit.value };
  // JSON is YAML too, but JSON.parse reads a 2,500-model catalog ~50x faster than the YAML parser
  if (abs.endsWith('.json') || /^\s*[{[]/.test(text)) {
    try {
      return { file, abs, text, value: JSON.parse(text) };
    } catch (err) {
      if (abs.endsWith('.json')) throw new DataError([jsonSyntaxError(file, text, err)]);
      // not JSON after all: a YAML flow mapping, read below
    }
  }
  const { parseYaml } = await import('./yaml.js');
  const parsed = parseYaml(text);
  if (parsed.errors.length > 0) {
    throw new DataError(parsed.errors.map((e) => `${file}:${e.line}:${e.col}: ${e.message}`));
  }
  return { file, abs, text, value: parsed.value };
}

/** `file:line:col: message` from JSON.parse's "at position N". */
export function jsonSyntaxError(file: string, text: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const at = /position (\d+)/.exec(message);
  const offset = at ? Number(at[1]) : text.length;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const col = offset - before.lastIndexOf('\n');
  const reason = message.replace(/\s*in JSON at position \d+.*$/s, '').replace(/^JSON\.parse: /, '');
  return `${file}:${line}:${col}: invalid JSON: ${reason}`;
}

/** `file:line:col: path: message` for each issue; positions need a parse, so YAML loads only here. */
export async function issueLines(doc: Pick<DataDoc, 'file' | 'text'>, issues: readonly Issue[]): Promise<string[]> {
  if (issues.length === 0) return [];
  const { parseYaml } = await import('./yaml.js');
  const parsed = parseYaml(doc.text);
  return issues.map((issue) => {
    const pos = parsed.locate(issue.path);
    const where = pos === undefined ? doc.file : `${doc.file}:${pos.line}:${pos.col}`;
    return `${where}: ${formatPath(issue.path)}: ${issue.message}`;
  });
}
