import type { CostReport, PricedTier } from '../core/cost.js';
import type { Alert, Availability, Check, Decision, ExclusionReason, FragileReason, OptionCost } from '../core/decide.js';
import type { Matrix, MatrixOption } from '../domain/matrix.js';
import type { Scenario } from '../domain/scenario.js';
import { exact } from '../units/decimal.js';
import { type Block, type ReportDocument, type Text, cells } from './document.js';
import { formatDecimal, formatExact, formatFixed, formatPctDecimal, formatScore, formatShare, formatTokens, formatUsd, formatWeight } from './format.js';
import { implausibleTakenNote, unpricedText } from './problems.js';

export interface OptionDetail {
  option: MatrixOption;
  scenario: Scenario;
  cost: OptionCost;
  report: CostReport | undefined;
  /** Every price the option's cost read (to say which were taken with --allow-implausible). */
  used: PricedTier[];
}

/** Everything a decision renderer reads, built once by the command. */
export interface DecisionView {
  decision: Decision;
  matrix: Matrix;
  preset: string | undefined;
  as_of: string;
  date: string;
  details: OptionDetail[];
  availability: Availability | undefined;
  alerts: Alert[];
}

function detailOf(view: DecisionView, id: string | undefined): OptionDetail | undefined {
  return view.details.find((d) => d.option.id === id);
}

function labelOf(view: DecisionView, id: string): string {
  return view.matrix.options.find((o) => o.id === id)?.label ?? id;
}

function answerLabel(view: DecisionView, factorId: string, answerId: string): { factor: string; answer: string } {
  const factor = view.matrix.factors.find((f) => f.id === factorId);
  return { factor: factor?.label ?? factorId, answer: factor?.answers.find((a) => a.id === answerId)?.label ?? answerId };
}

function costLine(d: OptionDetail, volume: number): string {
  if (!d.cost.priced)
    return `${d.option.label}: not priced at ${formatTokens(volume)} tokens a month: ${d.cost.missing.map(unpricedText).join(', ')}; add prices with --pricing (unknown is not zero)`;
  return `${d.option.label}: ${formatUsd(d.cost.cost)} a month at ${formatTokens(volume)} tokens, against ${formatUsd(d.cost.baseline_cost)} for ${d.scenario.baseline.label ?? d.scenario.baseline.model}`;
}

function tierLines(d: OptionDetail): string[] {
  return d.scenario.setup.tiers.map(
    (t) => `${t.name} ${formatShare(t.share)} ${t.model}${t.fallback.length === 0 ? ', no fallback' : `, falls back to ${t.fallback.join(' then ')}`}`,
  );
}

/** A hard requirement, its result and why, as words: shared by every format. */
function checkWords(view: DecisionView, c: Check): { requirement: string; detail: string } {
  if (c.kind === 'capability') {
    const { factor, answer } = answerLabel(view, c.factor, c.answer);
    return { requirement: `${factor}: ${answer}`, detail: c.excludes.length > 0 ? `excludes ${c.excludes.map((id) => labelOf(view, id)).join(', ')}` : 'every option provides it' };
  }
  const requirement = `Budget ceiling ${formatUsd(c.limit)} a month for ${labelOf(view, c.option)}`;
  if (c.result === 'unverifiable') return { requirement, detail: `cannot check: no price for ${c.missing.length > 0 ? c.missing.map(unpricedText).join(', ') : 'its models'}` };
  return { requirement, detail: `projected ${formatUsd(c.projected)} a month` };
}

/** Why an option is out, as a sentence. */
export function exclusionText(view: DecisionView, option: string, r: ExclusionReason): string {
  if (r.kind === 'over_budget') return `Budget: projected ${formatUsd(r.projected)} a month exceeds the ${formatUsd(r.limit)} ceiling by ${formatUsd(r.over)}`;
  const { factor, answer } = answerLabel(view, r.factor, r.answer);
  return `${factor}: "${answer}" is required and ${labelOf(view, option)} does not provide it`;
}

/** Why a decision is fragile, as a clause. */
export function fragileText(r: FragileReason): string {
  if (r.kind === 'thin_margin') return `the margin is ${formatFixed(r.margin_pct, 1)}% of the winning score (under ${r.limit_pct}%)`;
  return `it wins ${formatWeight(r.win_rate)} of ${r.draws} random weightings (under ${r.limit * 100}%)`;
}

