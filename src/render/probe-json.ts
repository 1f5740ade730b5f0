import { HISTOGRAM_RELATIVE_ERROR } from '../core/probe/histogram.js';
import { MAX_IN_FLIGHT, MISS_AFTER_MS } from '../core/probe/drive.js';
import type { Percentiles } from '../domain/probe-summary.js';
import { type DrillSummary, LATE_MS, outputTokens } from '../core/probe/summary.js';
import { type TargetSummary } from '../domain/probe-summary.js';
import type { AttemptRecord, ProbePlan, ProbeRun, RequestOutcome } from '../domain/probe.js';
import { PROBE_SCHEMA } from '../schema/probe-run.js';
import { exact } from '../units/decimal.js';
import { printable, round } from './format.js';
import {
  saturationText,
  type ProbeReport,
  againstText,
  causeText,
  costNoteText,
  failureLine,
  measuredText,
  pass,
  runFailureText,
} from './probe.js';

function percentilesJson(p: Percentiles | undefined) {
  if (p === undefined) return null;
  const r = (v: number) => round(v, 3);
  return {
    n: p.n,
    min: r(p.min),
    mean: r(p.mean),
    p50: r(p.p50),
    p90: r(p.p90),
    p95: r(p.p95),
    p99: r(p.p99),
    max: r(p.max),
    p99_reliable: p.p99_reliable,
  };
}

function configJson(plan: ProbePlan | undefined) {
  if (plan === undefined) return null;
  return {
    requests: plan.requests,
    concurrency: plan.concurrency,
    warmup: plan.warmup,
    warmup_must_pass: plan.warmupMustPass,
    stream: plan.stream,
    max_tokens: plan.maxTokens,
    retries: plan.retries,
    max_retry_wait_ms: plan.maxRetryWaitMs,
    deadlines_ms: plan.deadlines,
    loop: plan.open === undefined ? 'closed' : 'open',
    open:
      plan.open === undefined
        ? null
        : {
            rate: plan.open.rate,
            arrivals: plan.open.arrivals,
            duration_ms: plan.open.duration_ms ?? null,
            seed: plan.open.seed,
            max_in_flight: plan.open.max_in_flight ?? null,
          },
    failover:
      plan.failover === undefined
        ? null
        : { tiers: plan.failover.tiers, breaker: plan.failover.breaker, seed: plan.failover.seed },
  };
}

function targetJson(s: TargetSummary) {
  return {
    name: s.name,
    model: s.model,
    base_url: s.base_url,
    counts: {
      requests: s.requests,
      ok: s.ok,
      failed: s.failed,
      interrupted: s.interrupted,
      attempts: s.attempts,
    },
    warmup: {
      requests: s.warmup.requests,
      failed: s.warmup.failed,
      first_failure: s.warmup.first_failure ?? null,
    },
    errors: s.errors,
    first_failure: s.first_failure ?? null,
    attempt_errors: s.attempt_errors,
    error_rate: round(s.error_rate, 6),
    output_tokens: s.output_tokens,
    input_tokens: s.input_tokens,
    input_tokens_known: s.input_tokens_known,
    tokens_estimated: s.tokens_estimated,
    open:
      s.open === undefined
        ? null
        : { late_sends: s.open.late, late_after_ms: LATE_MS, held_by_cap: s.open.blocked },
    stream_options_rejected: s.stream_options_rejected,
    population: 'successful requests (schedule_lag: every send)',
    approximate: s.approximate,
    itl_coalesced: s.itl_coalesced ?? null,
    metrics: Object.fromEntries(Object.entries(s.metrics).map(([k, p]) => [k, percentilesJson(p)])),
    histograms: Object.fromEntries(Object.entries(s.histograms).map(([k, h]) => [k, h ?? null])),
  };
}

