import { Dec, ZERO, type Big } from '../units/decimal.js';
import { compactTokens } from '../units/volume.js';

/**
 * Every number, money, percentage and duration shown to a person is formatted here, and nowhere
 * else.
 */

const CENT = Dec('0.01');

/** Thousands separators in the integer part of a plain decimal string. */
export function groupThousands(plain: string): string {
  const negative = plain.startsWith('-');
  const [int = '', frac] = (negative ? plain.slice(1) : plain).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${frac === undefined ? grouped : `${grouped}.${frac}`}`;
}

/**
 * Money for tables: 2 decimals, half-up, thousands separators; a non-zero amount under a cent is
 * `<$0.01`.
 */
export function formatUsd(amount: Big): string {
  const negative = amount.lt(ZERO);
  const abs = negative ? amount.abs() : amount;
  if (!abs.eq(ZERO) && abs.lt(CENT)) return negative ? '-<$0.01' : '<$0.01';
  const text = groupThousands(abs.toFixed(2, Dec.roundHalfUp));
  return negative ? `-$${text}` : `$${text}`;
}

/** Money without rounding, for --explain and rates: at least 2 decimals, every digit kept. */
export function formatUsdExact(amount: Big): string {
  const plain = amount.abs().toFixed();
  const [int = '0', frac = ''] = plain.split('.');
  const text = groupThousands(`${int}.${frac.padEnd(2, '0')}`);
  return amount.lt(ZERO) ? `-$${text}` : `$${text}`;
}

/**
 * A percentage to 1 decimal, half-up; `n/a` when it is undefined (a baseline that costs nothing).
 */
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

/** "5M", "1.5B" when that is exact with at most 3 decimals; else "123,456,789". */
export function formatTokens(tokens: number): string {
  const { text, compact } = compactTokens(tokens);
  return compact ? text : groupThousands(text);
}

/**
 * A volume in a column of projected months: always with a suffix, to 2 decimals ("760.44M"), so
 * every row reads the same way.
 */
export function formatTokensApprox(tokens: number): string {
  const [div, suffix] =
    tokens >= 1e12
      ? [1e12, 'T']
      : tokens >= 1e9
        ? [1e9, 'B']
        : tokens >= 1e6
          ? [1e6, 'M']
          : tokens >= 1e3
            ? [1e3, 'k']
            : [1, ''];
  return `${Number((tokens / div).toFixed(2))}${suffix}`;
}

/** "1 model", "2 models", "3 entries". */
export function plural(count: number, word: string, many = `${word}s`): string {
  return `${groupThousands(String(count))} ${count === 1 ? word : many}`;
}

/** A decimal rounded for prose: "43.8". */
export function formatDecimal(value: Big, places = 2): string {
  return value.round(places, Dec.roundHalfUp).toFixed();
}

/** A float rounded to `digits` decimals, as a number (for JSON of measured latencies). */
export function round(v: number, digits = 1): number {
  return Math.round(v * 10 ** digits) / 10 ** digits;
}

/** Milliseconds for people: "812.4 ms", or "1.23 s" from a second on. */
export function formatMs(ms: number): string {
  return ms >= 1000 ? `${round(ms / 1000, 2)} s` : `${round(ms)} ms`;
}

/** A measured value in its unit: milliseconds, or a plain figure (tokens/s). */
export function formatMeasure(v: number, unit: 'ms' | ''): string {
  return unit === 'ms' ? formatMs(v) : String(round(v));
}

/** A fraction as a percentage with up to `digits` decimals: 0.0125 -> "1.25%". */
export function formatRatePct(fraction: number, digits = 2): string {
  return `${round(fraction * 100, digits)}%`;
}

/** A weight (0-1) as a percentage to 1 decimal: "14.3%". */
export function formatWeight(weight: number): string {
  return `${(weight * 100).toFixed(1)}%`;
}

/** A score on the 0-10 scale, 2 decimals; "-" when there is none. */
export function formatScore(v: number | undefined): string {
  return v === undefined ? '-' : v.toFixed(2);
}

/** A float with a fixed number of decimals, for scores and shares in prose: "35.2". */
export function formatFixed(v: number, digits: number): string {
  return v.toFixed(digits);
}

/** A decimal with every digit and no trailing zeros: rates, limits and uptimes in prose. */
export function formatExact(v: Big): string {
  return v.toFixed();
}

/** A percentage held as a decimal, to 4 places: "1.44%". */
export function formatPctDecimal(pct: Big): string {
  return `${pct.round(4).toFixed()}%`;
}

// C0 controls but line feed, DEL, C1 controls, and the bidirectional overrides that reorder what a
// reader sees
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const HIDDEN = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from data files and endpoints made safe to show: escape sequences and bidi tricks become
 * visible `\u001b`, line feeds stay.
 */
export function printable(text: string): string {
  return text.replace(HIDDEN, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// what XML 1.0 forbids beyond the controls `printable` shows: unpaired surrogates, U+FFFE, U+FFFF
const NOT_XML =
  /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[\ufffe\uffff]/g;

/**
 * Every string of a value made printable and valid in XML 1.0 (controls shown escaped, what XML
 * cannot hold replaced by U+FFFD): a deck's names reach PowerPoint's XML, SVG and HTML alike.
 */
export function printableDeep<T>(value: T): T {
  if (typeof value === 'string') return printable(value).replace(NOT_XML, '\ufffd') as T;
  if (Array.isArray(value)) return value.map(printableDeep) as T;
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, printableDeep(v)])) as T;
  return value;
}

/**
 * An axis label in dollars, short: "$1.25", "$500", "$12k", "$1.5M". Axis ticks only: tables keep
 * every cent.
 */
export function formatUsdShort(value: number): string {
  const abs = Math.abs(value);
  const [n, suffix] =
    abs >= 1e6 ? [value / 1e6, 'M'] : abs >= 1e3 ? [value / 1e3, 'k'] : [value, ''];
  // dollars: cents only under $10 ($1.25); thousands and millions: one decimal under 100 ($1.5k,
  // $12.5M)
  const digits =
    suffix === '' ? (abs < 10 && !Number.isInteger(value) ? 2 : 0) : Math.abs(n) < 100 ? 1 : 0;
  // cents as cents ("$2.50", never "$2.5"); a short thousand drops a trailing zero ("$10k")
  const minimum = suffix === '' ? digits : 0;
  const shown = Number(n.toFixed(digits)).toLocaleString('en-US', {
    minimumFractionDigits: minimum,
  });
  return `$${shown}${suffix}`;
}

/**
 * A value label on a chart, as the pptx's number format draws it: cents under $100, whole dollars
 * under $10,000, then thousands ("$12.50", "$1,250", "$48.8k"): short where bars stand close.
 */
export function formatUsdLabel(value: number): string {
  if (value < 100) return `$${value.toFixed(2)}`;
  if (value < 10_000) return `$${Math.round(value).toLocaleString('en-US')}`;
  const k = (value / 1000).toLocaleString('en-US', {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  return `$${k}k`;
}
