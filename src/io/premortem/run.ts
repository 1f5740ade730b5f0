import { setMaxListeners } from 'node:events';
import {
  type AttemptResult,
  type AttemptSpec,
  type BreakerSettings,
  type Deadlines,
  type ProbePlan,
  type ProbeTarget,
  type RateLimitSeen,
  type Transport,
} from '../../domain/probe.js';
import type {
  CheckId,
  CheckResult,
  FailoverDrill,
  RateLimitEvidence,
  RampStep,
  StopReason,
} from '../../domain/premortem.js';
import {
  burstCheck,
  burstPhase,
  failoverCheck,
  p99Check,
  regionsCheck,
} from '../../core/premortem/checks.js';
import {
  type Admission,
  gradualKind,
  headerSummary,
  rateLimitCheck,
  retryAfterStats,
  saturationShape,
} from '../../core/premortem/rate-limit.js';
import { quantile } from '../../core/probe/latency.js';
import { summarize, summarizeRun } from '../../core/probe/summary.js';
import { REAL_CLOCK, runProbe } from '../probe/runner.js';
import type { Clock } from '../../core/probe/drive.js';
import { startBlackhole } from './blackhole.js';
import { type Big, Dec } from '../../units/decimal.js';

/** Everything the live checks need, resolved by the command from flags, scenario and catalog. */
export interface LiveSettings {
  checks: ReadonlySet<CheckId>;
  target: ProbeTarget;
  regions: ProbeTarget[];
  requests: number;
  concurrency: number;
  prompt: string;
  maxTokens: number;
  stream: boolean;
  deadlines: Deadlines;
  retries: number;
  maxRetryWaitMs: number;
  ttftBudgetMs: number;
  e2eBudgetMs: number | undefined;
  burst: { baseRate: number; multiplier: number; baselineMs: number; burstMs: number };
  /** Your gateway's circuit breaker, as the failover check and its drill assume it. */
  breaker: BreakerSettings;
  failover:
    | {
        tiers: Array<{ name: string; chain: string[] }>;
        targets: ProbeTarget[];
        failTarget: string | undefined;
        drillRequests: number;
        budgetMs: number;
      }
    | undefined;
  ramp: { baseRate: number; maxRate: number; stepMs: number; saturateMs: number };
  seed: number;
}

/**
 * The dollar bound as it is kept while the run goes: what a request is planned to cost (its prompt
 * and max_tokens), and what an answer cost by the usage it reports.
 */
export interface SpendMeter {
  bound: Big;
  planned: Big;
  /** The cost of an answer's usage; estimated when it reported none (see settle). */
  costOf(result: AttemptResult): { cost: Big; estimated: boolean };
}

/**
 * The run's bounds: requests sent, time, and dollars; reaching one stops the run where it stands,
 * keeping what it has. Dollars are counted as answers report their usage: a request is sent only
 * while what was spent, plus the planned cost of those in flight and of this one, stays within it.
 */
export class Budget {
  sent = 0;
  reason: StopReason | undefined;
  /** Dollars spent by the usage answers reported (or their plan, when they reported none). */
  spent: Big = Dec('0');
  /** Answers priced without reported usage. */
  estimated = 0;
  private reserved: Big = Dec('0');
  private readonly controller = new AbortController();
  private readonly timer: ReturnType<typeof setTimeout>;

