import { Dec, ZERO, type Big, formatUsd, groupThousands } from '../core/decimal.js';

export { formatUsd, groupThousands };

/** Money without rounding, for --explain and rates: at least 2 decimals, every digit kept. */
export function formatUsdExact(amount: Big): string {
  const plain = amount.abs().toFixed();
  const [int = '0', frac = ''] = plain.split('.');
  const text = groupThousands(`${int}.${frac.padEnd(2, '0')}`);
  return amount.lt(ZERO) ? `-$${text}` : `$${text}`;
}

/** A percentage to 1 decimal, half-up; `n/a` when it is undefined (a baseline that costs nothing). */
export function formatPct(pct: Big | undefined): string {
  return pct === undefined ? 'n/a' : `${pct.toFixed(1, Dec.roundHalfUp)}%`;
}

/** A share such as 0.8 as `80%`, exact. */
export function formatShare(share: Big): string {
  return `${share.times('100').toFixed()}%`;
}

/** A token or request quantity, exact, with thousands separators. */
export function formatQuantity(quantity: Big): string {
  return groupThousands(quantity.toFixed());
}

const COMPACT: Array<[number, string]> = [
  [1e12, 'T'],
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'K'],
];

/** "5M", "1.5B" when that is exact with at most 3 decimals; else "123,456,789". */
export function formatTokens(tokens: number): string {
  for (const [size, unit] of COMPACT) {
    if (tokens < size) continue;
    const scaled = Dec(String(tokens)).div(Dec(String(size)));
    if (scaled.eq(scaled.round(3))) return `${scaled.toFixed()}${unit}`;
    break;
  }
  return groupThousands(String(tokens));
}

/** "1 model", "2 models", "3 entries". */
export function plural(count: number, word: string, many = `${word}s`): string {
  return `${groupThousands(String(count))} ${count === 1 ? word : many}`;
}
