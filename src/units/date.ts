import { type UnitSpec, fail, ok } from './spec.js';

/** A real calendar date in YYYY-MM-DD form (2026-02-30 is not one). */
export function isIsoDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** The calendar day of `date` in UTC, as YYYY-MM-DD. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The day `n` days after (or, negative, before) a YYYY-MM-DD day, in UTC. */
export function addDays(day: string, n: number): string {
  return isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000));
}

/** Whole days from `from` to `to` (YYYY-MM-DD), computed in UTC so no clock or zone is involved. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** A calendar day: --as-of, --effective-from and every effective_from of a pricing file. */
export const DATE_SPEC: UnitSpec<string> = {
  what: 'a date written YYYY-MM-DD, such as 2026-11-24',
  example: '2026-11-24',
  parse: (text) =>
    isIsoDate(text) ? ok(text) : fail('expected a date written YYYY-MM-DD, such as 2026-11-24'),
  format: (day) => day,
};
