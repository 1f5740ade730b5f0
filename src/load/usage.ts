import { closeSync, createReadStream, openSync, readFileSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { UsageAccumulator } from '../core/usage/aggregate.js';
import { type DataPath, DataError, type Problem } from '../domain/errors.js';
import type { SkippedInput, UsageFormat } from '../domain/usage.js';
import { IssueList } from '../schema/issues.js';
import { readUsageJson, sniffUsageJson, USAGE_JSON_SHAPES } from '../schema/usage.js';
import { csvHeader, csvRecord, csvSplit, USAGE_CSV_COLUMNS } from '../schema/usage-csv.js';
import type { ReadTraces } from '../schema/usage-traces.js';
import { MB, checkInputFile, displayPath } from './data-file.js';

/**
 * Usage files read as streams into one accumulator: JSON lines one at a time (the collector's
 * file exporter, pages saved one per line), a whole JSON document up to MAX_DOCUMENT_BYTES, the
 * daily CSV line by line. Memory holds the sums, one line, and the ids that count a record once.
 */

/** A usage file may be any size when it is JSON lines or CSV; a single document at most this. */
export const MAX_DOCUMENT_BYTES = 256 * 1024 * 1024;
/** The longest line read; a longer one is skipped and said. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;
/** Skipped lines kept to name in messages (all are counted). */
const KEPT_SKIPS = 20;
/** Problems listed before the rest are counted. */
const KEPT_PROBLEMS = 20;

export interface UsageLoad {
  acc: UsageAccumulator;
  files: Array<{ file: string; format: UsageFormat | undefined; records: number }>;
  /** The first skipped lines, each named; `skipped_count` counts them all. */
  skipped: SkippedInput[];
  skipped_count: number;
  /** Spans whose input count excluded their cache counts (added back). */
  input_excluding_cache: number;
  /** Stopped by Ctrl-C before every file was read. */
  interrupted: boolean;
}

interface Line {
  text: string;
  number: number;
  /** False for a last line with no line break after it. */
  ended: boolean;
}

/** A file's lines, none longer than MAX_LINE_BYTES (a longer one comes back as undefined text). */
async function* linesOf(abs: string): AsyncGenerator<Line & { tooLong: boolean }> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let skipping = false;
  let number = 0;
  for await (const chunk of createReadStream(abs, { highWaterMark: 1 << 20 })) {
    const text = pending + decoder.write(chunk as Buffer);
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      number++;
      yield { text: skipping ? '' : text.slice(start, nl), number, ended: true, tooLong: skipping };
      skipping = false;
      start = nl + 1;
    }
    pending = text.slice(start);
    if (pending.length > MAX_LINE_BYTES) {
      skipping = true;
      pending = '';
    }
  }
  pending += decoder.end();
  if (pending !== '' || skipping)
    yield { text: pending, number: number + 1, ended: false, tooLong: skipping };
}

/** A document read from elsewhere (an API's page): its format is known. */
export interface UsageDocument {
  format: Exclude<UsageFormat, 'csv'>;
  source: string;
  doc: unknown;
}

/**
 * Reads every file, then every document given (an API's pages), into one accumulator; bad
 * records are an error naming each, after reading.
 */
export async function loadUsage(
  paths: readonly string[],
  cwd: string,
  from: UsageFormat | undefined,
  interrupted: AbortSignal,
  documents: AsyncIterable<UsageDocument> = (async function* () {})(),
): Promise<UsageLoad> {
  const load: UsageLoad = {
    acc: new UsageAccumulator(),
    files: [],
    skipped: [],
    skipped_count: 0,
    input_excluding_cache: 0,
    interrupted: false,
  };
  const problems: Problem[] = [];
  let problemCount = 0;
  const reader = new FileReader(load, (p) => {
    problemCount++;
    if (problems.length < KEPT_PROBLEMS) problems.push(p);
  });
  for (const path of paths) {
    if (interrupted.aborted) {
      load.interrupted = true;
      break;
    }
    const abs = resolve(cwd, path);
    const file = displayPath(abs, cwd);
    await reader.read(abs, file, from, interrupted);
  }
  for await (const d of documents) {
    if (interrupted.aborted) {
      load.interrupted = true;
      break;
    }
    reader.readFetched(d);
  }
  if (problemCount > problems.length)
    problems.push({ message: `and ${problemCount - problems.length} more problems like these` });
  if (problems.length > 0) throw new DataError(problems);
  return load;
}

