import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readRateLimitHeaders, readResetDuration } from '../../src/core/probe/ratelimit-headers.js';
import { gradualKind, saturationShape } from '../../src/core/premortem/rate-limit.js';
import { place, slotsAt } from '../../src/core/mock/capacity.js';
import { RateLimiter } from '../../src/core/mock/limiter.js';
import { failoverLinks } from '../../src/core/premortem/checks.js';

const headers = (h: Record<string, string>) => ({ get: (n: string) => h[n] ?? null });

describe('x-ratelimit-* headers', () => {
  it("reads OpenAI's Go durations and bare seconds; refuses what does not read", () => {
    expect(readResetDuration('6m0s')).toBe(360_000);
    expect(readResetDuration('1h2m3.5s')).toBe(3_723_500);
    expect(readResetDuration('20ms')).toBe(20);
    expect(readResetDuration('1.5')).toBe(1500);
    expect(readResetDuration('soon')).toBeUndefined();
    expect(
      readRateLimitHeaders(
        headers({
          'x-ratelimit-limit-requests': '500',
          'x-ratelimit-remaining-requests': '499',
          'x-ratelimit-reset-requests': '120ms',
          'x-ratelimit-limit-tokens': 'lots',
        }),
      ),
    ).toEqual({
      limit_requests: 500,
      remaining_requests: 499,
      reset_requests_ms: 120,
    });
    expect(readRateLimitHeaders(headers({}))).toBeUndefined();
  });

  it(
    'never throws and never yields a value that is not a finite number, whatever ' +
      'the header says',
    () => {
      fc.assert(
        fc.property(
          fc.dictionary(
            fc.constantFrom(
              'x-ratelimit-limit-requests',
              'x-ratelimit-reset-tokens',
              'x-ratelimit-remaining-tokens',
            ),
            fc.string(),
          ),
          (h) => {
            const seen = readRateLimitHeaders(headers(h));
            for (const v of Object.values(seen ?? {})) expect(Number.isFinite(v)).toBe(true);
          },
        ),
      );
    },
  );
});

describe('the shape of a limit under a saturating rate', () => {
  /** Arrivals every `gap` ms for `ms`, admitted by a limiter of this kind. */
  const saturate = (
    kind: 'fixed' | 'sliding' | 'token_bucket',
    gap: number,
    ms: number,
    from = 0,
  ) => {
    const l = new RateLimiter({
      kind,
      per: 'requests',
      limit: 20,
      window_ms: 2000,
      headers: false,
    });
    // the limiter is spent first, as the ramp leaves it
    for (let t = 0; t < from; t += 10) l.admit(t);
    const obs = [];
    for (let t = from; t < from + ms; t += gap)
      obs.push({ at_ms: t, limited: !l.admit(t).allowed });
    return obs;
  };

  it('a fixed window shows runs of its limit repeating every window: 20 per 2 s, 10/s', () => {
    const s = saturateShape('fixed');
    expect(s.shape).toBe('resets');
    expect(s.limit).toBe(20);
    expect(s.window_ms).toBe(2000);
    expect(s.rate_per_s).toBeCloseTo(10, 5);
    function saturateShape(kind: 'fixed') {
      return saturationShape(saturate(kind, 31.25, 5000, 1500));
    }
  });

  it('a token bucket lets requests through one by one at its refill rate', () => {
    const s = saturationShape(saturate('token_bucket', 31.25, 5000, 2000));
    expect(s.shape).toBe('spread');
    expect(s.rate_per_s).toBeGreaterThan(9);
    expect(s.rate_per_s).toBeLessThan(11);
  });

  it(
    'after a burst, a bucket gives one back after 1/rate, a sliding window after a whole ' +
      'window',
    () => {
      expect(gradualKind(20, 10, 100)).toEqual({ kind: 'token_bucket', window_ms: 2000 });
      expect(gradualKind(20, 10, 2010)).toEqual({ kind: 'sliding', window_ms: 2010 });
    },
  );
});

describe('the mock capacity and limits per token', () => {
  it('serves while a slot is free, then queues (503 past the queue limit) or sheds', () => {
    const q = { slots: 4, overflow: 'queue' as const, queue_limit: 2, scale_up: undefined };
    expect(place(q, 3, 0, 4)).toEqual({ kind: 'serve' });
    expect(place(q, 4, 0, 4)).toEqual({ kind: 'queue' });
    expect(place(q, 4, 2, 4)).toEqual({ kind: 'shed', status: 503 });
    expect(place({ ...q, overflow: 'shed_429' }, 4, 0, 4)).toEqual({ kind: 'shed', status: 429 });
    // a request never jumps the queue, even when a slot has just come free
    expect(place(q, 3, 1, 4)).toEqual({ kind: 'queue' });
  });

  it('scales up only after the delay since the first overflow', () => {
    const c = {
      slots: 4,
      overflow: 'queue' as const,
      queue_limit: 10,
      scale_up: { after_ms: 500, slots: 16 },
    };
    expect(slotsAt(c, undefined, 10_000)).toBe(4);
    expect(slotsAt(c, 1000, 1499)).toBe(4);
    expect(slotsAt(c, 1000, 1500)).toBe(16);
  });

  it(
    'a per-token limit charges each request its tokens, and refuses one that ' +
      'would pass the limit',
    () => {
      const l = new RateLimiter({
        kind: 'fixed',
        per: 'tokens',
        limit: 100,
        window_ms: 1000,
        headers: true,
      });
      expect(l.admit(0, 40)).toMatchObject({ allowed: true, remaining: 60 });
      expect(l.admit(1, 40)).toMatchObject({ allowed: true, remaining: 20 });
      expect(l.admit(2, 40)).toMatchObject({ allowed: false, retry_after_ms: 998 });
      expect(l.check(1000, 40)).toMatchObject({ allowed: true, remaining: 60 });
    },
  );
});

describe('failover worst case', () => {
  it('is every attempt at the connect deadline plus the backoffs between them, per link', () => {
    const links = failoverLinks(
      [{ name: 'a', chain: ['b'] }],
      { connect_ms: 300, total_ms: 60_000 },
      2,
      30_000,
    );
    expect(links).toEqual([
      { tier: 'a', dead: 'a', next: 'b', worst_ms: 300 * 3 + 500 + 1000 },
      { tier: 'a', dead: 'b', next: null, worst_ms: 300 * 3 + 500 + 1000 },
    ]);
    expect(
      failoverLinks([{ name: 'a', chain: [] }], { connect_ms: 5000, total_ms: 2000 }, 0, 1)[0]!
        .worst_ms,
    ).toBe(2000);
  });
});
