import type { CheckId, PlannedCheck } from '../../domain/premortem.js';

/**
 * The request rate a plan assumes a probe sustains per slot of concurrency when it estimates
 * durations: one answer a second.
 */
export const ASSUMED_ANSWER_S = 1;

export interface PlanInput {
  checks: ReadonlySet<CheckId>;
  requests: number;
  concurrency: number;
  regions: number;
  burst: { baseRate: number; multiplier: number; baselineMs: number; burstMs: number };
  drillRequests: number | undefined;
  connectMs: number;
  breakerMinRequests: number;
  ramp: { baseRate: number; maxRate: number; stepMs: number; saturateMs: number };
}

/** The ramp's steps: from the base rate, doubling, up to the max rate. */
export function rampRates(baseRate: number, maxRate: number): number[] {
  const rates: number[] = [];
  for (let r = baseRate; r <= maxRate && rates.length < 40; r *= 2) rates.push(r);
  return rates;
}

/**
 * What each check may send and how long it may take, at most: the rate-limit ramp usually stops
 * far short of its bound, at the first 429. Durations assume an answer a second per slot.
 */
export function planChecks(p: PlanInput): PlannedCheck[] {
  const out: PlannedCheck[] = [];
  const probeS = Math.ceil(p.requests / p.concurrency) * ASSUMED_ANSWER_S;
  for (const id of ['sla', 'p99', 'regions', 'failover', 'burst', 'rate_limit'] as const) {
    if (!p.checks.has(id)) continue;
    switch (id) {
      case 'sla':
        out.push({ id, requests: 0, duration_s: 0 });
        break;
      case 'p99':
        out.push({ id, requests: p.requests, duration_s: probeS });
        break;
      case 'regions':
        out.push({ id, requests: p.requests * p.regions, duration_s: probeS * p.regions });
        break;
      case 'failover': {
        const n = p.drillRequests ?? 0;
        out.push({
          id,
          requests: n,
          duration_s:
            n === 0
              ? 0
              : Math.ceil(n / p.concurrency) * ASSUMED_ANSWER_S +
                Math.ceil((p.breakerMinRequests * p.connectMs) / 1000 / p.concurrency),
        });
        break;
      }
      case 'burst': {
        const b = p.burst;
        const n =
          Math.ceil((b.baseRate * b.baselineMs) / 1000) +
          Math.ceil((b.baseRate * b.multiplier * b.burstMs) / 1000);
        out.push({
          id,
          requests: n,
          duration_s: Math.ceil((b.baselineMs + b.burstMs) / 1000) + ASSUMED_ANSWER_S,
        });
        break;
      }
      case 'rate_limit': {
        const r = p.ramp;
        const rates = rampRates(r.baseRate, r.maxRate);
        const ramp = rates.reduce((n, rate) => n + Math.ceil((rate * r.stepMs) / 1000), 0);
        const top = rates[rates.length - 1] ?? r.baseRate;
        const hold = Math.ceil((2 * top * r.saturateMs) / 1000);
        out.push({
          id,
          requests: ramp + hold + 400,
          duration_s: Math.ceil((rates.length * r.stepMs + r.saturateMs) / 1000) + 30,
        });
        break;
      }
    }
  }
  return out;
}
