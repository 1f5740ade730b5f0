import type { CostNote, RunCost } from '../core/probe/cost.js';
import type { Percentiles } from '../core/probe/latency.js';
import { type AssertionResult, type DrillSummary, LATE_MS, type TargetSummary, outputTokens } from '../core/probe/summary.js';
import { type AttemptRecord, ERROR_CLASSES, type ProbePlan, type ProbeRun, type RequestOutcome, type TransitionCause } from '../domain/probe.js';
import { exact } from '../units/decimal.js';
import { type Block, type ReportDocument, type Table, cells, texts } from './document.js';
import { formatMeasure, formatRatePct, formatUsd, formatUsdExact, plural, round } from './format.js';
import { implausibleTakenNote } from './problems.js';

/** Everything a probe renderer needs, built once by the command. */
export interface ProbeReport {
  plan: ProbePlan;
  summaries: TargetSummary[];
  drill: DrillSummary | undefined;
  cap: ProbeRun['cap'];
  cost: RunCost & { runs_per_month: number };
  assertions: AssertionResult[];
  interrupted: boolean;
}

const METRIC_ROWS = [
  ['ttft', 'TTFT', 'ms'],
  ['e2e', 'E2E', 'ms'],
  ['itl', 'ITL (gaps)', 'ms'],
  ['tpot', 'TPOT', 'ms'],
  ['tokens_per_s', 'tokens/s', ''],
  ['ttft_corrected', 'TTFT from intended send', 'ms'],
  ['e2e_corrected', 'E2E from intended send', 'ms'],
  ['schedule_lag', 'schedule lag', 'ms'],
] as const;

const num = formatMeasure;

/** "1,234 ms (n=100)" style text of an assertion's measurement, in its own units. */
export function measuredText(r: AssertionResult): string {
  if (r.measured === undefined) return 'no data';
  if (r.assertion.metric === 'error_rate') return `${round(r.measured * 100, 2)}% of ${r.n}`;
  const unit: 'ms' | '' = r.assertion.metric === 'tokens_per_s' ? '' : 'ms';
  return `${num(r.measured, unit)} (n=${r.n})`;
}

export function expectedText(r: AssertionResult): string {
  const a = r.assertion;
  if (a.metric === 'error_rate') return `${a.op} ${round(a.threshold * 100, 4)}%`;
  return `${a.op} ${a.metric === 'tokens_per_s' ? a.threshold : num(a.threshold, 'ms')}`;
}

/** "expected < 10 ms, measured 12.3 ms (n=100)": the one wording every format uses. */
function againstText(r: AssertionResult): string {
  return `expected ${expectedText(r)}, measured ${measuredText(r)}`;
}

/** One line per failed assertion, for stderr and JUnit: expected against measured. */
export function failureLine(r: AssertionResult): string {
  return `assertion failed: ${r.assertion.text} on ${r.target}: ${againstText(r)}`;
}

function errorSummary(s: TargetSummary): string {
  const parts = ERROR_CLASSES.filter((c) => s.errors[c] > 0).map((c) => `${c} ${s.errors[c]}`);
  return parts.length === 0 ? 'none' : parts.join(', ');
}

function notes(s: TargetSummary): string[] {
  const out: string[] = [];
  const p99 = s.metrics.ttft;
  if (p99 !== undefined && !p99.p99_reliable) out.push(`p99 from ${p99.n} samples (under 100): little more than the maximum`);
  if (s.censored > 0) out.push(`${plural(s.censored, 'failed request')} counted at the total deadline in TTFT and E2E, 0 tokens/s`);
  if (s.tokens_estimated) out.push('output tokens counted from chunks (no usage from the endpoint): estimated');
  if (s.stream_options_rejected) out.push('the endpoint refused stream_options; asked again without it');
  if (s.interrupted > 0) out.push(`${plural(s.interrupted, 'request')} cut by Ctrl-C, left out`);
  return out;
}

