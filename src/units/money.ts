import { Dec, type Big } from './decimal.js';
import { type UnitSpec, specOf } from './spec.js';

/**
 * Past 40 significant characters an amount is a paste accident, and big.js would work hard for
 * nothing.
 */
const MAX_DIGITS = 40;
const USD = /^\$?\s*((?:0|[1-9][0-9]*)|[1-9][0-9]{0,2}(?:,[0-9]{3})+)(\.[0-9]+)?\s*([km])?$/i;

/** A dollar amount as people type it ("1000", "$1,250.50", "5k"); undefined when it is not one. */
export function parseUsd(text: string): Big | undefined {
  const t = text.trim();
  if (t.length > MAX_DIGITS) return undefined;
  const m = USD.exec(t);
  if (!m) return undefined;
  const value = Dec(`${m[1]!.replace(/,/g, '')}${m[2] ?? ''}`);
  const unit = m[3]?.toLowerCase();
  return unit === 'k' ? value.times('1000') : unit === 'm' ? value.times('1000000') : value;
}

/** US dollars, for budgets and ceilings: flags and answers files read it the same way. */
export const USD_SPEC: UnitSpec<Big> = specOf(
  'an amount in USD, such as 1000, $1,250.50 or 5k',
  '1000',
  parseUsd,
  (value) => value.toFixed(),
);
