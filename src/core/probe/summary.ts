import {
  type Counts,
  type FailureCause,
  METRIC_KEYS,
  type MetricKey,
  type Percentiles,
  type TargetSummary,
} from '../../domain/probe-summary.js';
import {
  type Assertion,
  type AttemptRecord,
  ERROR_CLASSES,
  type ErrorClass,
  type ProbePlan,
  type ProbeRun,
  type RequestOutcome,
  type TargetRun,
  type Transition,
} from '../../domain/probe.js';
import { holds } from './gates.js';
import { countWhere, encodeHistogram } from './histogram.js';
import { percentiles } from './latency.js';

/**
 * Two token-bearing chunks stamped closer than this were read in one go: the gap between them is
 * the client's, not the server's.
 */
export const COALESCED_GAP_MS = 0.02;
/** ITL is not measurable when at least this share of a target's gaps are coalesced. */
export const COALESCED_SHARE = 0.5;

/** A send later than this after its intended time counts as late. */
export const LATE_MS = 5;

/** What a summary's `histograms` record each metric in. */
const HISTOGRAM_UNIT: Record<MetricKey, 'us' | 'milli'> = {
  ttft: 'us',
  e2e: 'us',
  itl: 'us',
  tpot: 'us',
  tokens_per_s: 'milli',
  ttft_corrected: 'us',
  e2e_corrected: 'us',
  schedule_lag: 'us',
};

function zeroCounts(): Counts {
  return Object.fromEntries(ERROR_CLASSES.map((c) => [c, 0])) as Counts;
}

/**
 * Tokens of one attempt: the endpoint's usage when sent, else its token-bearing chunks (estimated).
 */
export function outputTokens(a: AttemptRecord): { tokens: number; estimated: boolean } {
  return a.usage_tokens !== undefined
    ? { tokens: a.usage_tokens, estimated: false }
    : { tokens: a.chunks, estimated: true };
}

/**
 * When a successful attempt's first and last tokens came; a whole response without chunks counts at
 * its end.
 */
function tokenSpan(a: AttemptRecord): { first: number; last: number } {
  return {
    first: a.token_times[0] ?? a.end_at,
    last: a.token_times[a.token_times.length - 1] ?? a.end_at,
  };
}

/**
 * How a request ended: undefined when served, else the class of its last attempt (or breaker_open).
 */
export function failureOf(o: RequestOutcome): ErrorClass | undefined {
  if (o.served_by !== undefined) return undefined;
  return o.attempts[o.attempts.length - 1]?.error_class ?? 'breaker_open';
}

/**
 * A failed request's cause: its last attempt's class and words (every target's breaker open, when
 * it made none).
 */
export function causeOf(o: RequestOutcome): FailureCause | undefined {
  const failure = failureOf(o);
  if (failure === undefined) return undefined;
  const last = o.attempts[o.attempts.length - 1];
  return {
    error_class: failure,
    error:
      last?.error ??
      (failure === 'breaker_open'
        ? `every target's breaker was open (${o.skipped.join(', ')})`
        : failure),
  };
}

/** Everything one run's requests add up to, gathered request by request. */
class Tally {
  readonly errors = zeroCounts();
  readonly attemptErrors = zeroCounts();
  readonly series: Record<MetricKey, number[]> = {
    ttft: [],
    e2e: [],
    itl: [],
    tpot: [],
    tokens_per_s: [],
    ttft_corrected: [],
    e2e_corrected: [],
    schedule_lag: [],
  };
  ok = 0;
  tokens = 0;
  input = 0;
  inputKnown = true;
  estimated = false;
  attempts = 0;
  late = 0;
  blocked = 0;
  first: FailureCause | undefined;
  /** Gaps between tokens too small to be anything but chunks read together. */
  coalesced = 0;

  /** Every attempt of a request: its error class, its gaps between tokens, its prompt tokens. */
  countAttempts(request: RequestOutcome): void {
    for (const a of request.attempts) {
      this.attempts++;
      if (a.error_class !== undefined && !a.negotiation) this.attemptErrors[a.error_class]++;
      for (let i = 1; i < a.token_times.length; i++) {
        const gap = a.token_times[i]! - a.token_times[i - 1]!;
        if (gap < COALESCED_GAP_MS) this.coalesced++;
        this.series.itl.push(gap);
      }
      if (a.usage_prompt_tokens !== undefined) this.input += a.usage_prompt_tokens;
      else if (a.error_class === undefined) this.inputKnown = false;
    }
  }

  /** The lag of an open-loop send behind its intended time; undefined in a closed loop. */
  scheduling(request: RequestOutcome, firstSend: number): number | undefined {
    if (request.t_sched === undefined) return undefined;
    const lag = Math.max(0, firstSend - request.t_sched);
    this.series.schedule_lag.push(lag);
    if (lag > LATE_MS) this.late++;
    if (request.blocked_ms > 0) this.blocked++;
    return lag;
  }