/** One table per target: a row per metric, percentiles across, counts and errors under it. */
export function probeTables(report: ProbeReport): Array<{ title: string; table: Table; lines: string[] }> {
  return report.summaries.map((s) => ({
    title:
      report.drill === undefined
        ? `${s.name} (${s.model} at ${s.base_url})`
        : `caller: every logical request, whichever tier served it (${report.plan.targets.map((t) => t.name).join(', ')})`,
    table: {
      head: ['Metric', 'n', 'p50', 'p90', 'p95', 'p99', 'max'],
      align: ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
      rows: METRIC_ROWS.filter(([key]) => s.open !== undefined || !['ttft_corrected', 'e2e_corrected', 'schedule_lag'].includes(key))
        .map(([key, label, unit]) => {
          const p: Percentiles | undefined = s.metrics[key];
          if (p === undefined) return [label, '0', '-', '-', '-', '-', '-'];
          return [label, String(p.n), num(p.p50, unit), num(p.p90, unit), num(p.p95, unit), `${num(p.p99, unit)}${p.p99_reliable ? '' : ' *'}`, num(p.max, unit)];
        })
        .map(cells),
    },
    lines: [
      `requests ${s.requests} (ok ${s.ok}, failed ${s.failed}; error rate ${formatRatePct(s.error_rate)}), attempts ${s.attempts}, warm-up ${s.warmup.requests}` +
        `${s.warmup.failed > 0 ? ` (${s.warmup.failed} failed)` : ''}; output tokens ${s.output_tokens}${s.tokens_estimated ? ' (estimated)' : ''}`,
      `errors: ${errorSummary(s)}`,
      ...(s.open === undefined ? [] : [`open loop: ${s.open.late} sends more than ${LATE_MS} ms after their intended time; ${s.open.blocked} held back by --max-in-flight`]),
      ...notes(s).map((n) => `note: ${n}`),
    ],
  }));
}

const percent = (v: number): string => formatRatePct(v);
const counts = (m: Record<string, number>): string =>
  Object.entries(m)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

const ttftText = (p: Percentiles | undefined): string => `TTFT p50 ${p ? num(p.p50, 'ms') : '-'}, p99 ${p ? num(p.p99, 'ms') : '-'}`;

/** The run's shape, the drill and the cost, as titled lines: shared by table and markdown. */
export function probeSections(report: ProbeReport): Array<{ title: string; lines: string[] }> {
  const sections: Array<{ title: string; lines: string[] }> = [];
  const { plan } = report;
  if (plan.open !== undefined) {
    const o = plan.open;
    sections.push({
      title: 'Open loop',
      lines: [
        `${o.rate} requests/s, ${o.arrivals} arrivals${o.arrivals === 'poisson' ? ` (seed ${o.seed})` : ''}, ${o.duration_ms === undefined ? `${plan.requests} requests` : `for ${num(o.duration_ms, 'ms')}`}; sends never wait for responses.`,
        o.max_in_flight === undefined
          ? 'No cap on requests in flight.'
          : report.cap.hits === 0
            ? `Cap of ${o.max_in_flight} in flight: never reached.`
            : `Cap of ${o.max_in_flight} in flight: HIT ${report.cap.hits} times, delaying those sends up to ${num(report.cap.longest_ms, 'ms')}; latency from the intended send counts the delay.`,
      ],
    });
  }
  const d = report.drill;
  if (d !== undefined && plan.failover !== undefined) {
    const b = plan.failover.breaker;
    const lines = [
      `Availability seen by the caller: ${percent(d.availability)} (${d.served} of ${d.requests} requests served).`,
      `Started at: ${counts(d.started_at)}. Served by: ${counts(d.served_by)}.`,
      `Attempts per request: ${Object.entries(d.attempts_per_request)
        .map(([n, c]) => `${n} attempt${n === '1' ? '' : 's'}: ${c}`)
        .join(', ')}.`,
      `First attempt alone: ${ttftText(d.first_attempt.ttft)}; whole chain (the caller table above): ${ttftText(report.summaries[0]?.metrics.ttft)}.`,
      `Breakers: open at ${b.failure_share * 100}% failures of at least ${b.min_requests} attempts in ${num(b.window_ms, 'ms')}; one trial after ${num(b.cooldown_ms, 'ms')} open.`,
      ...d.targets.map(
        (t) =>
          `${t.name} (${t.model}): ${t.attempts} attempts, ${t.ok} ok, ${t.failed} failed, ${t.skipped} skipped while its breaker was open; availability it gave ${percent(t.availability)}.`,
      ),
      ...d.targets.flatMap((t) => t.transitions.map((x) => `breaker ${t.name}: ${x.from} -> ${x.to} at ${num(x.at_ms, 'ms')} (${causeText(x.cause)})`)),
    ];
    sections.push({ title: 'Failover drill', lines });
  }
  const c = report.cost;
  sections.push({
    title: 'Cost of this run',
    lines: [
      ...c.targets.map(
        (t) =>
          `${t.target} (${t.model}): ${t.input} input + ${t.output}${t.estimated ? ' (estimated)' : ''} output tokens = ${t.cost === undefined ? 'not priced' : formatUsdExact(t.cost)}${t.note === undefined ? '' : ` (${costNoteText(t.note)})`}`,
      ),
      `Total ${formatUsdExact(c.total)}${c.complete ? '' : ' (incomplete: see above)'}; at ${c.runs_per_month} runs a month: ${formatUsd(c.monthly)}.`,
      ...implausibleTakenNote(c.targets.map((t) => ({ id: t.model, taken: t.implausible_taken }))),
    ],
  });
  return sections;
}