class FileReader {
  constructor(
    private readonly load: UsageLoad,
    private readonly problem: (p: Problem) => void,
  ) {}

  skip(file: string, line: number | undefined, why: string): void {
    this.load.skipped_count++;
    if (this.load.skipped.length < KEPT_SKIPS) this.load.skipped.push({ file, line, why });
  }

  /**
   * The issues of one document or line, each a problem placed at its file, line and path (and,
   * in a CSV, the column where the field starts).
   */
  private report(
    issues: IssueList,
    file: string,
    line: number | undefined,
    col?: (path: DataPath) => number | undefined,
  ): void {
    for (const i of issues.items) {
      const at = col?.(i.path);
      this.problem({
        place: {
          file,
          ...(line === undefined ? {} : { line }),
          ...(at === undefined ? {} : { col: at }),
          ...(i.path.length === 0 || col !== undefined ? {} : { path: i.path }),
        },
        message:
          col !== undefined && i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message,
      });
    }
  }

  private take(read: ReadTraces, entry: UsageLoad['files'][number]): void {
    for (const r of read.records) this.load.acc.addRecord(r);
    for (const b of read.billed) this.load.acc.addBilled(b);
    for (const o of read.others) this.load.acc.addOther(o);
    this.load.input_excluding_cache += read.input_excluding_cache;
    entry.records += read.records.length + read.billed.length;
  }

