import type { RateLimit } from '../../domain/mock.js';

/** One request's admission: let through or refused, and what rate-limit headers say about the window. */
export interface Admission {
  allowed: boolean;
  /** Requests left in the window after this one (0 when refused). */
  remaining: number;
  /** Until the window has room for a full `limit` again (fixed: its end; sliding: the oldest leaves; bucket: full). */
  reset_ms: number;
  /** For a refusal: the wait until one request would be let through. */
  retry_after_ms: number;
}

/**
 * A rate limiter as providers run them, on the mock's clock (ms since it started): a fixed window
 * that resets, a window that slides over the last `window_ms`, or a token bucket of `limit` that
 * refills `limit` per `window_ms`. Pure: the caller passes the time.
 */
export class RateLimiter {
  private windowStart = 0;
  private count = 0;
  /** Admission times inside the sliding window, oldest first; never more than `limit`. */
  private readonly admitted: number[] = [];
  private tokens: number;
  private refilledAt = 0;

  constructor(private readonly spec: RateLimit) {
    this.tokens = spec.limit;
  }

  admit(now: number): Admission {
    const { limit, window_ms: window } = this.spec;
    switch (this.spec.kind) {
      case 'fixed': {
        const start = Math.floor(now / window) * window;
        if (start !== this.windowStart) [this.windowStart, this.count] = [start, 0];
        const reset = start + window - now;
        if (this.count >= limit) return { allowed: false, remaining: 0, reset_ms: reset, retry_after_ms: reset };
        this.count++;
        return { allowed: true, remaining: limit - this.count, reset_ms: reset, retry_after_ms: 0 };
      }
      case 'sliding': {
        while (this.admitted.length > 0 && this.admitted[0]! <= now - window) this.admitted.shift();
        const oldestLeaves = this.admitted.length === 0 ? 0 : this.admitted[0]! + window - now;
        if (this.admitted.length >= limit) return { allowed: false, remaining: 0, reset_ms: oldestLeaves, retry_after_ms: oldestLeaves };
        this.admitted.push(now);
        return { allowed: true, remaining: limit - this.admitted.length, reset_ms: this.admitted[0]! + window - now, retry_after_ms: 0 };
      }
      case 'token_bucket': {
        const rate = limit / window;
        this.tokens = Math.min(limit, this.tokens + (now - this.refilledAt) * rate);
        this.refilledAt = now;
        const full = (limit - this.tokens) / rate;
        if (this.tokens < 1) return { allowed: false, remaining: 0, reset_ms: full, retry_after_ms: (1 - this.tokens) / rate };
        this.tokens -= 1;
        return { allowed: true, remaining: Math.floor(this.tokens), reset_ms: (limit - this.tokens) / rate, retry_after_ms: 0 };
      }
    }
  }
}

/** OpenAI's x-ratelimit-* headers for requests: limit, remaining, and the reset as a duration ("1.5s"). */
export function rateLimitHeaders(spec: RateLimit, a: Admission): Record<string, string> {
  return {
    'x-ratelimit-limit-requests': String(spec.limit),
    'x-ratelimit-remaining-requests': String(a.remaining),
    'x-ratelimit-reset-requests': `${Number((a.reset_ms / 1000).toFixed(3))}s`,
  };
}
