import { InvalidArgumentError } from 'commander';
import { DATE_SPEC } from '../units/date.js';
import { shippedScenarios } from '../load/scenario.js';
import { SEED_SPEC } from '../units/seed.js';
import type { UnitSpec } from '../units/spec.js';

import type { OptionSpec, OptionTable } from '../domain/options.js';

export type { OptionSpec, OptionTable };

/**
 * The value an option gives: what its parser returns, one of its choices, a string, or a switch.
 */
type ValueOf<S> = S extends { parse: (value: string, previous: any) => infer T }
  ? T
  : S extends { choices: ReadonlyArray<infer C> }
    ? C
    : S extends { flags: `${string}<${string}` }
      ? string
      : boolean;

/**
 * The options a command receives, typed from its table: present when defaulted or required, else
 * optional.
 */
export type OptionsOf<T extends OptionTable> = {
  -readonly [K in keyof T]: T[K] extends { default: unknown } | { required: true }
    ? ValueOf<T[K]>
    : ValueOf<T[K]> | undefined;
};

/** Declares an option table, keeping the literal types of flags and choices for OptionsOf. */
export function defineOptions<const T extends OptionTable>(table: T): T {
  return table;
}

/**
 * A flag's value read with a unit spec: the parsed value, or commander's usage error with the
 * reason.
 */
export function unit<T>(spec: UnitSpec<T>): (value: string) => T {
  return (value) => {
    const result = spec.parse(value);
    if (!result.ok) throw new InvalidArgumentError(result.reason);
    return result.value;
  };
}

/** For repeatable options: each use appends to the list. */
export function repeatable<T>(read: (text: string) => T): (value: string, previous: T[]) => T[] {
  return (value, previous) => [...(Array.isArray(previous) ? previous : []), read(value)];
}

/** A value parser from a function that returns the value or an error message. */
export function parser<T>(read: (text: string) => T | { error: string }): (value: string) => T {
  return (value) => {
    const result = read(value);
    if (typeof result === 'object' && result !== null && 'error' in result)
      throw new InvalidArgumentError((result as { error: string }).error);
    return result as T;
  };
}

export const DEBUG_OPTION = {
  flags: '--debug',
  description: 'show stack traces of unexpected errors',
} as const;

/** Flags more than one command shares, defined once so their help and parsing agree. */
export const SHARED = {
  pricing: {
    flags: '--pricing <file|dir>',
    description:
      'add or override prices from a pricing file or every file of a directory; ' +
      'later files win; repeatable',
    parse: repeatable((v: string) => v),
    default: [] as string[],
  },
  allowImplausible: {
    flags: '--allow-implausible',
    description:
      'price rates quarantined as implausible (a likely unit slip) as their source ' +
      'gave them; every table says so',
  },
  asOf: {
    flags: '--as-of <date>',
    description: 'use the prices in force on this day, YYYY-MM-DD',
    parse: unit(DATE_SPEC),
    defaultText: 'today',
  },
  out: {
    flags: '--out <file>',
    description: 'write the result to FILE atomically instead of stdout',
    output: true,
  },
  scenario: (what: string) =>
    ({
      flags: '--scenario <file|name>',
      description:
        `${what}: a scenario file, or a shipped one by name ` +
        `(${shippedScenarios().join(', ')})`,
    }) as const,
  seed: (description: string) => ({
    flags: '--seed <n>',
    description,
    parse: unit(SEED_SPEC),
    default: 1,
  }),
  format: <const K extends string>(choices: readonly K[], fallback: K) => ({
    flags: '--format <format>',
    description: 'output format',
    choices,
    default: fallback,
  }),
} as const;
