import type { Arrivals } from '../../domain/probe.js';
import { mulberry32 } from '../random.js';

export interface ArrivalPlan {
  /** Requests per second. */
  rate: number;
  arrivals: Arrivals;
  seed: number;
  /** Stop after this many requests, or at this many ms, whichever the caller gave. */
  count?: number;
  duration_ms?: number;
}

/**
 * Intended send times (ms from the start) of an open-loop run: evenly spaced at the rate, or a
 * seeded Poisson process (exponential gaps) with that mean rate. The schedule never waits for
 * responses: that is what keeps a stalled server from slowing the arrivals (coordinated omission).
 */
export function* arrivals(plan: ArrivalPlan): Generator<number> {
  const gap = 1000 / plan.rate;
  const rng = mulberry32(plan.seed);
  let t = 0;
  for (let i = 0; ; i++) {
    if (plan.count !== undefined && i >= plan.count) return;
    if (plan.duration_ms !== undefined && t >= plan.duration_ms) return;
    if (plan.count === undefined && plan.duration_ms === undefined) return;
    yield t;
    t += plan.arrivals === 'constant' ? gap : -Math.log(1 - rng()) * gap;
  }
}

/**
 * The same times as a list (for tests and small plans): a long open loop walks the generator
 * instead of holding millions of times.
 */
export function arrivalTimes(plan: ArrivalPlan): number[] {
  return [...arrivals(plan)];
}
