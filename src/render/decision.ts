import type { ChalkInstance } from 'chalk';
import type { CostReport } from '../core/cost.js';
import type { Decision, OptionCost } from '../core/decide.js';
import { exact } from '../core/decimal.js';
import { type Alert, type Availability, short } from '../decide/recommend.js';
import type { Matrix, MatrixOption } from '../schema/matrix.js';
import type { Scenario } from '../schema/scenario.js';
import { formatShare, formatTokens, formatUsd } from './format.js';
import type { TableSpec } from './table-kit.js';
import { markdownTableLines } from './text.js';

export interface OptionDetail {
  option: MatrixOption;
  scenario: Scenario;
  cost: OptionCost;
  report: CostReport | undefined;
}

/** Everything a decision renderer reads, built once by the command. */
export interface DecisionDocument {
  decision: Decision;
  matrix: Matrix;
  preset: string | undefined;
  as_of: string;
  date: string;
  details: OptionDetail[];
  availability: Availability | undefined;
  alerts: Alert[];
}

const score = (v: number | undefined): string => (v === undefined ? '-' : v.toFixed(2));
const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;

function detailOf(doc: DecisionDocument, id: string | undefined): OptionDetail | undefined {
  return doc.details.find((d) => d.option.id === id);
}

function costLine(d: OptionDetail, volume: number): string {
  if (!d.cost.priced) return `${d.option.label}: not priced at ${formatTokens(volume)} tokens a month: ${d.cost.missing.join(', ')}; add prices with --pricing (unknown is not zero)`;
  return `${d.option.label}: ${formatUsd(d.cost.cost)} a month at ${formatTokens(volume)} tokens, against ${formatUsd(d.cost.baseline_cost)} for ${d.scenario.baseline.label ?? d.scenario.baseline.model}`;
}

function tierLines(d: OptionDetail): string[] {
  return d.scenario.setup.tiers.map((t) => `${t.name} ${formatShare(t.share)} ${t.model}${t.fallback.length === 0 ? ', no fallback' : `, falls back to ${t.fallback.join(' then ')}`}`);
}

/** Why the winner won, as a clause: "it scores 9.65 against 6.25 for ...". */
function why(d: Decision): string {
  if (d.winner === undefined) return 'no option meets the hard requirements';
  return d.runner_up === undefined ? 'it is the only option left after the hard requirements' : `it scores ${score(d.totals[d.winner.id])} against ${score(d.totals[d.runner_up.id])} for ${d.runner_up.label}`;
}

/** The verdict in one sentence. */
export function headline(doc: DecisionDocument): string {
  const { decision: d } = doc;
  if (d.winner === undefined) return 'No option meets the hard requirements.';
  return `Recommendation: ${d.winner.label} (posture ${d.posture}, channel ${d.winner.channel}): ${why(d)}.`;
}

/** The factor table: answer, weight, each option's score, and the reason behind the winner's. */
export function factorTable(doc: DecisionDocument): TableSpec {
  const { decision: d, matrix } = doc;
  const reasonOf = d.winner ?? matrix.options[0]!;
  return {
    head: ['Factor', 'Answer', 'Weight', ...matrix.options.map((o) => o.label.split(' (')[0]!), `Why (${reasonOf.label.split(' (')[0]})`],
    align: ['left', 'left', 'right', ...matrix.options.map(() => 'right' as const), 'left'],
    rows: [
      ...d.rows.map((r) => [r.factor.label, r.answer_label, pct(r.weight), ...matrix.options.map((o) => String(r.scores[o.id]!.score)), r.scores[reasonOf.id]!.reason]),
      ['Weighted score (0-10)', '', '100%', ...matrix.options.map((o) => (d.totals[o.id] === undefined ? 'excluded' : score(d.totals[o.id]))), ''],
    ],
  };
}