/** Why a breaker moved, in words. */
export function causeText(c: TransitionCause): string {
  if (c.kind === 'failures') return `${c.failures} of ${c.attempts} attempts failed in ${c.window_ms} ms`;
  if (c.kind === 'cooldown_over') return `cooldown of ${c.cooldown_ms} ms over`;
  return c.ok ? 'trial succeeded' : 'trial failed';
}

/** Why a target's cost is missing or partial, in words. */
export function costNoteText(n: CostNote): string {
  switch (n.kind) {
    case 'not_in_catalog':
      return `${n.model} is not in the pricing catalog`;
    case 'ambiguous':
      return `"${n.model}" names several models with different prices; probe the exact id to price the run`;
    case 'no_output_price':
      return `no output price for ${n.model} on ${n.as_of}`;
    case 'output_only':
      return `output only: no input price for ${n.model}`;
    case 'input_unreported':
      return 'some prompt tokens were not reported by the endpoint';
  }
}

function pass(report: ProbeReport): boolean {
  return report.assertions.every((r) => r.pass);
}

/** The probe as a document: a table per target, the run's sections, then the verdict of each assertion. */
export function probeDocument(report: ProbeReport): ReportDocument {
  const blocks: Block[] = probeTables(report).map(({ title, table, lines }) => ({
    parts: [
      { kind: 'title', text: title },
      { kind: 'table', table },
      { kind: 'list', items: texts(lines, 'muted'), indent: false },
    ],
  }));
  for (const section of probeSections(report))
    blocks.push({
      parts: [
        { kind: 'title', text: section.title },
        { kind: 'list', items: texts(section.lines), indent: true },
      ],
    });
  const verdicts = report.assertions.map((r) => ({
    text: `${r.pass ? 'PASS' : 'FAIL'} ${r.assertion.text} on ${r.target}: ${againstText(r)}`,
    tone: r.pass ? ('good' as const) : ('bad' as const),
  }));
  blocks.push({
    parts: [
      {
        kind: 'paragraphs',
        only: 'terminal',
        items: [
          { text: '* p99 from fewer than 100 samples. Latencies run from the send of the first attempt; definitions: README, "Probe metrics".' },
          ...verdicts,
          ...(report.interrupted ? [{ text: 'interrupted: these figures cover what was measured before Ctrl-C', tone: 'warn' as const }] : []),
        ],
      },
      ...(report.assertions.length === 0
        ? []
        : [
            { kind: 'title' as const, only: 'markdown' as const, text: 'Assertions' },
            {
              kind: 'list' as const,
              only: 'markdown' as const,
              indent: false,
              items: report.assertions.map((r) => ({ text: `${r.pass ? 'PASS' : '**FAIL**'} \`${r.assertion.text}\` on ${r.target}: ${againstText(r)}` })),
            },
          ]),
      ...(report.interrupted
        ? [{ kind: 'paragraphs' as const, only: 'markdown' as const, items: [{ text: '_Interrupted: these figures cover what was measured before Ctrl-C._' }] }]
        : []),
    ],
  });
  const verdict = report.assertions.length === 0 ? 'no assertions' : pass(report) ? 'all assertions pass' : 'assertions FAILED';
  return { title: `ai-route probe: ${verdict}`, blocks };
}

function percentilesJson(p: Percentiles | undefined) {
  if (p === undefined) return null;
  const r = (v: number) => round(v, 3);
  return { n: p.n, min: r(p.min), mean: r(p.mean), p50: r(p.p50), p90: r(p.p90), p95: r(p.p95), p99: r(p.p99), max: r(p.max), p99_reliable: p.p99_reliable };
}