  async read(abs: string, file: string, from: UsageFormat | undefined, stop: AbortSignal) {
    const size = checkInputFile(abs, file, Number.MAX_SAFE_INTEGER);
    const entry = { file, format: from, records: 0 };
    this.load.files.push(entry);
    const head = readHead(abs);
    if (from === 'csv' || (from === undefined && !/^[\s\uFEFF]*[[{]/.test(head)))
      return this.readCsv(abs, file, entry, stop);
    // JSON lines when the first line is a whole document by itself (it may be longer than the
    // head: a collector writes thousands of spans on one line); parsed once, kept for the reader
    const first = await firstDocument(abs);
    if (first !== undefined) return this.readJsonLines(abs, file, entry, stop, first);
    if (size > MAX_DOCUMENT_BYTES)
      throw new DataError([
        {
          place: { file },
          message:
            `one JSON document of ${MB(size)}, over the ${MB(MAX_DOCUMENT_BYTES)} read at ` +
            'once; write it as JSON lines (one page or request per line) to read any size',
        },
      ]);
    const text = readFileSync(abs, 'utf8');
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      throw new DataError([{ place: { file }, message: jsonFailure(text, err) }]);
    }
    this.readDoc(doc, file, undefined, entry);
  }

  /** A page read from an API: one entry per endpoint, its records counted across pages. */
  readFetched(d: UsageDocument): void {
    let entry = this.load.files.find((f) => f.file === d.source);
    if (entry === undefined) {
      entry = { file: d.source, format: d.format, records: 0 };
      this.load.files.push(entry);
    }
    this.readDoc(d.doc, d.source, undefined, entry);
  }

  private readDoc(
    doc: unknown,
    file: string,
    line: number | undefined,
    entry: UsageLoad['files'][number],
  ) {
    const format = entry.format ?? sniffUsageJson(doc);
    if (format === undefined || format === 'csv') {
      const what = line === undefined ? 'the document' : `line ${line}`;
      if (line === undefined)
        throw new DataError([
          {
            place: { file },
            message: `${what} is no usage format ai-route reads; ${FORMATS_HINT}`,
          },
        ]);
      return this.skip(file, line, `not a usage record; ${FORMATS_HINT}`);
    }
    entry.format = format;
    const issues = new IssueList();
    this.take(readUsageJson(format, doc, [], issues), entry);
    this.report(issues, file, line);
  }

  private async readJsonLines(
    abs: string,
    file: string,
    entry: UsageLoad['files'][number],
    stop: AbortSignal,
    first: { line: number; doc: unknown },
  ) {
    for await (const line of linesOf(abs)) {
      if (stop.aborted) return void (this.load.interrupted = true);
      if (line.tooLong) {
        this.skip(file, line.number, `longer than ${MB(MAX_LINE_BYTES)}`);
        continue;
      }
      if (line.text.trim() === '') continue;
      let doc: unknown;
      try {
        doc = line.number === first.line ? first.doc : JSON.parse(line.text);
      } catch (err) {
        this.skip(
          file,
          line.number,
          line.ended
            ? `not JSON: ${(err as Error).message}`
            : 'the file ends inside this line: it was cut short (truncated?)',
        );
        continue;
      }
      this.readDoc(doc, file, line.number, entry);
    }
  }

  private async readCsv(
    abs: string,
    file: string,
    entry: UsageLoad['files'][number],
    stop: AbortSignal,
  ) {
    let columns: Map<string, number> | undefined;
    for await (const line of linesOf(abs)) {
      if (stop.aborted) return void (this.load.interrupted = true);
      const text = line.text.replace(/\r$/, '');
      if (line.tooLong) {
        this.skip(file, line.number, `longer than ${MB(MAX_LINE_BYTES)}`);
        continue;
      }
      if (text.trim() === '') continue;
      if (columns === undefined) {
        const header = csvHeader(text);
        if (typeof header === 'string')
          throw new DataError([{ place: { file, line: line.number }, message: header }]);
        columns = header;
        entry.format = 'csv';
        continue;
      }
      const split = csvSplit(text);
      const fields = split?.fields;
      if (fields === undefined || fields.length < USAGE_CSV_COLUMNS.length) {
        this.skip(
          file,
          line.number,
          line.ended
            ? `expected ${columns.size} comma-separated fields`
            : 'the file ends inside this line: it was cut short (truncated?)',
        );
        continue;
      }
      const issues = new IssueList();
      const rec = csvRecord(fields, columns, issues);
      const index = columns;
      this.report(issues, file, line.number, (path) => {
        const at = index.get(String(path[0]));
        return at === undefined ? undefined : split!.starts[at]! + 1;
      });
      if (rec !== undefined && issues.empty) {
        this.load.acc.addRecord(rec);
        entry.records++;
      }
    }
  }
}

const FORMATS_HINT =
  `expected ${Object.values(USAGE_JSON_SHAPES).join('; ')}; or the daily CSV ` +
  `(${USAGE_CSV_COLUMNS.join(',')}). --from names the format`;

/** The first 64 KB of a file, to tell JSON from CSV. */
function readHead(abs: string): string {
  const buffer = Buffer.alloc(64 * 1024);
  const fd = openSync(abs, 'r');
  try {
    return buffer.subarray(0, readSync(fd, buffer)).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * The first line with something on it (at most MAX_LINE_BYTES) as a parsed document, with its
 * number; undefined when it is not JSON by itself (a document spread over lines).
 */
async function firstDocument(abs: string): Promise<{ line: number; doc: unknown } | undefined> {
  for await (const line of linesOf(abs)) {
    if (line.tooLong) return undefined;
    if (line.text.trim() === '') continue;
    try {
      return { line: line.number, doc: JSON.parse(line.text) };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Why a whole document did not parse: cut short, or where the syntax breaks (line and column). */
function jsonFailure(text: string, err: unknown): string {
  const message = (err as Error).message;
  if (/end of JSON input|Unterminated/i.test(message))
    return (
      `the JSON ends early, after ${text.length} characters: the file was cut short ` +
      '(truncated?)'
    );
  const at = /position (\d+)/.exec(message);
  if (at === null) return `not JSON: ${message}`;
  const before = text.slice(0, Number(at[1]));
  const line = before.split('\n').length;
  const col = before.length - before.lastIndexOf('\n');
  return `not JSON at line ${line}, column ${col}: ${message.replace(/ in JSON at position \d+.*$/, '')}`;
}
