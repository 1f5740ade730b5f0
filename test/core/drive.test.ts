import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chainStep,
  driveClosed,
  driveOpen,
  pickByShare,
  retryStep,
} from '../../src/core/probe/drive.js';
import type { OpenLoop, RequestOutcome } from '../../src/domain/probe.js';
import { VirtualClock } from '../helpers/clock.js';

const never = new AbortController().signal;

function outcome(i: number, tSched: number | undefined): RequestOutcome {
  return {
    target: 't',
    phase: 'measure',
    request: i,
    t_sched: tSched,
    blocked_ms: 0,
    attempts: [],
    served_by: 't',
    skipped: [],
  };
}

const open = (rate: number, extra: Partial<OpenLoop> = {}): OpenLoop => ({
  rate,
  arrivals: 'constant',
  duration_ms: undefined,
  seed: 1,
  max_in_flight: undefined,
  ...extra,
});

describe('the open-loop driver, on virtual time', () => {
  it(
    'sends each request at its intended time, whatever the responses do (no ' +
      'coordinated omission)',
    async () => {
      const clock = new VirtualClock();
      const sent: Array<[number, number | undefined, number]> = [];
      const latency = [1000, 5, 5, 5, 5]; // the first request stalls for a second
      const done = driveOpen(
        5,
        open(10),
        clock,
        {
          make: async (i, tSched) => (
            sent.push([i, tSched, clock.now()]),
            await clock.sleep(latency[i - 1]!, never),
            outcome(i, tSched)
          ),
          finished: () => {},
        },
        { hits: 0, longest_ms: 0, missed: 0 },
        never,
      );
      await clock.run(done);
      expect(sent).toEqual([
        [1, 0, 0],
        [2, 100, 100],
        [3, 200, 200],
        [4, 300, 300],
        [5, 400, 400],
      ]);
    },
  );

  it(
    'counts every send the in-flight cap delays, keeps the intended time, and ' +
      'records the wait',
    async () => {
      const clock = new VirtualClock();
      const cap = { hits: 0, longest_ms: 0, missed: 0 };
      const finished: RequestOutcome[] = [];
      const done = driveOpen(
        3,
        open(100, { max_in_flight: 1 }),
        clock,
        {
          make: async (i, tSched) => (await clock.sleep(35, never), outcome(i, tSched)),
          finished: (o) => finished.push(o),
        },
        cap,
        never,
      );
      await clock.run(done);
      // arrivals at 0, 10, 20; each answer takes 35 ms: send 2 waits from 10 to 35, send 3 from 35
      // (when the loop gets to it) to 70; both keep their intended times, so latency from t_sched
      // counts the whole delay
      expect(cap).toEqual({ hits: 2, longest_ms: 35, missed: 0 });
      expect(finished.map((o) => [o.request, o.t_sched, o.blocked_ms])).toEqual([
        [1, 0, 0],
        [2, 10, 25],
        [3, 20, 35],
      ]);
    },
  );

  it(
    'skips the sends it is more than a second late for, counts them, and catches ' +
      'up with its schedule',
    async () => {
      const clock = new VirtualClock();
      const cap = { hits: 0, longest_ms: 0, missed: 0 };
      const made: Array<[number, number | undefined, number]> = [];
      const done = driveOpen(
        30,
        open(10),
        clock,
        {
          // the client itself stalls for 1.5 s while making its first request (a GC pause, a
          // blocked loop)
          make: async (i, tSched) => (
            made.push([i, tSched, clock.now()]),
            i === 1 && (clock.t += 1500),
            await clock.sleep(5, never),
            outcome(i, tSched)
          ),
          finished: () => {},
        },
        cap,
        never,
      );
      await clock.run(done);
      // arrivals at 100..400 ms are more than 1000 ms late at 1500 ms: skipped; 500 is exactly 1000
      // ms late: sent
      expect(cap.missed).toBe(4);
      expect(made.length).toBe(26);
      expect(made.map(([i]) => i)).toEqual(Array.from({ length: 26 }, (_, k) => k + 1));
      expect(made[1]).toEqual([2, 500, 1500]);
      expect(made[25]).toEqual([26, 2900, 2900]);
    },
  );

  it('stops sending when told to stop, and waits for what is in flight', async () => {
    const clock = new VirtualClock();
    const stop = new AbortController();
    const made: number[] = [];
    const done = driveOpen(
      100,
      open(10),
      clock,
      {
        make: async (i, t) => (
          made.push(i),
          i === 3 && stop.abort(),
          await clock.sleep(50, never),
          outcome(i, t)
        ),
        finished: () => {},
      },
      { hits: 0, longest_ms: 0, missed: 0 },
      stop.signal,
    );
    await clock.run(done);
    expect(made).toEqual([1, 2, 3]);
  });
});

