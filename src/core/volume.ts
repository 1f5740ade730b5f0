import { Dec, type Big } from './decimal.js';

/** The largest monthly volume we accept: past this a figure is a typo, not a forecast. */
export const MAX_TOKENS = 1e15;

const SUFFIX: Record<string, string> = {
  k: '1000',
  m: '1000000',
  b: '1000000000',
  t: '1000000000000',
};

// digits with optional `_` separators, or comma-grouped thousands; then fraction, exponent, suffix
const VOLUME =
  /^(?<int>[0-9]+(?:_[0-9]+)*|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.(?<frac>[0-9]+(?:_[0-9]+)*))?(?:e(?<exp>[+-]?[0-9]{1,3}))?\s*(?<suffix>[kmbt])?(?:\s*tokens?)?$/i;

export type VolumeResult = { ok: true; tokens: number } | { ok: false; reason: string };

/**
 * Reads a token volume the way people write it (5M, 1.5k, 2.5e9, 500_000_000, 500,000,000).
 * Exact: the text goes through a decimal, never a float, and must come out a whole number.
 */
export function parseVolume(input: unknown): VolumeResult {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return fail(`${input} is not a finite number`);
    return checkTokens(Number.isInteger(input) ? Dec(String(input)) : undefined, String(input));
  }
  if (typeof input !== 'string') return fail(`expected a token count such as 500M, got ${describe(input)}`);
  const text = input.trim();
  if (text === '') return fail('empty; expected a token count such as 5M, 500M, 5B or 500,000,000');
  if (text.startsWith('-')) return fail(`"${text}" is negative; a volume is a positive token count`);
  const match = VOLUME.exec(text.startsWith('+') ? text.slice(1) : text);
  if (!match?.groups) {
    return fail(`"${text}" is not a token count; write it like 5M, 1.5k, 2.5e9, 500_000_000 or 500,000,000`);
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
    return fail(`"${text}" is not a whole number of tokens`);
  }
  if (value.lte('0')) return fail(`"${text}" is not positive; a volume is at least 1 token`);
  if (value.gt(String(MAX_TOKENS))) return fail(`"${text}" is over 1e15 tokens a month; check the units`);
  return { ok: true, tokens: Number(value.toFixed(0)) };
}

function fail(reason: string): VolumeResult {
  return { ok: false, reason };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `${typeof value} ${String(value)}`;
}
