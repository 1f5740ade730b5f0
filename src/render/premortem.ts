import {
  type CheckResult,
  type MeasuredCheck,
  type PremortemPlan,
  type PremortemReport,
  VERDICTS,
  type Verdict,
} from '../domain/premortem.js';
import { type Cell, type ReportDocument, type Tone, texts } from './document.js';
import { formatMs, formatRatePct, plural, printable, round } from './format.js';

export const CHECK_TITLES: Record<CheckResult['id'], string> = {
  p99: 'p99 latency budget',
  regions: 'where inference runs (regions)',
  burst: 'a 10x burst',
  failover: 'failover in under a second',
  rate_limit: 'the shape of the rate limit',
  sla: 'an uptime SLA in writing',
};

export const VERDICT_TONE: Record<Verdict, Tone> = {
  pass: 'good',
  warn: 'warn',
  fail: 'bad',
  unknown: 'muted',
};

const ms = (v: number | null) => (v === null ? 'n/a' : formatMs(v));
const rate = (v: number) => `${round(v, 2)}/s`;

/** One sentence per check: what was found, with the numbers that decided the verdict. */
export function findingText(c: CheckResult): string {
  if (c.evidence === null) return `not run: ${stopText(c.not_run)}`;
  return measuredFinding(c);
}

function measuredFinding(c: MeasuredCheck): string {
  switch (c.id) {
    case 'p99': {
      const e = c.evidence;
      if (e.ok < e.min_requests)
        return (
          `${plural(e.ok, 'successful request')} of ${e.requests}: a p99 needs ` +
          `${e.min_requests}`
        );
      const e2e = e.e2e_budget_ms === null ? '' : ` (budget ${ms(e.e2e_budget_ms)})`;
      return (
        `TTFT p99 ${ms(e.ttft_p99_ms)} (budget ${ms(e.ttft_budget_ms)}), E2E p99 ` +
        `${ms(e.e2e_p99_ms)}${e2e}, over ${e.ok} requests; ${formatRatePct(e.error_rate)} errors`
      );
    }
    case 'regions': {
      const e = c.evidence;
      if (e.regions.length < 2) return 'no --region given: nothing to compare the endpoint with';
      const each = e.regions
        .map(
          (r) =>
            `${r.name} ` +
            (r.ok === 0 ? 'no answer' : `p50 ${ms(r.ttft_p50_ms)} p99 ${ms(r.ttft_p99_ms)}`),
        )
        .join('; ');
      return `best ${e.best ?? 'none'} by TTFT p99 (budget ${ms(e.ttft_budget_ms)}): ${each}`;
    }
    case 'burst': {
      const e = c.evidence;
      const b = e.burst;
      const numbers =
        `TTFT p50 ${ms(e.baseline.ttft_p50_ms)} -> ` +
        `${ms(b.ttft_p50_ms)}${e.ttft_growth === null ? '' : ` (${e.ttft_growth}x)`}, ` +
        `429 ${formatRatePct(b.share_429)}, 5xx ${formatRatePct(b.share_5xx)}, timeouts ` +
        `${formatRatePct(b.share_timeout)}`;
      const head =
        e.classification === null
          ? 'no verdict: the baseline or the burst had no answers'
          : `${e.classification} at ${rate(b.rate_per_s)} (${e.multiplier}x ` +
            `${rate(e.baseline.rate_per_s)})`;
      return `${head}: ${numbers}${b.missed > 0 ? `; ${b.missed} sends missed by the client` : ''}`;
    }
    case 'failover':
      return failoverFinding(c.evidence);
    case 'rate_limit':
      return rateLimitFinding(c.evidence);
    case 'sla': {
      const e = c.evidence;
      if (e.routes.length === 0) return 'no route to look up';
      return e.routes
        .map((r) =>
          r.channel === null
            ? `${r.tier}: ${r.source}`
            : `${r.tier}: ${r.uptime_pct === null ? 'no figure' : `${r.uptime_pct}%`} ` +
              `${r.basis.replace('_', ' ')} (${r.source})`,
        )
        .join('; ');
    }
  }
}

type Evidence<K extends MeasuredCheck['id']> = Extract<MeasuredCheck, { id: K }>['evidence'];

function failoverFinding(e: Evidence<'failover'>): string {
  if (e.links.length === 0)
    return 'no --scenario: no fallback chains to route around a dead target';
  const worst =
    e.computed_worst_ms === null
      ? 'no chain has a fallback'
      : `worst case ${ms(e.computed_worst_ms)} lost on a dead target (budget ` +
        `${ms(e.budget_ms)})`;
  const how =
    `${e.retries + 1} x connect deadline ` +
    ms(Math.min(e.deadlines.connect_ms, e.deadlines.total_ms)) +
    `${e.retries > 0 ? ' plus backoff' : ''}, ` +
    `for the first ${e.exposed_requests} requests until the breaker opens`;
  const d = e.drill;
  const drill =
    d === null
      ? 'not drilled (--fail-target TIER)'
      : `drill with ${d.fail_target} dead: ${d.rerouted}/${d.requests} rerouted, ` +
        `${d.failed} failed, reroute max ${ms(d.reroute_max_ms)} p50 ` +
        ms(d.reroute_p50_ms) +
        (d.breaker_opened_after_ms === null
          ? ', breaker never opened'
          : `, breaker open after ${ms(d.breaker_opened_after_ms)}`);
  return `${worst}: ${how}; ${drill}`;
}