/** Sensitivity, availability, cost and alerts as lines: shared by table and markdown. */
export function explanation(doc: DecisionDocument): { title: string; lines: string[] }[] {
  const { decision: d } = doc;
  const sections: { title: string; lines: string[] }[] = [];
  sections.push({
    title: 'Hard requirements',
    lines: d.checks.length === 0 ? ['none stated'] : d.checks.map((c) => `${c.result === 'met' ? 'met' : c.result === 'excluded' ? 'EXCLUDES' : 'cannot check'}: ${c.requirement} (${c.detail})`),
  });
  const s = d.sensitivity;
  const robustness: string[] = [];
  if (d.margin !== undefined && d.runner_up !== undefined) {
    robustness.push(`Margin: ${score(d.margin)} points, ${d.margin_pct?.toFixed(1)}% of the winning score, over ${d.runner_up.label}.`);
    const flip = s.smallest;
    const row = flip && d.rows.find((r) => r.factor.id === flip.factor);
    robustness.push(
      flip && row
        ? `Smallest change that flips it: ${row.factor.label} importance from ${row.importance} to ${flip.to.toFixed(2)} (${flip.change > 0 ? '+' : ''}${flip.change.toFixed(2)} on the 0-5 scale${flip.to > 5 ? ', beyond the scale' : ''}).`
        : 'No change of a single weight flips it.',
    );
    robustness.push(`Random weights: it wins ${pct(s.win_rate ?? 0)} of ${s.draws} Dirichlet draws around the stated weights (seed ${d.inputs.seed}).`);
  } else if (d.winner !== undefined) {
    robustness.push('Decided by the hard requirements: no other option remains to weigh it against.');
  }
  robustness.push(d.fragile ? `FRAGILE: ${d.fragile_reasons.join('; ')}.` : 'Not fragile.');
  robustness.push(`Posture ${d.posture}: the weighted answers lean ${d.posture_lean.toFixed(2)} on a scale from -1 (all startup) to +1 (all enterprise).`);
  sections.push({ title: 'How firm it is', lines: robustness });
  sections.push({ title: `Monthly cost (cost engine, prices as of ${doc.as_of})`, lines: doc.details.map((x) => costLine(x, d.inputs.volume)) });
  const winner = detailOf(doc, d.winner?.id);
  if (winner !== undefined) {
    sections.push({ title: `Tiers of ${winner.option.label} (scenario ${winner.scenario.name})`, lines: tierLines(winner) });
  }
  const a = doc.availability;
  if (a !== undefined) {
    const lines = [
      `Uptime ${a.uptime_pct.toFixed()}% (${a.in_writing ? 'in writing' : 'published, not contractual'}; ${a.source}): ${short(a.minutes_730h, 1)} minutes of downtime a 730-hour month, ${short(a.minutes_30d, 1)} a 30-day month.`,
    ];
    if (a.one_provider) {
      lines.push(
        `Every tier goes through one base URL (${a.base_urls[0]}): falling back between them helps against one model's overload or 429s, not against an outage of the provider, so the setup stays at ${a.uptime_pct.toFixed()}% at best.`,
        `Going beyond it takes a second, independent provider in the chain: two independent ${a.uptime_pct.toFixed()}% providers give ${short(a.two_providers_pct, 6)}% (${short(a.two_providers_seconds_730h, 1)} s a month), if their failures are independent.`,
      );
    } else {
      lines.push(`The tiers use ${a.base_urls.length} base URLs (${a.base_urls.join(', ')}): the chain can ride out one of them failing, as far as their failures are independent.`);
    }
    sections.push({ title: 'Availability', lines });
  }
  sections.push({ title: 'Suggested alerts', lines: doc.alerts.map((x) => `${x.name}: ${x.condition} over ${x.window} (${x.why})`) });
  return sections;
}