/** An alert as name, condition, window and why. */
export function alertWords(a: Alert): { name: string; condition: string; window: string; why: string } {
  switch (a.kind) {
    case 'fast_burn':
      return {
        name: 'page: fast burn',
        condition: `error_rate > ${formatPctDecimal(a.error_rate_pct)}`,
        window: '1 h (and 5 min)',
        why: `spends 2% of a 30-day error budget of ${formatPctDecimal(a.budget_pct)} in an hour`,
      };
    case 'slow_burn':
      return { name: 'page: slow burn', condition: `error_rate > ${formatPctDecimal(a.error_rate_pct)}`, window: '6 h (and 30 min)', why: 'spends 5% of the budget in six hours' };
    case 'sla':
      return { name: 'ticket', condition: `error_rate > ${formatPctDecimal(a.error_rate_pct)}`, window: '3 days', why: 'the SLA itself is being missed' };
    case 'latency_gate':
      return a.metric === 'ttft'
        ? { name: 'latency gate', condition: a.assert, window: 'each probe run (at least 1,000 requests)', why: 'a starting point: replace 2 s with 1.5x the p99 you measure' }
        : { name: 'latency gate', condition: a.assert, window: 'each probe run', why: 'a starting point for a 64-token answer; set it from measurement' };
  }
}

/** Why the winner won, as a clause: "it scores 9.65 against 6.25 for ...". */
function why(d: Decision): string {
  if (d.winner === undefined) return 'no option meets the hard requirements';
  return d.runner_up === undefined
    ? 'it is the only option left after the hard requirements'
    : `it scores ${formatScore(d.totals[d.winner.id])} against ${formatScore(d.totals[d.runner_up.id])} for ${d.runner_up.label}`;
}

/** The verdict in one sentence. */
export function headline(view: DecisionView): string {
  const { decision: d } = view;
  if (d.winner === undefined) return 'No option meets the hard requirements.';
  return `Recommendation: ${d.winner.label} (posture ${d.posture}, channel ${d.winner.channel}): ${why(d)}.`;
}

function factorTable(view: DecisionView) {
  const { decision: d, matrix } = view;
  const reasonOf = d.winner ?? matrix.options[0]!;
  return {
    head: ['Factor', 'Answer', 'Weight', ...matrix.options.map((o) => o.label.split(' (')[0]!), `Why (${reasonOf.label.split(' (')[0]})`],
    align: ['left', 'left', 'right', ...matrix.options.map(() => 'right' as const), 'left'] as Array<'left' | 'right'>,
    rows: [
      ...d.rows.map((r) => [r.factor.label, r.answer_label, formatWeight(r.weight), ...matrix.options.map((o) => String(r.scores[o.id]!.score)), r.scores[reasonOf.id]!.reason]),
      ['Weighted score (0-10)', '', '100%', ...matrix.options.map((o) => (d.totals[o.id] === undefined ? 'excluded' : formatScore(d.totals[o.id]))), ''],
    ].map(cells),
  };
}

function robustness(d: Decision): Text[] {
  const s = d.sensitivity;
  const lines: Text[] = [];
  if (d.margin !== undefined && d.runner_up !== undefined) {
    lines.push({
      text: `Margin: ${formatScore(d.margin)} points, ${d.margin_pct === undefined ? '' : formatFixed(d.margin_pct, 1)}% of the winning score, over ${d.runner_up.label}.`,
    });
    const flip = s.smallest;
    const row = flip && d.rows.find((r) => r.factor.id === flip.factor);
    lines.push({
      text:
        flip && row
          ? `Smallest change that flips it: ${row.factor.label} importance from ${row.importance} to ${formatFixed(flip.to, 2)} (${flip.change > 0 ? '+' : ''}${formatFixed(flip.change, 2)} on the 0-5 scale${flip.to > 5 ? ', beyond the scale' : ''}).`
          : 'No change of a single weight flips it.',
    });
    lines.push({ text: `Random weights: it wins ${formatWeight(s.win_rate ?? 0)} of ${s.draws} Dirichlet draws around the stated weights (seed ${d.inputs.seed}).` });
  } else if (d.winner !== undefined) {
    lines.push({ text: 'Decided by the hard requirements: no other option remains to weigh it against.' });
  }
  lines.push(d.fragile ? { text: `FRAGILE: ${d.fragile_reasons.map(fragileText).join('; ')}.`, tone: 'warn' } : { text: 'Not fragile.' });
  lines.push({ text: `Posture ${d.posture}: the weighted answers lean ${formatFixed(d.posture_lean, 2)} on a scale from -1 (all startup) to +1 (all enterprise).` });
  return lines;
}

