import type { Decision, ExclusionReason, FactorRow } from '../core/decide.js';
import type { ReportDocument, Text } from './document.js';
import {
  capacityFlagText,
  capacityFlags,
  detailOf,
  type DecisionView,
  fragileText,
  implausibleLines,
  optionBreakEvenText,
  providesOf,
  shortLabel,
  unverifiedText,
} from './decision.js';
import { formatScore, formatTokens, formatUsd } from './format.js';
import { unpricedText } from './problems.js';

/** How many reasons and trade-offs the summary gives: the strongest, not all of them. */
const REASONS = 3;
const TRADE_OFFS = 2;

/**
 * What the recommendation wins by, factor by factor: its weighted lead over the runner-up (or,
 * with none left, its own weighted score), strongest first.
 */
export function strongestReasons(d: Decision): FactorRow[] {
  const winner = d.winner?.id;
  if (winner === undefined) return [];
  const runnerUp = d.runner_up?.id;
  const lead = (r: FactorRow) =>
    r.weight * (r.scores[winner]!.score - (runnerUp === undefined ? 0 : r.scores[runnerUp]!.score));
  return d.rows
    .filter((r) => lead(r) > 0)
    .sort((a, b) => lead(b) - lead(a))
    .slice(0, REASONS);
}

/** Where another option scores higher than the recommendation, the largest weighted gap first. */
function tradeOffs(d: Decision): Array<{ row: FactorRow; other: string }> {
  const winner = d.winner?.id;
  if (winner === undefined) return [];
  const better = d.rows.flatMap((row) => {
    const best = Object.entries(row.scores)
      .filter(([id]) => id !== winner)
      .sort((a, b) => b[1].score - a[1].score)[0];
    return best !== undefined && best[1].score > row.scores[winner]!.score
      ? [{ row, other: best[0], gap: row.weight * (best[1].score - row.scores[winner]!.score) }]
      : [];
  });
  return better.sort((a, b) => b.gap - a.gap).slice(0, TRADE_OFFS);
}

/**
 * What the recommendation does not provide (SLA in writing, a DPA, invoices) where another option
 * does, with the first that does.
 */
function capabilityGaps(view: DecisionView, winner: string): string[] {
  const routesOf = (id: string) => detailOf(view, id)?.routes ?? [];
  return Object.entries(view.matrix.capabilities).flatMap(([id, label]) => {
    const has = providesOf(routesOf(winner), id);
    if (has === 'yes') return [];
    const other = view.details.find(
      (d) => d.option.id !== winner && providesOf(d.routes, id) === 'yes',
    );
    if (other === undefined) return [];
    const what =
      has === 'unknown'
        ? `${label} not confirmed by the data`
        : has === 'partly'
          ? `${label} on only some routes`
          : `No ${label}`;
    return [`${what}: ${shortLabel(view, other.option.id)} has it.`];
  });
}

/** Why an option is out, in a few words a reader can repeat. */
export function exclusionWords(view: DecisionView, r: ExclusionReason): string {
  if (r.kind === 'over_budget')
    return `${formatUsd(r.projected)} a month, over the ${formatUsd(r.limit)} ceiling`;
  if (r.kind === 'unpriced') return `no price to check the ${formatUsd(r.limit)} ceiling against`;
  const capability = view.matrix.capabilities[r.capability] ?? r.capability;
  if (r.kind === 'unverified_capability') return `${capability}: the data cannot confirm it`;
  return r.kind === 'lacks' ? `no ${capability}` : `a route of its setup has no ${capability}`;
}

function costText(view: DecisionView, id: string): string {
  const detail = detailOf(view, id);
  const volume = formatTokens(view.decision.inputs.volume);
  if (detail === undefined) return `Monthly cost at ${volume} tokens: not worked out.`;
  const { cost, scenario } = detail;
  if (!cost.priced)
    return (
      `Monthly cost at ${volume} tokens: unknown, no price for ` +
      `${cost.missing.map(unpricedText).join(', ')}; add one with --pricing.`
    );
  return (
    `Monthly cost: ${formatUsd(cost.cost)} at ${volume} tokens, against ` +
    `${formatUsd(cost.baseline_cost)} for ${scenario.baseline.label ?? scenario.baseline.model}.`
  );
}