/** The terminal rendering: headline, factor table, then the explanation. */
export async function renderDecisionTable(doc: DecisionDocument, chalk: ChalkInstance): Promise<string> {
  const { drawTable } = await import('./table-kit.js');
  const t = factorTable(doc);
  const out = [chalk.bold(headline(doc)), drawTable({ ...t, head: t.head.map((h) => chalk.bold(h)) })];
  for (const section of explanation(doc)) {
    out.push('', chalk.bold(section.title), ...section.lines.map((l) => (l.startsWith('FRAGILE') || l.startsWith('EXCLUDES') ? chalk.yellow(`  ${l}`) : `  ${l}`)));
  }
  return `${out.join('\n')}\n`;
}

/** Markdown for a PR or a wiki page. */
export function renderDecisionMarkdown(doc: DecisionDocument): string {
  const t = factorTable(doc);
  const out = [
    `## ai-route decide`,
    '',
    headline(doc),
    '',
    ...markdownTableLines(t),
    '',
  ];
  for (const section of explanation(doc)) out.push(`### ${section.title}`, '', ...section.lines.map((l) => `- ${l}`), '');
  return `${out.join('\n').trimEnd()}\n`;
}

function costJson(c: OptionCost) {
  return c.priced ? { priced: true, monthly_cost: exact(c.cost), baseline_monthly_cost: exact(c.baseline_cost) } : { priced: false, missing: c.missing };
}

function tiersJson(d: OptionDetail) {
  return d.scenario.setup.tiers.map((t) => ({ tier: t.name, model: t.model, share: exact(t.share), fallback: t.fallback, base_url: t.base_url ?? d.scenario.endpoint.base_url ?? null }));
}

