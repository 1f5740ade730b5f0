import { type UnitSpec, fail, ok } from './spec.js';

/** Up to an hour: a probe deadline or window past that is a typo. */
export const MAX_DURATION_MS = 3_600_000;

const WHAT = 'a duration with its unit, such as 800ms, 2s or 1.5m (up to 1 hour)';

/**
 * "800ms", "2s", "1.5s", "1m": a unit is required, because `--timeout 30` has been read as 30 ms
 * by one tool and 30 s by another; a bare number is refused with both readings.
 */
export function readDuration(
  text: string,
): { ok: true; value: number } | { ok: false; reason: string } {
  const m = /^\s*(\d{1,10}(?:\.\d{1,6})?)\s*(ms|s|m)?\s*$/.exec(text);
  if (!m) return fail(`expected ${WHAT}, got "${text}"`);
  if (m[2] === undefined) return fail(`"${text}" has no unit: did you mean ${m[1]}s or ${m[1]}ms?`);
  const value = Number(m[1]) * (m[2] === 's' ? 1000 : m[2] === 'm' ? 60_000 : 1);
  if (value <= 0 || value > MAX_DURATION_MS)
    return fail(`"${text}" is out of range: expected ${WHAT}`);
  return ok(value);
}

/** Milliseconds written with their unit where they are shown: "800ms", "30s". */
export function formatDuration(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000}m` : ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** A duration in milliseconds: deadlines, waits and windows of probe and mock. */
export const DURATION_SPEC: UnitSpec<number> = {
  what: WHAT,
  example: '30s',
  parse: readDuration,
  format: formatDuration,
};
