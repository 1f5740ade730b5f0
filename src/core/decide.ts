import type { DecisionInputs, Matrix, MatrixFactor, MatrixOption, Side } from '../domain/matrix.js';
import type { Scenario } from '../domain/scenario.js';
import { Dec, ONE, type Big } from '../units/decimal.js';
import { dirichlet, mulberry32 } from './random.js';

/** Why a model could not be priced: not in the catalog, no price yet on the day, or a rate the mix needs. */
export type Unpriced =
  | { model: string; reason: 'not_in_catalog' }
  | { model: string; reason: 'ambiguous' }
  | { model: string; reason: 'not_in_force'; as_of: string }
  | { model: string; reason: 'no_rate'; component: string };

/** What an option costs a month at the stated volume, from the cost engine; unpriced when a price is missing. */
export type OptionCost = { priced: true; cost: Big; baseline_cost: Big } | { priced: false; missing: Unpriced[] };

export interface FactorRow {
  factor: MatrixFactor;
  answer: string;
  answer_label: string;
  side: Side;
  importance: number;
  /** Normalised: the weights of all factors sum to 1. */
  weight: number;
  scores: Record<string, { score: number; reason: string; contribution: number }>;
}

/** Why an option is out: it lacks a capability an answer requires, or it costs more than the ceiling. */
export type ExclusionReason = { kind: 'lacks'; factor: string; answer: string; capability: string } | { kind: 'over_budget'; projected: Big; limit: Big; over: Big };

export interface Exclusion {
  option: string;
  reason: ExclusionReason;
}

/** A hard requirement checked against the options: an answer that requires a capability, or the budget ceiling for one option. */
export type Check =
  | { kind: 'capability'; factor: string; answer: string; capability: string; result: 'met' | 'excluded'; excludes: string[] }
  | { kind: 'budget'; option: string; limit: Big; result: 'met' | 'excluded'; projected: Big }
  | { kind: 'budget'; option: string; limit: Big; result: 'unverifiable'; missing: Unpriced[] };

export interface Flip {
  factor: string;
  /** Change of importance (on the 0-5 scale) that makes the runner-up win. */
  change: number;
  to: number;
}

export type FragileReason = { kind: 'thin_margin'; margin_pct: number; limit_pct: number } | { kind: 'low_win_rate'; win_rate: number; draws: number; limit: number };

export interface Decision {
  inputs: DecisionInputs;
  rows: FactorRow[];
  checks: Check[];
  exclusions: Exclusion[];
  /** Weighted totals (0-10); undefined for excluded options. */
  totals: Record<string, number | undefined>;
  ranking: string[];
  winner: MatrixOption | undefined;
  runner_up: MatrixOption | undefined;
  /** Winner's total minus runner-up's, in points of the 0-10 scale, and as a share of the winner's. */
  margin: number | undefined;
  margin_pct: number | undefined;
  sensitivity: { flips: Flip[]; smallest: Flip | undefined; win_rate: number | undefined; draws: number };
  fragile: boolean;
  fragile_reasons: FragileReason[];
  posture: 'startup' | 'enterprise';
  /** Weighted lean of the answers, -1 (all startup) to +1 (all enterprise). */
  posture_lean: number;
}

/** Below this relative margin, or this random-weights win rate, a decision is flagged fragile. */
export const FRAGILE_MARGIN_PCT = 5;
export const FRAGILE_WIN_RATE = 0.7;
export const DRAWS = 1000;
const SIDE_VALUE: Record<Side, number> = { startup: -1, between: 0, enterprise: 1 };

function totalsFor(weights: readonly number[], rows: readonly FactorRow[], options: readonly string[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const option of options)
    totals.set(
      option,
      rows.reduce((sum, r, j) => sum + weights[j]! * r.scores[option]!.score, 0),
    );
  return totals;
}

function best(totals: Map<string, number>, order: readonly string[]): string | undefined {
  let winner: string | undefined;
  for (const id of order) if (winner === undefined || totals.get(id)! > totals.get(winner)!) winner = id;
  return winner;
}

function factorRows(matrix: Matrix, inputs: DecisionInputs, importanceSum: number): FactorRow[] {
  return matrix.factors.map((factor) => {
    const answer = factor.answers.find((a) => a.id === inputs.answers[factor.id])!;
    const importance = inputs.importance[factor.id] ?? 0;
    const weight = importanceSum === 0 ? 1 / matrix.factors.length : importance / importanceSum;
    const scores: FactorRow['scores'] = {};
    for (const option of matrix.options) {
      const cell = factor.scores[answer.id]![option.id]!;
      scores[option.id] = { ...cell, contribution: weight * cell.score };
    }
    return { factor, answer: answer.id, answer_label: answer.label, side: answer.side, importance, weight, scores };
  });
}