describe('the closed-loop driver', () => {
  it('never has more than `concurrency` in flight, and makes each request once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 8 }),
        async (count, concurrency) => {
          const clock = new VirtualClock();
          let inFlight = 0;
          let most = 0;
          const made: number[] = [];
          const done = driveClosed(
            count,
            concurrency,
            {
              make: async (i) => (
                made.push(i),
                (most = Math.max(most, ++inFlight)),
                await clock.sleep(10 + (i % 3), never),
                inFlight--,
                outcome(i, undefined)
              ),
              finished: () => {},
            },
            never,
          );
          await clock.run(done);
          expect(made.sort((a, b) => a - b)).toEqual(
            Array.from({ length: count }, (_, k) => k + 1),
          );
          expect(most).toBe(Math.min(count, concurrency));
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('the retry rule', () => {
  it('retries only what may succeed next time, as often as allowed', () => {
    expect(retryStep(undefined, undefined, 0, 3, 30_000)).toEqual({ retry: false });
    expect(retryStep('client_4xx', undefined, 0, 3, 30_000)).toEqual({ retry: false });
    expect(retryStep('truncated', undefined, 0, 3, 30_000)).toEqual({ retry: false });
    expect(retryStep('rate_limited', undefined, 3, 3, 30_000)).toEqual({ retry: false });
  });

  it('backs off 0.5 s, 1 s, 2 s ..., or waits what the endpoint asked, never past the cap', () => {
    expect([0, 1, 2, 3].map((n) => retryStep('server_5xx', undefined, n, 9, 30_000))).toEqual(
      [500, 1000, 2000, 4000].map((wait_ms) => ({ retry: true, wait_ms })),
    );
    expect(retryStep('rate_limited', 1500, 0, 2, 30_000)).toEqual({ retry: true, wait_ms: 1500 });
    expect(retryStep('rate_limited', 90_000, 0, 2, 30_000)).toEqual({
      retry: true,
      wait_ms: 30_000,
    });
  });
});

describe('the failover walk', () => {
  it('serves on success, moves down the chain on a retryable failure, stops on any other', () => {
    expect(chainStep(undefined)).toBe('served');
    for (const c of ['rate_limited', 'server_5xx', 'timeout_ttft', 'network'] as const)
      expect(chainStep(c)).toBe('next');
    for (const c of ['client_4xx', 'malformed', 'truncated', 'interrupted'] as const)
      expect(chainStep(c)).toBe('stop');
  });

  it('starts requests at tiers in proportion to their shares', () => {
    const tiers = [
      { name: 'default', share: 0.8 },
      { name: 'fallback', share: 0.15 },
      { name: 'premium', share: 0.05 },
    ];
    const counts: Record<string, number> = { default: 0, fallback: 0, premium: 0 };
    for (let i = 0; i < 10_000; i++) counts[pickByShare(tiers, (i + 0.5) / 10_000)]!++;
    expect(counts).toEqual({ default: 8000, fallback: 1500, premium: 500 });
  });
});
