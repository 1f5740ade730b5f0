import type { Matrix, MatrixFactor, MatrixOption, Side } from '../schema/matrix.js';
import { type Big, formatUsd } from './decimal.js';
import { dirichlet, mulberry32 } from './random.js';

/** Everything a decision depends on, so that the same inputs give the same decision. */
export interface DecisionInputs {
  /** factor id -> answer id */
  answers: Record<string, string>;
  /** factor id -> importance, 0 to 5 */
  importance: Record<string, number>;
  volume: number;
  monthly_budget: Big | undefined;
  /** Seed of the random-weights draws. */
  seed: number;
}

/** What an option costs a month at the stated volume, from the cost engine; unpriced when a price is missing. */
export type OptionCost = { priced: true; cost: Big; baseline_cost: Big } | { priced: false; missing: string[] };

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

export interface Exclusion {
  option: string;
  reason: string;
}

export interface Check {
  requirement: string;
  result: 'met' | 'excluded' | 'unverifiable';
  detail: string;
}

export interface Flip {
  factor: string;
  /** Change of importance (on the 0-5 scale) that makes the runner-up win. */
  change: number;
  to: number;
}

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
  fragile_reasons: string[];
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
  for (const option of options) totals.set(option, rows.reduce((sum, r, j) => sum + weights[j]! * r.scores[option]!.score, 0));
  return totals;
}

function best(totals: Map<string, number>, order: readonly string[]): string | undefined {
  let winner: string | undefined;
  for (const id of order) if (winner === undefined || totals.get(id)! > totals.get(winner)!) winner = id;
  return winner;
}

/**
 * The decision, pure and deterministic: hard requirements exclude first (each with its
 * reason); the remaining options are ranked by weighted score; then the margin, the smallest
 * single weight change that flips the result, and the win rate over seeded random weights.
 */
export function decide(matrix: Matrix, inputs: DecisionInputs, costs: Record<string, OptionCost>): Decision {
  const sum = matrix.factors.reduce((s, f) => s + (inputs.importance[f.id] ?? 0), 0);
  const rows: FactorRow[] = matrix.factors.map((factor) => {
    const answer = factor.answers.find((a) => a.id === inputs.answers[factor.id])!;
    const importance = inputs.importance[factor.id] ?? 0;
    const weight = sum === 0 ? 1 / matrix.factors.length : importance / sum;
    const scores: FactorRow['scores'] = {};
    for (const option of matrix.options) {
      const cell = factor.scores[answer.id]![option.id]!;
      scores[option.id] = { ...cell, contribution: weight * cell.score };
    }
    return { factor, answer: answer.id, answer_label: answer.label, side: answer.side, importance, weight, scores };
  });

  const checks: Check[] = [];
  const exclusions: Exclusion[] = [];
  for (const row of rows) {
    const requires = row.factor.answers.find((a) => a.id === row.answer)!.requires;
    if (requires === undefined) continue;
    const lacking = matrix.options.filter((o) => !o.provides[requires]);
    for (const o of lacking) exclusions.push({ option: o.id, reason: `${row.factor.label}: "${row.answer_label}" is required and ${o.label} does not provide it` });
    checks.push({
      requirement: `${row.factor.label}: ${row.answer_label}`,
      result: lacking.length > 0 ? 'excluded' : 'met',
      detail: lacking.length > 0 ? `excludes ${lacking.map((o) => o.label).join(', ')}` : 'every option provides it',
    });
  }
  if (inputs.monthly_budget !== undefined) {
    const budget = inputs.monthly_budget;
    for (const option of matrix.options) {
      const cost = costs[option.id];
      const requirement = `Budget ceiling ${formatUsd(budget)} a month for ${option.label}`;
      if (cost === undefined || !cost.priced) {
        checks.push({ requirement, result: 'unverifiable', detail: `cannot check: no price for ${cost && !cost.priced ? cost.missing.join(', ') : 'its models'}` });
      } else if (cost.cost.gt(budget)) {
        exclusions.push({ option: option.id, reason: `Budget: projected ${formatUsd(cost.cost)} a month exceeds the ${formatUsd(budget)} ceiling by ${formatUsd(cost.cost.minus(budget))}` });
        checks.push({ requirement, result: 'excluded', detail: `projected ${formatUsd(cost.cost)} a month` });
      } else {
        checks.push({ requirement, result: 'met', detail: `projected ${formatUsd(cost.cost)} a month` });
      }
    }
  }

  const excluded = new Set(exclusions.map((e) => e.option));
  const feasible = matrix.options.map((o) => o.id).filter((id) => !excluded.has(id));
  const weights = rows.map((r) => r.weight);
  const all = totalsFor(weights, rows, matrix.options.map((o) => o.id));
  const totals: Decision['totals'] = Object.fromEntries(matrix.options.map((o) => [o.id, excluded.has(o.id) ? undefined : all.get(o.id)]));
  const ranking = [...feasible].sort((a, b) => all.get(b)! - all.get(a)! || feasible.indexOf(a) - feasible.indexOf(b));
  const winnerId = ranking[0];
  const runnerId = ranking[1];
  const option = (id: string | undefined) => matrix.options.find((o) => o.id === id);
  const margin = winnerId !== undefined && runnerId !== undefined ? all.get(winnerId)! - all.get(runnerId)! : undefined;
  const marginPct = margin !== undefined && all.get(winnerId!)! > 0 ? (100 * margin) / all.get(winnerId!)! : undefined;
  const sensitivity = sensitivityOf(rows, inputs, feasible, winnerId, runnerId);

  const fragileReasons: string[] = [];
  if (marginPct !== undefined && marginPct < FRAGILE_MARGIN_PCT) fragileReasons.push(`the margin is ${marginPct.toFixed(1)}% of the winning score (under ${FRAGILE_MARGIN_PCT}%)`);
  if (sensitivity.win_rate !== undefined && sensitivity.win_rate < FRAGILE_WIN_RATE) {
    fragileReasons.push(`it wins ${(sensitivity.win_rate * 100).toFixed(1)}% of ${DRAWS} random weightings (under ${FRAGILE_WIN_RATE * 100}%)`);
  }
  const lean = sum === 0 ? 0 : rows.reduce((s, r) => s + r.importance * SIDE_VALUE[r.side], 0) / sum;
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
