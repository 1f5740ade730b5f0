import type { BreakerSettings, Deadlines } from '../../domain/probe.js';
import type {
  BurstClass,
  BurstEvidence,
  BurstPhase,
  CheckResult,
  MeasuredCheck,
  FailoverDrill,
  FailoverEvidence,
  FailoverLink,
  LatencyFigures,
  P99Evidence,
  RegionsEvidence,
  SlaEvidence,
  Verdict,
} from '../../domain/premortem.js';
import type { TargetSummary } from '../../domain/probe-summary.js';

/** A p99 from fewer successes is little more than the maximum: the check says unknown instead. */
export const P99_MIN_REQUESTS = 100;

const round = (v: number | undefined): number | null =>
  v === undefined || !Number.isFinite(v) ? null : Math.round(v * 10) / 10;

/** The latency figures of one probed target, from its summary. */
export function latencyOf(s: TargetSummary): LatencyFigures {
  return {
    requests: s.requests,
    ok: s.ok,
    error_rate: s.error_rate,
    ttft_p50_ms: round(s.metrics.ttft?.p50),
    ttft_p99_ms: round(s.metrics.ttft?.p99),
    e2e_p50_ms: round(s.metrics.e2e?.p50),
    e2e_p99_ms: round(s.metrics.e2e?.p99),
  };
}

/**
 * p99: unknown under 100 successes; fail over a budget; warn when errors above 1% hide behind a
 * good p99.
 */
export function p99Check(
  s: TargetSummary,
  ttftBudgetMs: number,
  e2eBudgetMs: number | undefined,
): MeasuredCheck {
  const evidence: P99Evidence = {
    ...latencyOf(s),
    min_requests: P99_MIN_REQUESTS,
    ttft_budget_ms: ttftBudgetMs,
    e2e_budget_ms: e2eBudgetMs ?? null,
  };
  let verdict: Verdict;
  if (s.ok < P99_MIN_REQUESTS || evidence.ttft_p99_ms === null) verdict = 'unknown';
  else if (
    evidence.ttft_p99_ms > ttftBudgetMs ||
    (e2eBudgetMs !== undefined && (evidence.e2e_p99_ms ?? Infinity) > e2eBudgetMs)
  )
    verdict = 'fail';
  else verdict = s.error_rate > 0.01 ? 'warn' : 'pass';
  return { id: 'p99', verdict, evidence };
}

/**
 * regions: the best region by TTFT p99; pass when it meets the budget, fail when none does, unknown
 * with fewer than two regions.
 */
export function regionsCheck(
  regions: Array<{ name: string; base_url: string; summary: TargetSummary }>,
  ttftBudgetMs: number,
): MeasuredCheck {
  const rows = regions.map((r) => ({
    name: r.name,
    base_url: r.base_url,
    ...latencyOf(r.summary),
  }));
  const measured = rows.filter((r) => r.ttft_p99_ms !== null && r.ok > 0);
  const best =
    measured.length === 0
      ? null
      : measured.reduce((a, b) => (b.ttft_p99_ms! < a.ttft_p99_ms! ? b : a));
  const evidence: RegionsEvidence = {
    regions: rows,
    best: best?.name ?? null,
    ttft_budget_ms: ttftBudgetMs,
  };
  let verdict: Verdict;
  if (rows.length < 2 || best === null) verdict = 'unknown';
  else if (best.ttft_p99_ms! > ttftBudgetMs) verdict = 'fail';
  else verdict = rows.some((r) => r.ok === 0) ? 'warn' : 'pass';
  return { id: 'regions', verdict, evidence };
}

/**
 * Shares at which a burst is said to throttle or degrade, and the TTFT growth that says it queues.
 */
export const BURST_THRESHOLDS = { error_share: 0.02, ttft_growth: 2, ttft_growth_floor_ms: 50 };

/** One phase of the burst check from its open-loop summary. */
export function burstPhase(
  s: TargetSummary,
  rate: number,
  durationS: number,
  missed: number,
): BurstPhase {
  const ended = Math.max(1, s.requests);
  const e = s.errors;
  const corrected = s.metrics.ttft_corrected ?? s.metrics.ttft;
  return {
    rate_per_s: rate,
    duration_s: durationS,
    requests: s.requests,
    ok: s.ok,
    ttft_p50_ms: round(corrected?.p50),
    ttft_p99_ms: round(corrected?.p99),
    share_429: e.rate_limited / ended,
    share_5xx: e.server_5xx / ended,
    share_timeout:
      (e.timeout_connect +
        e.timeout_ttft +
        e.timeout_idle +
        e.timeout_total +
        e.network +
        e.truncated) /
      ended,
    missed,
  };
}

/**
 * How an endpoint met a 10x burst: degrades (5xx, timeouts) before throttles (429s) before
 * queues (TTFT grew without errors), else holds. Holding passes, throttling and queueing warn
 * (a client must retry or wait), degrading fails.
 */
