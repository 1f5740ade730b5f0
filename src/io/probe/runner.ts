import { setMaxListeners } from 'node:events';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type {
  AttemptRecord,
  AttemptSpec,
  Failover,
  OpenLoop,
  Phase,
  ProbePlan,
  ProbeRun,
  ProbeTarget,
  RequestOutcome,
  TargetRun,
  Transport,
} from '../../domain/probe.js';
import { Breaker } from '../../core/probe/breaker.js';
import {
  type CapStats,
  type Clock,
  chainStep,
  driveClosed,
  driveOpen,
  pickByShare,
  retryStep,
} from '../../core/probe/drive.js';
import { mulberry32 } from '../../core/random.js';

/**
 * How long Ctrl-C lets requests in flight finish before cutting them: short enough that the run
 * ends within 2 s of it.
 */
export const INTERRUPT_GRACE_MS = 1000;

/** The real monotonic clock: a timer to just before a deadline, then a sub-millisecond finish. */
export const REAL_CLOCK: Clock = {
  now: () => performance.now(),
  async until(deadline, stop) {
    for (;;) {
      const left = deadline - performance.now();
      if (left <= 0 || stop.aborted) {
        // never return within the same turn: a loop that is behind must still let I/O and signals
        // run
        await new Promise<void>((resolve) => setImmediate(resolve));
        return;
      }
      await new Promise<void>((resolve) =>
        left > 1.5 ? setTimeout(resolve, Math.floor(left - 1)) : setImmediate(resolve),
      );
    }
  },
  sleep(ms, stop) {
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
  },
};

/** How often the loop's delay is sampled (ms): a timer this often, its lateness recorded. */
const LOOP_RESOLUTION_MS = 2;

export type Progress = (label: string, done: number, total: number, failed: number) => void;

/** One run's moving parts: the plan, the transport, the clock and what is known of each target. */
class Session {
  readonly hard = new AbortController();
  readonly cap: CapStats = { hits: 0, longest_ms: 0, missed: 0 };
  readonly includeUsage: Map<string, boolean>;
  readonly rejected = new Set<string>();
  readonly breakers = new Map<string, Breaker>();
  readonly t0: number;
  // the loop's own delay while measured requests run: how late any of their timestamps can be
  readonly loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });

  constructor(
    readonly plan: ProbePlan,
    readonly transport: Transport,
    readonly interrupted: AbortSignal,
    readonly clock: Clock,
    readonly onProgress: Progress | undefined,
  ) {
    this.t0 = clock.now();
    this.includeUsage = new Map(plan.targets.map((t) => [t.name, plan.stream]));
    if (plan.failover)
      for (const t of plan.targets) this.breakers.set(t.name, new Breaker(plan.failover.breaker));
  }

  /**
   * One target, with its own retries and stream_options negotiation; attempts go into `outcome`.
   */
  async attemptTarget(
    target: ProbeTarget,
    outcome: RequestOutcome,
    position: number,
  ): Promise<AttemptRecord> {
    let waited = 0;
    for (let retries = 0; ;) {
      const usage = this.includeUsage.get(target.name) ?? false;
      const p = this.plan;
      const spec: AttemptSpec = {
        baseURL: target.baseURL,
        model: target.model,
        prompt: p.prompt,
        maxTokens: p.maxTokens,
        stream: p.stream,
        includeUsage: usage,
        deadlines: p.deadlines,
      };
      const result = await this.transport.attempt(spec, this.hard.signal);
      const negotiation =
        usage &&
        (result.status === 400 || result.status === 422) &&
        result.error_class === 'client_4xx';
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
        this.includeUsage.set(target.name, false);
        this.rejected.add(target.name);
        waited = 0;
        continue;
      }
      const step = retryStep(
        result.error_class,
        result.retry_after_ms,
        retries,
        p.retries,
        p.maxRetryWaitMs,
      );
      if (!step.retry || this.interrupted.aborted) return record;
      retries++;
      waited = step.wait_ms;
      await this.clock.sleep(waited, this.interrupted);
      if (this.interrupted.aborted) return record;
    }
  }

  /**
   * A logical request of the drill: its tier, then its chain, skipping targets whose breaker is
   * open.
   */
  async chainRequest(failover: Failover, outcome: RequestOutcome): Promise<void> {
    const chain = [
      outcome.target,
      ...(failover.tiers.find((t) => t.name === outcome.target)?.chain ?? []),
    ];
    const byName = new Map(this.plan.targets.map((t) => [t.name, t]));
    for (let position = 0; position < chain.length; position++) {
      const name = chain[position]!;
      const breaker = this.breakers.get(name)!;
      if (outcome.phase === 'measure' && !breaker.allow(this.clock.now() - this.t0)) {
        outcome.skipped.push(name);
        continue;
      }
      const last = await this.attemptTarget(byName.get(name)!, outcome, position);
      if (outcome.phase === 'measure' && last.error_class !== 'interrupted')
        breaker.record(this.clock.now() - this.t0, last.error_class === undefined);
      const step = chainStep(last.error_class);
      if (step === 'served') {
        outcome.served_by = name;
        return;
      }
      if (step === 'stop' || this.interrupted.aborted) return;
    }
  }

  /** The requests of one phase, closed or open loop; `make` creates and runs request i. */
  async drive(
    count: number,
    open: OpenLoop | undefined,
    label: string,
    make: (i: number, tSched: number | undefined) => Promise<RequestOutcome>,
  ): Promise<RequestOutcome[]> {
    const outcomes: RequestOutcome[] = [];
    let failed = 0;
    const finished = (o: RequestOutcome) => {
      outcomes.push(o);
      const last = o.attempts[o.attempts.length - 1];
      if (o.served_by === undefined && last?.error_class !== undefined) failed++;
      this.onProgress?.(label, outcomes.length, count, failed);
    };
    if (open === undefined)
      await driveClosed(count, this.plan.concurrency, { make, finished }, this.interrupted);
    else await driveOpen(count, open, this.clock, { make, finished }, this.cap, this.interrupted);
    return outcomes;
  }

  /** A measured phase, with the loop's delay recorded while it runs (warm-up compiles code). */
  async measuring(run: () => Promise<RequestOutcome[]>): Promise<RequestOutcome[]> {
    this.loop.enable();
    try {
      return await run();
    } finally {
      this.loop.disable();
    }
  }

  async runDrill(failover: Failover): Promise<TargetRun[]> {
    const rng = mulberry32(failover.seed);
    const run: TargetRun = {
      target: { name: 'drill', model: '(tiers)', baseURL: '' },
      requests: [],
      stream_options_rejected: false,
    };
    const request =
      (start: string, phase: Phase) => async (i: number, tSched: number | undefined) => {
        const o = fresh(start, phase, i, tSched);
        await this.chainRequest(failover, o);
        return o;
      };
    const warm = await this.drive(
      this.plan.warmup,
      undefined,
      'warm-up',
      request(failover.tiers[0]!.name, 'warmup'),
    );
    const stop = this.plan.warmupMustPass && warm.some((o) => o.served_by === undefined);
    const measured = stop
      ? []
      : await this.measuring(() =>
          this.drive(this.plan.requests, this.plan.open, 'drill', (i, t) =>
            request(pickByShare(failover.tiers, rng()), 'measure')(i, t),
          ),
        );
    run.requests = [...warm, ...measured].sort(byRequest);
    run.stream_options_rejected = this.rejected.size > 0;
    return [run];
  }

  async runTargets(): Promise<TargetRun[]> {
    const runs: TargetRun[] = [];
    for (const target of this.plan.targets) {
      if (this.interrupted.aborted) break;
      const run: TargetRun = { target, requests: [], stream_options_rejected: false };
      runs.push(run);
      const once = (phase: Phase) => async (i: number, tSched: number | undefined) => {
        const o = fresh(target.name, phase, i, tSched);
        const last = await this.attemptTarget(target, o, 0);
        if (last.error_class === undefined) o.served_by = target.name;
        return o;
      };
      const warm = await this.drive(
        this.plan.warmup,
        warmOpen(this.plan),
        `${target.name} warm-up`,
        once('warmup'),
      );
      // a failed warm-up is reported either way; under --warmup-must-pass the target's measured run
      // does not start
      const stop = this.plan.warmupMustPass && warm.some((o) => o.served_by === undefined);
      const measured = stop
        ? []
        : await this.measuring(() =>
            this.drive(this.plan.requests, this.plan.open, target.name, once('measure')),
          );
      run.requests = [...warm, ...measured].sort(byRequest);
      run.stream_options_rejected = this.rejected.has(target.name);
    }
    return runs;
  }
}