function drillJson(d: DrillSummary | undefined) {
  if (d === undefined) return null;
  return {
    requests: d.requests,
    served: d.served,
    availability: round(d.availability, 6),
    started_at: d.started_at,
    served_by: d.served_by,
    attempts_per_request: d.attempts_per_request,
    first_attempt: {
      ok: d.first_attempt.ok,
      ttft: percentilesJson(d.first_attempt.ttft),
      e2e: percentilesJson(d.first_attempt.e2e),
    },
    targets: d.targets.map((t) => ({
      ...t,
      availability: round(t.availability, 6),
      transitions: t.transitions.map((x) => ({
        at_ms: round(x.at_ms, 3),
        from: x.from,
        to: x.to,
        reason: causeText(x.cause),
      })),
    })),
  };
}

function costJson(cost: ProbeReport['cost']) {
  return {
    currency: 'USD',
    targets: cost.targets.map((t) => ({
      target: t.target,
      model: t.model,
      input_tokens: t.input,
      output_tokens: t.output,
      tokens_estimated: t.estimated,
      cost: t.cost === undefined ? null : exact(t.cost),
      note: t.note === undefined ? null : costNoteText(t.note),
      implausible_taken: t.implausible_taken.map((q) => ({
        rate: q.component,
        value: exact(q.value),
        why: q.why,
      })),
    })),
    total: cost.total === undefined ? null : exact(cost.total),
    complete: cost.complete,
    runs_per_month: cost.runs_per_month,
    monthly: cost.monthly === undefined ? null : exact(cost.monthly),
  };
}

function assertionJson(r: ProbeReport['assertions'][number]) {
  const a = r.assertion;
  return {
    assertion: a.text,
    target: r.target,
    metric: a.metric,
    stat: a.stat ?? null,
    good: a.good ?? null,
    op: a.op,
    threshold: a.threshold,
    relative_to_baseline: a.relative,
    limit: r.limit === undefined ? null : round(r.limit, 6),
    measured: r.measured === undefined ? null : round(r.measured, 6),
    n: r.n,
    pass: r.pass,
  };
}

/**
 * `ai-route/probe@2`: counts, error classes, percentiles over successful requests and mergeable
 * histograms per target; gates; `pass`.
 */
