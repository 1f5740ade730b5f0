import BigBase from 'big.js';
import type { Big } from 'big.js';

export type { Big };

/**
 * The only decimal constructor on the money path. Strict mode makes big.js refuse JS numbers,
 * so a float can never leak into a price or a total.
 */
export const Dec = BigBase();
Dec.strict = true;
Dec.DP = 40; // only division rounds (savings %, per-request fees); 40 places is far below a cent
Dec.RM = 1; // round half up
Dec.NE = -1_000_000; // plain notation, never exponential, in toString()
Dec.PE = 1_000_000;

export const ZERO = Dec('0');
export const ONE = Dec('1');
/** Rates are per million tokens; multiplying by this is exact, where div(1e6) would round at DP. */
export const PER_MILLION = Dec('0.000001');

/**
 * Digits a decimal in a data file may have: enough for any price, share or fee, and arithmetic on
 * them stays quick.
 */
export const DECIMAL_DIGITS = { whole: 15, places: 30 };
const PLAIN_DECIMAL = new RegExp(
  `^(0|[1-9][0-9]{0,${DECIMAL_DIGITS.whole - 1}})(\\.[0-9]{1,${DECIMAL_DIGITS.places}})?$`,
);

/**
 * Parses a non-negative plain decimal string ("0.25", "10", "10.00") of at most DECIMAL_DIGITS;
 * undefined otherwise.
 */
export function parsePlainDecimal(text: string): Big | undefined {
  return PLAIN_DECIMAL.test(text) ? Dec(text) : undefined;
}

/** An integer as a decimal, for token counts (which are safe integers by construction). */
export function decInt(n: number): Big {
  if (!Number.isSafeInteger(n)) throw new RangeError(`not a safe integer: ${n}`);
  return Dec(String(n));
}

/** Sum of decimals, starting from exact zero. */
export function sum(values: Iterable<Big>): Big {
  let total = ZERO;
  for (const v of values) total = total.plus(v);
  return total;
}

/** The exact decimal text for JSON and CSV: plain notation, no trailing zeros. */
export function exact(value: Big): string {
  return value.toFixed();
}

/**
 * Ratios are shown to 1 (tables) or 6 (JSON) decimals, so 20 places is ample and twice as fast as
 * 40.
 */
const Ratio = BigBase();
Ratio.strict = true;
Ratio.DP = 20;
Ratio.RM = 1;
Ratio.NE = -1_000_000;
Ratio.PE = 1_000_000;

/**
 * Percentage saved against a baseline (20 places), or undefined when the baseline costs nothing.
 */
export function savingsPct(cost: Big, baseline: Big): Big | undefined {
  if (baseline.eq(ZERO)) return undefined;
  return Ratio(baseline.minus(cost)).div(baseline).times('100');
}
