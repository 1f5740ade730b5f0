import { type UnitSpec, specOf } from './spec.js';

/** Up to an hour: a probe deadline or window past that is a typo. */
export const MAX_DURATION_MS = 3_600_000;

/** "800ms", "2s", "1.5s", "1m" or plain milliseconds, above 0 and up to an hour. */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d{1,10}(?:\.\d{1,6})?)\s*(ms|s|m)?\s*$/.exec(text);
  if (!m) return undefined;
  const value = Number(m[1]) * (m[2] === 's' ? 1000 : m[2] === 'm' ? 60_000 : 1);
  return value > 0 && value <= MAX_DURATION_MS ? value : undefined;
}

/** Milliseconds written with their unit where they are shown: "800ms", "30s". */
export function formatDuration(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000}m` : ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** A duration in milliseconds: deadlines, waits and windows of probe and mock. */
export const DURATION_SPEC: UnitSpec<number> = specOf('a duration such as 800ms, 2s or 1.5s (up to 1 hour)', '30s', parseDuration, formatDuration);
