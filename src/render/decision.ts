import type { Crossing } from '../core/break-even.js';
import type { Candidate, CostReport, PricedTier } from '../core/cost.js';
import { errorBudgetMinutes } from '../core/decide.js';
import type {
  Alert,
  BudgetResult,
  Check,
  Decision,
  ExclusionReason,
  FragileReason,
  OptionCost,
} from '../core/decide.js';
import type { CapabilityResult, Route, RouteFact, SetupAvailability } from '../core/setup-check.js';
import type { Matrix, MatrixOption } from '../domain/matrix.js';
import type { Scenario } from '../domain/scenario.js';
import { type Big, ONE } from '../units/decimal.js';
import { type Block, type ReportDocument, type Text, cells } from './document.js';
import {
  formatDecimal,
  formatFixed,
  formatPctDecimal,
  formatScore,
  formatShare,
  formatTokens,
  formatUsd,
  formatWeight,
} from './format.js';
import { implausibleTakenNote, unpricedText } from './problems.js';
import { type CapacityView, limitFigures } from './capacity.js';

/**
 * One option with everything the command worked out for it: its setup, routes, availability and
 * cost.
 */
export interface OptionDetail {
  option: MatrixOption;
  scenario: Scenario;
  cost: OptionCost;
  report: CostReport | undefined;
  /**
   * Every price the option's cost read (sources and dates for the record; --allow-implausible
   * notes).
   */
  used: PricedTier[];
  candidate: Candidate | undefined;
  routes: Route[];
  availability: SetupAvailability;
  /** With rate limits in the pricing files: the setup's peak at the decision volume. */
  capacity?: CapacityView;
}

/** A tier whose peak at the decision volume needs more keys than --max-keys allows. */
export interface CapacityFlag {
  option: string;
  tier: string;
  model: string;
  keys_needed: number;
  limit: string;
}

/** Every option's tier that needs more keys than `max` at the decision volume, in words. */
export function capacityFlags(view: DecisionView): CapacityFlag[] {
  return view.details.flatMap((d) =>
    (d.capacity?.plan.rows ?? [])
      .filter((r) => r.keys_needed !== null && r.keys_needed > view.max_keys)
      .map((r) => {
        // a row with keys has a limit: planCapacity counts keys only against one
        const limit = d.capacity!.limits.find((x) => x.tier === r.tier)!.limit!;
        return {
          option: d.option.id,
          tier: r.tier,
          model: r.model,
          keys_needed: r.keys_needed!,
          limit: limitFigures(limit, false),
        };
      }),
  );
}

/** A flag as one line: which option, tier and limit, at which volume. */
export function capacityFlagText(view: DecisionView, f: CapacityFlag): string {
  return (
    `Capacity: ${shortLabel(view, f.option)}'s ${f.tier} tier (${f.model}) needs ` +
    `${f.keys_needed} keys at ${formatTokens(view.decision.inputs.volume)} tokens/month, over ` +
    `--max-keys ${view.max_keys}: ${f.limit}`
  );
}

/** Everything a decision renderer reads, built once by the command. */
export interface DecisionView {
  decision: Decision;
  matrix: Matrix;
  preset: string | undefined;
  as_of: string;
  date: string;
  details: OptionDetail[];
  /** Where an option billed by the month (a) and one billed by use (b) cost the same. */
  break_even: Array<{ a: string; b: string; crossings: Crossing[] }>;
  alerts: Alert[];
  /** --max-keys: an option whose tier needs more keys than this at the volume is flagged. */
  max_keys: number;
}

export function detailOf(view: DecisionView, id: string | undefined): OptionDetail | undefined {
  return view.details.find((d) => d.option.id === id);
}

/** An option's name in a column or a list: its label up to the parenthesis. */
export function shortLabel(view: DecisionView, id: string): string {
  return (view.matrix.options.find((o) => o.id === id)?.label ?? id).split(' (')[0]!;
}