function runnerUpText(view: DecisionView): string {
  const d = view.decision;
  if (d.runner_up === undefined) return 'Runner-up: none; every other option is excluded.';
  const firmness = d.fragile
    ? `fragile: ${d.fragile_reasons.map(fragileText).join('; ')}`
    : 'not fragile';
  return (
    `Runner-up: ${shortLabel(view, d.runner_up.id)}, ${formatScore(d.totals[d.runner_up.id])} ` +
    `against ${formatScore(d.totals[d.winner!.id])} (${firmness}).`
  );
}

/**
 * `decide`'s default terminal output, one screen: the recommendation, its cost, the strongest
 * reasons, what it gives up, the runner-up, what was excluded and the next step. `--detail` gives
 * the whole matrix (decisionDocument).
 */
export function decisionSummary(view: DecisionView): ReportDocument {
  const d = view.decision;
  const next: Text[] = [
    { text: 'Next: add --emit litellm, portkey or scenario (with --out FILE) for its config.' },
    { text: '--detail shows the whole matrix; --format adr writes a decision record.' },
  ];
  if (d.winner === undefined)
    return {
      title: 'ai-route decide',
      headline: { text: 'No option is known to meet the hard requirements.', tone: 'strong' },
      blocks: [
        list(excludedLines(view)),
        list([
          { text: '--detail shows every check and why each option fails it.' },
          { text: '--allow-unverified lets through what the data cannot confirm.' },
        ]),
      ],
    };
  const winner = d.winner.id;
  const reasons = strongestReasons(d).map((r) => ({
    text: `${r.factor.label} (${r.answer_label}): ${r.scores[winner]!.reason}.`,
  }));
  const gives = [
    ...capabilityGaps(view, winner).map((text) => ({ text })),
    ...tradeOffs(d).map(({ row, other }) => ({
      text:
        `${row.factor.label}: ${row.scores[winner]!.reason}, where ${shortLabel(view, other)} ` +
        `offers ${row.scores[other]!.reason}.`,
    })),
  ];
  const unverified = d.unverified.filter((u) => u.option === winner).map(unverifiedText);
  const breakEven = view.break_even
    .filter((b) => b.a === winner || b.b === winner)
    .map((b) => ({ text: `Break-even: ${optionBreakEvenText(view, b)}` }));
  return {
    title: 'ai-route decide',
    headline: {
      text:
        `Recommendation: ${d.winner.label}` +
        (unverified.length > 0 ? ` (UNVERIFIED: ${unverified.join('; ')})` : '') +
        '.',
      tone: 'strong',
    },
    blocks: [
      list([
        { text: costText(view, winner) },
        ...capacityFlags(view)
          .filter((f) => f.option === winner)
          .map((f) => ({ text: capacityFlagText(view, f), tone: 'warn' as const })),
        ...breakEven,
        ...implausibleLines(view).map((text) => ({ text })),
      ]),
      titled('Why', reasons.length > 0 ? reasons : [{ text: 'the only option left.' }]),
      titled(
        'What it gives up',
        gives.length > 0 ? gives : [{ text: 'nothing the matrix scores.' }],
      ),
      list([{ text: runnerUpText(view) }, ...excludedLines(view)]),
      list(next),
    ],
  };
}

function excludedLines(view: DecisionView): Text[] {
  const seen = new Set<string>();
  return view.decision.exclusions.flatMap((e) => {
    if (seen.has(e.option)) return [];
    seen.add(e.option);
    return [
      { text: `Excluded: ${shortLabel(view, e.option)}: ${exclusionWords(view, e.reason)}.` },
    ];
  });
}

const list = (items: Text[]) => ({ parts: [{ kind: 'list' as const, items, indent: false }] });
const titled = (title: string, items: Text[]) => ({
  parts: [
    { kind: 'title' as const, text: title },
    { kind: 'list' as const, items, indent: true },
  ],
});
