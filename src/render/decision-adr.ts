import { htmlSafeMarkdown, markdownTable } from './markdown.js';
import type { Conflict } from '../core/decide.js';
import type { MatrixOption } from '../domain/matrix.js';
import { VOLUME_SPEC } from '../units/volume.js';
import {
  type DecisionView,
  alertWords,
  availabilityLines,
  checkWords,
  detailOf,
  exclusionText,
  fragileText,
  optionBreakEvenText,
  routeText,
  shortLabel,
  unverifiedText,
  why,
} from './decision.js';
import { formatScore, formatShare, formatTokens, formatUsd, formatWeight } from './format.js';
import { unpricedText } from './problems.js';

function prosCons(view: DecisionView, o: MatrixOption): string[] {
  const { decision: d } = view;
  const sorted = [...d.rows].sort(
    (a, b) => b.scores[o.id]!.contribution - a.scores[o.id]!.contribution,
  );
  const good = sorted
    .filter((r) => r.scores[o.id]!.score >= 7)
    .map((r) => `* Good, because ${r.scores[o.id]!.reason} (${r.factor.label})`);
  const bad = sorted
    .filter((r) => r.scores[o.id]!.score < 7)
    .map((r) => `* Bad, because ${r.scores[o.id]!.reason} (${r.factor.label})`);
  const excluded = d.exclusions
    .filter((e) => e.option === o.id)
    .map((e) => `* Bad, because excluded: ${exclusionText(view, e.option, e.reason)}`);
  return [...good, ...bad, ...excluded];
}

/**
 * Why an alternative lost: the requirement that excluded it, or its score against the winner's and
 * its weakest factor.
 */
export function whyItLost(view: DecisionView, o: MatrixOption): string {
  const { decision: d } = view;
  const out = d.exclusions.filter((e) => e.option === o.id);
  if (out.length > 0)
    return `excluded: ${out.map((e) => exclusionText(view, e.option, e.reason)).join('; ')}`;
  if (d.winner === undefined) return 'no option was chosen';
  const weakest = [...d.rows].sort(
    (a, b) =>
      a.scores[o.id]!.contribution -
      a.scores[d.winner!.id]!.contribution -
      (b.scores[o.id]!.contribution - b.scores[d.winner!.id]!.contribution),
  )[0]!;
  return (
    `scores ${formatScore(d.totals[o.id])} against ${formatScore(d.totals[d.winner.id])}; ` +
    `it loses most on ${weakest.factor.label} ` +
    (`(${weakest.scores[o.id]!.score} against ${weakest.scores[d.winner.id]!.score}: ` +
      `${weakest.scores[o.id]!.reason})`)
  );
}

/**
 * The recommended setup as it is adopted: tiers, models, shares, chains, channels, and the price of
 * each with its source and date.
 */
function setupRecord(view: DecisionView): string[] {
  const winner = detailOf(view, view.decision.winner?.id);
  if (winner === undefined) return [];
  const tiers = winner.scenario.setup.tiers.map((t) => {
    const route = winner.routes.find((r) => r.tier === t.name && r.via === undefined);
    const chain =
      t.fallback.length === 0 ? 'no fallback' : `falls back to ${t.fallback.join(', then ')}`;
    return [
      t.name,
      t.model,
      formatShare(t.share),
      chain,
      route?.channel?.label ?? 'no known channel',
    ];
  });
  const prices = [...new Map(winner.used.map((u) => [u.model.id, u])).values()].map(
    (u) =>
      `* ${u.model.id}: ${u.model.file}, effective ${u.price.effective_from} (${u.price.source})`,
  );
  const accepted = view.decision.conflicts.filter(
    (c) => c.option === winner.option.id && c.accepted !== undefined,
  );
  const unverified = view.decision.unverified.filter((u) => u.option === winner.option.id);
  return [
    `### The recommended setup (scenario \`${winner.scenario.name}\`)`,
    '',
    ...markdownTable(['tier', 'model', 'share', 'fallback', 'channel'], tiers),
    '',
    winner.cost.priced
      ? `Monthly cost at ${formatTokens(view.decision.inputs.volume)} tokens: ` +
        `${formatUsd(winner.cost.cost)} ` +
        (`(against ${formatUsd(winner.cost.baseline_cost)} for ` +
          `${winner.scenario.baseline.label ?? winner.scenario.baseline.model}), `) +
        `as of ${view.as_of}. Prices used:`
      : `Monthly cost: not priced (${winner.cost.missing.map(unpricedText).join(', ')}): ` +
        `add the price before adopting it. Prices found:`,
    '',
    ...(prices.length > 0 ? prices : ['* none']),
    '',
    'Accepted conflicts: ' +
      (accepted.length === 0 ? 'none.' : accepted.map(acceptedText).join('; ')),
    ...(unverified.length > 0
      ? [
          '',
          `Unverified (let through by --allow-unverified): ` +
            `${unverified.map(unverifiedText).join('; ')}. Confirm before adopting it.`,
        ]
      : []),
    '',
  ];
}

function acceptedText(c: Conflict): string {
  const why = c.accepted!.why;
  return `${routeText(c.fact.route)} does not provide ${c.capability}; accepted because ${why}`;
}