function answerLabel(
  view: DecisionView,
  factorId: string,
  answerId: string,
): { factor: string; answer: string } {
  const factor = view.matrix.factors.find((f) => f.id === factorId);
  return {
    factor: factor?.label ?? factorId,
    answer: factor?.answers.find((a) => a.id === answerId)?.label ?? answerId,
  };
}

/**
 * "tier default (deepseek-ai/DeepSeek-V4-Flash, Global API standard channel)", or its fallback to a
 * tier.
 */
function channelText(r: Route): string {
  return (
    r.channel?.label ?? `no channel of the matrix at ${r.base_url ?? 'an unspecified base URL'}`
  );
}

export function routeText(r: Route): string {
  const where = `${r.model}, ${channelText(r)}`;
  return r.via === undefined
    ? `tier ${r.tier} (${where})`
    : `tier ${r.tier}'s fallback to ${r.via} (${where})`;
}

/**
 * Routes to the same model on the same channel with the same fact, said once: "gpt-4o on OpenAI
 * API, direct (tier default's fallback to direct, tier direct): source".
 */
function factsText(facts: readonly RouteFact[]): string {
  const groups = new Map<string, { first: RouteFact; ways: string[] }>();
  for (const f of facts) {
    const key = `${f.route.model}\0${f.route.channel?.id ?? f.route.base_url}\0${f.source}`;
    const way =
      f.route.via === undefined
        ? `tier ${f.route.tier}`
        : `tier ${f.route.tier}'s fallback to ${f.route.via}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { first: f, ways: [way] });
    else group.ways.push(way);
  }
  return [...groups.values()]
    .map(
      ({ first, ways }) =>
        `${first.route.model} on ${channelText(first.route)} (${ways.join(', ')}): ${first.source}`,
    )
    .join('; ');
}

/** One option against one capability requirement, in words. */
function capabilityWords(view: DecisionView, r: CapabilityResult, allowed: boolean): string {
  const name = shortLabel(view, r.option);
  const unknown =
    r.unknown.length === 0
      ? ''
      : `; cannot verify ` +
        `${factsText(r.unknown)}${allowed ? ' (let through by --allow-unverified)' : ''}`;
  switch (r.status) {
    case 'met':
      return `${name}: met on every tier and fallback`;
    case 'lacks':
      return `${name}: does not provide it (${factsText(r.breaking)})`;
    case 'conflict':
      return `${name}: CONFLICT: ${r.breaking
        .map(
          (b) =>
            `${routeText(b.route)} does not provide it (${b.source})` +
            (b.accepted === undefined ? '' : `, accepted: ${b.accepted.why}`),
        )
        .join('; ')}${unknown}`;
    case 'unverifiable':
      return (
        `${name}: cannot verify: ${factsText(r.unknown)}` +
        (allowed ? ' (let through by --allow-unverified)' : '; --allow-unverified lets it through')
      );
  }
}

/** One option against the monthly ceiling, in words. */
function budgetWords(view: DecisionView, r: BudgetResult): string {
  const name = shortLabel(view, r.option);
  if (r.status === 'met') return `${name}: ${formatUsd(r.projected)} a month, within it`;
  if (r.status === 'over')
    return `${name}: ${formatUsd(r.projected)} a month, ${formatUsd(r.over)} over`;
  const missing = r.missing.length > 0 ? r.missing.map(unpricedText).join(', ') : 'its models';
  return (
    `${name}: cannot verify: no price for ${missing}; add one with --pricing` +
    (r.unverified
      ? ' (let through by --allow-unverified)'
      : ' (out; --allow-unverified lets it through)')
  );
}

/** A label mid-sentence: "Invoice billing" reads "invoice billing"; "SLA" and "DPA" stay. */
const inSentence = (label: string): string =>
  /^[A-Z][a-z]/.test(label) ? label[0]!.toLowerCase() + label.slice(1) : label;

/** A hard requirement and each option's result, as a heading and lines. */
export function checkWords(view: DecisionView, c: Check): { requirement: string; lines: Text[] } {
  if (c.kind === 'budget') {
    return {
      requirement: `Monthly ceiling ${formatUsd(c.limit)}`,
      lines: c.results.map((r) => ({
        text: budgetWords(view, r),
        tone: r.passes ? 'plain' : 'warn',
      })),
    };
  }
  const { factor, answer } = answerLabel(view, c.factor, c.answer);
  return {
    requirement:
      `${factor}: ${answer} (every route must provide ` +
      `${inSentence(view.matrix.capabilities[c.capability] ?? c.capability)})`,
    lines: c.results.map((r) => ({
      text: capabilityWords(view, r, view.decision.allow_unverified),
      tone: r.passes ? 'plain' : 'warn',
    })),
  };
}

/** Why an option is out, as a sentence. */
export function exclusionText(view: DecisionView, option: string, r: ExclusionReason): string {
  if (r.kind === 'over_budget')
    return (
      `Monthly ceiling: projected ${formatUsd(r.projected)} a month exceeds ` +
      `${formatUsd(r.limit)} ` +
      `by ${formatUsd(r.over)}`
    );
  if (r.kind === 'unpriced')
    return (
      `Monthly ceiling ${formatUsd(r.limit)}: cannot verify: no price for ` +
      `${r.missing.map(unpricedText).join(', ') || 'its models'}; add one with --pricing ` +
      `(or --allow-unverified)`
    );
  const { factor, answer } = answerLabel(view, r.factor, r.answer);
  const required = `${factor}: "${answer}" is required`;
  if (r.kind === 'lacks') return `${required} and ${shortLabel(view, option)} does not provide it`;
  if (r.kind === 'conflict')
    return (
      `${required} and its setup breaks it: ` +
      `${r.breaking.map((b) => `${routeText(b.route)} does not (${b.source})`).join('; ')}`
    );
  return (
    `${required} and the data cannot confirm it: ${factsText(r.unknown)} (--allow-unverified ` +
    `lets it through)`
  );
}

/** Why a decision is fragile, as a clause. */
export function fragileText(r: FragileReason): string {
  if (r.kind === 'thin_margin')
    return (
      `the margin is ${formatFixed(r.margin_pct, 1)}% of the winning score (under ` +
      `${r.limit_pct}%)`
    );
  return (
    `it wins ${formatWeight(r.win_rate)} of ${r.draws} random weightings (under ` +
    `${r.limit * 100}%)`
  );
}

/** An alert as name, condition, window and why. */
export function alertWords(a: Alert): {
  name: string;
  condition: string;
  window: string;
  why: string;
} {
  switch (a.kind) {
    case 'fast_burn':
      return {
        name: 'page: fast burn',
        condition: `error_rate > ${formatPctDecimal(a.error_rate_pct)}`,
        window: '1 h (and 5 min)',
        why: `spends 2% of a 30-day error budget of ${formatPctDecimal(a.budget_pct)} in an hour`,
      };
    case 'slow_burn':
      return {
        name: 'page: slow burn',
        condition: `error_rate > ${formatPctDecimal(a.error_rate_pct)}`,
        window: '6 h (and 30 min)',
        why: 'spends 5% of the budget in six hours',
      };
    case 'sla':
      return {
        name: 'ticket',
        condition: `error_rate > ${formatPctDecimal(a.error_rate_pct)}`,
        window: '3 days',
        why: 'the SLA itself is being missed',
      };
    case 'latency_gate':
      return a.metric === 'ttft'
        ? {
            name: 'latency gate',
            condition: a.assert,
            window: 'each probe run (at least 1,000 requests)',
            why: 'a starting point: replace 2 s with 1.5x the p99 you measure',
          }
        : {
            name: 'latency gate',
            condition: a.assert,
            window: 'each probe run',
            why: 'a starting point for a 64-token answer; set it from measurement',
          };
  }
}

/** Why the winner won, as a clause: "it scores 9.65 against 6.25 for ...". */
export function why(d: Decision): string {
  if (d.winner === undefined) return 'no option is known to meet the hard requirements';
  return d.runner_up === undefined
    ? 'it is the only option left after the hard requirements'
    : `it scores ${formatScore(d.totals[d.winner.id])} against ` +
        `${formatScore(d.totals[d.runner_up.id])} ` +
        `for ${d.runner_up.label}`;
}

/** The verdict in one sentence. */
export function headline(view: DecisionView): string {
  const { decision: d } = view;
  if (d.winner === undefined) return 'No option is known to meet the hard requirements.';
  const unverified = d.unverified.filter((u) => u.option === d.winner!.id);
  const cost = detailOf(view, d.winner.id)?.cost;
  const unpriced =
    cost !== undefined && !cost.priced
      ? ' Its monthly cost is not known: add its price with --pricing.'
      : '';
  return (
    `Recommendation: ${d.winner.label}: ${why(d)}` +
    (unverified.length > 0 ? ` (UNVERIFIED: ${unverified.map(unverifiedText).join('; ')})` : '') +
    `.${unpriced}`
  );
}

/** What --allow-unverified let through, as a clause. */
export function unverifiedText(u: Decision['unverified'][number]): string {
  return u.kind === 'budget'
    ? `its cost against the ${formatUsd(u.limit)} ceiling (no price for ` +
        `${u.missing.map(unpricedText).join(', ')})`
    : `${u.capability} on ${u.unknown.map((f) => routeText(f.route)).join(', ')}`;
}

/**
 * Answers, weights and every option's score per factor; with a winner, why it scores as it does.
 */
function factorTable(view: DecisionView) {
  const { decision: d, matrix } = view;
  const winner = d.winner;
  const whyColumn = winner === undefined ? [] : [`Why (${shortLabel(view, winner.id)})`];
  return {
    head: [
      'Factor',
      'Answer',
      'Weight',
      ...matrix.options.map((o) => shortLabel(view, o.id)),
      ...whyColumn,
    ],
    align: [
      'left',
      'left',
      'right',
      ...matrix.options.map(() => 'right' as const),
      ...whyColumn.map(() => 'left' as const),
    ] as Array<'left' | 'right'>,
    rows: [
      ...d.rows.map((r) => [
        r.factor.label,
        r.answer_label,
        formatWeight(r.weight),
        ...matrix.options.map((o) => String(r.scores[o.id]!.score)),
        ...(winner === undefined ? [] : [r.scores[winner.id]!.reason]),
      ]),
      [
        'Weighted score (0-10)',
        '',
        '100%',
        ...matrix.options.map((o) =>
          d.totals[o.id] === undefined ? 'excluded' : formatScore(d.totals[o.id]),
        ),
        ...whyColumn.map(() => ''),
      ],
    ].map(cells),
  };
}

/** Capabilities the options can be checked for, as the matrix names them. */
function capabilities(view: DecisionView): Array<{ id: string; label: string }> {
  return Object.entries(view.matrix.capabilities).map(([id, label]) => ({ id, label }));
}

/** What a setup provides of a capability across all its routes: yes, no, partly, or unknown. */
export function providesOf(
  routes: readonly Route[],
  capability: string,
): 'yes' | 'no' | 'partly' | 'unknown' {
  const values = routes.map((r) => r.channel?.provides[capability]?.value);
  const some = (v: boolean | undefined) => values.some((x) => x === v);
  if (some(false)) return some(true) ? 'partly' : 'no';
  return some(undefined) ? 'unknown' : 'yes';
}

/** "99.9% (in writing)", "at least 99.9% (computed)", "unknown". */
export function availabilityCell(a: SetupAvailability): string {
  const pct = (v: Big) => `${formatDecimal(v, 6)}%`;
  if (a.value !== undefined) return `${pct(a.value)} (${a.basis.replace('_', ' ')})`;
  return a.at_least === undefined ? 'unknown' : `at least ${pct(a.at_least)}`;
}

function optionsTable(view: DecisionView) {
  const caps = capabilities(view);
  return {
    head: [
      'Option',
      ...caps.map((c) => c.label),
      'Availability',
      `Cost at ${formatTokens(view.decision.inputs.volume)}/month`,
    ],
    align: ['left', ...caps.map(() => 'left' as const), 'left', 'right'] as Array<'left' | 'right'>,
    rows: view.details.map((d) =>
      cells([
        shortLabel(view, d.option.id),
        ...caps.map((c) => providesOf(d.routes, c.id)),
        availabilityCell(d.availability),
        d.cost.priced ? formatUsd(d.cost.cost) : 'not priced',
      ]),
    ),
  };
}

function robustness(d: Decision): Text[] {
  const s = d.sensitivity;
  const lines: Text[] = [];
  if (d.margin !== undefined && d.runner_up !== undefined) {
    lines.push({
      text:
        `Margin: ${formatScore(d.margin)} points, ` +
        `${d.margin_pct === undefined ? '' : formatFixed(d.margin_pct, 1)}% of the ` +
        `winning score, over ${d.runner_up.label}.`,
    });
    const flip = s.smallest;
    const row = flip && d.rows.find((r) => r.factor.id === flip.factor);
    lines.push({
      text:
        flip && row
          ? `Smallest change that flips it: ${row.factor.label} importance from ` +
            `${row.importance} to ${formatFixed(flip.to, 2)} ` +
            `(${flip.change > 0 ? '+' : ''}${formatFixed(flip.change, 2)} on the 0-5 ` +
            `scale${flip.to > 5 ? ', beyond the scale' : ''}).`
          : 'No change of a single weight flips it.',
    });
    lines.push({
      text:
        `Random weights: it wins ${formatWeight(s.win_rate ?? 0)} of ${s.draws} ` +
        `Dirichlet draws around the stated weights (seed ${d.inputs.seed}).`,
    });
  } else if (d.winner !== undefined) {
    lines.push({
      text: 'Decided by the hard requirements: no other option remains to weigh it against.',
    });
  }
  lines.push(
    d.fragile
      ? { text: `FRAGILE: ${d.fragile_reasons.map(fragileText).join('; ')}.`, tone: 'warn' }
      : { text: 'Not fragile.' },
  );
  lines.push({
    text:
      `Posture ${d.posture}: the weighted answers lean ${formatFixed(d.posture_lean, 2)} ` +
      `on a scale from -1 (all startup) to +1 (all enterprise).`,
  });
  return lines;
}

const BASIS_WORDS = {
  in_writing: 'in writing',
  published: 'published, not contractual',
  computed: 'computed from its chains',
  unknown: 'not known',
} as const;

/**
 * An option's availability: the figure, where it comes from, and what its chains can and cannot
 * ride out.
 */
export function availabilityLines(a: SetupAvailability): string[] {
  const lines: string[] = [];
  const known = a.value ?? a.at_least;
  if (a.value !== undefined) {
    const budget = errorBudgetMinutes(a.value);
    lines.push(
      `Availability ${formatDecimal(a.value, 6)}% (${BASIS_WORDS[a.basis]}): ` +
        `${formatDecimal(budget.month_730h, 1)} ` +
        `minutes of downtime a 730-hour month, ${formatDecimal(budget.month_30d, 1)} ` +
        `a 30-day month.`,
    );
  } else if (a.at_least !== undefined) {
    const before =
      a.unknown_components.length > 0
        ? `, before ${a.unknown_components.join(' and ')} (its uptime is not given)`
        : '';
    lines.push(
      `Availability at least ${formatDecimal(a.at_least, 6)}% from the figures ` +
        `that are known${before}; the rest is not given.`,
    );
  } else lines.push('Availability unknown: no figure it rests on is given.');
  lines.push(`Figures: ${a.figures.map(figureText).join('; ')}.`);
  if (a.one_provider && known !== undefined) {
    const down = ONE.minus(known.times('0.01'));
    lines.push(
      `Every route is on one provider (${a.providers[0]}): falling back between ` +
        `its models helps against one model's overload or 429s, not against an outage ` +
        `of the provider.`,
      `Going beyond it takes a second, independent provider in the chain: two ` +
        `independent ${known.toFixed()}% providers give ` +
        `${formatDecimal(ONE.minus(down.times(down)).times('100'), 6)}% ` +
        `(${formatDecimal(down.times(down).times('2628000'), 1)} s a month), if their ` +
        `failures are independent.`,
    );
  } else if (!a.one_provider) {
    lines.push(
      `The chains span ${a.providers.length} providers (${a.providers.join(', ')}): a ` +
        `chain rides out one provider's outage, as far as their failures are independent.`,
    );
  }
  return lines;
}