  /**
   * A failed request counts in the error rate by its class (and in every good() as not good); its
   * phases stay in the samples.
   */
  failed(cause: FailureCause): void {
    this.errors[cause.error_class]++;
    this.first ??= cause;
  }

  /** A served request, timed from its first send (and from its intended send in an open loop). */
  served(request: RequestOutcome, firstSend: number): void {
    this.ok++;
    const served = request.attempts[request.attempts.length - 1]!;
    const out = outputTokens(served);
    this.tokens += out.tokens;
    this.estimated ||= out.estimated;
    const { first, last } = tokenSpan(served);
    this.series.ttft.push(first - firstSend);
    this.series.e2e.push(last - firstSend);
    if (request.t_sched !== undefined) {
      this.series.ttft_corrected.push(first - request.t_sched);
      this.series.e2e_corrected.push(last - request.t_sched);
    }
    this.series.tokens_per_s.push(last > firstSend ? out.tokens / ((last - firstSend) / 1000) : 0);
    if (out.tokens >= 2) this.series.tpot.push((last - first) / (out.tokens - 1));
  }
}

/**
 * The metrics of docs/guarantees.md for one run, the way SLOs define them. Per successful request,
 * from its first send: TTFT to the first token-bearing chunk, E2E to the last; in an open loop the
 * same from the intended send (corrected), and the scheduling lag of every send. A failed
 * request counts in the error rate by its class, and as not good in every good() figure.
 */
export function summarizeRun(run: TargetRun, name = run.target.name): TargetSummary {
  const warm = run.requests.filter((r) => r.phase === 'warmup');
  const measured = run.requests.filter((r) => r.phase === 'measure');
  const done = measured.filter((r) => failureOf(r) !== 'interrupted');
  const t = new Tally();
  for (const request of done) {
    t.countAttempts(request);
    const firstSend = request.attempts[0]?.t_send ?? request.t_sched ?? 0;
    t.scheduling(request, firstSend);
    const cause = causeOf(request);
    if (cause !== undefined) t.failed(cause);
    else t.served(request, firstSend);
  }
  const warmFailures = warm.filter((r) => failureOf(r) !== undefined);
  const openLoop = done.some((r) => r.t_sched !== undefined);
  // most gaps at once: the chunks were read together, so ITL is not measurable (never 0)
  const gaps = t.series.itl.length;
  const coalesced =
    gaps > 0 && t.coalesced / gaps >= COALESCED_SHARE ? t.coalesced / gaps : undefined;
  if (coalesced !== undefined) t.series.itl = [];
  return {
    name,
    model: run.target.model,
    base_url: run.target.baseURL,
    requests: done.length,
    ok: t.ok,
    failed: done.length - t.ok,
    interrupted: measured.length - done.length,
    attempts: t.attempts,
    warmup: {
      requests: warm.length,
      failed: warmFailures.length,
      first_failure: warmFailures[0] === undefined ? undefined : causeOf(warmFailures[0]),
    },
    errors: t.errors,
    first_failure: t.first,
    attempt_errors: t.attemptErrors,
    error_rate: done.length === 0 ? 0 : (done.length - t.ok) / done.length,
    output_tokens: t.tokens,
    input_tokens: t.input,
    input_tokens_known: t.inputKnown,
    tokens_estimated: t.estimated,
    stream_options_rejected: run.stream_options_rejected,
    open: openLoop ? { late: t.late, blocked: t.blocked } : undefined,
    metrics: Object.fromEntries(
      METRIC_KEYS.map((k) => [k, percentiles(t.series[k])]),
    ) as TargetSummary['metrics'],
    histograms: Object.fromEntries(
      METRIC_KEYS.map((k) => [
        k,
        t.series[k].length === 0 ? undefined : encodeHistogram(t.series[k], HISTOGRAM_UNIT[k]),
      ]),
    ) as TargetSummary['histograms'],
    series: t.series,
    approximate: false,
    ...(coalesced === undefined ? {} : { itl_coalesced: coalesced }),
  };
}

/** One summary per target; in a drill, one for the caller's view of the logical requests. */
export function summarize(plan: ProbePlan, run: ProbeRun): TargetSummary[] {
  if (plan.failover) return run.runs.map((r) => summarizeRun(r, 'caller'));
  return run.runs.map((r) => summarizeRun(r));
}

export interface DrillTarget {
  name: string;
  model: string;
  attempts: number;
  ok: number;
  failed: number;
  /** Requests that passed this target over because its breaker was open. */
  skipped: number;
  /** Attempts that succeeded, as the target itself saw them. */
  availability: number;
  transitions: Transition[];
}

/**
 * What only a drill shows: where requests started and were served, how many tries it took, the
 * breakers.
 */
