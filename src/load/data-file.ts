import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { DataError, type Problem } from '../domain/errors.js';
import { type Issue, IssueList } from '../schema/issues.js';
import { DATA_CACHE, packageRoot } from './paths.js';

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

/** A file that cannot be read, as one problem naming it and why. */
function unreadable(file: string, err: unknown): DataError {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, expected a file' : (code ?? 'unreadable');
  return new DataError([{ place: { file }, message: `cannot read: ${why}` }]);
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
    throw unreadable(file, err);
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
    throw new DataError(parsed.errors.map((e) => ({ place: { file, line: e.line, col: e.col }, message: e.message })));
  }
  return { file, abs, text, value: parsed.value };
}

/** A JSON syntax error at its line and column, from JSON.parse's "at position N". */
export function jsonSyntaxError(file: string, text: string, err: unknown): Problem {
  const message = err instanceof Error ? err.message : String(err);
  const at = /position (\d+)/.exec(message);
  const offset = at ? Number(at[1]) : text.length;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const col = offset - before.lastIndexOf('\n');
  const reason = message.replace(/\s*in JSON at position \d+.*$/s, '').replace(/^JSON\.parse: /, '');
  return { place: { file, line, col }, message: `invalid JSON: ${reason}` };
}

/** Each issue at its line and column in the file; positions need a parse, so YAML loads only here. */
export async function issueProblems(doc: Pick<DataDoc, 'file' | 'text'>, issues: readonly Issue[]): Promise<Problem[]> {
  if (issues.length === 0) return [];
  const { parseYaml } = await import('./yaml.js');
  const parsed = parseYaml(doc.text);
  return issues.map((issue) => {
    const pos = parsed.locate(issue.path);
    return { place: { file: doc.file, ...(pos === undefined ? {} : { line: pos.line, col: pos.col }), path: issue.path }, message: issue.message };
  });
}

/** Validates a parsed document: the value, and every problem with its place (empty when valid). */
export async function validateDocument<T>(doc: DataDoc, validate: (value: unknown, file: string, issues: IssueList) => T): Promise<{ value: T; problems: Problem[] }> {
  const issues = new IssueList();
  const value = validate(doc.value, doc.file, issues);
  return { value, problems: await issueProblems(doc, issues.items) };
}

/**
 * The one way a data file is loaded: read, parse, validate; every problem of the file at once,
 * as a DataError with file, line, column and dot path.
 */
export async function loadDocument<T>(abs: string, cwd: string, validate: (value: unknown, file: string, issues: IssueList) => T): Promise<{ doc: DataDoc; value: T }> {
  const doc = await readDataFile(abs, cwd);
  const { value, problems } = await validateDocument(doc, validate);
  if (problems.length > 0) throw new DataError(problems);
  return { doc, value };
}
