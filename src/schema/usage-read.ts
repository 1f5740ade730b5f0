import type { UsageCounts, UsageRecord } from '../domain/usage.js';
import { Dec, type Big } from '../units/decimal.js';
import { isoDay } from '../units/date.js';
import { type DataPath, describeValue, type IssueList } from './issues.js';

/**
 * Reads shared by the usage formats: token counts that must be whole and not negative (int64
 * values arrive as JSON strings in OTLP), UTC days from the providers' timestamps, and money.
 */

/**
 * A token or request count: a whole number >= 0, or its decimal string; absent is 0. The path
 * may be a function, so that a reader of millions of records builds one only for a bad count.
 */
export function countAt(
  value: unknown,
  path: DataPath | (() => DataPath),
  issues: IssueList,
  what = 'a whole number of tokens, 0 or more',
): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  const n = typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value;
  if (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0) return n;
  issues.add(
    typeof path === 'function' ? path() : path,
    `expected ${what}, got ${describeValue(value)}`,
  );
  return 0;
}

/** The UTC day of a Unix time in seconds (OpenAI's bucket start_time). */
export function dayOfUnixSeconds(value: unknown, path: DataPath, issues: IssueList) {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0)
    return isoDay(new Date(value * 1000));
  issues.add(path, `expected a Unix time in seconds, got ${describeValue(value)}`);
  return undefined;
}

/** The UTC day of an RFC 3339 time ("2025-08-01T00:00:00Z"), converted from its offset. */
export function dayOfTimestamp(value: unknown, path: DataPath, issues: IssueList) {
  const ms = msOfTimestamp(value, path, issues);
  return ms === undefined ? undefined : isoDay(new Date(ms));
}

/** A time as milliseconds since 1970 (UTC when it names no zone), or a problem at `path`. */
export function msOfTimestamp(value: unknown, path: DataPath, issues: IssueList) {
  const ms =
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}([T ][0-9:.]+)?(Z|[+-]\d{2}:?\d{2})?$/.test(value)
      ? Date.parse(/[T ]/.test(value) && !/(Z|[+-]\d{2}:?\d{2})$/.test(value) ? `${value}Z` : value)
      : NaN;
  if (Number.isFinite(ms)) return ms;
  issues.add(path, `expected a time such as 2025-08-01T00:00:00Z, got ${describeValue(value)}`);
  return undefined;
}

/** Hours since 1970 of a time in milliseconds: the hour a record started, in UTC. */
export const hourOfMs = (ms: number): number => Math.floor(ms / 3_600_000);

/** An amount of money: a JSON number or a decimal string, 0 or more. */
export function moneyAt(value: unknown, path: DataPath, issues: IssueList): Big | undefined {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text === 'string' && /^\d{1,15}(\.\d{1,30})?$/.test(text.trim()))
    return Dec(text.trim());
  if (typeof text === 'string' && /^\d(\.\d+)?e-\d+$/i.test(text))
    return Dec(Number(text).toFixed(30));
  issues.add(path, `expected an amount of money, 0 or more, got ${describeValue(value)}`);
  return undefined;
}

/** Counts that contradict each other are an error naming the record, never a negative part. */
export function checkParts(c: UsageCounts, path: DataPath, issues: IssueList): void {
  if (c.cached_input_tokens + c.cache_write_tokens > c.input_tokens)
    issues.add(
      path,
      `cached (${c.cached_input_tokens}) and cache-write (${c.cache_write_tokens}) tokens are ` +
        `more than the input tokens (${c.input_tokens}) that include them`,
    );
  if (c.reasoning_tokens > c.output_tokens)
    issues.add(
      path,
      `reasoning tokens (${c.reasoning_tokens}) are more than the output tokens ` +
        `(${c.output_tokens}) that include them`,
    );
  if (c.cache_write_1h_tokens > c.cache_write_tokens)
    issues.add(path, '1-hour cache writes are more than all cache writes');
}

/** A record with no counts of its own filled in as zero. */
export function emptyRecord(day: string, model: string): UsageRecord {
  return {
    day,
    model,
    provider: undefined,
    service_tier: 'standard',
    billed: undefined,
    key: undefined,
    unpriceable: undefined,
    requests: 0,
    input_tokens: 0,
    cached_input_tokens: 0,
    cache_write_tokens: 0,
    cache_write_1h_tokens: 0,
    output_tokens: 0,
    reasoning_tokens: 0,
  };
}

/** A value as a mapping, or undefined. */
export function asMap(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A string value, or undefined for anything else (null included). */
export const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** The model a source that was not grouped by model gives: nothing to price. */
export const NOT_GROUPED = '(not grouped by model)';