function tierLines(d: OptionDetail): string[] {
  return d.scenario.setup.tiers.map((t) => {
    const route = d.routes.find((r) => r.tier === t.name && r.via === undefined);
    const used = d.used.find((u) => u.tier.name === t.name);
    const price =
      used === undefined
        ? 'not priced'
        : `priced from ${used.model.file}, effective ${used.price.effective_from}: ` +
          `${used.price.source}`;
    const chain =
      t.fallback.length === 0 ? 'no fallback' : `falls back to ${t.fallback.join(' then ')}`;
    return (
      `${t.name}: ${formatShare(t.share)} to ${t.model} on ` +
      `${route?.channel?.label ?? 'no known channel'}, ${chain}; ${price}`
    );
  });
}

function costLine(view: DecisionView, d: OptionDetail): string {
  const volume = formatTokens(view.decision.inputs.volume);
  if (!d.cost.priced)
    return (
      `${d.option.label}: not priced at ${volume} tokens a month: ` +
      `${d.cost.missing.map(unpricedText).join(', ')}; add prices with --pricing ` +
      `(unknown is not zero)`
    );
  return (
    `${d.option.label}: ${formatUsd(d.cost.cost)} a month at ${volume} tokens, ` +
    (`against ${formatUsd(d.cost.baseline_cost)} for ` +
      `${d.scenario.baseline.label ?? d.scenario.baseline.model}`)
  );
}

