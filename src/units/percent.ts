import { Dec, type Big } from './decimal.js';
import { type UnitSpec, fail, ok, specOf } from './spec.js';

const SIGNED = /^\s*([+-]?)((?:0|[1-9][0-9]{0,15})(?:\.[0-9]{1,20})?)\s*%?\s*$/;

/** "15", "15%", "-5", "2.5": month-over-month growth in percent, above -100 and at most 10,000. */
export function parseGrowthPct(text: string): Big | undefined {
  const m = SIGNED.exec(text);
  if (!m) return undefined;
  const value = Dec(`${m[1] === '-' ? '-' : ''}${m[2]}`);
  return value.gt('-100') && value.lte('10000') ? value : undefined;
}

/** Month-over-month growth in percent: the --growth flag and a scenario's growth.monthly_pct. */
export const GROWTH_SPEC: UnitSpec<Big> = specOf(
  'a monthly growth in percent above -100, such as 15 or 2.5%',
  '15',
  parseGrowthPct,
  (value) => value.toFixed(),
);

/** A non-negative percentage, "10" or "2.5%": never a dollar amount, never a fraction. */
export const PERCENT_SPEC: UnitSpec<Big> = specOf(
  'a percentage such as 10 or 2.5%',
  '10',
  (text) => {
    const m = SIGNED.exec(text);
    return !m || m[1] === '-' ? undefined : Dec(m[2]!);
  },
  (value) => value.toFixed(),
);

/**
 * A share of tokens written in percent, "75%", from 0% to 100%; returned as a fraction (0.75).
 * The % is required: a bare 0.75 could mean 75% or 0.75%, so it is refused with both readings.
 */
export const SHARE_SPEC: UnitSpec<Big> = {
  what: 'a share in percent from 0% to 100%, such as 75%',
  example: '75%',
  parse: (text) => {
    const m = /^\s*((?:0|[1-9][0-9]{0,2})(?:\.[0-9]{1,10})?)\s*(%?)\s*$/.exec(text);
    if (m === null || Dec(m[1]!).gt('100'))
      return fail('expected a share in percent from 0% to 100%, such as 75%');
    if (m[2] === '') {
      const asFraction = Dec(m[1]!).lte('1') ? ` or ${Dec(m[1]!).times('100').toFixed()}%` : '';
      return fail(`a share needs its %: did you mean ${m[1]}%${asFraction}?`);
    }
    return ok(Dec(m[1]!).div('100'));
  },
  format: (share) => `${share.times('100').toFixed()}%`,
};
