import { Dec, type Big } from './decimal.js';
import { type Parsed, type UnitSpec, fail, ok } from './spec.js';

/** The largest monthly volume we accept: past this a figure is a typo, not a forecast. */
export const MAX_TOKENS = 1e15;

const SUFFIX: Record<string, string> = {
  k: '1000',
  m: '1000000',
  b: '1000000000',
  t: '1000000000000',
  thousand: '1000',
  million: '1000000',
  billion: '1000000000',
  trillion: '1000000000000',
};

// digits with optional `_` separators, or comma-grouped thousands; then fraction, exponent, suffix
const VOLUME =
  /^(?<int>[0-9]+(?:_[0-9]+)*|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.(?<frac>[0-9]+(?:_[0-9]+)*))?(?:e(?<exp>[+-]?[0-9]{1,3}))?\s*(?<suffix>thousand|million|billion|trillion|[kmbt])?(?:\s*tokens?)?$/i;

export type VolumeResult = { ok: true; tokens: number } | { ok: false; reason: string };

/**
 * Reads a token volume the way people write it (5M, 1.5k, 2.5e9, 500_000_000, 500,000,000, 5
 * billion). Exact: the text goes through a decimal, never a float, and must come out a whole
 * number.
 */
export function parseVolume(input: unknown): VolumeResult {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return failed(`${input} is not a finite number`);
    return checkTokens(Number.isInteger(input) ? Dec(String(input)) : undefined, String(input));
  }
  if (typeof input !== 'string')
    return failed(`expected a token count such as 500M, got ${describe(input)}`);
  const text = input.trim();
  if (text === '')
    return failed('empty; expected a token count such as 5M, 500M, 5B or 500,000,000');
  if (text.startsWith('-'))
    return failed(`"${text}" is negative; a volume is a positive token count`);
  const match = VOLUME.exec(text.startsWith('+') ? text.slice(1) : text);
  if (!match?.groups) {
    return failed(
      `"${text}" is not a token count; write it like 5M, 1.5k, 2.5e9, 500_000_000 or 500,000,000`,
    );
  }
  const { int = '', frac, exp, suffix } = match.groups;
  let value = Dec(`${int.replace(/[_,]/g, '')}.${(frac ?? '0').replace(/_/g, '')}`);
  if (exp !== undefined) {
    const e = Number(exp);
    value = e >= 0 ? value.times(Dec('10').pow(e)) : value.times(Dec('0.1').pow(-e));
  }
  if (suffix !== undefined) value = value.times(SUFFIX[suffix.toLowerCase()] ?? '1');
  return checkTokens(value, text);
}

function checkTokens(value: Big | undefined, text: string): VolumeResult {
  if (value === undefined || !value.eq(value.round(0, 0))) {
    return failed(`"${text}" is not a whole number of tokens`);
  }
  if (value.lte('0')) return failed(`"${text}" is not positive; a volume is at least 1 token`);
  if (value.gt(String(MAX_TOKENS)))
    return failed(`"${text}" is over 1e15 tokens a month; check the units`);
  return { ok: true, tokens: Number(value.toFixed(0)) };
}

function failed(reason: string): VolumeResult {
  return { ok: false, reason };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `${typeof value} ${String(value)}`;
}

const COMPACT: Array<[number, string]> = [
  [1e12, 'T'],
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'K'],
];

/** "5M", "1.5B" when that is exact with at most 3 decimals; else the plain digits. */
export function compactTokens(tokens: number): { text: string; compact: boolean } {
  for (const [size, unit] of COMPACT) {
    if (tokens < size) continue;
    const scaled = Dec(String(tokens)).div(Dec(String(size)));
    if (scaled.eq(scaled.round(3))) return { text: `${scaled.toFixed()}${unit}`, compact: true };
    break;
  }
  return { text: String(tokens), compact: false };
}

/**
 * A monthly token volume: flags, scenario stages, presets and answers files read it the same way.
 */
export const VOLUME_SPEC: UnitSpec<number> = {
  what: 'a token count such as 5M, 1.5k, 2.5e9 or 500,000,000',
  example: '500M',
  parse: (text): Parsed<number> => {
    const r = parseVolume(text);
    return r.ok ? ok(r.tokens) : fail(r.reason);
  },
  format: (tokens) => compactTokens(tokens).text,
};