  constructor(
    readonly maxRequests: number,
    maxDurationMs: number,
    readonly spend?: SpendMeter,
  ) {
    this.timer = setTimeout(() => this.stop('max_duration'), maxDurationMs);
    this.timer.unref?.();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Takes one request from the budget; false once it is spent. */
  take(): boolean {
    if (this.reason !== undefined) return false;
    if (this.sent >= this.maxRequests) return this.stop('max_requests');
    const m = this.spend;
    if (m !== undefined && this.spent.plus(this.reserved).plus(m.planned).gt(m.bound))
      return this.stop('max_cost');
    this.sent++;
    if (m !== undefined) this.reserved = this.reserved.plus(m.planned);
    return true;
  }

  /** An answer came back: its planned cost is released, and what it cost is counted. */
  settle(result: AttemptResult | undefined): void {
    const m = this.spend;
    if (m === undefined) return;
    this.reserved = this.reserved.minus(m.planned);
    if (result === undefined) return;
    const { cost, estimated } = m.costOf(result);
    this.spent = this.spent.plus(cost);
    if (estimated) this.estimated++;
  }

  stop(reason: StopReason): false {
    if (this.reason === undefined) {
      this.reason = reason;
      this.controller.abort(reason);
    }
    return false;
  }

  close(): void {
    clearTimeout(this.timer);
  }
}

function notSent(): AttemptResult {
  const t = performance.now();
  return {
    t_send: t,
    headers_at: undefined,
    token_times: [],
    end_at: t,
    usage_tokens: undefined,
    usage_prompt_tokens: undefined,
    chunks: 0,
    finish_reason: undefined,
    status: undefined,
    error_class: 'interrupted',
    error: 'not sent: the pre-mortem reached one of its bounds',
    request_id: undefined,
    retry_after_ms: undefined,
    ratelimit: undefined,
  };
}

/**
 * The transport every check goes through: it counts against the budget and keeps every
 * x-ratelimit-* header seen.
 */
function metered(transport: Transport, budget: Budget, seen: RateLimitSeen[]): Transport {
  return {
    async attempt(spec: AttemptSpec, stop: AbortSignal) {
      if (!budget.take()) return notSent();
      let result: AttemptResult;
      try {
        result = await transport.attempt(spec, stop);
      } catch (err) {
        budget.settle(undefined);
        throw err;
      }
      budget.settle(result);
      if (result.ratelimit !== undefined && seen.length < 100_000) seen.push(result.ratelimit);
      return result;
    },
  };
}

export type CheckProgress = (id: CheckId, what: string) => void;

/**
 * The checks that send traffic, in the order they run: the rate-limit ramp last, because it spends
 * the limit on purpose.
 */
export const LIVE_ORDER: CheckId[] = ['p99', 'regions', 'failover', 'burst', 'rate_limit'];

/**
 * Runs the live checks asked for, in LIVE_ORDER, through one metered transport. Ctrl-C or a
 * reached bound stops the check in progress (it is judged on what it has) and leaves the rest
 * not run. Traffic goes only where the settings say; the drill's dead target is on 127.0.0.1.
 */
export async function runLiveChecks(
  s: LiveSettings,
  transport: Transport,
  budget: Budget,
  interrupted: AbortSignal,
  onProgress?: CheckProgress,
  clock: Clock = REAL_CLOCK,
): Promise<{
  checks: CheckResult[];
  stopped: { reason: StopReason; at_check: CheckId } | undefined;
}> {
  const seen: RateLimitSeen[] = [];
  const meter = metered(transport, budget, seen);
  const stop = AbortSignal.any([interrupted, budget.signal]);
  // every request in flight listens on it: hundreds at a time is expected, not a leak
  setMaxListeners(0, stop);
  const checks: CheckResult[] = [];
  let stopped: { reason: StopReason; at_check: CheckId } | undefined;
  const plan = (
    targets: ProbeTarget[],
    requests: number,
    extra: Partial<ProbePlan> = {},
  ): ProbePlan => ({
    targets,
    requests,
    concurrency: s.concurrency,
    warmup: 0,
    warmupMustPass: false,
    retries: 0,
    maxRetryWaitMs: s.maxRetryWaitMs,
    prompt: s.prompt,
    maxTokens: s.maxTokens,
    stream: s.stream,
    deadlines: s.deadlines,
    open: undefined,
    failover: undefined,
    ...extra,
  });
  const probe = async (p: ProbePlan) => {
    const run = await runProbe(p, meter, stop, undefined, clock);
    return { run, summaries: summarize(p, run) };
  };

  for (const id of LIVE_ORDER) {
    if (!s.checks.has(id)) continue;
    if (stop.aborted) {
      stopped ??= { reason: budget.reason ?? 'interrupted', at_check: id };
      checks.push({ id, verdict: 'unknown', evidence: null, not_run: stopped.reason });
      continue;
    }
    onProgress?.(id, 'running');
    checks.push(
      await runCheck(id, s, probe, plan, () => measureRateLimit(s, meter, stop, clock, seen), stop),
    );
    if (stop.aborted) stopped ??= { reason: budget.reason ?? 'interrupted', at_check: id };
  }
  return { checks, stopped };
}

/**
 * One live check: its traffic through `probe` (or the rate-limit measurement), judged by the pure
 * core.
 */
async function runCheck(
  id: CheckId,
  s: LiveSettings,
  probe: Probe,
  plan: PlanOf,
  rateLimit: () => Promise<RateLimitEvidence>,
  stop: AbortSignal,
): Promise<CheckResult> {
  switch (id) {
    case 'p99':
      return p99Check(
        (await probe(plan([s.target], s.requests))).summaries[0]!,
        s.ttftBudgetMs,
        s.e2eBudgetMs,
      );
    case 'regions': {
      const regions = [];
      for (const r of s.regions) {
        if (stop.aborted) break;
        regions.push({
          name: r.name,
          base_url: r.baseURL,
          summary: (await probe(plan([r], s.requests))).summaries[0]!,
        });
      }
      return regionsCheck(regions, s.ttftBudgetMs);
    }
    case 'failover':
      return failover(s, probe, plan);
    case 'burst': {
      const b = s.burst;
      const phase = async (rate: number, ms: number) => {
        const { run, summaries } = await probe(
          plan([s.target], 1, {
            open: {
              rate,
              arrivals: 'constant',
              duration_ms: ms,
              seed: s.seed,
              max_in_flight: undefined,
            },
          }),
        );
        return burstPhase(summaries[0]!, rate, ms / 1000, run.cap.missed);
      };
      const baseline = await phase(b.baseRate, b.baselineMs);
      const burst = stop.aborted
        ? burstPhase(
            summarizeRun({ target: s.target, requests: [], stream_options_rejected: false }),
            b.baseRate * b.multiplier,
            0,
            0,
          )
        : await phase(b.baseRate * b.multiplier, b.burstMs);
      return burstCheck(baseline, burst, b.multiplier);
    }
    default:
      return rateLimitCheck(await rateLimit());
  }
}

type Probe = (p: ProbePlan) => Promise<{
  run: Awaited<ReturnType<typeof runProbe>>;
  summaries: ReturnType<typeof summarize>;
}>;
type PlanOf = (targets: ProbeTarget[], requests: number, extra?: Partial<ProbePlan>) => ProbePlan;

/**
 * failover: the worst case computed from the deadlines, retries and breaker, then (with a target
 * to fail) the drill: every request starts at that target, now a listener that never answers,
 * and walks its chain through the breakers. The time to reroute is from a request's first send
 * to its send to the next target.
 */
async function failover(s: LiveSettings, probe: Probe, plan: PlanOf): Promise<CheckResult> {
  const f = s.failover;
  const computed = (drill: FailoverDrill | null) =>
    failoverCheck({
      tiers: f?.tiers ?? [],
      deadlines: s.deadlines,
      retries: s.retries,
      maxRetryWaitMs: s.maxRetryWaitMs,
      breaker: s.breaker,
      budgetMs: f?.budgetMs ?? 1000,
      drill,
    });
  if (f === undefined || f.failTarget === undefined) return computed(null);
  const dead = f.failTarget;
  const tier = f.tiers.find((t) => t.name === dead)!;
  const hole = await startBlackhole();
  try {
    const targets = f.targets.map((t) => (t.name === dead ? { ...t, baseURL: hole.url } : t));
    const p = plan(targets, f.drillRequests, {
      retries: s.retries,
      failover: {
        tiers: [{ name: dead, share: 1, chain: tier.chain }],
        breaker: s.breaker,
        seed: s.seed,
      },
    });
    const { run } = await probe(p);
    const measured = run.runs
      .flatMap((r) => r.requests)
      .filter(
        (o) => o.phase === 'measure' && o.attempts.every((a) => a.error_class !== 'interrupted'),
      );
    const reroutes: number[] = [];
    let rerouted = 0;
    let failed = 0;
    for (const o of measured) {
      if (o.served_by === undefined) failed++;
      else if (o.served_by !== dead) rerouted++;
      const first = o.attempts[0];
      const moved = o.attempts.find((a) => a.chain_position > 0);
      if (o.skipped.includes(dead)) reroutes.push(0);
      else if (first !== undefined && moved !== undefined)
        reroutes.push(moved.t_send - first.t_send);
    }
    const sorted = reroutes.sort((a, b) => a - b);
    const opened = (run.transitions[dead] ?? []).find((t) => t.to === 'open');
    return computed({
      fail_target: dead,
      requests: measured.length,
      rerouted,
      failed,
      reroute_max_ms: sorted.length === 0 ? null : Math.round(sorted[sorted.length - 1]!),
      reroute_p50_ms: sorted.length === 0 ? null : Math.round(quantile(sorted, 0.5)),
      breaker_opened_after_ms: opened === undefined ? null : Math.round(opened.at_ms),
    });
  } finally {
    await hole.close();
  }
}

type Observed = Admission & { retry_after_ms: number | undefined; rate: number };

/**
 * The rate-limit measurement's requests: one attempt each, max_tokens 1, each kept with its send
 * time and admission.
 */
class Sender {
  readonly all: Observed[] = [];
  private readonly inFlight = new Set<Promise<Observed>>();
  readonly t0: number;
  private readonly spec: AttemptSpec;

