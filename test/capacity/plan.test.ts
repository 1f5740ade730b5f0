import { describe, expect, it } from 'vitest';
import { type KeyLimit, planCapacity } from '../../src/core/capacity.js';
import { projectMonths } from '../../src/core/cost.js';
import { Dec } from '../../src/units/decimal.js';

// The plan on numbers small enough to check by hand: 43,830,000 tokens a month is 1,000 tokens a
// minute on average (30.4375 days x 1,440 minutes = 43,830 minutes).
const traffic = { peak_factor: Dec('3'), tokens_per_request: 500, days_per_month: Dec('30.4375') };
const limit = (rpm?: number, tpm?: number): KeyLimit => ({
  rpm,
  tpm,
  from: { kind: 'pricing', provider: 'p', account_tier: 't' },
  source: 'test',
  effective_from: '2026-01-01',
});

describe('planCapacity', () => {
  it('peaks, keys and the binding limit, as computed by hand', () => {
    const plan = planCapacity({
      points: [{ stage: 'S', month: null, tokens: 43_830_000 }],
      tiers: [
        { tier: 'a', model: 'm-a', share: Dec('0.75') },
        { tier: 'b', model: 'm-b', share: Dec('0.25') },
      ],
      traffic,
      // a: 0.75 x 1,000 x 3 = 2,250 TPM, 4.5 -> 5 RPM; b: 750 TPM, 1.5 -> 2 RPM
      limits: new Map([
        ['a', limit(3, 100_000)], // 4.5 / (3 x 0.8) = 1.875 -> 2 keys, by RPM
        ['b', limit(100, 500)], // 750 / (500 x 0.8) = 1.875 -> 2 keys, by TPM
      ]),
      headroom_pct: Dec('20'),
      horizon: [],
    });
    expect(
      plan.rows.map((r) => [r.tier, r.peak_tpm, r.peak_rpm, r.keys_needed, r.binding]),
    ).toEqual([
      ['a', 2250, 5, 2, 'rpm'],
      ['b', 750, 2, 2, 'tpm'],
    ]);
    expect(plan.minutes_per_month.toFixed()).toBe('43830');
  });

  it('no limit: no keys, never a guess; a peak within the limit needs one key', () => {
    const plan = planCapacity({
      points: [{ stage: null, month: null, tokens: 43_830 }],
      tiers: [{ tier: 'a', model: 'm', share: Dec('1') }],
      traffic,
      limits: new Map([['a', undefined]]),
      headroom_pct: Dec('20'),
      horizon: [],
    });
    expect(plan.rows[0]).toMatchObject({ keys_needed: null, binding: null, limit_rpm: null });
    const one = planCapacity({
      points: [{ stage: null, month: null, tokens: 43_830 }],
      tiers: [{ tier: 'a', model: 'm', share: Dec('1') }],
      traffic,
      limits: new Map([['a', limit(1000)]]),
      headroom_pct: Dec('0'),
      horizon: [],
    });
    expect(one.rows[0]!.keys_needed).toBe(1);
  });

  it('the first month one key is not enough, against a month-by-month loop', () => {
    const horizon = projectMonths(10_000_000, Dec('50'), 12);
    const plan = planCapacity({
      points: [{ stage: 'now', month: null, tokens: 10_000_000 }],
      tiers: [{ tier: 'a', model: 'm', share: Dec('1') }],
      traffic,
      limits: new Map([['a', limit(20)]]),
      headroom_pct: Dec('25'),
      horizon,
    });
    // by hand: month m has 10M x 1.5^(m-1) tokens; RPM = tokens / 43,830 x 3 / 500; one key
    // takes 20 x 0.75 = 15 RPM
    let expected: number | null = null;
    for (let m = 1; m <= 12 && expected === null; m++) {
      const rpm = ((horizon[m - 1]!.tokens / 43_830) * 3) / 500;
      if (rpm > 15) expected = m;
    }
    expect(expected).not.toBeNull();
    expect(plan.rows[0]!.first_crossing_month).toBe(expected);
  });
});