export function renderProbeJson(report: ProbeReport): string {
  const body = {
    schema: PROBE_SCHEMA,
    config: configJson(report.plan),
    merged_from: report.merged_from ?? null,
    runs: report.merged_from?.length ?? 1,
    max_in_flight_cap:
      report.cap === undefined
        ? null
        : { hits: report.cap.hits, longest_wait_ms: round(report.cap.longest_ms, 3) },
    missed_sends:
      report.cap === undefined
        ? null
        : {
            count: report.cap.missed,
            behind_schedule_ms: MISS_AFTER_MS,
            max_in_flight: MAX_IN_FLIGHT,
          },
    units: {
      ttft: 'ms',
      e2e: 'ms',
      itl: 'ms',
      tpot: 'ms',
      tokens_per_s: 'tokens/s',
      histograms: 'us for times, thousandths for tokens/s',
      histogram_relative_error: HISTOGRAM_RELATIVE_ERROR,
    },
    client:
      report.client === undefined
        ? null
        : {
            ...report.client,
            message: report.client.saturated ? saturationText(report.client) : null,
          },
    targets: report.summaries.map(targetJson),
    failures: report.failures.map((f) => ({ ...f, message: runFailureText(f) })),
    assertions: report.assertions.map(assertionJson),
    baseline:
      report.baseline === undefined
        ? null
        : {
            file: report.baseline.file,
            test: 'mann_whitney_u (two_proportion_z for error_rate)',
            alpha: 0.001,
            min_effect_pct: report.baseline.min_effect_pct,
            comparisons: report.baseline.comparisons.map((c) => ({
              ...c,
              change_pct: c.change_pct === undefined ? null : round(c.change_pct, 3),
              p_value: c.p_value ?? null,
              baseline: c.baseline ?? null,
              current: c.current ?? null,
              note: c.note ?? null,
            })),
          },
    drill: drillJson(report.drill),
    cost: costJson(report.cost),
    interrupted: report.interrupted,
    pass: pass(report),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

/**
 * XML 1.0 text: markup escaped, and characters XML cannot hold at all (controls, lone surrogates)
 * shown escaped instead.
 */
export function xml(text: string): string {
  return printable(text)
    .replace(
      /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[\ufffe\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16)}`,
    )
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * JUnit XML: a test case per gate of the run itself and per assertion and target, a failure
 * carrying expected and measured.
 */
export function renderProbeJunit(report: ProbeReport): string {
  const own = report.failures.map(
    (f) =>
      `    <testcase classname="ai-route.probe.${xml(f.target)}" name="${xml(f.kind)}" ` +
      (`time="0">\n      <failure message="${xml(runFailureText(f))}" ` +
        `type="${f.kind}"/>\n    </testcase>`),
  );
  const cases = report.assertions.map((r) => {
    const name = xml(`${r.assertion.text} on ${r.target}`);
    const open =
      `    <testcase classname="ai-route.probe.${xml(r.target)}" ` + `name="${name}" time="0">`;
    if (r.pass)
      return `${open}<system-out>${xml(`measured ${measuredText(r)}`)}</system-out></testcase>`;
    return (
      `${open}\n      <failure message="${xml(againstText(r))}" ` +
      `type="assertion">${xml(failureLine(r))}</failure>\n    </testcase>`
    );
  });
  const tests = own.length + cases.length;
  const failures = own.length + report.assertions.filter((r) => !r.pass).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="ai-route probe" tests="${tests}" failures="${failures}">`,
    `  <testsuite name="ai-route probe" tests="${tests}" failures="${failures}" ` +
      `errors="0" skipped="0">`,
    ...(report.client?.saturated === true
      ? ['    <properties><property name="client_saturated" value="true"/></properties>']
      : []),
    ...own,
    ...cases,
    ...(report.client?.saturated === true
      ? [`    <system-err>${xml(saturationText(report.client))}</system-err>`]
      : []),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

const ms = (v: number | undefined): number | null => (v === undefined ? null : round(v, 3));

/**
 * NDJSON, one line per attempt: what was sent when, what came back, how it ended, and a failed
 * attempt's observed phases.
 */
export function renderSamples(run: ProbeRun): string {
  const lines: string[] = [];
  for (const target of run.runs) {
    for (const request of target.requests) {
      for (const a of request.attempts) lines.push(JSON.stringify(sampleLine(a, request, run.t0)));
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function sampleLine(a: AttemptRecord, request: RequestOutcome, t0: number) {
  const out = outputTokens(a);
  const first = a.token_times[0];
  const lastToken = a.token_times[a.token_times.length - 1];
  return {
    target: a.target,
    model: a.model,
    phase: a.phase,
    request: a.request,
    attempt: a.attempt,
    tier: request.target,
    chain_position: a.chain_position,
    served_by: request.served_by ?? null,
    skipped: request.skipped,
    intended_offset_ms: ms(request.t_sched === undefined ? undefined : request.t_sched - t0),
    send_offset_ms: ms(a.t_send - t0),
    lag_ms: ms(request.t_sched === undefined ? undefined : a.t_send - request.t_sched),
    blocked_ms: ms(request.blocked_ms),
    headers_ms: ms(a.headers_at === undefined ? undefined : a.headers_at - a.t_send),
    ttft_ms: ms(first === undefined ? undefined : first - a.t_send),
    e2e_ms: ms(lastToken === undefined ? undefined : lastToken - a.t_send),
    elapsed_ms: ms(a.end_at - a.t_send),
    output_tokens: out.tokens,
    tokens_estimated: out.estimated,
    status: a.status ?? null,
    error_class: a.error_class ?? null,
    error: a.error ?? null,
    stream_options: a.stream_options,
    negotiation: a.negotiation,
    waited_ms: ms(a.waited_ms),
    retry_after_ms: ms(a.retry_after_ms),
    x_request_id: a.request_id ?? null,
  };
}