/** Hard requirements first: each answer that requires a capability, then the budget ceiling per option. */
function hardRequirements(matrix: Matrix, rows: FactorRow[], inputs: DecisionInputs, costs: Record<string, OptionCost>): { checks: Check[]; exclusions: Exclusion[] } {
  const checks: Check[] = [];
  const exclusions: Exclusion[] = [];
  for (const row of rows) {
    const capability = row.factor.answers.find((a) => a.id === row.answer)!.requires;
    if (capability === undefined) continue;
    const lacking = matrix.options.filter((o) => !o.provides[capability]);
    for (const o of lacking) exclusions.push({ option: o.id, reason: { kind: 'lacks', factor: row.factor.id, answer: row.answer, capability } });
    checks.push({ kind: 'capability', factor: row.factor.id, answer: row.answer, capability, result: lacking.length > 0 ? 'excluded' : 'met', excludes: lacking.map((o) => o.id) });
  }
  const limit = inputs.monthly_budget;
  if (limit !== undefined) {
    for (const option of matrix.options) {
      const cost = costs[option.id] ?? { priced: false, missing: [] };
      if (!cost.priced) {
        checks.push({ kind: 'budget', option: option.id, limit, result: 'unverifiable', missing: cost.missing });
      } else if (cost.cost.gt(limit)) {
        exclusions.push({ option: option.id, reason: { kind: 'over_budget', projected: cost.cost, limit, over: cost.cost.minus(limit) } });
        checks.push({ kind: 'budget', option: option.id, limit, result: 'excluded', projected: cost.cost });
      } else {
        checks.push({ kind: 'budget', option: option.id, limit, result: 'met', projected: cost.cost });
      }
    }
  }
  return { checks, exclusions };
}

/**
 * The decision, pure and deterministic: hard requirements exclude first (each with its
 * reason); the remaining options are ranked by weighted score; then the margin, the smallest
 * single weight change that flips the result, and the win rate over seeded random weights.
 */
export function decide(matrix: Matrix, inputs: DecisionInputs, costs: Record<string, OptionCost>): Decision {
  const importanceSum = matrix.factors.reduce((s, f) => s + (inputs.importance[f.id] ?? 0), 0);
  const rows = factorRows(matrix, inputs, importanceSum);
  const { checks, exclusions } = hardRequirements(matrix, rows, inputs, costs);
  const excluded = new Set(exclusions.map((e) => e.option));
  const feasible = matrix.options.map((o) => o.id).filter((id) => !excluded.has(id));
  const all = totalsFor(
    rows.map((r) => r.weight),
    rows,
    matrix.options.map((o) => o.id),
  );
  const totals: Decision['totals'] = Object.fromEntries(matrix.options.map((o) => [o.id, excluded.has(o.id) ? undefined : all.get(o.id)]));
  const ranking = [...feasible].sort((a, b) => all.get(b)! - all.get(a)! || feasible.indexOf(a) - feasible.indexOf(b));
  const [winnerId, runnerId] = ranking;
  const option = (id: string | undefined) => matrix.options.find((o) => o.id === id);
  const margin = winnerId !== undefined && runnerId !== undefined ? all.get(winnerId)! - all.get(runnerId)! : undefined;
  const marginPct = margin !== undefined && all.get(winnerId!)! > 0 ? (100 * margin) / all.get(winnerId!)! : undefined;
  const sensitivity = sensitivityOf(rows, inputs, feasible, winnerId, runnerId);

  const fragileReasons: FragileReason[] = [];
  if (marginPct !== undefined && marginPct < FRAGILE_MARGIN_PCT) fragileReasons.push({ kind: 'thin_margin', margin_pct: marginPct, limit_pct: FRAGILE_MARGIN_PCT });
  if (sensitivity.win_rate !== undefined && sensitivity.win_rate < FRAGILE_WIN_RATE) {
    fragileReasons.push({ kind: 'low_win_rate', win_rate: sensitivity.win_rate, draws: DRAWS, limit: FRAGILE_WIN_RATE });
  }
  const lean = importanceSum === 0 ? 0 : rows.reduce((s, r) => s + r.importance * SIDE_VALUE[r.side], 0) / importanceSum;
  return {
    inputs,
    rows,
    checks,
    exclusions,
    totals,
    ranking,
    winner: option(winnerId),
    runner_up: option(runnerId),
    margin,
    margin_pct: marginPct,
    sensitivity,
    fragile: fragileReasons.length > 0,
    fragile_reasons: fragileReasons,
    posture: lean > 0 ? 'enterprise' : 'startup',
    posture_lean: lean,
  };
}

