import { InvalidArgumentError } from 'commander';

/** One command-line option: the single source of its flag, help text, parser and default. */
export interface OptionSpec {
  flags: string;
  description: string;
  parse?: (value: string, previous: unknown) => unknown;
  defaultValue?: unknown;
  choices?: readonly string[];
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

export const DEBUG_OPTION: OptionSpec = { flags: '--debug', description: 'show stack traces of unexpected errors' };