function availabilityLines(a: Availability): string[] {
  const lines = [
    `Uptime ${formatExact(a.uptime_pct)}% (${a.in_writing ? 'in writing' : 'published, not contractual'}; ${a.source}): ${formatDecimal(a.minutes_730h, 1)} minutes of downtime a 730-hour month, ${formatDecimal(a.minutes_30d, 1)} a 30-day month.`,
  ];
  if (a.one_provider) {
    lines.push(
      `Every tier goes through one base URL (${a.base_urls[0]}): falling back between them helps against one model's overload or 429s, not against an outage of the provider, so the setup stays at ${formatExact(a.uptime_pct)}% at best.`,
      `Going beyond it takes a second, independent provider in the chain: two independent ${formatExact(a.uptime_pct)}% providers give ${formatDecimal(a.two_providers_pct, 6)}% (${formatDecimal(a.two_providers_seconds_730h, 1)} s a month), if their failures are independent.`,
    );
  } else {
    lines.push(`The tiers use ${a.base_urls.length} base URLs (${a.base_urls.join(', ')}): the chain can ride out one of them failing, as far as their failures are independent.`);
  }
  return lines;
}

/** Sensitivity, availability, cost and alerts as titled sections: shared by table, markdown and ADR. */
export function explanation(view: DecisionView): Array<{ title: string; lines: Text[] }> {
  const { decision: d } = view;
  const sections: Array<{ title: string; lines: Text[] }> = [];
  sections.push({
    title: 'Hard requirements',
    lines:
      d.checks.length === 0
        ? [{ text: 'none stated' }]
        : d.checks.map((c) => {
            const w = checkWords(view, c);
            const label = c.result === 'met' ? 'met' : c.result === 'excluded' ? 'EXCLUDES' : 'cannot check';
            return { text: `${label}: ${w.requirement} (${w.detail})`, tone: c.result === 'excluded' ? 'warn' : 'plain' };
          }),
  });
  sections.push({ title: 'How firm it is', lines: robustness(d) });
  const taken = new Map(view.details.flatMap((x) => x.used).map((u) => [u.model.id, { id: u.model.id, taken: u.price.implausible_taken }]));
  sections.push({
    title: `Monthly cost (cost engine, prices as of ${view.as_of})`,
    lines: [...view.details.map((x) => costLine(x, d.inputs.volume)), ...implausibleTakenNote([...taken.values()])].map((text) => ({ text })),
  });
  const winner = detailOf(view, d.winner?.id);
  if (winner !== undefined) sections.push({ title: `Tiers of ${winner.option.label} (scenario ${winner.scenario.name})`, lines: tierLines(winner).map((text) => ({ text })) });
  if (view.availability !== undefined) sections.push({ title: 'Availability', lines: availabilityLines(view.availability).map((text) => ({ text })) });
  sections.push({
    title: 'Suggested alerts',
    lines: view.alerts.map(alertWords).map((x) => ({ text: `${x.name}: ${x.condition} over ${x.window} (${x.why})` })),
  });
  return sections;
}

/** The decision as a document: headline, factor table, then the explanation. */
export function decisionDocument(view: DecisionView): ReportDocument {
  const blocks: Block[] = [{ parts: [{ kind: 'table', table: factorTable(view) }] }];
  for (const s of explanation(view))
    blocks.push({
      parts: [
        { kind: 'title', text: s.title },
        { kind: 'list', items: s.lines, indent: true },
      ],
    });
  return { title: 'ai-route decide', headline: { text: headline(view), tone: 'strong' }, blocks };
}

function costJson(c: OptionCost) {
  return c.priced ? { priced: true, monthly_cost: exact(c.cost), baseline_monthly_cost: exact(c.baseline_cost) } : { priced: false, missing: c.missing };
}

function tiersJson(d: OptionDetail) {
  return d.scenario.setup.tiers.map((t) => ({
    tier: t.name,
    model: t.model,
    share: exact(t.share),
    fallback: t.fallback,
    base_url: t.base_url ?? d.scenario.endpoint.base_url ?? null,
  }));
}

function checkJson(c: Check) {
  if (c.kind === 'capability') return c;
  const base = { kind: c.kind, option: c.option, limit: exact(c.limit), result: c.result };
  return c.result === 'unverifiable' ? { ...base, missing: c.missing } : { ...base, projected: exact(c.projected) };
}