function sensitivityOf(rows: FactorRow[], inputs: DecisionInputs, feasible: string[], winner: string | undefined, runner: string | undefined): Decision['sensitivity'] {
  if (winner === undefined || runner === undefined) return { flips: [], smallest: undefined, win_rate: undefined, draws: 0 };
  // with raw importances I: the winner leads by D = sum I_j (s_w,j - s_r,j); changing I_k by
  // delta changes D by delta * d_k, so the result flips at delta = -D / d_k (normalising does not move the tie)
  const lead = rows.reduce((s, r) => s + r.importance * (r.scores[winner]!.score - r.scores[runner]!.score), 0);
  const flips: Flip[] = [];
  for (const r of rows) {
    const d = r.scores[winner]!.score - r.scores[runner]!.score;
    if (d === 0) continue;
    const change = -lead / d;
    const to = r.importance + change;
    // at zero the two only tie, and an importance cannot go lower, so no flip on this factor
    if (to <= 0) continue;
    flips.push({ factor: r.factor.id, change, to });
  }
  flips.sort((a, b) => Math.abs(a.change) - Math.abs(b.change));
  const rng = mulberry32(inputs.seed);
  const alpha = rows.map((r) => 1 + 20 * r.weight);
  let wins = 0;
  for (let i = 0; i < DRAWS; i++) {
    const drawn = totalsFor(dirichlet(alpha, rng), rows, feasible);
    if (best(drawn, feasible) === winner) wins++;
  }
  return { flips, smallest: flips[0], win_rate: wins / DRAWS, draws: DRAWS };
}

/** Downtime a month allows at an uptime percentage: per 730-hour month and per 30-day month, in minutes. */
export function errorBudgetMinutes(uptimePct: Big): { month_730h: Big; month_30d: Big } {
  const down = uptimePct.times('-0.01').plus('1');
  return { month_730h: down.times('43800'), month_30d: down.times('43200') };
}

export interface Availability {
  uptime_pct: Big;
  in_writing: boolean;
  source: string;
  /** Minutes of downtime the uptime allows: per 730-hour month and per 30-day month. */
  minutes_730h: Big;
  minutes_30d: Big;
  /** Every tier on one base URL: one provider, one failure domain. */
  one_provider: boolean;
  base_urls: string[];
  /** What two independent providers at this uptime would reach, if their failures were independent. */
  two_providers_pct: Big;
  two_providers_seconds_730h: Big;
}

/** The availability arithmetic of a setup: the error budget of its uptime, and what a fallback chain can and cannot add. */
export function availabilityOf(scenario: Scenario, uptimePct: Big, inWriting: boolean, source: string): Availability {
  const down = ONE.minus(uptimePct.times('0.01'));
  const urls = [...new Set(scenario.setup.tiers.map((t) => t.base_url ?? scenario.endpoint.base_url ?? '(unspecified)'))];
  const bothDown = down.times(down);
  const budget = errorBudgetMinutes(uptimePct);
  return {
    uptime_pct: uptimePct,
    in_writing: inWriting,
    source,
    minutes_730h: budget.month_730h,
    minutes_30d: budget.month_30d,
    one_provider: urls.length === 1,
    base_urls: urls,
    two_providers_pct: ONE.minus(bothDown).times('100'),
    two_providers_seconds_730h: bothDown.times('2628000'),
  };
}

/** A suggested alert: an error-budget burn rate over a window, the SLA itself, or a latency gate for probe. */
export type Alert =
  | { kind: 'fast_burn' | 'slow_burn'; error_rate_pct: Big; budget_pct: Big; burn: Big }
  | { kind: 'sla'; error_rate_pct: Big }
  | { kind: 'latency_gate'; metric: 'ttft' | 'e2e'; assert: string };

/** Error-rate alerts from the SLA's error budget (multiwindow burn rates), and p99 latency gates to start from. */
export function alertsFor(uptimePct: Big): Alert[] {
  const budgetPct = ONE.minus(uptimePct.times('0.01')).times('100');
  return [
    { kind: 'fast_burn', burn: Dec('14.4'), error_rate_pct: budgetPct.times('14.4'), budget_pct: budgetPct },
    { kind: 'slow_burn', burn: Dec('6'), error_rate_pct: budgetPct.times('6'), budget_pct: budgetPct },
    { kind: 'sla', error_rate_pct: budgetPct },
    { kind: 'latency_gate', metric: 'ttft', assert: 'ttft.p99<2s' },
    { kind: 'latency_gate', metric: 'e2e', assert: 'e2e.p99<10s' },
  ];
}
