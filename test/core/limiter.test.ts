import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/core/mock/limiter.js';

// The mock's rate limiters, on a clock the test moves: each admits exactly what its kind of
// limiter promises, the ground truth premortem's rate-limit check is to be measured against.

const limiter = (kind: 'fixed' | 'sliding' | 'token_bucket', limit = 20, window_ms = 2000) =>
  new RateLimiter({ kind, per: 'requests', limit, window_ms, headers: true });

describe('rate limiters', () => {
  it(
    'fixed window: 20 per 2 s, refused with the wait to the window end, then ' +
      'a full window again',
    () => {
      const l = limiter('fixed');
      for (let i = 0; i < 20; i++) expect(l.admit(100 + i).allowed).toBe(true);
      const refused = l.admit(500);
      expect(refused).toMatchObject({ allowed: false, remaining: 0, retry_after_ms: 1500 });
      expect(l.admit(1999).allowed).toBe(false);
      expect(l.admit(2000)).toMatchObject({ allowed: true, remaining: 19 });
    },
  );

  it(
    'sliding window: room comes back one request at a time, as the oldest leave the ' + 'window',
    () => {
      const l = limiter('sliding');
      for (let i = 0; i < 20; i++) expect(l.admit(i * 50).allowed).toBe(true); // 0 .. 950 ms
      expect(l.admit(1000)).toMatchObject({ allowed: false, retry_after_ms: 1000 });
      expect(l.admit(2000).allowed).toBe(true); // the request at 0 left
      expect(l.admit(2001).allowed).toBe(false); // the one at 50 has not
      expect(l.admit(2050).allowed).toBe(true);
    },
  );

  it('token bucket: a burst of 20, then 10 a second', () => {
    const l = limiter('token_bucket');
    for (let i = 0; i < 20; i++) expect(l.admit(0).allowed).toBe(true);
    const refused = l.admit(0);
    expect(refused.allowed).toBe(false);
    expect(refused.retry_after_ms).toBeCloseTo(100, 6);
    expect(l.admit(100).allowed).toBe(true);
    expect(l.admit(150).allowed).toBe(false);
  });

  it('over any run of arrivals, none admits more than its promise', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('fixed', 'sliding', 'token_bucket') as fc.Arbitrary<
          'fixed' | 'sliding' | 'token_bucket'
        >,
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 300 }),
        (kind, gaps) => {
          const l = limiter(kind, 5, 1000);
          let t = 0;
          const admitted: number[] = [];
          for (const g of gaps) {
            t += g;
            if (l.admit(t).allowed) admitted.push(t);
          }
          // fixed: at most 5 per aligned second; sliding: at most 5 in any 1 s; bucket: at most 5 +
          // t/200 by time t
          for (const [i, at] of admitted.entries()) {
            if (kind === 'sliding')
              expect(admitted.filter((x) => x > at - 1000 && x <= at).length).toBeLessThanOrEqual(
                5,
              );
            if (kind === 'fixed')
              expect(
                admitted.filter((x) => Math.floor(x / 1000) === Math.floor(at / 1000)).length,
              ).toBeLessThanOrEqual(5);
            if (kind === 'token_bucket') expect(i + 1).toBeLessThanOrEqual(5 + at / 200 + 1e-9);
          }
        },
      ),
    );
  });
});
