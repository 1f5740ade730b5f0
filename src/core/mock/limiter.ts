import type { RateLimit } from '../../domain/mock.js';

/**
 * One request's admission: let through or refused, and what rate-limit headers say about the
 * window.
 */
export interface Admission {
  allowed: boolean;
  /** Room left in the window after this request (requests or tokens; 0 when refused). */
  remaining: number;
  /**
   * Until the window has room for a full `limit` again (fixed: its end; sliding: the oldest leaves;
   * bucket: full).
   */
  reset_ms: number;
  /** For a refusal: the wait until this request would be let through. */
  retry_after_ms: number;
}

/**
 * A rate limiter as providers run them, on the mock's clock (ms since it started): a fixed window
 * that resets, a window that slides over the last `window_ms`, or a token bucket of `limit` that
 * refills `limit` per `window_ms`. A request costs 1 (per requests) or its tokens (per tokens).
 * Pure: the caller passes the time. `check` looks without taking, so several limits can be asked
 * before any is charged.
 */
export class RateLimiter {
  private windowStart = 0;
  private used = 0;
  /** Admissions inside the sliding window, oldest first, with their cost. */
  private readonly admitted: Array<{ at: number; cost: number }> = [];
  private tokens: number;
  private refilledAt = 0;

  constructor(readonly spec: RateLimit) {
    this.tokens = spec.limit;
  }

  /**
   * Whether a request of `cost` would be let through now, and the headers' view of the window;
   * charges nothing.
   */
  check(now: number, cost = 1): Admission {
    const { limit, window_ms: window } = this.spec;
    switch (this.spec.kind) {
      case 'fixed': {
        const start = Math.floor(now / window) * window;
        if (start !== this.windowStart) [this.windowStart, this.used] = [start, 0];
        const reset = start + window - now;
        if (this.used + cost > limit)
          return { allowed: false, remaining: 0, reset_ms: reset, retry_after_ms: reset };
        return {
          allowed: true,
          remaining: limit - this.used - cost,
          reset_ms: reset,
          retry_after_ms: 0,
        };
      }
      case 'sliding': {
        while (this.admitted.length > 0 && this.admitted[0]!.at <= now - window)
          this.used -= this.admitted.shift()!.cost;
        if (this.used + cost > limit) {
          // the wait until enough of the oldest have left to make room
          let freed = 0;
          let wait = 0;
          for (const a of this.admitted) {
            freed += a.cost;
            wait = a.at + window - now;
            if (this.used - freed + cost <= limit) break;
          }
          return {
            allowed: false,
            remaining: 0,
            reset_ms: this.admitted[this.admitted.length - 1]!.at + window - now,
            retry_after_ms: wait,
          };
        }
        const oldest = this.admitted[0]?.at ?? now;
        return {
          allowed: true,
          remaining: limit - this.used - cost,
          reset_ms: oldest + window - now,
          retry_after_ms: 0,
        };
      }
      case 'token_bucket': {
        const rate = limit / window;
        this.tokens = Math.min(limit, this.tokens + (now - this.refilledAt) * rate);
        this.refilledAt = now;
        if (this.tokens < cost)
          return {
            allowed: false,
            remaining: 0,
            reset_ms: (limit - this.tokens) / rate,
            retry_after_ms: (cost - this.tokens) / rate,
          };
        return {
          allowed: true,
          remaining: Math.floor(this.tokens - cost),
          reset_ms: (limit - this.tokens + cost) / rate,
          retry_after_ms: 0,
        };
      }
    }
  }

  /** Charges a request that `check` let through at the same `now`. */
  take(now: number, cost = 1): void {
    if (this.spec.kind === 'fixed') this.used += cost;
    else if (this.spec.kind === 'sliding') {
      this.admitted.push({ at: now, cost });
      this.used += cost;
    } else this.tokens -= cost;
  }

  /** check, then take when allowed: one limit alone. */
  admit(now: number, cost = 1): Admission {
    const a = this.check(now, cost);
    if (a.allowed) this.take(now, cost);
    return a;
  }
}

/**
 * OpenAI's x-ratelimit-* headers for one limit: limit, remaining, and the reset as a duration
 * ("1.5s").
 */
export function rateLimitHeaders(spec: RateLimit, a: Admission): Record<string, string> {
  const unit = spec.per;
  return {
    [`x-ratelimit-limit-${unit}`]: String(spec.limit),
    [`x-ratelimit-remaining-${unit}`]: String(a.remaining),
    [`x-ratelimit-reset-${unit}`]: `${Number((a.reset_ms / 1000).toFixed(3))}s`,
  };
}