/**
 * An open loop warms up at its own rate (a count, not a duration), so the measured window starts
 * with connections open and code compiled; a closed loop warms up closed.
 */
function warmOpen(plan: ProbePlan): OpenLoop | undefined {
  return plan.open === undefined ? undefined : { ...plan.open, duration_ms: undefined };
}

function fresh(
  target: string,
  phase: Phase,
  request: number,
  tSched: number | undefined,
): RequestOutcome {
  return {
    target,
    phase,
    request,
    t_sched: tSched,
    blocked_ms: 0,
    attempts: [],
    served_by: undefined,
    skipped: [],
  };
}

function byRequest(a: RequestOutcome, b: RequestOutcome): number {
  return a.phase === b.phase ? a.request - b.request : a.phase === 'warmup' ? -1 : 1;
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
  onProgress?: Progress,
  clock: Clock = REAL_CLOCK,
): Promise<ProbeRun> {
  const session = new Session(plan, transport, interrupted, clock, onProgress);
  // every request in flight listens on these two: hundreds at a time is expected, not a leak
  setMaxListeners(0, session.hard.signal, interrupted);
  let graceTimer: ReturnType<typeof setTimeout> | undefined;
  const onInterrupt = () => {
    graceTimer = setTimeout(() => session.hard.abort(), INTERRUPT_GRACE_MS);
  };
  if (interrupted.aborted) onInterrupt();
  else interrupted.addEventListener('abort', onInterrupt, { once: true });
  let runs: TargetRun[];
  try {
    runs = plan.failover ? await session.runDrill(plan.failover) : await session.runTargets();
  } finally {
    if (graceTimer !== undefined) clearTimeout(graceTimer);
    interrupted.removeEventListener('abort', onInterrupt);
  }
  // the histogram holds each timer's whole interval: the delay is what passes the resolution
  const loop = session.loop;
  const msOf = (ns: number) =>
    Number.isFinite(ns) ? Math.max(0, Math.round(ns / 1e3 - LOOP_RESOLUTION_MS * 1e3) / 1e3) : 0;
  const transitions = Object.fromEntries(
    [...session.breakers].map(([name, b]) => [name, b.transitions]),
  );
  return {
    t0: session.t0,
    runs,
    interrupted: interrupted.aborted,
    cap: session.cap,
    transitions,
    client: {
      workers: 1,
      loop_delay_p50_ms: msOf(loop.percentile(50)),
      loop_delay_p99_ms: msOf(loop.percentile(99)),
      loop_delay_max_ms: msOf(loop.max),
    },
  };
}
