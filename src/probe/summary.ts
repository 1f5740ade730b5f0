import { type Assertion, holds } from '../core/gates.js';
import { type Percentiles, percentiles } from '../core/latency.js';
import type { AttemptRecord, ProbePlan, ProbeRun, RequestOutcome } from './runner.js';
import { ERROR_CLASSES, type ErrorClass } from './types.js';

export type Counts = Record<ErrorClass, number>;

export interface TargetSummary {
  name: string;
  model: string;
  base_url: string;
  /** Measured requests that ran to an outcome (interrupted ones are left out). */
  requests: number;
  ok: number;
  failed: number;
  interrupted: number;
  attempts: number;
  warmup: { requests: number; failed: number };
  /** Final outcome of each failed request, by class. */
  errors: Counts;
  /** Every failed attempt, retries included, by class. */
  attempt_errors: Counts;
  error_rate: number;
  output_tokens: number;
  /** True when some counts are chunks, not the endpoint's usage. */
  tokens_estimated: boolean;
  stream_options_rejected: boolean;
  /** Failed requests stand in the latency data at the total deadline ("at least this long"). */
  censored: number;
  metrics: Record<'ttft' | 'e2e' | 'itl' | 'tpot' | 'tokens_per_s', Percentiles | undefined>;
}

function zeroCounts(): Counts {
  return Object.fromEntries(ERROR_CLASSES.map((c) => [c, 0])) as Counts;
}

/** Tokens of one attempt: the endpoint's usage when sent, else its token-bearing chunks (estimated). */
export function outputTokens(a: AttemptRecord): { tokens: number; estimated: boolean } {
  return a.usage_tokens !== undefined ? { tokens: a.usage_tokens, estimated: false } : { tokens: a.chunks, estimated: true };
}

function last(o: RequestOutcome): AttemptRecord {
  return o.attempts[o.attempts.length - 1]!;
}

/**
 * The metrics of design.md. Per request, from its first send: TTFT to the first token-bearing
 * chunk, E2E to the last. A failed request counts as the total deadline in TTFT and E2E and as
 * 0 tokens/s: never dropped. ITL is every gap between token-bearing chunks; TPOT is
 * (E2E - TTFT) / (tokens - 1) of the attempt that succeeded.
 */
export function summarize(plan: ProbePlan, run: ProbeRun): TargetSummary[] {
  const deadline = plan.deadlines.total_ms;
  return run.runs.map(({ target, requests, stream_options_rejected }) => {
    const warm = requests.filter((r) => r.phase === 'warmup');
    const measured = requests.filter((r) => r.phase === 'measure');
    const done = measured.filter((r) => last(r).error_class !== 'interrupted');
    const errors = zeroCounts();
    const attemptErrors = zeroCounts();
    const ttft: number[] = [];
    const e2e: number[] = [];
    const itl: number[] = [];
    const tpot: number[] = [];
    const tps: number[] = [];
    let ok = 0;
    let tokens = 0;
    let estimated = false;
    let attempts = 0;
    for (const request of done) {
      for (const a of request.attempts) {
        attempts++;
        if (a.error_class !== undefined && !a.negotiation) attemptErrors[a.error_class]++;
        for (let i = 1; i < a.token_times.length; i++) itl.push(a.token_times[i]! - a.token_times[i - 1]!);
      }
      const final = last(request);
      const firstSend = request.attempts[0]!.t_send;
      if (final.error_class !== undefined) {
        errors[final.error_class]++;
        ttft.push(deadline);
        e2e.push(deadline);
        tps.push(0);
        continue;
      }
      ok++;
      const out = outputTokens(final);
      tokens += out.tokens;
      estimated ||= out.estimated;
      const first = final.token_times[0] ?? final.end_at;
      const lastToken = final.token_times[final.token_times.length - 1] ?? final.end_at;
      ttft.push(first - firstSend);
      e2e.push(lastToken - firstSend);
      tps.push(lastToken > firstSend ? out.tokens / ((lastToken - firstSend) / 1000) : 0);
      if (out.tokens >= 2) tpot.push((lastToken - first) / (out.tokens - 1));
    }
    return {
      name: target.name,
      model: target.model,
      base_url: target.baseURL,
      requests: done.length,
      ok,
      failed: done.length - ok,
      interrupted: measured.length - done.length,
      attempts,
      warmup: { requests: warm.length, failed: warm.filter((r) => last(r).error_class !== undefined).length },
      errors,
      attempt_errors: attemptErrors,
      error_rate: done.length === 0 ? 0 : (done.length - ok) / done.length,
      output_tokens: tokens,
      tokens_estimated: estimated,
      stream_options_rejected,
      censored: done.length - ok,
      metrics: { ttft: percentiles(ttft), e2e: percentiles(e2e), itl: percentiles(itl), tpot: percentiles(tpot), tokens_per_s: percentiles(tps) },
    };
  });
}

export interface AssertionResult {
  assertion: Assertion;
  target: string;
  /** undefined when the target produced no data for the metric. */
  measured: number | undefined;
  n: number;
  pass: boolean;
}

/** Each assertion against each target it names (all targets when unscoped). */
export function evaluate(assertions: readonly Assertion[], summaries: readonly TargetSummary[]): AssertionResult[] {
  const results: AssertionResult[] = [];
  for (const assertion of assertions) {
    for (const s of summaries) {
      if (assertion.target !== undefined && assertion.target !== s.name) continue;
      if (assertion.metric === 'error_rate') {
        results.push({ assertion, target: s.name, measured: s.requests === 0 ? undefined : s.error_rate, n: s.requests, pass: s.requests > 0 && holds(assertion, s.error_rate) });
        continue;
      }
      const p = s.metrics[assertion.metric];
      const measured = p === undefined ? undefined : p[assertion.stat!];
      results.push({ assertion, target: s.name, measured, n: p?.n ?? 0, pass: measured !== undefined && holds(assertion, measured) });
    }
  }
  return results;
}