/** `ai-route/decision@1`: its `inputs` replay the same decision when fed back as --answers. */
export function renderDecisionJson(doc: DecisionDocument): string {
  const { decision: d } = doc;
  const winner = detailOf(doc, d.winner?.id);
  const a = doc.availability;
  const body = {
    schema: 'ai-route/decision@1',
    matrix_version: doc.matrix.version,
    as_of: doc.as_of,
    inputs: {
      preset: doc.preset ?? null,
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
            availability:
              a === undefined
                ? null
                : {
                    uptime_pct: exact(a.uptime_pct),
                    in_writing: a.in_writing,
                    error_budget_minutes: { month_730h: exact(a.minutes_730h), month_30d: exact(a.minutes_30d) },
                    one_provider: a.one_provider,
                    base_urls: a.base_urls,
                    two_independent_providers_pct: exact(a.two_providers_pct),
                  },
            alerts: doc.alerts,
          },
    posture_lean: Number(d.posture_lean.toFixed(6)),
    factors: d.rows.map((r) => ({
      factor: r.factor.id,
      label: r.factor.label,
      answer: r.answer,
      answer_label: r.answer_label,
      importance: r.importance,
      weight: Number(r.weight.toFixed(6)),
      score: d.winner ? r.scores[d.winner.id]!.score : null,
      reason: d.winner ? r.scores[d.winner.id]!.reason : null,
      scores: Object.fromEntries(Object.entries(r.scores).map(([o, s]) => [o, { score: s.score, reason: s.reason }])),
    })),
    options: doc.details.map((x) => ({
      option: x.option.id,
      label: x.option.label,
      total: d.totals[x.option.id] === undefined ? null : Number(d.totals[x.option.id]!.toFixed(6)),
      excluded: d.exclusions.filter((e) => e.option === x.option.id).map((e) => e.reason),
      cost: costJson(x.cost),
    })),
    checks: d.checks,
    tiers: winner === undefined ? [] : tiersJson(winner),
    margin: d.margin === undefined ? null : Number(d.margin.toFixed(6)),
    margin_pct: d.margin_pct === undefined ? null : Number(d.margin_pct.toFixed(6)),
    sensitivity: {
      smallest_flip: d.sensitivity.smallest === undefined ? null : { factor: d.sensitivity.smallest.factor, change: Number(d.sensitivity.smallest.change.toFixed(6)), to: Number(d.sensitivity.smallest.to.toFixed(6)) },
      flips: d.sensitivity.flips.map((f) => ({ factor: f.factor, change: Number(f.change.toFixed(6)), to: Number(f.to.toFixed(6)) })),
      win_rate: d.sensitivity.win_rate ?? null,
      draws: d.sensitivity.draws,
      seed: d.inputs.seed,
    },
    fragile: d.fragile,
    fragile_reasons: d.fragile_reasons,
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

/** A MADR 4 decision record (adr/madr template), ready for docs/decisions/. */
export function renderDecisionAdr(doc: DecisionDocument): string {
  const { decision: d, matrix } = doc;
  const winner = d.winner;
  const title = winner === undefined ? 'No LLM API option meets our hard requirements' : `Use the ${winner.label.split(' (')[0]} for LLM API access`;
  const drivers = [...d.rows].sort((a, b) => b.weight - a.weight).map((r) => `* ${r.factor.label} (weight ${pct(r.weight)}): ${r.answer_label}`);
  const prosCons = (o: MatrixOption) => {
    const sorted = [...d.rows].sort((a, b) => b.scores[o.id]!.contribution - a.scores[o.id]!.contribution);
    const good = sorted.filter((r) => r.scores[o.id]!.score >= 7).map((r) => `* Good, because ${r.scores[o.id]!.reason} (${r.factor.label})`);
    const bad = sorted.filter((r) => r.scores[o.id]!.score < 7).map((r) => `* Bad, because ${r.scores[o.id]!.reason} (${r.factor.label})`);
    const excluded = d.exclusions.filter((e) => e.option === o.id).map((e) => `* Bad, because excluded: ${e.reason}`);
    return [...good, ...bad, ...excluded];
  };
  const lines = [
    '---',
    `status: proposed`,
    `date: ${doc.date}`,
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
    ...(d.checks.length > 0 ? ['', 'Hard requirements:', '', ...d.checks.map((c) => `* ${c.requirement}: ${c.result} (${c.detail})`)] : []),
    '',
    '## Considered Options',
    '',
    ...matrix.options.map((o) => `* ${o.label}`),
    '',
    '## Decision Outcome',
    '',
    winner === undefined
      ? `No option is chosen: every one fails a hard requirement (${d.exclusions.map((e) => e.reason).join('; ')}).`
      : `Chosen option: "${winner.label}", because ${why(d)} (posture ${d.posture}). ${d.fragile ? `The decision is fragile: ${d.fragile_reasons.join('; ')}.` : 'The decision is not fragile.'}`,
    '',
    '### Consequences',
    '',
    ...(winner === undefined ? ['* Bad, because nothing can be adopted until a requirement or the budget changes.'] : prosCons(winner)),
    ...explanation(doc)
      .filter((s) => s.title.startsWith('Monthly cost') || s.title === 'Availability')
      .flatMap((s) => s.lines.map((l) => `* Neutral: ${l}`)),
    '',
    '### Confirmation',
    '',
    ...doc.alerts.map((a) => `* ${a.name}: \`${a.condition}\` over ${a.window} (${a.why})`),
    `* Before rollout: \`ai-route probe --scenario ${detailOf(doc, winner?.id)?.scenario.name ?? 'SCENARIO'} --requests 1000 --assert 'ttft.p99<2s' --assert 'error_rate<0.1%'\``,
    '',
    '## Pros and Cons of the Options',
    '',
    ...matrix.options.flatMap((o) => [`### ${o.label}`, '', ...prosCons(o), '']),
    '## More Information',
    '',
    `Replay this decision with \`ai-route decide --answers decision.json\` (from \`--format json\`). Inputs: ${Object.entries(d.inputs.answers)
      .map(([f, a]) => `${f}=${a}`)
      .join(', ')}; seed ${d.inputs.seed}; prices as of ${doc.as_of}.`,
    '',
  ];
  return lines.join('\n');
}