function exclusionJson(r: ExclusionReason) {
  return r.kind === 'lacks' ? r : { kind: r.kind, projected: exact(r.projected), limit: exact(r.limit), over: exact(r.over) };
}

function alertJson(a: Alert) {
  const words = alertWords(a);
  if (a.kind === 'latency_gate') return { kind: a.kind, metric: a.metric, condition: a.assert };
  return {
    kind: a.kind,
    condition: words.condition,
    error_rate_pct: exact(a.error_rate_pct),
    ...(a.kind === 'sla' ? {} : { burn_rate: exact(a.burn), budget_pct: exact(a.budget_pct) }),
  };
}

function availabilityJson(a: Availability | undefined) {
  if (a === undefined) return null;
  return {
    uptime_pct: exact(a.uptime_pct),
    in_writing: a.in_writing,
    source: a.source,
    error_budget_minutes: { month_730h: exact(a.minutes_730h), month_30d: exact(a.minutes_30d) },
    one_provider: a.one_provider,
    base_urls: a.base_urls,
    two_independent_providers_pct: exact(a.two_providers_pct),
  };
}

/** `ai-route/decision@2`: data, not sentences (codes, ids and exact numbers); its `inputs` replay the same decision. */
export function renderDecisionJson(view: DecisionView): string {
  const { decision: d } = view;
  const winner = detailOf(view, d.winner?.id);
  const n6 = (v: number) => Number(v.toFixed(6));
  const body = {
    schema: 'ai-route/decision@2',
    matrix_version: view.matrix.version,
    as_of: view.as_of,
    inputs: {
      preset: view.preset ?? null,
      answers: d.inputs.answers,
      importance: d.inputs.importance,
      volume: d.inputs.volume,
      monthly_budget: d.inputs.monthly_budget === undefined ? null : exact(d.inputs.monthly_budget),
      seed: d.inputs.seed,
    },
    recommendation:
      d.winner === undefined || winner === undefined
        ? null
        : {
            posture: d.posture,
            channel: d.winner.channel,
            option: d.winner.id,
            label: d.winner.label,
            scenario: winner.scenario.name,
            tiers: tiersJson(winner),
            cost: costJson(winner.cost),
            availability: availabilityJson(view.availability),
            alerts: view.alerts.map(alertJson),
          },
    posture_lean: n6(d.posture_lean),
    factors: d.rows.map((r) => ({
      factor: r.factor.id,
      label: r.factor.label,
      answer: r.answer,
      answer_label: r.answer_label,
      importance: r.importance,
      weight: n6(r.weight),
      score: d.winner ? r.scores[d.winner.id]!.score : null,
      reason: d.winner ? r.scores[d.winner.id]!.reason : null,
      scores: Object.fromEntries(Object.entries(r.scores).map(([o, s]) => [o, { score: s.score, reason: s.reason }])),
    })),
    options: view.details.map((x) => ({
      option: x.option.id,
      label: x.option.label,
      total: d.totals[x.option.id] === undefined ? null : n6(d.totals[x.option.id]!),
      excluded: d.exclusions.filter((e) => e.option === x.option.id).map((e) => exclusionJson(e.reason)),
      cost: costJson(x.cost),
    })),
    implausible_taken: [...new Map(view.details.flatMap((x) => x.used).map((u) => [u.model.id, u])).values()].flatMap((u) =>
      u.price.implausible_taken.map((q) => ({ model: u.model.id, rate: q.component, value: exact(q.value), why: q.why })),
    ),
    checks: d.checks.map(checkJson),
    margin: d.margin === undefined ? null : n6(d.margin),
    margin_pct: d.margin_pct === undefined ? null : n6(d.margin_pct),
    sensitivity: {
      smallest_flip:
        d.sensitivity.smallest === undefined ? null : { factor: d.sensitivity.smallest.factor, change: n6(d.sensitivity.smallest.change), to: n6(d.sensitivity.smallest.to) },
      flips: d.sensitivity.flips.map((f) => ({ factor: f.factor, change: n6(f.change), to: n6(f.to) })),
      win_rate: d.sensitivity.win_rate ?? null,
      draws: d.sensitivity.draws,
      seed: d.inputs.seed,
    },
    fragile: d.fragile,
    fragile_reasons: d.fragile_reasons.map((r) => (r.kind === 'thin_margin' ? { ...r, margin_pct: n6(r.margin_pct) } : r)),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

function prosCons(view: DecisionView, o: MatrixOption): string[] {
  const { decision: d } = view;
  const sorted = [...d.rows].sort((a, b) => b.scores[o.id]!.contribution - a.scores[o.id]!.contribution);
  const good = sorted.filter((r) => r.scores[o.id]!.score >= 7).map((r) => `* Good, because ${r.scores[o.id]!.reason} (${r.factor.label})`);
  const bad = sorted.filter((r) => r.scores[o.id]!.score < 7).map((r) => `* Bad, because ${r.scores[o.id]!.reason} (${r.factor.label})`);
  const excluded = d.exclusions.filter((e) => e.option === o.id).map((e) => `* Bad, because excluded: ${exclusionText(view, e.option, e.reason)}`);
  return [...good, ...bad, ...excluded];
}

function adrOutcome(view: DecisionView): string[] {
  const { decision: d } = view;
  const winner = d.winner;
  return [
    '## Decision Outcome',
    '',
    winner === undefined
      ? `No option is chosen: every one fails a hard requirement (${d.exclusions.map((e) => exclusionText(view, e.option, e.reason)).join('; ')}).`
      : `Chosen option: "${winner.label}", because ${why(d)} (posture ${d.posture}). ${d.fragile ? `The decision is fragile: ${d.fragile_reasons.map(fragileText).join('; ')}.` : 'The decision is not fragile.'}`,
    '',
    '### Consequences',
    '',
    ...(winner === undefined ? ['* Bad, because nothing can be adopted until a requirement or the budget changes.'] : prosCons(view, winner)),
    ...explanation(view)
      .filter((s) => s.title.startsWith('Monthly cost') || s.title === 'Availability')
      .flatMap((s) => s.lines.map((l) => `* Neutral: ${l.text}`)),
    '',
    '### Confirmation',
    '',
    ...view.alerts.map(alertWords).map((a) => `* ${a.name}: \`${a.condition}\` over ${a.window} (${a.why})`),
    `* Before rollout: \`ai-route probe --scenario ${detailOf(view, winner?.id)?.scenario.name ?? 'SCENARIO'} --requests 1000 --assert 'ttft.p99<2s' --assert 'error_rate<0.1%'\``,
    '',
  ];
}

/** A MADR 4 decision record (adr/madr template), ready for docs/decisions/. */
export function renderDecisionAdr(view: DecisionView): string {
  const { decision: d, matrix } = view;
  const winner = d.winner;
  const title = winner === undefined ? 'No LLM API option meets our hard requirements' : `Use the ${winner.label.split(' (')[0]} for LLM API access`;
  const drivers = [...d.rows].sort((a, b) => b.weight - a.weight).map((r) => `* ${r.factor.label} (weight ${formatWeight(r.weight)}): ${r.answer_label}`);
  const checks = d.checks.map((c) => {
    const w = checkWords(view, c);
    return `* ${w.requirement}: ${c.result} (${w.detail})`;
  });
  const lines = [
    '---',
    `status: proposed`,
    `date: ${view.date}`,
    'decision-makers: {list everyone involved in the decision}',
    'consulted: {list everyone whose opinions are sought}',
    'informed: {list everyone who is kept up to date}',
    '---',
    '',
    `# ${title}`,
    '',
    '## Context and Problem Statement',
    '',
    `We need LLM API access for about ${formatTokens(d.inputs.volume)} tokens a month${d.inputs.monthly_budget === undefined ? '' : ` within ${formatUsd(d.inputs.monthly_budget)} a month`}. ` +
      `Which channel fits our posture: shared capacity paid as we go, or dedicated capacity with an SLA and a DPA in writing? ` +
      `Answers were scored with the ai-route decision matrix v${matrix.version} (${matrix.source}).`,
    '',
    '## Decision Drivers',
    '',
    ...drivers,
    ...(checks.length > 0 ? ['', 'Hard requirements:', '', ...checks] : []),
    '',
    '## Considered Options',
    '',
    ...matrix.options.map((o) => `* ${o.label}`),
    '',
    ...adrOutcome(view),
    '## Pros and Cons of the Options',
    '',
    ...matrix.options.flatMap((o) => [`### ${o.label}`, '', ...prosCons(view, o), '']),
    '## More Information',
    '',
    `Replay this decision with \`ai-route decide --answers decision.json\` (from \`--format json\`). Inputs: ${Object.entries(d.inputs.answers)
      .map(([f, a]) => `${f}=${a}`)
      .join(', ')}; seed ${d.inputs.seed}; prices as of ${view.as_of}.`,
    '',
  ];
  return lines.join('\n');
}
