import { setMaxListeners } from 'node:events';
import { mulberry32 } from '../core/random.js';
import { Breaker, type BreakerSettings, type Transition } from './breaker.js';
import { type Arrivals, arrivalTimes } from './schedule.js';
import type { AttemptResult, AttemptSpec, Deadlines, ErrorClass, Transport } from './types.js';

export interface ProbeTarget {
  /** The tier name, or the model id when targets come from --model. */
  name: string;
  model: string;
  baseURL: string;
}

/** Open loop: sends at intended times whatever the responses do; a cap on requests in flight is optional and reported. */
export interface OpenLoop {
  rate: number;
  arrivals: Arrivals;
  duration_ms: number | undefined;
  seed: number;
  max_in_flight: number | undefined;
}

/** The failover drill: each request starts at a tier and walks its chain through per-target breakers. */
export interface Failover {
  tiers: Array<{ name: string; share: number; chain: string[] }>;
  breaker: BreakerSettings;
  seed: number;
}

export interface ProbePlan {
  targets: ProbeTarget[];
  requests: number;
  concurrency: number;
  warmup: number;
  retries: number;
  maxRetryWaitMs: number;
  prompt: string;
  maxTokens: number;
  stream: boolean;
  deadlines: Deadlines;
  open?: OpenLoop | undefined;
  failover?: Failover | undefined;
}

export interface AttemptRecord extends AttemptResult {
  target: string;
  model: string;
  phase: 'warmup' | 'measure';
  request: number;
  attempt: number;
  /** 0 for the request's starting target, 1 for the first fallback, ... */
  chain_position: number;
  stream_options: boolean;
  /** A 400 to stream_options, answered by asking again without it; not an endpoint failure. */
  negotiation: boolean;
  /** The wait before this attempt (a retry's backoff or Retry-After). */
  waited_ms: number;
}

export interface RequestOutcome {
  /** The target it was sent to, or in a drill the tier it started at. */
  target: string;
  phase: 'warmup' | 'measure';
  request: number;
  /** Intended send time (performance.now() ms) in an open loop. */
  t_sched: number | undefined;
  /** Time spent waiting for a free slot under --max-in-flight. */
  blocked_ms: number;
  attempts: AttemptRecord[];
  /** The target whose answer the caller got; undefined when the request failed. */
  served_by: string | undefined;
  /** Targets passed over because their breaker was open. */
  skipped: string[];
}

export interface TargetRun {
  target: ProbeTarget;
  requests: RequestOutcome[];
  /** The endpoint refused stream_options: output tokens are counted chunks, marked estimated. */
  stream_options_rejected: boolean;
}

export interface ProbeRun {
  /** performance.now() when the run began; offsets in samples count from here. */
  t0: number;
  /** One per target; in a drill, one holding every logical request. */
  runs: TargetRun[];
  interrupted: boolean;
  /** Sends that had to wait for a slot under --max-in-flight, and the longest wait. */
  cap: { hits: number; longest_ms: number };
  /** Breaker transitions per target (drill only), times in ms since t0. */
  transitions: Record<string, Transition[]>;
}

export const RETRYABLE: ReadonlySet<ErrorClass> = new Set(['rate_limited', 'server_5xx', 'timeout_connect', 'timeout_ttft', 'timeout_idle', 'timeout_total', 'network']);

/** How long Ctrl-C lets requests in flight finish before cutting them. */
export const INTERRUPT_GRACE_MS = 2000;

function sleep(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (stop.aborted || ms <= 0) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      stop.removeEventListener('abort', done);
      resolve();
    }
    stop.addEventListener('abort', done, { once: true });
  });
}

/** Waits until performance.now() reaches `deadline`: a timer to just before, then a sub-millisecond finish. */
async function until(deadline: number, stop: AbortSignal): Promise<void> {
  for (;;) {
    const left = deadline - performance.now();
    if (left <= 0 || stop.aborted) return;
    await new Promise<void>((resolve) => (left > 1.5 ? setTimeout(resolve, Math.floor(left - 1)) : setImmediate(resolve)));
  }
}

/**
 * Runs the plan. Closed loop: `concurrency` workers send the next request when theirs is done.
 * Open loop: requests go out at their intended times whatever the responses do. Drill: each
 * logical request walks its tier's chain through per-target breakers. Retries are the probe's
 * own (Retry-After honoured, capped). Ctrl-C stops new requests at once and gives those in
 * flight INTERRUPT_GRACE_MS to finish.
 */
