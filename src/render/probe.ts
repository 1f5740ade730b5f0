import type { ClientVerdict } from '../core/probe/client.js';
import type { CostNote, RunCost } from '../core/probe/cost.js';
import { MAX_IN_FLIGHT, MISS_AFTER_MS } from '../core/probe/drive.js';
import type { Percentiles } from '../domain/probe-summary.js';
import type { Comparison } from '../core/probe/regression.js';
import { COALESCED_GAP_MS } from '../core/probe/summary.js';
import { type AssertionResult, type DrillSummary, LATE_MS } from '../core/probe/summary.js';
import { type FailureCause, type TargetSummary } from '../domain/probe-summary.js';
import {
  ERROR_CLASSES,
  type ProbePlan,
  type ProbeRun,
  type TransitionCause,
} from '../domain/probe.js';
import { type Block, type ReportDocument, type Table, cells, texts } from './document.js';
import {
  formatMeasure,
  formatRatePct,
  formatUsd,
  formatUsdExact,
  plural,
  round,
} from './format.js';
import { implausibleTakenNote } from './problems.js';

/** A gate the run fails by itself, whatever the assertions say. */
export type RunFailure =
  | {
      kind: 'no_success';
      target: string;
      requests: number;
      one_class: boolean;
      cause: FailureCause | undefined;
    }
  | {
      kind: 'warmup_failed';
      target: string;
      failed: number;
      requests: number;
      cause: FailureCause | undefined;
    };

/** Everything a probe renderer needs, built once by the command (or by `probe merge`). */
export interface ProbeReport {
  /** The run's plan; undefined for a merge of several runs. */
  plan: ProbePlan | undefined;
  /** The files a merge combined. */
  merged_from: string[] | undefined;
  summaries: TargetSummary[];
  drill: DrillSummary | undefined;
  cap: ProbeRun['cap'] | undefined;
  cost: RunCost & { runs_per_month: number };
  assertions: AssertionResult[];
  baseline: { file: string; min_effect_pct: number; comparisons: Comparison[] } | undefined;
  failures: RunFailure[];
  interrupted: boolean;
  /** How busy the probe's own loops were, judged against its stated error; absent in a merge. */
  client: ClientVerdict | undefined;
  /** --strict-client: a baseline verdict left inconclusive by a saturated client fails. */
  strict_client: boolean;
}

/**
 * The warning every format carries when the client was saturated: what it means and what to do.
 */
export function saturationText(c: ClientVerdict): string {
  return (
    `CLIENT SATURATED: the probe's own event loop ran up to ${num(c.loop_delay_p99_ms, 'ms')} ` +
    `late at p99 (p50 ${num(c.loop_delay_p50_ms, 'ms')}, ${plural(c.workers, 'worker')}), more ` +
    `than the probe's stated error; the figures may include the client's own queueing, not ` +
    `only the endpoint's latency. Send fewer requests at once, use --workers, or a quieter machine.`
  );
}