/** What the rate-limit check could not learn, in words (the JSON keeps the field names). */
const NOT_LEARNED: Record<string, string> = {
  window_kind: 'the kind of window (fixed or sliding)',
  window_s: "the window's length",
  limit_requests: 'the request limit',
};

function rateLimitFinding(e: Evidence<'rate_limit'>): string {
  const parts: string[] = [];
  if (e.window_kind !== 'unknown' || e.limit_requests !== null)
    parts.push(
      `${e.window_kind === 'unknown' ? 'window unknown' : e.window_kind.replace('_', ' ')}: ` +
        `${e.limit_requests ?? '?'} requests per ` +
        (e.window_s === null ? '?' : `${e.window_s} s`) +
        (e.rate_per_s === null ? '' : ` (${rate(e.rate_per_s)})`),
    );
  if (e.first_429_rate_per_s !== null) parts.push(`429s from ${rate(e.first_429_rate_per_s)}`);
  if (e.retry_after_s !== null)
    parts.push(`Retry-After ${e.retry_after_s.min}-${e.retry_after_s.max} s`);
  if (e.headers !== null)
    parts.push(
      `x-ratelimit headers: ${e.headers.limit_requests ?? '?'} requests, ` +
        `${e.headers.limit_tokens ?? '?'} tokens`,
    );
  if (e.not_learned.length > 0)
    parts.push(`not learned: ${e.not_learned.map((n) => NOT_LEARNED[n] ?? n).join('; ')}`);
  return `from ${e.source}: ${parts.join('; ')}`;
}

function stopText(reason: NonNullable<PremortemReport['stopped']>['reason']): string {
  return {
    interrupted: 'stopped by Ctrl-C',
    max_requests: '--max-requests reached',
    max_duration: '--max-duration reached',
    max_cost: '--max-cost reached',
  }[reason];
}

/** The counts of each verdict, in the order pass, warn, fail, unknown. */
export function verdictCounts(
  checks: ReadonlyArray<{ verdict: Verdict }>,
): Record<Verdict, number> {
  const counts: Record<Verdict, number> = { pass: 0, warn: 0, fail: 0, unknown: 0 };
  for (const c of checks) counts[c.verdict]++;
  return counts;
}

/**
 * "2 pass, 1 warn, 0 fail, 3 unknown": the checklist in one line, for the headline and the deck.
 */
export function verdictLine(checks: ReadonlyArray<{ verdict: Verdict }>): string {
  const counts = verdictCounts(checks);
  return VERDICTS.map((v) => `${counts[v]} ${v}`).join(', ');
}

/** The plan, as printed before anything is sent. */
export function planLines(plan: PremortemPlan, target: PremortemReport['target']): string[] {
  const lines = [
    `premortem plan for ${printable(target.model)} at ${printable(target.base_url)}` +
      (target.scenario === null ? '' : ` (scenario ${printable(target.scenario)})`) +
      ':',
  ];
  for (const c of plan.checks)
    lines.push(
      `  ${c.id.padEnd(10)} ` +
        (c.requests === 0
          ? 'no requests (decision data)'
          : `up to ${c.requests} requests, about ${c.duration_s} s`),
    );
  const cost =
    plan.cost_usd === null
      ? `cost unknown (${plan.cost_note})`
      : `about $${plan.cost_usd} at the catalog's price`;
  lines.push(`  total      up to ${plan.requests} requests, about ${plan.duration_s} s, ${cost}`);
  const l = plan.limits;
  lines.push(
    `  bounds     --max-requests ${l.max_requests}, --max-duration ${l.max_duration_s} ` +
      `s${l.max_cost_usd === null ? '' : `, --max-cost $${l.max_cost_usd}`}`,
  );
  return lines;
}

/** The checklist as a document: a headline of counts, the table, and how the run ended. */
export function premortemDocument(report: PremortemReport): ReportDocument {
  const counts = verdictCounts(report.checks);
  const tone: Tone = counts.fail > 0 ? 'bad' : counts.warn > 0 ? 'warn' : 'good';
  const rows: Cell[][] = report.checks.map((c) => [
    { text: c.id },
    { text: c.verdict.toUpperCase(), tone: VERDICT_TONE[c.verdict], strong: true },
    { text: printable(findingText(c)) },
  ]);
  const notes: string[] = [
    `${report.requests_sent} requests sent to ${printable(report.target.base_url)} ` +
      `(model ${printable(report.target.model)}).`,
  ];
  if (report.spend !== null)
    notes.push(
      `Spent $${report.spend.spent_usd} of the $${report.spend.bound_usd} --max-cost, by the ` +
        `usage the answers reported` +
        (report.spend.estimated_answers === 0
          ? '.'
          : ` (${report.spend.estimated_answers} reported none: priced at their plan, or at ` +
            `the tokens they streamed when more).`),
    );
  if (report.stopped !== null)
    notes.push(
      `The run stopped at ${report.stopped.at_check}: ${stopText(report.stopped.reason)}; ` +
        `checks after it did not run.`,
    );
  notes.push(
    `Exit 3 on ${report.fail_on === 'warn' ? 'a failed check or a warning' : 'a failed check'}; ` +
      `unknown never fails the run.`,
  );
  return {
    title: `Pre-mortem: ${printable(report.target.model)}`,
    headline: { text: verdictLine(report.checks), tone },
    blocks: [
      {
        parts: [
          {
            kind: 'table',
            table: { head: ['Check', 'Verdict', 'Finding'], align: ['left', 'left', 'left'], rows },
          },
        ],
      },
      { parts: [{ kind: 'paragraphs', items: texts(notes, 'muted') }] },
    ],
  };
}