export function burstCheck(
  baseline: BurstPhase,
  burst: BurstPhase,
  multiplier: number,
): MeasuredCheck {
  const t = BURST_THRESHOLDS;
  const growth =
    baseline.ttft_p50_ms !== null && burst.ttft_p50_ms !== null && baseline.ttft_p50_ms > 0
      ? burst.ttft_p50_ms / baseline.ttft_p50_ms
      : null;
  let classification: BurstClass | null;
  if (burst.requests === 0 || baseline.ok === 0) classification = null;
  else if (burst.share_5xx + burst.share_timeout >= t.error_share) classification = 'degrades';
  else if (burst.share_429 >= t.error_share) classification = 'throttles';
  else if (
    growth !== null &&
    growth >= t.ttft_growth &&
    burst.ttft_p50_ms! - baseline.ttft_p50_ms! >= t.ttft_growth_floor_ms
  )
    classification = 'queues';
  else classification = growth === null ? null : 'holds';
  const evidence: BurstEvidence = {
    baseline,
    burst,
    multiplier,
    classification,
    ttft_growth: growth === null ? null : Math.round(growth * 100) / 100,
    thresholds: t,
  };
  const verdict: Verdict =
    classification === null
      ? 'unknown'
      : classification === 'holds'
        ? 'pass'
        : classification === 'degrades'
          ? 'fail'
          : 'warn';
  return { id: 'burst', verdict, evidence };
}

/**
 * The backoff the probe's retry rule waits before retry k (0-based) when the endpoint asked for
 * nothing.
 */
function backoff(k: number, maxWaitMs: number): number {
  return Math.min(maxWaitMs, 500 * 2 ** k);
}

/**
 * What one request can lose on a dead target that never answers (the worst kind of dead): each
 * attempt runs to the connect deadline (or the total one, if shorter), and each retry adds its
 * backoff; then the chain moves on. Computed for every link of every chain.
 */
export function failoverLinks(
  tiers: ReadonlyArray<{ name: string; chain: string[] }>,
  deadlines: Pick<Deadlines, 'connect_ms' | 'total_ms'>,
  retries: number,
  maxRetryWaitMs: number,
): FailoverLink[] {
  const perAttempt = Math.min(deadlines.connect_ms, deadlines.total_ms);
  let waits = 0;
  for (let k = 0; k < retries; k++) waits += backoff(k, maxRetryWaitMs);
  const worst = perAttempt * (retries + 1) + waits;
  const links: FailoverLink[] = [];
  for (const tier of tiers) {
    const chain = [tier.name, ...tier.chain];
    for (let i = 0; i < chain.length; i++)
      links.push({ tier: tier.name, dead: chain[i]!, next: chain[i + 1] ?? null, worst_ms: worst });
  }
  return links;
}

/**
 * failover: fail when a request can lose more than the budget before it is routed around a dead
 * target (computed, or measured by the drill), or when the dead target has nowhere to go; unknown
 * without chains to compute.
 */
export function failoverCheck(input: {
  tiers: ReadonlyArray<{ name: string; chain: string[] }>;
  deadlines: Pick<Deadlines, 'connect_ms' | 'total_ms'>;
  retries: number;
  maxRetryWaitMs: number;
  breaker: BreakerSettings;
  budgetMs: number;
  drill: FailoverDrill | null;
}): MeasuredCheck {
  const links = failoverLinks(input.tiers, input.deadlines, input.retries, input.maxRetryWaitMs);
  const routed = links.filter((l) => l.next !== null);
  const worst = routed.length === 0 ? null : Math.max(...routed.map((l) => l.worst_ms));
  const evidence: FailoverEvidence = {
    budget_ms: input.budgetMs,
    deadlines: { connect_ms: input.deadlines.connect_ms, total_ms: input.deadlines.total_ms },
    retries: input.retries,
    breaker: { ...input.breaker },
    links,
    computed_worst_ms: worst,
    exposed_requests: input.breaker.min_requests,
    drill: input.drill,
  };
  let verdict: Verdict;
  const drill = input.drill;
  const deadEnd =
    drill !== null && !links.some((l) => l.dead === drill.fail_target && l.next !== null);
  if (input.tiers.length === 0) verdict = 'unknown';
  else if (worst === null || deadEnd) verdict = 'fail';
  else if (
    worst > input.budgetMs ||
    (drill?.reroute_max_ms ?? 0) > input.budgetMs ||
    (drill !== null && drill.failed > 0)
  )
    verdict = 'fail';
  else verdict = 'pass';
  return { id: 'failover', verdict, evidence };
}

/**
 * sla: pass when every route has an uptime in writing with its source; warn on a published figure;
 * unknown when a route has none.
 */
export function slaCheck(evidence: SlaEvidence): MeasuredCheck {
  const routes = evidence.routes;
  let verdict: Verdict;
  if (
    routes.length === 0 ||
    routes.some(
      (r) => r.basis === 'unknown' || (r.basis === 'in_writing' && r.source.trim() === ''),
    )
  )
    verdict = 'unknown';
  else if (routes.every((r) => r.basis === 'in_writing')) verdict = 'pass';
  else verdict = 'warn';
  return { id: 'sla', verdict, evidence };
}

/** The exit decision: a failed check fails the run; with fail-on warn, so does a warning. */
export function premortemPasses(checks: readonly CheckResult[], failOn: 'fail' | 'warn'): boolean {
  return !checks.some((c) => c.verdict === 'fail' || (failOn === 'warn' && c.verdict === 'warn'));
}