/** Where an option billed by the month and one billed by use cost the same, in words. */
export function optionBreakEvenText(
  view: DecisionView,
  b: DecisionView['break_even'][number],
): string {
  const name = (c: Crossing) =>
    c.cheaper === 'same'
      ? 'both cost the same'
      : `${shortLabel(view, c.cheaper === 'a' ? b.a : b.b)} costs less`;
  if (b.crossings.length === 1)
    return (
      `${shortLabel(view, b.a)} against ${shortLabel(view, b.b)}: ${name(b.crossings[0]!)} ` +
      `at every volume.`
    );
  return (
    `${shortLabel(view, b.a)} against ${shortLabel(view, b.b)}: ` +
    `${b.crossings
      .map((c) => `${name(c)} from ${formatTokens(c.from_tokens)} tokens a month`)
      .join('; ')}.`
  );
}

function figureText(f: SetupAvailability['figures'][number]): string {
  const value =
    f.uptime.value === undefined
      ? 'not given'
      : `${f.uptime.value.toFixed()}% (${BASIS_WORDS[f.uptime.basis]})`;
  return `${f.what} ${value}: ${f.uptime.source}`;
}

/** The note every cost of the decision carries when --allow-implausible took a quarantined rate. */
export function implausibleLines(view: DecisionView): string[] {
  const taken = new Map(
    view.details
      .flatMap((x) => x.used)
      .map((u) => [u.model.id, { id: u.model.id, taken: u.price.implausible_taken }]),
  );
  return implausibleTakenNote([...taken.values()]);
}