  constructor(
    s: LiveSettings,
    private readonly transport: Transport,
    readonly stop: AbortSignal,
    readonly clock: Clock,
  ) {
    this.t0 = clock.now();
    this.spec = {
      baseURL: s.target.baseURL,
      model: s.target.model,
      prompt: s.prompt,
      maxTokens: 1,
      stream: s.stream,
      includeUsage: false,
      deadlines: s.deadlines,
    };
  }

  since(): number {
    return this.clock.now() - this.t0;
  }

  send(rate: number): Promise<Observed> {
    const at = this.since();
    const p = this.transport.attempt(this.spec, this.stop).then((r) => {
      const o = { at_ms: at, limited: r.status === 429, retry_after_ms: r.retry_after_ms, rate };
      this.all.push(o);
      return o;
    });
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
    return p;
  }

  /** Sends at `rate` for `ms`, whatever the answers do, until `until` says stop. */
  async openLoop(rate: number, ms: number, until: () => boolean): Promise<void> {
    const start = this.clock.now();
    for (let i = 0; ; i++) {
      const at = start + (i * 1000) / rate;
      if (at - start >= ms || this.stop.aborted || until()) return;
      await this.clock.until(at, this.stop);
      if (this.stop.aborted || until()) return;
      void this.send(rate);
    }
  }

