import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Breaker } from '../../src/core/probe/breaker.js';
import { breakerOf } from '../../src/commands/options.js';
import { arrivalTimes } from '../../src/core/probe/schedule.js';

const settings = { failure_share: 0.5, window_ms: 1000, min_requests: 4, cooldown_ms: 500 };

describe('the circuit breaker', () => {
  it('stays closed until the window holds the minimum of attempts', () => {
    const b = new Breaker(settings);
    for (let t = 0; t < 3; t++) b.record(t, false);
    expect(b.current(3)).toBe('closed'); // 3 failures of 3, under the minimum of 4
    b.record(4, false);
    expect(b.current(4)).toBe('open');
    expect(b.transitions).toEqual([
      {
        at_ms: 4,
        from: 'closed',
        to: 'open',
        cause: { kind: 'failures', failures: 4, attempts: 4, window_ms: 1000 },
      },
    ]);
  });

  it('opens at the failure share, not below it', () => {
    const below = new Breaker(settings);
    [true, true, false, true, false].forEach((ok, t) => below.record(t, ok)); // 2 of 5 = 40%
    expect(below.current(5)).toBe('closed');
    const at = new Breaker(settings);
    [true, false, true, false].forEach((ok, t) => at.record(t, ok)); // 2 of 4 = 50%
    expect(at.current(4)).toBe('open');
  });

  it('forgets attempts older than the rolling window', () => {
    const b = new Breaker(settings);
    [0, 1, 2].forEach((t) => b.record(t, false));
    b.record(1500, false); // the three earlier failures fell out of the 1 s window
    expect(b.current(1500)).toBe('closed');
  });

  it('refuses while open, lets one trial through half-open, and closes on its success', () => {
    const b = new Breaker(settings);
    [0, 1, 2, 3].forEach((t) => b.record(t, false));
    expect(b.allow(100)).toBe(false);
    expect(b.allow(503)).toBe(true); // cooldown over: the trial
    expect(b.current(503)).toBe('half_open');
    expect(b.allow(504)).toBe(false); // one trial at a time
    b.record(520, true);
    expect(b.current(520)).toBe('closed');
    expect(b.allow(521)).toBe(true);
    expect(b.transitions.map((t) => [t.at_ms, t.from, t.to])).toEqual([
      [3, 'closed', 'open'],
      [503, 'open', 'half_open'],
      [520, 'half_open', 'closed'],
    ]);
  });

  it('opens again when the trial fails, with a fresh cooldown', () => {
    const b = new Breaker(settings);
    [0, 1, 2, 3].forEach((t) => b.record(t, false));
    expect(b.allow(600)).toBe(true);
    b.record(610, false);
    expect(b.current(610)).toBe('open');
    expect(b.allow(1000)).toBe(false);
    expect(b.allow(1110)).toBe(true);
  });

  it('ignores late answers from before it opened', () => {
    const b = new Breaker(settings);
    [0, 1, 2, 3].forEach((t) => b.record(t, false));
    b.record(50, true);
    expect(b.current(50)).toBe('open');
  });

  it('never lets more than one attempt through per half-open period, whatever the sequence', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.boolean(), fc.boolean()), {
          maxLength: 200,
        }),
        (events) => {
          const b = new Breaker(breakerOf({}));
          let now = 0;
          let outstanding = 0;
          for (const [step, ask, ok] of events) {
            now += step * 100;
            if (ask) {
              const state = b.current(now);
              if (b.allow(now)) {
                if (state === 'half_open') outstanding++;
                expect(outstanding).toBeLessThanOrEqual(1);
                b.record(now, ok);
                if (state === 'half_open') outstanding--;
              } else {
                expect(state).not.toBe('closed');
              }
            }
          }
          // transitions chain: each starts where the last ended
          b.transitions.forEach((t, i) => {
            if (i > 0) expect(t.from).toBe(b.transitions[i - 1]!.to);
          });
        },
      ),
    );
  });
});

describe('arrival schedules', () => {
  it('spaces constant arrivals evenly at the rate', () => {
    expect(arrivalTimes({ rate: 4, arrivals: 'constant', seed: 1, count: 5 })).toEqual([
      0, 250, 500, 750, 1000,
    ]);
    expect(
      arrivalTimes({ rate: 10, arrivals: 'constant', seed: 1, duration_ms: 1000 }),
    ).toHaveLength(10);
  });

  it('draws Poisson arrivals with the mean rate, the same for the same seed', () => {
    const a = arrivalTimes({ rate: 100, arrivals: 'poisson', seed: 7, count: 5000 });
    expect(a).toEqual(arrivalTimes({ rate: 100, arrivals: 'poisson', seed: 7, count: 5000 }));
    expect(a).not.toEqual(arrivalTimes({ rate: 100, arrivals: 'poisson', seed: 8, count: 5000 }));
    const meanGap = a[a.length - 1]! / (a.length - 1);
    expect(meanGap).toBeGreaterThan(9.5);
    expect(meanGap).toBeLessThan(10.5);
    const gaps = a.slice(1).map((t, i) => t - a[i]!);
    // exponential gaps: about 63% are shorter than the mean
    expect(gaps.filter((g) => g < 10).length / gaps.length).toBeCloseTo(0.632, 1);
  });
});