function costLines(view: DecisionView): string[] {
  return [
    ...view.details.map((d) => costLine(view, d)),
    ...view.break_even.map((b) => `Break-even: ${optionBreakEvenText(view, b)}`),
    ...implausibleLines(view),
  ];
}

/** Every route that breaks a required capability, and whether it was accepted. */
function conflictLines(view: DecisionView): Text[] {
  return view.decision.conflicts
    .filter((c) =>
      view.decision.checks.some(
        (k) =>
          k.kind === 'capability' &&
          k.results.some((r) => r.option === c.option && r.status === 'conflict'),
      ),
    )
    .map((c) => ({
      text:
        `${shortLabel(view, c.option)}: ${routeText(c.fact.route)} does not provide ` +
        `${c.capability} (${c.fact.source}): ` +
        (c.accepted === undefined
          ? 'not accepted, so the option is out'
          : `accepted: ${c.accepted.why}`),
      tone: c.accepted === undefined ? 'warn' : 'plain',
    }));
}

/**
 * Hard requirements, conflicts, robustness, cost, the winner's tiers and availability, and alerts
 * as titled sections: shared by table, markdown and ADR.
 */
export function explanation(view: DecisionView): Array<{ title: string; lines: Text[] }> {
  const { decision: d } = view;
  const sections: Array<{ title: string; lines: Text[] }> = [];
  if (d.checks.length === 0)
    sections.push({ title: 'Hard requirements', lines: [{ text: 'none stated' }] });
  for (const c of d.checks) {
    const w = checkWords(view, c);
    sections.push({ title: `Hard requirement: ${w.requirement}`, lines: w.lines });
  }
  const conflicts = conflictLines(view);
  if (conflicts.length > 0)
    sections.push({
      title: 'Conflicts (a tier or fallback that breaks a requirement)',
      lines: conflicts,
    });
  sections.push({ title: 'How firm it is', lines: robustness(d) });
  const flags = capacityFlags(view);
  if (view.details.some((x) => x.capacity !== undefined))
    sections.push({
      title: 'Capacity (rate limits of the pricing files)',
      lines:
        flags.length === 0
          ? [{ text: `every option's peak fits within ${view.max_keys} key(s) a tier` }]
          : flags.map((f) => ({ text: capacityFlagText(view, f), tone: 'warn' as const })),
    });
  sections.push({
    title: `Monthly cost (cost engine, prices as of ${view.as_of})`,
    lines: costLines(view).map((text) => ({ text })),
  });
  const winner = detailOf(view, d.winner?.id);
  if (winner !== undefined) {
    sections.push({
      title: `Tiers of ${winner.option.label} (scenario ${winner.scenario.name})`,
      lines: tierLines(winner).map((text) => ({ text })),
    });
    sections.push({
      title: 'Availability',
      lines: availabilityLines(winner.availability).map((text) => ({ text })),
    });
  }
  const alerts = view.alerts
    .map(alertWords)
    .map((x) => ({ text: `${x.name}: ${x.condition} over ${x.window} (${x.why})` }));
  if (winner !== undefined && !view.alerts.some((a) => a.kind === 'sla'))
    alerts.unshift({
      text:
        'No uptime figure to derive error-budget alerts from: state an SLO, then ' +
        'alert on its burn rate.',
    });
  sections.push({ title: 'Suggested alerts', lines: alerts });
  return sections;
}

/**
 * The decision as a document: headline, factor table, the options side by side, then the
 * explanation.
 */
export function decisionDocument(view: DecisionView): ReportDocument {
  const blocks: Block[] = [
    { parts: [{ kind: 'table', table: factorTable(view) }] },
    { parts: [{ kind: 'table', table: optionsTable(view) }] },
  ];
  for (const s of explanation(view))
    blocks.push({
      parts: [
        { kind: 'title', text: s.title },
        { kind: 'list', items: s.lines, indent: true },
      ],
    });
  return { title: 'ai-route decide', headline: { text: headline(view), tone: 'strong' }, blocks };
}
