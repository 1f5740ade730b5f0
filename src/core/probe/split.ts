import type {
  AttemptRecord,
  ClientLoad,
  ProbePlan,
  ProbeRun,
  RequestOutcome,
  TargetRun,
} from '../../domain/probe.js';

/** An even share of `total` for part `i` of `n`: the first `total % n` parts get one more. */
function share(total: number, i: number, n: number): number {
  return Math.floor(total / n) + (i < total % n ? 1 : 0);
}

/**
 * The plan cut into `n` parts that together send what it sends: a closed loop splits its requests,
 * concurrency and warm-up; an open loop splits its rate (never into more parts than its
 * in-flight cap, so the cap holds in total), each part's schedule offset so the arrivals
 * interleave as one schedule (constant arrivals stay evenly spaced), each Poisson part
 * with its own seed. Parts with nothing to do are left out; a drill is never split (its breakers
 * must see every request).
 */
export function splitPlan(plan: ProbePlan, n: number): ProbePlan[] {
  if (n <= 1 || plan.failover !== undefined) return [plan];
  const parts: ProbePlan[] = [];
  const width =
    plan.open === undefined
      ? Math.min(n, plan.concurrency)
      : Math.min(n, plan.open.max_in_flight ?? n);
  for (let i = 0; i < width; i++) {
    const part: ProbePlan = {
      ...plan,
      requests: share(plan.requests, i, width),
      warmup: share(plan.warmup, i, width),
      concurrency: plan.open === undefined ? share(plan.concurrency, i, width) : plan.concurrency,
    };
    if (plan.open !== undefined)
      part.open = {
        ...plan.open,
        rate: plan.open.rate / width,
        seed: plan.open.seed + i,
        offset_ms: (i * 1000) / plan.open.rate,
        ...(plan.open.max_in_flight === undefined
          ? {}
          : { max_in_flight: share(plan.open.max_in_flight, i, width) }),
      };
    if (part.requests > 0 || (plan.open?.duration_ms !== undefined && part.open !== undefined))
      parts.push(part);
  }
  return parts.length === 0 ? [plan] : parts;
}

/** A worker's run with every time moved by `delta` ms onto the main thread's clock. */
function shifted(run: ProbeRun, delta: number): ProbeRun {
  const attempt = (a: AttemptRecord): AttemptRecord => ({
    ...a,
    t_send: a.t_send + delta,
    headers_at: a.headers_at === undefined ? undefined : a.headers_at + delta,
    token_times: a.token_times.map((t) => t + delta),
    end_at: a.end_at + delta,
  });
  const outcome = (o: RequestOutcome): RequestOutcome => ({
    ...o,
    t_sched: o.t_sched === undefined ? undefined : o.t_sched + delta,
    attempts: o.attempts.map(attempt),
  });
  return {
    ...run,
    t0: run.t0 + delta,
    runs: run.runs.map((r) => ({ ...r, requests: r.requests.map(outcome) })),
  };
}

const startOf = (o: RequestOutcome) => o.t_sched ?? o.attempts[0]?.t_send ?? 0;

/** The requests of several parts as one run's: in the order they were sent, numbered again. */
function mergeTarget(parts: readonly TargetRun[]): TargetRun {
  const all = parts.flatMap((p) => p.requests);
  const renumbered: RequestOutcome[] = [];
  for (const phase of ['warmup', 'measure'] as const) {
    const mine = all.filter((o) => o.phase === phase).sort((a, b) => startOf(a) - startOf(b));
    mine.forEach((o, i) =>
      renumbered.push({
        ...o,
        request: i + 1,
        attempts: o.attempts.map((a) => ({ ...a, request: i + 1 })),
      }),
    );
  }
  return {
    target: parts[0]!.target,
    requests: renumbered,
    stream_options_rejected: parts.some((p) => p.stream_options_rejected),
  };
}

/**
 * The runs of parallel workers as one run on the main thread's clock (`offsets[i]`: how far worker
 * i's clock is ahead of the main one's, in ms): requests merged per target, caps added, the
 * busiest worker's loop delay kept.
 */
export function mergeRuns(runs: readonly ProbeRun[], offsets: readonly number[]): ProbeRun {
  if (runs.length === 1 && offsets[0] === 0) return runs[0]!;
  const moved = runs.map((r, i) => shifted(r, offsets[i] ?? 0));
  const targets = moved[0]!.runs.map((_, t) => mergeTarget(moved.map((r) => r.runs[t]!)));
  const client: ClientLoad = {
    workers: moved.length,
    loop_delay_p50_ms: Math.max(...moved.map((r) => r.client.loop_delay_p50_ms)),
    loop_delay_p99_ms: Math.max(...moved.map((r) => r.client.loop_delay_p99_ms)),
    loop_delay_max_ms: Math.max(...moved.map((r) => r.client.loop_delay_max_ms)),
  };
  return {
    t0: Math.min(...moved.map((r) => r.t0)),
    runs: targets,
    interrupted: moved.some((r) => r.interrupted),
    cap: {
      hits: moved.reduce((s, r) => s + r.cap.hits, 0),
      longest_ms: Math.max(...moved.map((r) => r.cap.longest_ms)),
      missed: moved.reduce((s, r) => s + r.cap.missed, 0),
    },
    transitions: {},
    client,
  };
}
