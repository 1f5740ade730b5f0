import { InvalidArgumentError } from 'commander';
import { DATE_SPEC } from '../units/date.js';
import { shippedScenarios } from '../load/scenario.js';
import { DEFAULT_SEED_TEXT, SEED_SPEC } from '../units/seed.js';
import type { UnitSpec } from '../units/spec.js';

import type { CommandSpec, FlagRef, FlagRule, OptionSpec, OptionTable } from '../domain/options.js';
import type { BreakerSettings } from '../domain/probe.js';
import { DURATION_SPEC } from '../units/duration.js';
import { FRACTION_SPEC } from '../units/rate.js';
import { countSpec } from '../units/spec.js';

export type { CommandSpec, FlagRule, OptionSpec, OptionTable };

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
      'add or override prices from a pricing file, every file of a directory, or a shipped ' +
      "catalog by name (litellm: LiteLLM's map of 2026-07-24); later files win; repeatable",
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
  logScale: {
    flags: '--log-scale',
    description:
      'draw cost charts on a log axis (each decade the same length), said on the chart; ' +
      'linear from zero otherwise, so bar length is cost',
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
  seed: (description: string) =>
    withDefault({ flags: '--seed <n>', description, parse: unit(SEED_SPEC) }, DEFAULT_SEED_TEXT),
  format: <const K extends string>(
    choices: readonly K[],
    fallback: K,
    description = 'output format',
  ) => ({
    flags: '--format <format>',
    description,
    choices,
    parse: formatOf(choices),
    default: fallback,
  }),
} as const;

/** A command's spec, its literal types kept. */
export function defineCommand<const T extends CommandSpec>(spec: T): T {
  return spec;
}

/** A flag in a rule: its option key, or the key and the value that matters. */
type Ref = string | readonly [key: string, value: string];
const ref = (r: Ref): FlagRef => (typeof r === 'string' ? { key: r } : { key: r[0], value: r[1] });

/** `flag` needs `other`: "--mock-profile needs --mock". */
export function needs(flag: Ref, other: Ref, why?: string): FlagRule {
  return {
    kind: 'needs',
    flag: ref(flag),
    other: ref(other),
    ...(why === undefined ? {} : { why }),
  };
}

/** `flag` needs one of `others`: "--model needs --base-url or --mock". */
export function needsOneOf(flag: Ref, others: readonly Ref[], why?: string): FlagRule {
  return {
    kind: 'needs',
    flag: ref(flag),
    other: others.map(ref),
    ...(why === undefined ? {} : { why }),
  };
}

/** `flag` and `other` cannot both be given: "--all-models prices every model; leave out ...". */
export function conflicts(flag: Ref, other: Ref, why?: string): FlagRule {
  return {
    kind: 'conflicts',
    flag: ref(flag),
    other: ref(other),
    ...(why === undefined ? {} : { why }),
  };
}

/** At most one of these flags: "--out and --out-dir both name where the report goes: pass one". */
export function oneOf(flags: readonly Ref[], why: string): FlagRule {
  return { kind: 'one_of', flags: flags.map(ref), why };
}

/** A rule whose error and help line are written by hand. */
export function worded(rule: FlagRule, message: string): FlagRule {
  return { ...rule, message };
}

type Parsed<S> = S extends { parse: (value: string, previous: any) => infer T } ? T : never;

/**
 * An option whose default is written once, as a person types it ("30s"), and parsed by the option's
 * own parser; `note` follows it in help ("720, hourly").
 */
export function withDefault<
  const S extends OptionSpec<any> & { parse: (v: string, p: any) => any },
>(spec: S, text: string, note?: string): S & { default: Parsed<S>; defaultText: string } {
  return {
    ...spec,
    default: spec.parse(text, undefined) as Parsed<S>,
    defaultText: note === undefined ? text : `${text}, ${note}`,
  };
}

/**
 * An option whose default applies only when a file does not say either (the breaker: flag, then the
 * scenario, then this): shown in help, parsed from the same text, never set by commander.
 */
export function withFallback<
  const S extends OptionSpec<any> & { parse: (v: string, p: any) => any },
>(spec: S, text: string): S & { fallback: Parsed<S>; defaultText: string } {
  return { ...spec, fallback: spec.parse(text, undefined) as Parsed<S>, defaultText: text };
}

/** The drill's circuit breaker, shared by probe and premortem. */
export const BREAKER_OPTIONS = {
  breakerFailureShare: withFallback(
    {
      flags: '--breaker-failure-share <x>',
      description: 'drill: failure share of the rolling window that opens a breaker',
      parse: unit(FRACTION_SPEC),
    },
    '0.5',
  ),
  breakerWindow: withFallback(
    {
      flags: '--breaker-window <dur>',
      description: 'drill: rolling window of the breaker',
      parse: unit(DURATION_SPEC),
    },
    '10s',
  ),
  breakerMinRequests: withFallback(
    {
      flags: '--breaker-min-requests <n>',
      description: 'drill: attempts the window needs before it can open',
      parse: unit(countSpec(1, 1_000_000)),
    },
    '5',
  ),
  breakerCooldown: withFallback(
    {
      flags: '--breaker-cooldown <dur>',
      description: 'drill: time open before one trial (half-open)',
      parse: unit(DURATION_SPEC),
    },
    '5s',
  ),
} as const;

/** The breaker a run uses: each setting from its flag, else the scenario, else the default. */
export function breakerOf(
  flags: {
    breakerFailureShare?: number | undefined;
    breakerWindow?: number | undefined;
    breakerMinRequests?: number | undefined;
    breakerCooldown?: number | undefined;
  },
  scenario: Partial<BreakerSettings> = {},
): BreakerSettings {
  const o = BREAKER_OPTIONS;
  return {
    failure_share:
      flags.breakerFailureShare ?? scenario.failure_share ?? o.breakerFailureShare.fallback,
    window_ms: flags.breakerWindow ?? scenario.window_ms ?? o.breakerWindow.fallback,
    min_requests:
      flags.breakerMinRequests ?? scenario.min_requests ?? o.breakerMinRequests.fallback,
    cooldown_ms: flags.breakerCooldown ?? scenario.cooldown_ms ?? o.breakerCooldown.fallback,
  };
}

/** Other names a format goes by, the same for every command: `md` is markdown. */
const FORMAT_ALIASES: Readonly<Record<string, string>> = { md: 'markdown' };

/** A --format value: one of the choices, or another name for one (`md`); else commander's error. */
function formatOf<const K extends string>(choices: readonly K[]): (value: string) => K {
  return (value) => {
    const name = (FORMAT_ALIASES[value] ?? value) as K;
    if (!choices.includes(name))
      throw new InvalidArgumentError(`Allowed choices are ${choices.join(', ')}.`);
    return name;
  };
}