function configJson(plan: ProbePlan) {
  return {
    requests: plan.requests,
    concurrency: plan.concurrency,
    warmup: plan.warmup,
    stream: plan.stream,
    max_tokens: plan.maxTokens,
    retries: plan.retries,
    max_retry_wait_ms: plan.maxRetryWaitMs,
    deadlines_ms: plan.deadlines,
    loop: plan.open === undefined ? 'closed' : 'open',
    open:
      plan.open === undefined
        ? null
        : { rate: plan.open.rate, arrivals: plan.open.arrivals, duration_ms: plan.open.duration_ms ?? null, seed: plan.open.seed, max_in_flight: plan.open.max_in_flight ?? null },
    failover: plan.failover === undefined ? null : { tiers: plan.failover.tiers, breaker: plan.failover.breaker, seed: plan.failover.seed },
  };
}

function targetJson(s: TargetSummary) {
  return {
    name: s.name,
    model: s.model,
    base_url: s.base_url,
    counts: { requests: s.requests, ok: s.ok, failed: s.failed, interrupted: s.interrupted, attempts: s.attempts, warmup: s.warmup.requests, warmup_failed: s.warmup.failed },
    errors: s.errors,
    attempt_errors: s.attempt_errors,
    error_rate: round(s.error_rate, 6),
    output_tokens: s.output_tokens,
    input_tokens: s.input_tokens,
    tokens_estimated: s.tokens_estimated,
    open: s.open === undefined ? null : { late_sends: s.open.late, late_after_ms: LATE_MS, held_by_cap: s.open.blocked },
    stream_options_rejected: s.stream_options_rejected,
    censored_at_deadline: s.censored,
    metrics: Object.fromEntries(Object.entries(s.metrics).map(([k, p]) => [k, percentilesJson(p)])),
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
    first_attempt: { ttft: percentilesJson(d.first_attempt.ttft), e2e: percentilesJson(d.first_attempt.e2e) },
    targets: d.targets.map((t) => ({
      ...t,
      availability: round(t.availability, 6),
      transitions: t.transitions.map((x) => ({ at_ms: round(x.at_ms, 3), from: x.from, to: x.to, reason: causeText(x.cause) })),
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
      implausible_taken: t.implausible_taken.map((q) => ({ rate: q.component, value: exact(q.value), why: q.why })),
    })),
    total: exact(cost.total),
    complete: cost.complete,
    runs_per_month: cost.runs_per_month,
    monthly: exact(cost.monthly),
  };
}

/** `ai-route/probe@1`: counts, error classes and percentiles per target, the assertions, `pass`. */
export function renderProbeJson(report: ProbeReport): string {
  const body = {
    schema: 'ai-route/probe@1',
    config: configJson(report.plan),
    max_in_flight_cap: { hits: report.cap.hits, longest_wait_ms: round(report.cap.longest_ms, 3) },
    units: { ttft: 'ms', e2e: 'ms', itl: 'ms', tpot: 'ms', tokens_per_s: 'tokens/s' },
    targets: report.summaries.map(targetJson),
    assertions: report.assertions.map((r) => ({
      assertion: r.assertion.text,
      target: r.target,
      metric: r.assertion.metric,
      stat: r.assertion.stat ?? null,
      op: r.assertion.op,
      threshold: r.assertion.threshold,
      measured: r.measured === undefined ? null : round(r.measured, 6),
      n: r.n,
      pass: r.pass,
    })),
    drill: drillJson(report.drill),
    cost: costJson(report.cost),
    interrupted: report.interrupted,
    pass: pass(report),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** JUnit XML: one test case per assertion and target, a failure carrying expected and measured. */
export function renderProbeJunit(report: ProbeReport): string {
  const failures = report.assertions.filter((r) => !r.pass).length;
  const cases = report.assertions.map((r) => {
    const name = xml(`${r.assertion.text} on ${r.target}`);
    const open = `    <testcase classname="ai-route.probe.${xml(r.target)}" name="${name}" time="0">`;
    if (r.pass) return `${open}<system-out>${xml(`measured ${measuredText(r)}`)}</system-out></testcase>`;
    return `${open}\n      <failure message="${xml(againstText(r))}" type="assertion">${xml(failureLine(r))}</failure>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="ai-route probe" tests="${report.assertions.length}" failures="${failures}">`,
    `  <testsuite name="ai-route probe" tests="${report.assertions.length}" failures="${failures}" errors="0" skipped="0">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

const ms = (v: number | undefined): number | null => (v === undefined ? null : round(v, 3));

/** NDJSON, one line per attempt: what was sent when, what came back, how it ended. */
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
