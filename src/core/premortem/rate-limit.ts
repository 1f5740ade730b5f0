import type { RateLimitSeen } from '../../domain/probe.js';
import type {
  MeasuredCheck,
  RateLimitEvidence,
  RateLimitHeadersSeen,
  Verdict,
} from '../../domain/premortem.js';
import { quantile } from '../probe/latency.js';

/**
 * One request of the rate-limit measurement: when it was sent (ms) and whether it was refused with
 * a 429.
 */
export interface Admission {
  at_ms: number;
  limited: boolean;
}

/** What the x-ratelimit-* headers of every answer add up to, or null when none carried any. */
export function headerSummary(
  seen: ReadonlyArray<RateLimitSeen | undefined>,
): RateLimitHeadersSeen | null {
  const all = seen.filter((s): s is RateLimitSeen => s !== undefined);
  if (all.length === 0) return null;
  const pick = (key: keyof RateLimitSeen, how: 'last' | 'min' | 'max'): number | null => {
    const values = all.map((s) => s[key]).filter((v): v is number => v !== undefined);
    if (values.length === 0) return null;
    return how === 'last'
      ? values[values.length - 1]!
      : how === 'min'
        ? Math.min(...values)
        : Math.max(...values);
  };
  return {
    answers_with_headers: all.length,
    limit_requests: pick('limit_requests', 'last'),
    remaining_requests_min: pick('remaining_requests', 'min'),
    reset_requests_ms_max: pick('reset_requests_ms', 'max'),
    limit_tokens: pick('limit_tokens', 'last'),
    remaining_tokens_min: pick('remaining_tokens', 'min'),
    reset_tokens_ms_max: pick('reset_tokens_ms', 'max'),
  };
}

/** Retry-After values in seconds: min, median and max, or null when no 429 asked for a wait. */
export function retryAfterStats(ms: readonly number[]): RateLimitEvidence['retry_after_s'] {
  if (ms.length === 0) return null;
  const sorted = [...ms].sort((a, b) => a - b);
  const s = (v: number) => Math.round(v) / 1000;
  return {
    min: s(sorted[0]!),
    median: s(quantile(sorted, 0.5)),
    max: s(sorted[sorted.length - 1]!),
  };
}

/** Runs of consecutive admissions (in send order): where each starts and how long it is. */
function admittedRuns(obs: readonly Admission[]): Array<{ start_ms: number; length: number }> {
  const runs: Array<{ start_ms: number; length: number }> = [];
  let current: { start_ms: number; length: number } | undefined;
  for (const o of obs) {
    if (o.limited) current = undefined;
    else if (current === undefined) runs.push((current = { start_ms: o.at_ms, length: 1 }));
    else current.length++;
  }
  return runs;
}

/**
 * A run of admissions this long, again and again, under a saturating rate is a window refilling at
 * once.
 */
export const RESET_RUN = 3;

/**
 * The shape of a limit under a saturating constant rate. A window that resets lets the first
 * `limit` arrivals of each window through in one run: runs repeat every window, and the rate is
 * whole runs over whole cycles. A sliding window or a bucket lets requests through one by one
 * as room comes back ("spread"): the rate is admissions over the span.
 */
export function saturationShape(obs: readonly Admission[]): {
  shape: 'resets' | 'spread' | null;
  rate_per_s: number | null;
  limit: number | null;
  window_ms: number | null;
} {
  const sorted = [...obs].sort((a, b) => a.at_ms - b.at_ms);
  const admitted = sorted.filter((o) => !o.limited);
  if (sorted.length < 2 || admitted.length === 0 || admitted.length === sorted.length)
    return { shape: null, rate_per_s: null, limit: null, window_ms: null };
  const runs = admittedRuns(sorted);
  // the first run may be the tail of a window already in use, the last one cut by the end
  const whole = runs.slice(1, -1);
  const lengths = whole.map((r) => r.length).sort((a, b) => a - b);
  if (whole.length >= 1 && quantile(lengths, 0.5) >= RESET_RUN && runs.length >= 3) {
    const cycles = runs.slice(1);
    const span = cycles[cycles.length - 1]!.start_ms - cycles[0]!.start_ms;
    const passed = cycles.slice(0, -1).reduce((n, r) => n + r.length, 0);
    const gaps = cycles
      .slice(1)
      .map((r, i) => r.start_ms - cycles[i]!.start_ms)
      .sort((a, b) => a - b);
    return {
      shape: 'resets',
      rate_per_s: span > 0 ? (passed / span) * 1000 : null,
      limit: quantile(lengths, 0.5),
      window_ms: quantile(gaps, 0.5),
    };
  }
  const span = sorted[sorted.length - 1]!.at_ms - sorted[0]!.at_ms;
  return {
    shape: 'spread',
    rate_per_s: span > 0 ? (admitted.length / span) * 1000 : null,
    limit: null,
    window_ms: null,
  };
}

/**
 * After a pause long enough to refill, a burst lets `burst` through; then the first admission
 * comes `firstBackMs` later. A token bucket gives one back after 1/rate; a sliding window gives
 * nothing back until the burst leaves it, a whole window later.
 */
export function gradualKind(
  burst: number,
  ratePerS: number,
  firstBackMs: number,
): { kind: 'sliding' | 'token_bucket'; window_ms: number } {
  const windowMs = (burst / ratePerS) * 1000;
  return firstBackMs > windowMs / 2
    ? { kind: 'sliding', window_ms: firstBackMs }
    : { kind: 'token_bucket', window_ms: windowMs };
}

/**
 * rate_limit: pass when the limit and its kind were learned, warn when only part was, unknown when
 * nothing was.
 */
export function rateLimitCheck(evidence: RateLimitEvidence): MeasuredCheck {
  const learned = [
    evidence.limit_requests !== null,
    evidence.window_kind !== 'unknown',
    evidence.rate_per_s !== null,
  ];
  const verdict: Verdict = learned.every(Boolean)
    ? 'pass'
    : learned.some(Boolean) || evidence.headers !== null
      ? 'warn'
      : 'unknown';
  return { id: 'rate_limit', verdict, evidence };
}