export interface DrillSummary {
  requests: number;
  served: number;
  /** Served requests over requests: availability as the caller saw it. */
  availability: number;
  started_at: Record<string, number>;
  served_by: Record<string, number>;
  /** attempts per logical request -> how many requests took that many */
  attempts_per_request: Record<string, number>;
  /** The first attempt alone: how many succeeded, and their latency, against the whole chain. */
  first_attempt: { ok: number; ttft: Percentiles | undefined; e2e: Percentiles | undefined };
  targets: DrillTarget[];
}

export function summarizeDrill(plan: ProbePlan, run: ProbeRun): DrillSummary | undefined {
  if (!plan.failover || run.runs[0] === undefined) return undefined;
  const requests = run.runs[0].requests.filter(
    (r) => r.phase === 'measure' && failureOf(r) !== 'interrupted',
  );
  const count = (values: string[]) =>
    values.reduce<Record<string, number>>((m, v) => ((m[v] = (m[v] ?? 0) + 1), m), {});
  const firstTtft: number[] = [];
  const firstE2e: number[] = [];
  for (const r of requests) {
    const a = r.attempts[0];
    if (a === undefined || a.error_class !== undefined) continue;
    const span = tokenSpan(a);
    firstTtft.push(span.first - a.t_send);
    firstE2e.push(span.last - a.t_send);
  }
  const served = requests.filter((r) => r.served_by !== undefined).length;
  const targets = plan.targets.map((t) => {
    const attempts = requests.flatMap((r) =>
      r.attempts.filter((a) => a.target === t.name && !a.negotiation),
    );
    const ok = attempts.filter((a) => a.error_class === undefined).length;
    return {
      name: t.name,
      model: t.model,
      attempts: attempts.length,
      ok,
      failed: attempts.length - ok,
      skipped: requests.filter((r) => r.skipped.includes(t.name)).length,
      availability: attempts.length === 0 ? 0 : ok / attempts.length,
      transitions: run.transitions[t.name] ?? [],
    };
  });
  return {
    requests: requests.length,
    served,
    availability: requests.length === 0 ? 0 : served / requests.length,
    started_at: count(requests.map((r) => r.target)),
    served_by: count(requests.map((r) => r.served_by ?? '(failed)')),
    attempts_per_request: count(
      requests.map((r) => String(r.attempts.filter((a) => !a.negotiation).length)),
    ),
    first_attempt: {
      ok: firstTtft.length,
      ttft: percentiles(firstTtft),
      e2e: percentiles(firstE2e),
    },
    targets,
  };
}

export interface AssertionResult {
  assertion: Assertion;
  target: string;
  /** undefined when the target produced no data for the metric (or the baseline has none). */
  measured: number | undefined;
  /**
   * The threshold it was held to: the assertion's own, or the baseline's figure times its factor.
   */
  limit: number | undefined;
  n: number;
  pass: boolean;
}

/**
 * A good() figure: the share of all requests that succeeded with the metric within its threshold.
 */
export function goodShare(
  s: TargetSummary,
  good: NonNullable<Assertion['good']>,
): { share: number | undefined; good: number } {
  if (s.requests === 0) return { share: undefined, good: 0 };
  const within = (v: number) => holds(good.op, v, good.threshold);
  const raw = s.series?.[good.metric];
  const hist = s.histograms[good.metric];
  const count =
    raw !== undefined
      ? raw.filter(within).length
      : hist === undefined
        ? 0
        : countWhere(hist, within);
  return { share: count / s.requests, good: count };
}

/**
 * A summary's figure for an assertion: the error rate, a good() share, or a statistic of a metric.
 */
function figureOf(
  s: TargetSummary | undefined,
  a: Assertion,
): { value: number | undefined; n: number } {
  if (s === undefined) return { value: undefined, n: 0 };
  if (a.metric === 'error_rate')
    return { value: s.requests === 0 ? undefined : s.error_rate, n: s.requests };
  if (a.metric === 'good') return { value: goodShare(s, a.good!).share, n: s.requests };
  const p = s.metrics[a.metric];
  return { value: p === undefined ? undefined : p[a.stat!], n: p?.n ?? 0 };
}

/**
 * Each assertion against each target it names (all targets when unscoped); `baseline*F` against the
 * saved run's same figure.
 */
export function evaluate(
  assertions: readonly Assertion[],
  summaries: readonly TargetSummary[],
  baseline: readonly TargetSummary[] = [],
): AssertionResult[] {
  const results: AssertionResult[] = [];
  for (const assertion of assertions) {
    for (const s of summaries) {
      if (assertion.target !== undefined && assertion.target !== s.name) continue;
      const { value, n } = figureOf(s, assertion);
      const before = assertion.relative
        ? figureOf(
            baseline.find((b) => b.name === s.name),
            assertion,
          ).value
        : undefined;
      const limit = assertion.relative
        ? before === undefined
          ? undefined
          : before * assertion.threshold
        : assertion.threshold;
      results.push({
        assertion,
        target: s.name,
        measured: value,
        limit,
        n,
        pass: value !== undefined && limit !== undefined && holds(assertion.op, value, limit),
      });
    }
  }
  return results;
}
