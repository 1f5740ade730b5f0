import { type Stats, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { type DataPath, DataError, type Problem } from '../domain/errors.js';
import { type Issue, IssueList } from '../schema/issues.js';
import { nestingPast, scanJson, TOO_DEEP, unsafeShape } from './json-scan.js';
import { DATA_CACHE, packageRoot } from './paths.js';

/** A data file as read from disk: its name as the user sees it, its text and its parsed value. */
export interface DataDoc {
  /** The path as shown in messages: relative to the working directory when inside it. */
  file: string;
  abs: string;
  text: string;
  value: unknown;
  /**
   * How it was parsed: issues in JSON are placed by a linear scan, never by re-reading it as YAML.
   */
  format: 'json' | 'yaml';
  /**
   * The place of a path in YAML text, from the parse that read it (so issues never cost a second
   * parse).
   */
  locate?: (path: DataPath) => { line: number; col: number } | undefined;
}

/**
 * The largest data file read (a LiteLLM catalog is ~1.5 MB): past it, a file is refused before it
 * is read.
 */
export const MAX_DATA_BYTES = 64 * 1024 * 1024;
/**
 * The largest YAML file: the YAML parser takes about 1.3 s per MB and answers no Ctrl-C while it
 * runs, so past 1 MB (a whole LiteLLM import is 0.7 MB) a catalog belongs in JSON.
 */
export const MAX_YAML_BYTES = 1024 * 1024;

/** A size in a refusal, as people read it: "64.0 MB". */
export const MB = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * The text of a file given as input, refused up front when it is not a regular file (a FIFO
 * would wait for ever, /dev/zero never ends) or larger than `limit`. Every refusal names the file.
 */
export function readInputText(abs: string, file: string, limit = MAX_DATA_BYTES): string {
  checkInputFile(abs, file, limit);
  try {
    return readFileSync(abs, 'utf8');
  } catch (err) {
    throw unreadable(file, err);
  }
}

/**
 * Refuses, naming the file, what is not a regular file of at most `limit` bytes; its size
 * otherwise.
 */
export function checkInputFile(abs: string, file: string, limit: number): number {
  let st: Stats;
  try {
    st = statSync(abs);
  } catch (err) {
    throw unreadable(file, err);
  }
  if (st.isDirectory())
    throw new DataError([
      { place: { file }, message: 'cannot read: is a folder, expected a file' },
    ]);
  if (!st.isFile())
    throw new DataError([
      {
        place: { file },
        message:
          `cannot read: not a regular file ` +
          `(${st.isFIFO() ? 'a FIFO' : 'a device or socket'}); give a file`,
      },
    ]);
  if (st.size > limit)
    throw new DataError([
      {
        place: { file },
        message: `cannot read: ${MB(st.size)}, over the ${MB(limit)} a data file may be`,
      },
    ]);
  return st.size;
}

type Cache = Record<string, { text: string; value: unknown }>;
let cache: Cache | undefined;

/**
 * The build's parse of the shipped YAML, so that `cost` on the defaults never loads the YAML
 * parser.
 */
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

const inside = (rel: string): boolean => rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);

/**
 * Shows `abs` the way a user would type it from `cwd`; a shipped file as the project names it
 * (pricing/openai.yaml), wherever ai-route runs.
 */
export function displayPath(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  if (inside(rel)) return rel;
  const shipped = relative(packageRoot(), abs);
  return inside(shipped) && !shipped.startsWith('node_modules') ? shipped : abs;
}