function adrOutcome(view: DecisionView): string[] {
  const { decision: d } = view;
  const winner = d.winner;
  const winnerDetail = detailOf(view, winner?.id);
  return [
    '## Decision Outcome',
    '',
    winner === undefined
      ? `No option is chosen: none is known to meet the hard requirements ` +
        `(${d.exclusions
          .map((e) => `${shortLabel(view, e.option)}: ${exclusionText(view, e.option, e.reason)}`)
          .join('; ')}).`
      : `Chosen option: "${winner.label}", because ${why(d)} (posture ${d.posture}). ` +
        (d.fragile
          ? `The decision is fragile: ${d.fragile_reasons.map(fragileText).join('; ')}.`
          : 'The decision is not fragile.'),
    '',
    ...setupRecord(view),
    '### Consequences',
    '',
    ...(winner === undefined
      ? [
          '* Bad, because nothing can be adopted until a requirement, a price or the ' +
            'budget changes.',
        ]
      : prosCons(view, winner)),
    ...(winnerDetail === undefined
      ? []
      : availabilityLines(winnerDetail.availability).map((l) => `* Neutral: ${l}`)),
    ...view.break_even.map((b) => `* Neutral: break-even: ${optionBreakEvenText(view, b)}`),
    '',
    '### Confirmation',
    '',
    ...view.alerts
      .map(alertWords)
      .map((a) => `* ${a.name}: \`${a.condition}\` over ${a.window} (${a.why})`),
    `* Before rollout: \`ai-route probe --scenario ` +
      `${winnerDetail?.scenario.name ?? 'SCENARIO'} --requests 1000 --assert ` +
      `'ttft.p99<2s' --assert 'error_rate<0.1%'\``,
    '',
  ];
}

/** The command line that makes the same decision without a question (flags for every input). */
export function replayCommand(view: DecisionView): string {
  const { decision: d, matrix } = view;
  const flag = (id: string) => `--${id.replace(/_/g, '-')}`;
  const parts = [
    'ai-route decide',
    ...matrix.factors.map((f) => `${flag(f.id)} ${d.inputs.answers[f.id]}`),
  ];
  parts.push(
    ...matrix.factors.map((f) => `--importance ${f.id}=${d.inputs.importance[f.id] ?? 0}`),
  );
  parts.push(
    `--volume ${VOLUME_SPEC.format(d.inputs.volume)}`,
    `--monthly-budget ` +
      `${d.inputs.monthly_budget === undefined ? 'none' : d.inputs.monthly_budget.toFixed()}`,
  );
  if (d.inputs.seed !== 1) parts.push(`--seed ${d.inputs.seed}`);
  if (d.allow_unverified) parts.push('--allow-unverified');
  return parts.join(' ');
}

/**
 * A MADR 4 decision record (adr/madr template), ready for docs/decisions/: what was decided, on
 * which prices, and why each alternative lost.
 */
export function renderDecisionAdr(view: DecisionView): string {
  const { decision: d, matrix } = view;
  const winner = d.winner;
  const title =
    winner === undefined
      ? 'No LLM API option is known to meet our hard requirements'
      : `Use the ${shortLabel(view, winner.id)} setup for LLM API access`;
  const drivers = [...d.rows]
    .sort((a, b) => b.weight - a.weight)
    .map((r) => `* ${r.factor.label} (weight ${formatWeight(r.weight)}): ${r.answer_label}`);
  const checks = d.checks.flatMap((c) => {
    const w = checkWords(view, c);
    return [`* ${w.requirement}:`, ...w.lines.map((l) => `  * ${l.text}`)];
  });
  const lines = [
    '---',
    'status: proposed',
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
    `We need LLM API access for about ${formatTokens(d.inputs.volume)} tokens a month` +
      (d.inputs.monthly_budget === undefined
        ? '. '
        : ` within ${formatUsd(d.inputs.monthly_budget)} a month. `) +
      ('Which setup fits us: one provider direct, an aggregator shared or dedicated, ' +
        'or several providers behind a gateway we run? ') +
      (`Answers were scored with the ai-route decision matrix v${matrix.version} ` +
        `(${matrix.source}).`),
    '',
    '## Decision Drivers',
    '',
    ...drivers,
    ...(checks.length > 0
      ? ['', 'Hard requirements (checked on every tier and fallback of each setup):', '', ...checks]
      : []),
    '',
    '## Considered Options',
    '',
    ...matrix.options.map(
      (o) =>
        `* ${o.label}: ` +
        `${o.summary}${o.id === winner?.id ? ' (chosen)' : `; lost: ${whyItLost(view, o)}`}`,
    ),
    '',
    ...adrOutcome(view),
    '## Pros and Cons of the Options',
    '',
    ...matrix.options.flatMap((o) => [`### ${o.label}`, '', ...prosCons(view, o), '']),
    '## More Information',
    '',
    `Replay this decision with \`ai-route decide --answers decision.json\` (from ` +
      `\`--format json\`), or without a question: \`${replayCommand(view)}\`. ` +
      `Prices as of ${view.as_of}.`,
    '',
  ];
  return htmlSafeMarkdown(lines.join('\n'));
}
