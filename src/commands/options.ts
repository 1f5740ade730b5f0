import { InvalidArgumentError } from 'commander';
import { isIsoDate } from '../schema/read.js';

/** One command-line option: the single source of its flag, help text, parser and default. */
export interface OptionSpec {
  flags: string;
  description: string;
  parse?: (value: string, previous: unknown) => unknown;
  defaultValue?: unknown;
  choices?: readonly string[];
  required?: boolean;
}

/** Adapts a parser that returns a value or an error message to commander's contract. */
export function parser<T>(read: (text: string) => T | { error: string }): (value: string) => T {
  return (value) => {
    const result = read(value);
    if (typeof result === 'object' && result !== null && 'error' in result) {
      throw new InvalidArgumentError((result as { error: string }).error);
    }
    return result as T;
  };
}

/** For repeatable options: each use appends to the list. */
export function repeatable<T>(read: (text: string) => T): (value: string, previous: unknown) => T[] {
  return (value, previous) => [...(Array.isArray(previous) ? (previous as T[]) : []), read(value)];
}

/** A seed for repeatable random draws. */
export const seedParser = parser((text) => (/^\d{1,10}$/.test(text) ? Number(text) : { error: 'expected a whole number' }));

export const DEBUG_OPTION: OptionSpec = { flags: '--debug', description: 'show stack traces of unexpected errors' };

const asOf = parser((text) => (isIsoDate(text) ? text : { error: 'expected a date written YYYY-MM-DD, such as 2026-11-24' }));

/** Flags more than one command shares, defined once so their help and parsing agree. */
export const SHARED = {
  pricing: {
    flags: '--pricing <file|dir>',
    description: 'add or override prices from a pricing file or every file of a directory; later files win; repeatable',
    parse: repeatable((v) => v),
    defaultValue: [],
  },
  asOf: { flags: '--as-of <date>', description: 'use the prices in force on this day, YYYY-MM-DD (default: today)', parse: asOf },
  out: { flags: '--out <file>', description: 'write the result to FILE atomically instead of stdout' },
  format: (choices: readonly string[], fallback: string): OptionSpec => ({
    flags: '--format <format>',
    description: 'output format',
    choices,
    defaultValue: fallback,
  }),
} satisfies Record<string, OptionSpec | ((...a: never[]) => OptionSpec)>;