/** A file that cannot be read, as one problem naming it and why. */
function unreadable(file: string, err: unknown): DataError {
  const code = (err as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EISDIR'
        ? 'is a directory, expected a file'
        : (code ?? 'unreadable');
  return new DataError([{ place: { file }, message: `cannot read: ${why}` }]);
}

/**
 * Reads and parses a YAML or JSON data file. A syntax error is a DataError listing every
 * syntax problem with its line and column. The text is kept so positions can be found later.
 */
export async function readDataFile(abs: string, cwd: string): Promise<DataDoc> {
  const file = displayPath(abs, cwd);
  const text = readInputText(abs, file);
  const hit = precompiled(abs);
  if (hit !== undefined && hit.text === text)
    return { file, abs, text, value: hit.value, format: 'yaml' };
  const json = abs.endsWith('.json') || /^\s*[{[]/.test(text);
  refuseDeepText(file, text, json ? 'json' : 'yaml');
  // JSON is YAML too, but JSON.parse reads a 2,500-model catalog ~50x faster than the YAML parser
  if (json) {
    let value: unknown;
    let parsed = false;
    try {
      value = JSON.parse(text);
      parsed = true;
    } catch (err) {
      // a large text that is not JSON is not read again as YAML: that could take minutes
      if (abs.endsWith('.json') || text.length > MAX_YAML_BYTES)
        throw new DataError([jsonSyntaxError(file, text, err)]);
      // not JSON after all: a YAML flow mapping, read below
    }
    if (parsed) return checkedJson({ file, abs, text, value, format: 'json' });
  }
  if (text.length > MAX_YAML_BYTES)
    throw new DataError([
      {
        place: { file },
        message:
          `cannot read: ${MB(text.length)} of YAML, over ${MB(MAX_YAML_BYTES)}; write ` +
          `it as JSON (the same data, read ~50x faster)`,
      },
    ]);
  const { parseYaml } = await import('./yaml.js');
  const parsed = parseYaml(text);
  if (parsed.errors.length > 0) {
    throw new DataError(
      parsed.errors.map((e) => ({ place: { file, line: e.line, col: e.col }, message: e.message })),
    );
  }
  return refuseUnsafeShape({
    file,
    abs,
    text,
    value: parsed.value,
    format: 'yaml',
    locate: parsed.locate,
  });
}

/**
 * Refuses a text nested past MAX_DATA_DEPTH before it is parsed, at the bracket that goes too deep
 * (one linear pass: 100,000 levels are refused in milliseconds, not parsed for minutes).
 */
export function refuseDeepText(file: string, text: string, format: 'json' | 'yaml'): void {
  const at = nestingPast(text, format);
  if (at !== undefined) throw new DataError([{ place: { file, ...at }, message: TOO_DEEP }]);
}

/**
 * A document JSON.parse accepted, unless a key appears twice in one object (the last would win
 * without a word), or it holds a `__proto__` key or absurd nesting: then a DataError at that place.
 */
export async function checkedJson(doc: DataDoc): Promise<DataDoc> {
  const { duplicate } = scanJson(doc.text);
  if (duplicate !== undefined) {
    throw new DataError([
      {
        place: { file: doc.file, ...duplicate.at, path: duplicate.path },
        message: 'this key appears twice in one object (JSON would keep only the last); keep one',
      },
    ]);
  }
  return refuseUnsafeShape(doc);
}

/**
 * The document, unless it holds a `__proto__` key or absurd nesting: then a DataError at that
 * place.
 */
async function refuseUnsafeShape(doc: DataDoc): Promise<DataDoc> {
  const unsafe = unsafeShape(doc.value);
  if (unsafe === undefined) return doc;
  throw new DataError(await issueProblems(doc, [unsafe]));
}

/** A JSON syntax error at its line and column, from JSON.parse's "at position N". */
export function jsonSyntaxError(file: string, text: string, err: unknown): Problem {
  const message = err instanceof Error ? err.message : String(err);
  const at = /position (\d+)/.exec(message);
  const offset = at ? Number(at[1]) : text.length;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const col = offset - before.lastIndexOf('\n');
  const reason = message
    .replace(/\s*in JSON at position \d+.*$/s, '')
    .replace(/^JSON\.parse: /, '');
  return { place: { file, line, col }, message: `invalid JSON: ${reason}` };
}

/**
 * Each issue at its line and column in the file; positions need a parse, so YAML loads only here.
 */
export async function issueProblems(
  doc: Pick<DataDoc, 'file' | 'text'> & Partial<Pick<DataDoc, 'format' | 'locate'>>,
  issues: readonly Issue[],
): Promise<Problem[]> {
  if (issues.length === 0) return [];
  if (
    doc.format === 'json' ||
    (doc.format === undefined && /^\s*[{[]/.test(doc.text) && doc.text.length > MAX_YAML_BYTES)
  ) {
    // each path and its ancestors: an issue about a missing key is placed at the object that lacks
    // it
    const { places } = scanJson(
      doc.text,
      issues.flatMap((i) => i.path.map((_, n) => i.path.slice(0, n + 1)).concat([[]])),
    );
    return issues.map((issue) => {
      const known = [
        ...issue.path.map((_, n) => issue.path.slice(0, issue.path.length - n)),
        [],
      ].find((p) => places.has(JSON.stringify(p)));
      const pos = known === undefined ? undefined : places.get(JSON.stringify(known));
      return {
        place: {
          file: doc.file,
          ...(pos === undefined ? {} : { line: pos.line, col: pos.col }),
          path: issue.path,
        },
        message: issue.message,
      };
    });
  }
  const locate = doc.locate ?? (await import('./yaml.js')).parseYaml(doc.text).locate;
  return issues.map((issue) => {
    const pos = locate(issue.path);
    return {
      place: {
        file: doc.file,
        ...(pos === undefined ? {} : { line: pos.line, col: pos.col }),
        path: issue.path,
      },
      message: issue.message,
    };
  });
}

/** Validates a parsed document: the value, and every problem with its place (empty when valid). */
export async function validateDocument<T>(
  doc: DataDoc,
  validate: (value: unknown, file: string, issues: IssueList) => T,
): Promise<{ value: T; problems: Problem[] }> {
  const issues = new IssueList();
  const value = validate(doc.value, doc.file, issues);
  return { value, problems: await issueProblems(doc, issues.items) };
}

/**
 * The one way a data file is loaded: read, parse, validate; every problem of the file at once,
 * as a DataError with file, line, column and dot path.
 */
export async function loadDocument<T>(
  abs: string,
  cwd: string,
  validate: (value: unknown, file: string, issues: IssueList) => T,
): Promise<{ doc: DataDoc; value: T }> {
  const doc = await readDataFile(abs, cwd);
  const { value, problems } = await validateDocument(doc, validate);
  if (problems.length > 0) throw new DataError(problems);
  return { doc, value };
}
