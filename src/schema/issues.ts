import type { DataPath } from '../domain/errors.js';

export type { DataPath };

/** One problem found in a data file, kept until every problem of the file is known. */
export interface Issue {
  path: DataPath;
  message: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `models["Qwen/Qwen3-32B"].prices[0].output`: readable, and unambiguous for keys with dots. */
export function formatPath(path: DataPath): string {
  if (path.length === 0) return '(top level)';
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (IDENTIFIER.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

/** Collects issues while a validator walks a document, so that all of them are reported at once. */
export class IssueList {
  readonly items: Issue[] = [];

  add(path: DataPath, message: string): void {
    this.items.push({ path: [...path], message });
  }

  get empty(): boolean {
    return this.items.length === 0;
  }
}

/** A short description of a value for "expected X, got Y" messages; never the whole value. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'object':
      return 'a mapping';
    case 'string':
      return value.length > 40 ? `text "${value.slice(0, 37)}..."` : `text "${value}"`;
    case 'number':
    case 'bigint':
    case 'boolean':
      return `${typeof value} ${String(value)}`;
    default:
      return typeof value;
  }
}

/** An issue with the file it was found in; the loader turns it into a `file:line:col` message. */
export interface FileIssue extends Issue {
  file: string;
}