/** The client's load in one line, saturated or not. */
export function clientText(c: ClientVerdict): string {
  return c.saturated
    ? saturationText(c)
    : `client: loop delay p50 ${num(c.loop_delay_p50_ms, 'ms')}, p99 ` +
        `${num(c.loop_delay_p99_ms, 'ms')} over ${plural(c.workers, 'worker')}: within the ` +
        `probe's stated error (timestamps late by at most ~${num(c.error_bound_ms, 'ms')})`;
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

const METRIC_NAMES: Record<string, string> = Object.fromEntries(
  METRIC_ROWS.map(([k, label]) => [k, label]),
);
const num = formatMeasure;
const unitOf = (metric: string): 'ms' | '' =>
  metric === 'tokens_per_s' || metric === 'error_rate' ? '' : 'ms';

/**
 * A figure of an assertion in its own units: a percentage for rates and good() shares, a time or
 * tokens/s.
 */
function figureText(r: AssertionResult, value: number): string {
  const m = r.assertion.metric;
  return m === 'error_rate' || m === 'good' ? `${round(value * 100, 2)}%` : num(value, unitOf(m));
}

/** "1,234 ms (n=100)" style text of an assertion's measurement, in its own units. */
export function measuredText(r: AssertionResult): string {
  if (r.measured === undefined) return 'no data';
  const m = r.assertion.metric;
  if (m === 'error_rate') return `${figureText(r, r.measured)} of ${r.n}`;
  if (m === 'good') return `${figureText(r, r.measured)} of ${r.n} requests`;
  return `${figureText(r, r.measured)} (n=${r.n})`;
}

export function expectedText(r: AssertionResult): string {
  const a = r.assertion;
  if (r.limit === undefined) return `${a.op} baseline x ${a.threshold} (no baseline figure)`;
  return `${a.op} ${figureText(r, r.limit)}${a.relative ? ` (baseline x ${a.threshold})` : ''}`;
}

/** "expected < 10 ms, measured 12.3 ms (n=100)": the one wording every format uses. */
export function againstText(r: AssertionResult): string {
  return `expected ${expectedText(r)}, measured ${measuredText(r)}`;
}

/** One line per failed assertion, for stderr and JUnit: expected against measured. */
export function failureLine(r: AssertionResult): string {
  return `assertion failed: ${r.assertion.text} on ${r.target}: ${againstText(r)}`;
}

/**
 * A gate the run failed by itself, in one line: "no request to default succeeded: 20/20 connection
 * refused ...".
 */
export function runFailureText(f: RunFailure): string {
  if (f.kind === 'no_success') {
    const cause = f.cause?.error ?? 'no cause recorded';
    return f.one_class
      ? `no request to ${f.target} succeeded: ${f.requests}/${f.requests} ${cause}`
      : `no request to ${f.target} succeeded: ${f.requests}/${f.requests} failed; first: ${cause}`;
  }
  return (
    `warm-up of ${f.target} failed (${f.failed}/${f.requests}): ` +
    `${f.cause?.error ?? 'no cause recorded'}; --warmup-must-pass stops the run here`
  );
}

const pValueText = (p: number | undefined): string =>
  p === undefined ? 'not tested' : p < 0.001 ? 'p < 0.001' : `p = ${Number(p.toPrecision(2))}`;

/** "TTFT p95 +38% (p < 0.001): regressed", or "no significant change". */
export function comparisonText(c: Comparison): string {
  if (c.verdict === 'not_compared')
    return `${c.target} ${METRIC_NAMES[c.metric] ?? c.metric}: not compared (${c.note})`;
  const verdict =
    c.verdict === 'regressed'
      ? 'REGRESSED'
      : c.verdict === 'inconclusive'
        ? 'inconclusive: client saturated'
        : c.verdict === 'improved'
          ? 'improved'
          : 'no significant change';
  if (c.metric === 'error_rate') {
    return (
      `${c.target} error rate ${formatRatePct(c.baseline ?? 0)} -> ` +
      `${formatRatePct(c.current ?? 0)} ` +
      `(${pValueText(c.p_value)}): ${verdict}`
    );
  }
  const unit = unitOf(c.metric);
  const pct =
    c.change_pct === undefined
      ? 'from 0'
      : `${c.change_pct >= 0 ? '+' : ''}${round(c.change_pct, 1)}%`;
  return (
    `${c.target} ${METRIC_NAMES[c.metric] ?? c.metric} ${c.stat} ${pct} ` +
    `(${num(c.baseline!, unit)} ` +
    `-> ${num(c.current!, unit)}; ${pValueText(c.p_value)}): ${verdict}`
  );
}

function errorSummary(s: TargetSummary): string {
  const parts = ERROR_CLASSES.filter((c) => s.errors[c] > 0).map((c) => `${c} ${s.errors[c]}`);
  if (parts.length === 0) return 'none';
  const first = s.first_failure === undefined ? '' : `; first: ${s.first_failure.error}`;
  return `${parts.join(', ')}${first}`;
}

function notes(s: TargetSummary): string[] {
  const out: string[] = [];
  const thin = METRIC_ROWS.map(([k]) => s.metrics[k]).filter(
    (p): p is Percentiles => p !== undefined && !p.p99_reliable,
  );
  if (thin.length > 0)
    out.push(
      `p99 marked * is from fewer than 100 samples ` +
        `(${[...new Set(thin.map((p) => p.n))].join(', ')}): little more than the maximum`,
    );
  if (s.approximate)
    out.push(
      'percentiles read from merged histograms: nearest rank, within 0.1% of the raw samples',
    );
  if (s.tokens_estimated)
    out.push('output tokens counted from chunks (no usage from the endpoint): estimated');
  if (s.stream_options_rejected)
    out.push('the endpoint refused stream_options; asked again without it');
  if (s.interrupted > 0) out.push(`${plural(s.interrupted, 'request')} cut by Ctrl-C, left out`);
  if (s.itl_coalesced !== undefined)
    out.push(
      `ITL not measurable: ${round(s.itl_coalesced * 100, 1)}% of the gaps between tokens were ` +
        `chunks read together (under ${COALESCED_GAP_MS} ms apart), so the gaps are the client's`,
    );
  return out;
}

function countsLine(s: TargetSummary): string {
  const warm =
    s.warmup.requests === 0
      ? 'no warm-up'
      : `warm-up ${s.warmup.requests}` +
        (s.warmup.failed > 0
          ? ` (${s.warmup.failed} failed: ${s.warmup.first_failure?.error ?? 'no cause recorded'})`
          : '');
  return (
    `requests ${s.requests} (ok ${s.ok}, failed ${s.failed}; error rate ` +
    `${formatRatePct(s.error_rate)}), ` +
    `attempts ${s.attempts}, ${warm}; ` +
    `output tokens ${s.output_tokens}${s.tokens_estimated ? ' (estimated)' : ''}`
  );
}

/**
 * One table per target: a row per metric over its successful requests, counts, errors and failures
 * under it.
 */
export function probeTables(
  report: ProbeReport,
): Array<{ title: string; table: Table; lines: string[] }> {
  return report.summaries.map((s) => ({
    title:
      report.drill === undefined
        ? `${s.name === s.model ? s.name : `${s.name} (${s.model})`} at ${s.base_url}`
        : `caller: every logical request, whichever tier served it ` +
          `(${report.plan?.targets.map((t) => t.name).join(', ') ?? ''})`,
    table: {
      head: ['Metric', 'n', 'p50', 'p90', 'p95', 'p99', 'max'],
      align: ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
      rows: METRIC_ROWS.filter(
        ([key]) =>
          s.open !== undefined ||
          !['ttft_corrected', 'e2e_corrected', 'schedule_lag'].includes(key),
      )
        .map(([key, label, unit]) => {
          const p: Percentiles | undefined = s.metrics[key];
          if (key === 'itl' && s.itl_coalesced !== undefined)
            return [label, '-', 'not measurable', '', '', '', ''];
          if (p === undefined) return [label, '0', '-', '-', '-', '-', '-'];
          return [
            label,
            String(p.n),
            num(p.p50, unit),
            num(p.p90, unit),
            num(p.p95, unit),
            `${num(p.p99, unit)}${p.p99_reliable ? '' : ' *'}`,
            num(p.max, unit),
          ];
        })
        .map(cells),
    },
    lines: [
      countsLine(s),
      `latency and tokens/s over the ` +
        plural(s.ok, 'successful request') +
        (s.open === undefined ? '; ' : ' (schedule lag over every send); ') +
        `failed requests count in the error rate, never in the percentiles`,
      `errors: ${errorSummary(s)}`,
      ...(s.open === undefined
        ? []
        : [
            `open loop: ${s.open.late} sends more than ${LATE_MS} ms after their intended ` +
              `time; ${s.open.blocked} held back by --max-in-flight`,
          ]),
      ...notes(s).map((n) => `note: ${n}`),
    ],
  }));
}

const percent = (v: number): string => formatRatePct(v);
const counts = (m: Record<string, number>): string =>
  Object.entries(m)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

const ttftText = (p: Percentiles | undefined): string =>
  `TTFT p50 ${p ? num(p.p50, 'ms') : '-'}, p99 ${p ? num(p.p99, 'ms') : '-'}`;

function openLoopSection(report: ProbeReport): Array<{ title: string; lines: string[] }> {
  const plan = report.plan;
  if (plan?.open === undefined) return [];
  const o = plan.open;
  const cap = report.cap ?? { hits: 0, longest_ms: 0, missed: 0 };
  return [
    {
      title: 'Open loop',
      lines: [
        `${o.rate} requests/s, ${o.arrivals} ` +
          `arrivals${o.arrivals === 'poisson' ? ` (seed ${o.seed})` : ''}, ` +
          (o.duration_ms === undefined
            ? `${plan.requests} requests; `
            : `for ${num(o.duration_ms, 'ms')}; `) +
          `sends never wait for responses.`,
        o.max_in_flight === undefined
          ? 'No cap on requests in flight.'
          : cap.hits === 0
            ? `Cap of ${o.max_in_flight} in flight: never reached.`
            : `Cap of ${o.max_in_flight} in flight: HIT ${cap.hits} times, delaying ` +
              `those sends up to ${num(cap.longest_ms, 'ms')}; latency from the intended ` +
              `send counts the delay.`,
        ...(cap.missed === 0
          ? []
          : [
              `CLIENT FELL BEHIND: ${plural(cap.missed, 'send')} not made (more than ` +
                `${num(MISS_AFTER_MS, 'ms')} behind schedule, or ${MAX_IN_FLIGHT} ` +
                `requests in flight); the offered rate was not reached, so these figures ` +
                `describe a lower load than asked.`,
            ]),
      ],
    },
  ];
}

function drillSection(report: ProbeReport): Array<{ title: string; lines: string[] }> {
  const d = report.drill;
  const failover = report.plan?.failover;
  if (d === undefined || failover === undefined) return [];
  const b = failover.breaker;
  return [
    {
      title: 'Failover drill',
      lines: [
        `Availability seen by the caller: ${percent(d.availability)} (${d.served} ` +
          `of ${d.requests} requests served).`,
        `Started at: ${counts(d.started_at)}. Served by: ${counts(d.served_by)}.`,
        `Attempts per request: ${Object.entries(d.attempts_per_request)
          .map(([n, c]) => `${n} attempt${n === '1' ? '' : 's'}: ${c}`)
          .join(', ')}.`,
        `First attempt alone: ${d.first_attempt.ok} of ${d.requests} succeeded, ` +
          `${ttftText(d.first_attempt.ttft)}; whole chain (the caller table above): ` +
          `${ttftText(report.summaries[0]?.metrics.ttft)}.`,
        `Breakers: open at ${b.failure_share * 100}% failures of at least ` +
          `${b.min_requests} attempts in ${num(b.window_ms, 'ms')}; one trial after ` +
          `${num(b.cooldown_ms, 'ms')} open.`,
        ...d.targets.map(
          (t) =>
            `${t.name} (${t.model}): ${t.attempts} attempts, ${t.ok} ok, ${t.failed} ` +
            `failed, ${t.skipped} skipped while its breaker was open; availability it ` +
            `gave ${percent(t.availability)}.`,
        ),
        ...d.targets.flatMap((t) =>
          t.transitions.map(
            (x) =>
              `breaker ${t.name}: ${x.from} -> ${x.to} at ${num(x.at_ms, 'ms')} ` +
              `(${causeText(x.cause)})`,
          ),
        ),
      ],
    },
  ];
}

function costSection(report: ProbeReport): { title: string; lines: string[] } {
  const c = report.cost;
  const total =
    c.total === undefined
      ? `No total: ${plural(c.targets.filter((t) => t.cost === undefined).length, 'target')} ` +
        `not priced (add prices with --pricing).`
      : `Total ${formatUsdExact(c.total)}` +
        (c.complete ? '; ' : ' (at least: see the notes above); ') +
        `at ${c.runs_per_month} runs a month: ${formatUsd(c.monthly!)}.`;
  return {
    title:
      report.merged_from === undefined
        ? 'Cost of this run'
        : `Cost of the ${plural(report.merged_from.length, 'run')} merged`,
    lines: [
      ...c.targets.map(
        (t) =>
          `${t.target === t.model ? t.target : `${t.target} (${t.model})`}: ${t.input} ` +
          `input + ${t.output}${t.estimated ? ' (estimated)' : ''} output tokens = ` +
          (t.cost === undefined ? 'not priced' : formatUsdExact(t.cost)) +
          (t.note === undefined ? '' : ` (${costNoteText(t.note)})`),
      ),
      total,
      ...implausibleTakenNote(c.targets.map((t) => ({ id: t.model, taken: t.implausible_taken }))),
    ],
  };
}

/**
 * The run's shape, the drill, the baseline comparison and the cost, as titled lines: shared by
 * table and markdown.
 */
export function probeSections(report: ProbeReport): Array<{ title: string; lines: string[] }> {
  const sections = [...openLoopSection(report), ...drillSection(report)];
  if (report.baseline !== undefined) {
    sections.push({
      title: `Against the baseline ${report.baseline.file}`,
      lines: [
        ...report.baseline.comparisons.map(comparisonText),
        `Mann-Whitney U on each distribution (two-proportion z for the error rate); ` +
          `a change counts when p < 0.001 and the median or p95 moves by at least ` +
          `${report.baseline.min_effect_pct}%.`,
      ],
    });
  }
  sections.push(costSection(report));
  return sections;
}

/** Why a breaker moved, in words. */
export function causeText(c: TransitionCause): string {
  if (c.kind === 'failures')
    return `${c.failures} of ${c.attempts} attempts failed in ${c.window_ms} ms`;
  if (c.kind === 'cooldown_over') return `cooldown of ${c.cooldown_ms} ms over`;
  return c.ok ? 'trial succeeded' : 'trial failed';
}

/** Why a target's cost is missing or partial, in words. */
export function costNoteText(n: CostNote): string {
  switch (n.kind) {
    case 'not_in_catalog':
      return `${n.model} is not in the pricing catalog`;
    case 'ambiguous':
      return (
        `"${n.model}" names several models with different prices; probe the exact ` +
        `id to price the run`
      );
    case 'no_output_price':
      return `no output price for ${n.model} on ${n.as_of}`;
    case 'output_only':
      return `output only: no input price for ${n.model}`;
    case 'input_unreported':
      return 'some prompt tokens were not reported by the endpoint';
    case 'as_saved':
      return n.text;
  }
}

/**
 * Whether the run passes every gate: its own (a target that never succeeded, a warm-up that had to
 * pass), regressions, assertions.
 */
export function pass(report: ProbeReport): boolean {
  return (
    report.failures.length === 0 &&
    report.assertions.every((r) => r.pass) &&
    !(report.baseline?.comparisons.some((c) => gating(report, c)) ?? false)
  );
}

/** A baseline verdict that fails the run: a regression, or with --strict-client an inconclusive. */
function gating(report: ProbeReport, c: Comparison): boolean {
  return c.verdict === 'regressed' || (c.verdict === 'inconclusive' && report.strict_client);
}

/** Under saturation, what every failed gate adds: the client may be the cause. */
function clientCaveat(report: ProbeReport): string {
  return report.client?.saturated === true
    ? ` (the probe's client was saturated, loop delay p99 ` +
        `${num(report.client.loop_delay_p99_ms, 'ms')}: the client may be the cause)`
    : '';
}

/** Every gate that failed, one line each: for stderr, annotations and the verdicts. */
export function failedGates(report: ProbeReport): Array<{ title: string; line: string }> {
  const caveat = clientCaveat(report);
  return gateLines(report).map((g) => ({ ...g, line: `${g.line}${caveat}` }));
}

function gateLines(report: ProbeReport): Array<{ title: string; line: string }> {
  return [
    ...report.failures.map((f) => ({
      title: f.kind === 'no_success' ? 'no request succeeded' : 'warm-up failed',
      line: runFailureText(f),
    })),
    ...(report.baseline?.comparisons ?? [])
      .filter((c) => gating(report, c))
      .map((c) => ({
        title: c.verdict === 'regressed' ? 'regression' : 'inconclusive (--strict-client)',
        line: `regression against the baseline: ${comparisonText(c)}`,
      })),
    ...report.assertions
      .filter((r) => !r.pass)
      .map((r) => ({ title: `assertion ${r.assertion.text}`, line: failureLine(r) })),
  ];
}

function verdictBlock(report: ProbeReport): Block {
  const gates = report.failures.map((f) => ({
    text: `FAIL ${runFailureText(f)}`,
    tone: 'bad' as const,
  }));
  const verdicts = report.assertions.map((r) => ({
    text: `${r.pass ? 'PASS' : 'FAIL'} ${r.assertion.text} on ${r.target}: ${againstText(r)}`,
    tone: r.pass ? ('good' as const) : ('bad' as const),
  }));
  const thin = report.summaries.some((s) =>
    Object.values(s.metrics).some((p) => p !== undefined && !p.p99_reliable),
  );
  return {
    parts: [
      {
        kind: 'paragraphs',
        only: 'terminal',
        items: [
          {
            text:
              `${thin ? '* p99 from fewer than 100 samples. ' : ''}Latencies are over ` +
              `successful requests, from the send of the first attempt; definitions: ` +
              `docs/guarantees.md, "Probe metrics".`,
          },
          ...gates,
          ...verdicts,
          ...(report.interrupted
            ? [
                {
                  text: 'interrupted: these figures cover what was measured before Ctrl-C',
                  tone: 'warn' as const,
                },
              ]
            : []),
        ],
      },
      ...(report.assertions.length + report.failures.length === 0
        ? []
        : [
            { kind: 'title' as const, only: 'markdown' as const, text: 'Gates' },
            {
              kind: 'list' as const,
              only: 'markdown' as const,
              indent: false,
              items: [
                ...report.failures.map((f) => ({ text: `**FAIL** ${runFailureText(f)}` })),
                ...report.assertions.map((r) => ({
                  text:
                    `${r.pass ? 'PASS' : '**FAIL**'} \`${r.assertion.text}\` on ` +
                    `${r.target}: ${againstText(r)}`,
                })),
              ],
            },
          ]),
      ...(report.interrupted
        ? [
            {
              kind: 'paragraphs' as const,
              only: 'markdown' as const,
              items: [
                { text: '_Interrupted: these figures cover what was measured before Ctrl-C._' },
              ],
            },
          ]
        : []),
    ],
  };
}

/**
 * The probe as a document: a table per target, the run's sections, then the verdict of each gate.
 */
export function probeDocument(report: ProbeReport): ReportDocument {
  const blocks: Block[] = [];
  if (report.client?.saturated === true)
    blocks.push({
      parts: [
        { kind: 'list', items: texts([saturationText(report.client)], 'warn'), indent: false },
      ],
    });
  blocks.push(
    ...probeTables(report).map(({ title, table, lines }): Block => ({
      parts: [
        { kind: 'title', text: title },
        { kind: 'table', table },
        { kind: 'list', items: texts(lines, 'muted'), indent: false },
      ],
    })),
  );
  for (const section of probeSections(report))
    blocks.push({
      parts: [
        { kind: 'title', text: section.title },
        { kind: 'list', items: texts(section.lines), indent: true },
      ],
    });
  blocks.push(verdictBlock(report));
  const gates =
    report.assertions.length + report.failures.length + (report.baseline === undefined ? 0 : 1);
  const verdict = gates === 0 ? 'no gates' : pass(report) ? 'every gate passes' : 'gates FAILED';
  const what =
    report.merged_from === undefined
      ? 'ai-route probe'
      : `ai-route probe merge of ${plural(report.merged_from.length, 'run')}`;
  return { title: `${what}: ${verdict}`, blocks };
}