  settle(): Promise<unknown> {
    return Promise.all(this.inFlight);
  }
}

/** Requests per ramp step and how many met a 429. */
function rampSteps(all: readonly Observed[]): RampStep[] {
  const ramp: RampStep[] = [];
  for (const o of all) {
    let step = ramp.find((r) => r.rate_per_s === o.rate);
    if (step === undefined) ramp.push((step = { rate_per_s: o.rate, sent: 0, rate_limited: 0 }));
    step.sent++;
    if (o.limited) step.rate_limited++;
  }
  return ramp;
}

/** What a rate-limit run could not learn, named, and the Retry-After figures it saw. */
function finishEvidence(
  evidence: RateLimitEvidence,
  all: Sender['all'],
  headers: RateLimitEvidence['headers'],
): RateLimitEvidence {
  const notLearned = evidence.not_learned;
  evidence.retry_after_s = retryAfterStats(
    all.filter((o) => o.limited && o.retry_after_ms !== undefined).map((o) => o.retry_after_ms!),
  );
  if (evidence.window_kind === 'unknown') notLearned.push('window_kind');
  if (evidence.window_s === null) notLearned.push('window_s');
  if (evidence.limit_requests === null) notLearned.push('limit_requests');
  if (headers === null || headers.limit_tokens === null)
    notLearned.push('the token limit: no x-ratelimit-*-tokens header');
  return evidence;
}

/**
 * The rate limit, learned by a bounded ramp when the headers cannot tell it all: the rate doubles
 * each step until the first 429; then twice that rate, held, shows the limit's shape (runs of
 * admissions that repeat every window: a window that resets) and its rate. A limit that gives
 * room back gradually is told apart by a pause, a burst, and the wait for the first admission
 * after it: one refill (a bucket) or a whole window (sliding).
 */
async function measureRateLimit(
  s: LiveSettings,
  transport: Transport,
  stop: AbortSignal,
  clock: Clock,
  seen: RateLimitSeen[],
): Promise<RateLimitEvidence> {
  const tx = new Sender(s, transport, stop, clock);
  const limitedSeen = () => tx.all.some((o) => o.limited);
  for (
    let rate = s.ramp.baseRate;
    rate <= s.ramp.maxRate && !stop.aborted && !limitedSeen();
    rate *= 2
  )
    await tx.openLoop(rate, s.ramp.stepMs, limitedSeen);
  await tx.settle();
  const first429 = tx.all.find((o) => o.limited);
  const headers = headerSummary(seen);
  const notLearned: string[] = [];
  const evidence: RateLimitEvidence = {
    source: headers === null ? 'none' : 'headers',
    headers,
    ramp: rampSteps(tx.all),
    first_429_rate_per_s: first429?.rate ?? null,
    limit_requests: headers?.limit_requests ?? null,
    window_s: null,
    rate_per_s: null,
    window_kind: 'unknown',
    recovery: null,
    retry_after_s: null,
    not_learned: notLearned,
  };
  const finish = () => finishEvidence(evidence, tx.all, headers);
  if (first429 === undefined) {
    notLearned.push(
      stop.aborted
        ? 'the ramp was stopped before any 429'
        : `no 429 up to ${s.ramp.maxRate} requests/s (--ramp-max-rate)`,
    );
    return finish();
  }
  evidence.source = headers === null ? 'ramp' : 'headers+ramp';
  // hold twice the rate that met the first 429 long enough to see several windows
  const firstWait = tx.all.find((o) => o.limited && o.retry_after_ms !== undefined)?.retry_after_ms;
  const satFrom = tx.all.length;
  await tx.openLoop(
    first429.rate * 2,
    Math.min(30_000, Math.max(s.ramp.saturateMs, 2.5 * (firstWait ?? 0))),
    () => false,
  );
  await tx.settle();
  const shape = saturationShape(tx.all.slice(satFrom));
  if (shape.shape === 'resets') {
    Object.assign(evidence, {
      window_kind: 'fixed',
      recovery: 'resets',
      rate_per_s: round2(shape.rate_per_s),
      window_s: round2(shape.window_ms! / 1000),
    });
    evidence.limit_requests ??= shape.limit;
  } else if (shape.shape === null || shape.rate_per_s === null || stop.aborted) {
    notLearned.push('the shape of the window: the saturated run let nothing or everything through');
  } else {
    evidence.recovery = 'gradual';
    evidence.rate_per_s = round2(shape.rate_per_s);
    const admittedInRamp = tx.all.slice(0, satFrom).filter((o) => !o.limited).length;
    await tellGradual(tx, shape.rate_per_s, Math.max(admittedInRamp, 4), evidence);
  }
  return finish();
}

/**
 * Sliding window or token bucket: a pause long enough for either to refill, a burst, then the wait
 * for room to come back.
 */
async function tellGradual(
  tx: Sender,
  ratePerS: number,
  burstBase: number,
  evidence: RateLimitEvidence,
): Promise<void> {
  const pauseMs = (1.2 * burstBase * 1000) / ratePerS + 200;
  if (pauseMs > 60_000) {
    evidence.not_learned.push(
      `sliding or token bucket: telling them apart needs a pause of ` +
        `${Math.round(pauseMs / 1000)} s`,
    );
    return;
  }
  await tx.clock.sleep(pauseMs, tx.stop);
  if (tx.stop.aborted) return;
  const burstAt = tx.since();
  const burst = await Promise.all(Array.from({ length: 2 * burstBase }, () => tx.send(0)));
  const passed = burst.filter((o) => !o.limited).length;
  const windowGuess = (passed * 1000) / ratePerS;
  const pollMs = Math.min(500, Math.max(10, windowGuess / 40));
  let back: number | undefined;
  for (
    let i = 0;
    i < 400 &&
    back === undefined &&
    !tx.stop.aborted &&
    tx.since() - burstAt <= 2 * windowGuess + 1000;
    i++
  ) {
    await tx.clock.sleep(pollMs, tx.stop);
    const o = await tx.send(0);
    if (!o.limited) back = o.at_ms - burstAt;
  }
  if (back === undefined || passed === 0) {
    evidence.not_learned.push(
      'sliding or token bucket: no room came back after the burst within the time allowed',
    );
    return;
  }
  const kind = gradualKind(passed, ratePerS, back);
  evidence.window_kind = kind.kind;
  evidence.window_s = round2(kind.window_ms / 1000);
  evidence.limit_requests ??= passed;
  if (kind.kind === 'sliding') evidence.rate_per_s = round2((passed * 1000) / kind.window_ms);
}

function round2(v: number | null): number | null {
  return v === null ? null : Math.round(v * 100) / 100;
}