export async function runProbe(
  plan: ProbePlan,
  transport: Transport,
  interrupted: AbortSignal,
  onProgress?: (label: string, done: number, total: number, failed: number) => void,
): Promise<ProbeRun> {
  const hard = new AbortController();
  // every request in flight listens on these two: hundreds at a time is expected, not a leak
  setMaxListeners(0, hard.signal, interrupted);
  let graceTimer: ReturnType<typeof setTimeout> | undefined;
  const onInterrupt = () => {
    graceTimer = setTimeout(() => hard.abort(), INTERRUPT_GRACE_MS);
  };
  if (interrupted.aborted) onInterrupt();
  else interrupted.addEventListener('abort', onInterrupt, { once: true });
  const t0 = performance.now();
  const runs: TargetRun[] = [];
  const cap = { hits: 0, longest_ms: 0 };
  const byName = new Map(plan.targets.map((t) => [t.name, t]));
  const includeUsage = new Map(plan.targets.map((t) => [t.name, plan.stream]));
  const rejected = new Set<string>();

  /** One target, with its own retries and stream_options negotiation; attempts go into `outcome`. */
  const attemptTarget = async (target: ProbeTarget, outcome: RequestOutcome, position: number): Promise<AttemptRecord> => {
    let waited = 0;
    for (let retry = 0; ; ) {
      const usage = includeUsage.get(target.name) ?? false;
      const spec: AttemptSpec = { baseURL: target.baseURL, model: target.model, prompt: plan.prompt, maxTokens: plan.maxTokens, stream: plan.stream, includeUsage: usage, deadlines: plan.deadlines };
      const result = await transport.attempt(spec, hard.signal);
      const negotiation = usage && (result.status === 400 || result.status === 422) && result.error_class === 'client_4xx';
      const record: AttemptRecord = {
        ...result,
        target: target.name,
        model: target.model,
        phase: outcome.phase,
        request: outcome.request,
        attempt: outcome.attempts.length + 1,
        chain_position: position,
        stream_options: usage,
        negotiation,
        waited_ms: waited,
      };
      outcome.attempts.push(record);
      if (negotiation) {
        includeUsage.set(target.name, false);
        rejected.add(target.name);
        waited = 0;
        continue;
      }
      const cls = result.error_class;
      if (cls === undefined || !RETRYABLE.has(cls) || retry >= plan.retries || interrupted.aborted) return record;
      retry++;
      waited = Math.min(plan.maxRetryWaitMs, result.retry_after_ms ?? 500 * 2 ** (retry - 1));
      await sleep(waited, interrupted);
      if (interrupted.aborted) return record;
    }
  };

  const fresh = (target: string, phase: 'warmup' | 'measure', request: number, tSched: number | undefined): RequestOutcome => ({
    target,
    phase,
    request,
    t_sched: tSched,
    blocked_ms: 0,
    attempts: [],
    served_by: undefined,
    skipped: [],
  });

  const breakers = new Map<string, Breaker>();
  if (plan.failover) for (const t of plan.targets) breakers.set(t.name, new Breaker(plan.failover.breaker));

  /** A logical request of the drill: its tier, then its chain, skipping targets whose breaker is open. */
  const chainRequest = async (start: string, outcome: RequestOutcome): Promise<void> => {
    const chain = [start, ...(plan.failover!.tiers.find((t) => t.name === start)?.chain ?? [])];
    for (let position = 0; position < chain.length; position++) {
      const name = chain[position]!;
      const breaker = breakers.get(name)!;
      if (outcome.phase === 'measure' && !breaker.allow(performance.now() - t0)) {
        outcome.skipped.push(name);
        continue;
      }
      const last = await attemptTarget(byName.get(name)!, outcome, position);
      const ok = last.error_class === undefined;
      if (outcome.phase === 'measure' && last.error_class !== 'interrupted') breaker.record(performance.now() - t0, ok);
      if (ok) {
        outcome.served_by = name;
        return;
      }
      if (!RETRYABLE.has(last.error_class!) || interrupted.aborted) return;
    }
  };

  /** The requests of one phase, closed or open loop; `make` creates and runs request i. */
  const drive = async (count: number, open: OpenLoop | undefined, label: string, make: (i: number, tSched: number | undefined) => Promise<RequestOutcome>): Promise<RequestOutcome[]> => {
    const outcomes: RequestOutcome[] = [];
    let done = 0;
    let failed = 0;
    const finish = (o: RequestOutcome) => {
      outcomes.push(o);
      done++;
      const last = o.attempts[o.attempts.length - 1];
      if (o.served_by === undefined && last?.error_class !== undefined) failed++;
      onProgress?.(label, done, count, failed);
    };
    if (open === undefined) {
      let next = 0;
      const worker = async () => {
        while (!interrupted.aborted) {
          const i = ++next;
          if (i > count) return;
          finish(await make(i, undefined));
        }
      };
      await Promise.all(Array.from({ length: Math.min(plan.concurrency, count) }, worker));
      return outcomes;
    }
    const times = arrivalTimes({ rate: open.rate, arrivals: open.arrivals, seed: open.seed, ...(open.duration_ms === undefined ? { count } : { duration_ms: open.duration_ms }) });
    const start = performance.now();
    const inFlight = new Set<Promise<void>>();
    for (let i = 0; i < times.length && !interrupted.aborted; i++) {
      const tSched = start + times[i]!;
      await until(tSched, interrupted);
      if (interrupted.aborted) break;
      let blocked = 0;
      if (open.max_in_flight !== undefined && inFlight.size >= open.max_in_flight) {
        // the cap delays this send; the intended time stays, so corrected latency still counts the wait
        cap.hits++;
        const waitFrom = performance.now();
        while (inFlight.size >= open.max_in_flight && !interrupted.aborted) await Promise.race(inFlight);
        blocked = performance.now() - waitFrom;
        cap.longest_ms = Math.max(cap.longest_ms, blocked);
      }
      const running = make(i + 1, tSched).then((o) => {
        o.blocked_ms = blocked;
        finish(o);
      });
      const tracked: Promise<void> = running.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
    }
    await Promise.all(inFlight);
    return outcomes;
  };

  const byRequest = (a: RequestOutcome, b: RequestOutcome) => (a.phase === b.phase ? a.request - b.request : a.phase === 'warmup' ? -1 : 1);
  try {
    if (plan.failover) {
      const failover = plan.failover;
      const rng = mulberry32(failover.seed);
      const total = failover.tiers.reduce((s, t) => s + t.share, 0);
      const pickTier = () => {
        let roll = rng() * total;
        for (const t of failover.tiers) if ((roll -= t.share) < 0) return t.name;
        return failover.tiers[failover.tiers.length - 1]!.name;
      };
      const run: TargetRun = { target: { name: 'drill', model: '(tiers)', baseURL: '' }, requests: [], stream_options_rejected: false };
      runs.push(run);
      const warm = await drive(plan.warmup, undefined, 'warm-up', async (i) => {
        const o = fresh(failover.tiers[0]!.name, 'warmup', i, undefined);
        await chainRequest(o.target, o);
        return o;
      });
      const measured = await drive(plan.requests, plan.open, 'drill', async (i, tSched) => {
        const o = fresh(pickTier(), 'measure', i, tSched);
        await chainRequest(o.target, o);
        return o;
      });
      run.requests = [...warm, ...measured].sort(byRequest);
      run.stream_options_rejected = rejected.size > 0;
    } else {
      for (const target of plan.targets) {
        if (interrupted.aborted) break;
        const run: TargetRun = { target, requests: [], stream_options_rejected: false };
        runs.push(run);
        const once = (phase: 'warmup' | 'measure') => async (i: number, tSched: number | undefined) => {
          const o = fresh(target.name, phase, i, tSched);
          const last = await attemptTarget(target, o, 0);
          if (last.error_class === undefined) o.served_by = target.name;
          return o;
        };
        const warm = await drive(plan.warmup, undefined, `${target.name} warm-up`, once('warmup'));
        const measured = await drive(plan.requests, plan.open, target.name, once('measure'));
        run.requests = [...warm, ...measured].sort(byRequest);
        run.stream_options_rejected = rejected.has(target.name);
      }
    }
  } finally {
    if (graceTimer !== undefined) clearTimeout(graceTimer);
    interrupted.removeEventListener('abort', onInterrupt);
  }
  const transitions = Object.fromEntries([...breakers].map(([name, b]) => [name, b.transitions]));
  return { t0, runs, interrupted: interrupted.aborted, cap, transitions };
}
