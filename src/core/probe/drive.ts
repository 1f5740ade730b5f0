import type { ErrorClass, OpenLoop, RequestOutcome } from '../../domain/probe.js';
import { RETRYABLE } from '../../domain/probe.js';
import { arrivals } from './schedule.js';

/** Time as the drivers see it: the real monotonic clock in a run, a virtual one in tests. */
export interface Clock {
  now(): number;
  /** Resolves at `deadline` (or at once when `stop` is aborted). */
  until(deadline: number, stop: AbortSignal): Promise<void>;
  sleep(ms: number, stop: AbortSignal): Promise<void>;
}

/** What to do after an attempt: stop, or try again after a wait. */
export type RetryStep = { retry: false } | { retry: true; wait_ms: number };

/**
 * The probe's own retry rule: retryable failures (429, 5xx, timeouts, network) are tried again
 * up to `retries` times, waiting what the endpoint asked (Retry-After) or 0.5 s, 1 s, 2 s ...,
 * never longer than `maxWaitMs`.
 */
export function retryStep(
  errorClass: ErrorClass | undefined,
  retryAfterMs: number | undefined,
  retriesDone: number,
  retries: number,
  maxWaitMs: number,
): RetryStep {
  if (errorClass === undefined || !RETRYABLE.has(errorClass) || retriesDone >= retries)
    return { retry: false };
  return { retry: true, wait_ms: Math.min(maxWaitMs, retryAfterMs ?? 500 * 2 ** retriesDone) };
}

/** After a target of a failover chain answered: served, move on down the chain, or stop there. */
export function chainStep(errorClass: ErrorClass | undefined): 'served' | 'next' | 'stop' {
  if (errorClass === undefined) return 'served';
  return RETRYABLE.has(errorClass) ? 'next' : 'stop';
}

/** Picks a starting tier by share from one uniform draw in [0, 1). */
export function pickByShare(
  tiers: ReadonlyArray<{ name: string; share: number }>,
  roll: number,
): string {
  const total = tiers.reduce((s, t) => s + t.share, 0);
  let left = roll * total;
  for (const t of tiers) if ((left -= t.share) < 0) return t.name;
  return tiers[tiers.length - 1]!.name;
}

export interface DriveHooks {
  /** Runs request i (1-based); `tSched` is its intended send time in an open loop. */
  make: (i: number, tSched: number | undefined) => Promise<RequestOutcome>;
  /** Called as each request finishes, in finishing order. */
  finished: (outcome: RequestOutcome) => void;
}

/** Closed loop: `concurrency` workers, each sending its next request when its last one is done. */
export async function driveClosed(
  count: number,
  concurrency: number,
  hooks: DriveHooks,
  stop: AbortSignal,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (!stop.aborted) {
      const i = ++next;
      if (i > count) return;
      hooks.finished(await hooks.make(i, undefined));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/**
 * How often the optional in-flight cap delayed a send, the longest delay, and the sends the client
 * could not make.
 */
export interface CapStats {
  hits: number;
  longest_ms: number;
  /**
   * Sends skipped because the client fell behind its schedule by MISS_AFTER_MS, or had
   * MAX_IN_FLIGHT requests out.
   */
  missed: number;
}

/**
 * A send this late is not made: a client that far behind its schedule is measuring itself, not the
 * endpoint.
 */
export const MISS_AFTER_MS = 1000;
/**
 * Requests in flight past which an open loop makes no more sends, whatever the rate: memory stays
 * bounded.
 */
export const MAX_IN_FLIGHT = 10_000;

/**
 * Open loop: request i goes out at its intended time whatever the responses do, so a stalled
 * server cannot slow the arrivals (coordinated omission). An optional cap on requests in flight
 * delays a send, never silently: each delay is counted, and the intended time stays.
 */
export async function driveOpen(
  count: number,
  open: OpenLoop,
  clock: Clock,
  hooks: DriveHooks,
  cap: CapStats,
  stop: AbortSignal,
): Promise<void> {
  const times = arrivals({
    rate: open.rate,
    arrivals: open.arrivals,
    seed: open.seed,
    ...(open.duration_ms === undefined ? { count } : { duration_ms: open.duration_ms }),
  });
  const start = clock.now() + (open.offset_ms ?? 0);
  const inFlight = new Set<Promise<void>>();
  let i = 0;
  for (const offset of times) {
    if (stop.aborted) break;
    const tSched = start + offset;
    // skipped without waiting, so a client far behind catches up with its schedule instead of
    // missing every send after
    if (clock.now() - tSched > MISS_AFTER_MS) {
      cap.missed++;
      continue;
    }
    // resolves on a new turn of the event loop even when late, so signals and responses get their
    // turn
    await clock.until(tSched, stop);
    if (stop.aborted) break;
    if (clock.now() - tSched > MISS_AFTER_MS || inFlight.size >= MAX_IN_FLIGHT) {
      cap.missed++;
      continue;
    }
    i++;
    let blocked = 0;
    if (open.max_in_flight !== undefined && inFlight.size >= open.max_in_flight) {
      cap.hits++;
      const waitFrom = clock.now();
      while (inFlight.size >= open.max_in_flight && !stop.aborted) await Promise.race(inFlight);
      blocked = clock.now() - waitFrom;
      cap.longest_ms = Math.max(cap.longest_ms, blocked);
    }
    const running = hooks.make(i, tSched).then((o) => {
      o.blocked_ms = blocked;
      hooks.finished(o);
    });
    const tracked: Promise<void> = running.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  }
  await Promise.all(inFlight);
}
