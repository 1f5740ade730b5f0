import type {
  AcceptedConflict,
  DecisionInputs,
  Matrix,
  MatrixFactor,
  MatrixOption,
  Side,
} from '../domain/matrix.js';
import { Dec, ONE, type Big } from '../units/decimal.js';
import { dirichlet, mulberry32 } from './random.js';
import {
  type CapabilityResult,
  type Route,
  type RouteFact,
  checkCapability,
} from './setup-check.js';

/**
 * Why a model could not be priced: not in the catalog, no price yet on the day, or a rate the mix
 * needs.
 */
export type Unpriced =
  | { model: string; reason: 'not_in_catalog' }
  | { model: string; reason: 'ambiguous' }
  | { model: string; reason: 'not_in_force'; as_of: string }
  | { model: string; reason: 'no_rate'; component: string };

/**
 * What an option costs a month at the stated volume, from the cost engine; unpriced when a price is
 * missing.
 */
export type OptionCost =
  { priced: true; cost: Big; baseline_cost: Big } | { priced: false; missing: Unpriced[] };

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

/** Why an option is out: a hard requirement it breaks, or cannot be shown to meet. */
export type ExclusionReason =
  | { kind: 'lacks'; factor: string; answer: string; capability: string; breaking: RouteFact[] }
  | { kind: 'conflict'; factor: string; answer: string; capability: string; breaking: RouteFact[] }
  | {
      kind: 'unverified_capability';
      factor: string;
      answer: string;
      capability: string;
      unknown: RouteFact[];
    }
  | { kind: 'over_budget'; projected: Big; limit: Big; over: Big }
  | { kind: 'unpriced'; limit: Big; missing: Unpriced[] };

export interface Exclusion {
  option: string;
  reason: ExclusionReason;
}

/**
 * The monthly ceiling against one option: met, over, or not verifiable (no price), passing only
 * when allowed.
 */
export type BudgetResult =
  | { option: string; status: 'met'; projected: Big; passes: true; unverified: false }
  | { option: string; status: 'over'; projected: Big; over: Big; passes: false; unverified: false }
  | {
      option: string;
      status: 'unverifiable';
      missing: Unpriced[];
      passes: boolean;
      unverified: boolean;
    };

/**
 * A hard requirement checked against every option: an answer that requires a capability (route by
 * route), or the monthly ceiling.
 */
export type Check =
  | {
      kind: 'capability';
      factor: string;
      answer: string;
      capability: string;
      results: CapabilityResult[];
    }
  | { kind: 'budget'; limit: Big; results: BudgetResult[] };

/**
 * A route of an option's setup that does not provide a required capability, and whether the option
 * accepts it.
 */
export interface Conflict {
  option: string;
  factor: string;
  capability: string;
  fact: RouteFact;
  accepted: AcceptedConflict | undefined;
}

/** A requirement an option passes only because --allow-unverified let it: said in every format. */
export type Unverified =
  | { option: string; kind: 'capability'; capability: string; unknown: RouteFact[] }
  | { option: string; kind: 'budget'; limit: Big; missing: Unpriced[] };

/** What decide needs of each option's setup: its monthly cost and its routes. */
export interface OptionSetup {
  cost: OptionCost;
  routes: Route[];
}

export interface Flip {
  factor: string;
  /** Change of importance (on the 0-5 scale) past which another option wins. */
  change: number;
  to: number;
  /** The option that wins past it (the first to overtake, not always the runner-up). */
  winner: string;
}

export type FragileReason =
  | { kind: 'thin_margin'; margin_pct: number; limit_pct: number }
  | { kind: 'low_win_rate'; win_rate: number; draws: number; limit: number };

export interface Decision {
  inputs: DecisionInputs;
  rows: FactorRow[];
  checks: Check[];
  exclusions: Exclusion[];
  conflicts: Conflict[];
  unverified: Unverified[];
  allow_unverified: boolean;
  /** Weighted totals (0-10); undefined for excluded options. */
  totals: Record<string, number | undefined>;
  ranking: string[];
  winner: MatrixOption | undefined;
  runner_up: MatrixOption | undefined;
  /**
   * Winner's total minus runner-up's, in points of the 0-10 scale, and as a share of the winner's.
   */
  margin: number | undefined;
  margin_pct: number | undefined;
  sensitivity: {
    flips: Flip[];
    smallest: Flip | undefined;
    win_rate: number | undefined;
    draws: number;
  };
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

function totalsFor(
  weights: readonly number[],
  rows: readonly FactorRow[],
  options: readonly string[],
): Map<string, number> {
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
  for (const id of order)
    if (winner === undefined || totals.get(id)! > totals.get(winner)!) winner = id;
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
    return {
      factor,
      answer: answer.id,
      answer_label: answer.label,
      side: answer.side,
      importance,
      weight,
      scores,
    };
  });
}

/** One option against the monthly ceiling: met, over (by how much), or not priced. */
function budgetResult(
  option: string,
  setup: OptionSetup | undefined,
  limit: Big,
  allowUnverified: boolean,
): BudgetResult {
  const cost = setup?.cost ?? { priced: false, missing: [] };
  if (!cost.priced)
    return {
      option,
      status: 'unverifiable',
      missing: cost.missing,
      passes: allowUnverified,
      unverified: allowUnverified,
    };
  if (cost.cost.gt(limit))
    return {
      option,
      status: 'over',
      projected: cost.cost,
      over: cost.cost.minus(limit),
      passes: false,
      unverified: false,
    };
  return {
    option,
    status: 'met',
    projected: cost.cost,
    passes: true,
    unverified: false,
  };
}

/**
 * Hard requirements first: each answer that requires a capability is checked route by route
 * along every option's setup (checkCapability states the rule), then the monthly ceiling against
 * each option's priced cost; a cost that cannot be computed does not pass a ceiling unless allowed.
 */
function hardRequirements(
  matrix: Matrix,
  rows: FactorRow[],
  inputs: DecisionInputs,
  setups: Record<string, OptionSetup>,
  allowUnverified: boolean,
) {
  const checks: Check[] = [];
  const exclusions: Exclusion[] = [];
  const conflicts: Conflict[] = [];
  const unverified: Unverified[] = [];
  for (const row of rows) {
    const capability = row.factor.answers.find((a) => a.id === row.answer)!.requires;
    if (capability === undefined) continue;
    const at = { factor: row.factor.id, answer: row.answer, capability };
    const results = matrix.options.map((o) =>
      checkCapability(o, setups[o.id]?.routes ?? [], capability, allowUnverified),
    );
    for (const r of results) {
      for (const b of r.breaking)
        conflicts.push({
          option: r.option,
          factor: row.factor.id,
          capability,
          fact: b,
          accepted: b.accepted,
        });
      if (r.unverified)
        unverified.push({ option: r.option, kind: 'capability', capability, unknown: r.unknown });
      if (r.passes) continue;
      const reason: ExclusionReason =
        r.status === 'lacks'
          ? { kind: 'lacks', ...at, breaking: r.breaking }
          : r.status === 'conflict' && r.breaking.some((b) => b.accepted === undefined)
            ? {
                kind: 'conflict',
                ...at,
                breaking: r.breaking.filter((b) => b.accepted === undefined),
              }
            : { kind: 'unverified_capability', ...at, unknown: r.unknown };
      exclusions.push({ option: r.option, reason });
    }
    checks.push({ kind: 'capability', ...at, results });
  }
  const limit = inputs.monthly_budget;
  if (limit !== undefined) {
    const results = matrix.options.map((option) =>
      budgetResult(option.id, setups[option.id], limit, allowUnverified),
    );
    for (const r of results) {
      if (r.status === 'over')
        exclusions.push({
          option: r.option,
          reason: { kind: 'over_budget', projected: r.projected, limit, over: r.over },
        });
      else if (r.status === 'unverifiable' && !r.passes)
        exclusions.push({
          option: r.option,
          reason: { kind: 'unpriced', limit, missing: r.missing },
        });
      else if (r.status === 'unverifiable')
        unverified.push({ option: r.option, kind: 'budget', limit, missing: r.missing });
    }
    checks.push({ kind: 'budget', limit, results });
  }
  return { checks, exclusions, conflicts, unverified };
}

/**
 * The decision, pure and deterministic: hard requirements exclude first (each with its
 * reason); the remaining options are ranked by weighted score; then the margin, the smallest
 * single weight change that flips the result, and the win rate over seeded random weights.
 */
export function decide(
  matrix: Matrix,
  inputs: DecisionInputs,
  setups: Record<string, OptionSetup>,
  allowUnverified = false,
): Decision {
  const importanceSum = matrix.factors.reduce((s, f) => s + (inputs.importance[f.id] ?? 0), 0);
  const rows = factorRows(matrix, inputs, importanceSum);
  const { checks, exclusions, conflicts, unverified } = hardRequirements(
    matrix,
    rows,
    inputs,
    setups,
    allowUnverified,
  );
  const excluded = new Set(exclusions.map((e) => e.option));
  const feasible = matrix.options.map((o) => o.id).filter((id) => !excluded.has(id));
  const all = totalsFor(
    rows.map((r) => r.weight),
    rows,
    matrix.options.map((o) => o.id),
  );
  const totals: Decision['totals'] = Object.fromEntries(
    matrix.options.map((o) => [o.id, excluded.has(o.id) ? undefined : all.get(o.id)]),
  );
  const ranking = [...feasible].sort(
    (a, b) => all.get(b)! - all.get(a)! || feasible.indexOf(a) - feasible.indexOf(b),
  );
  const [winnerId, runnerId] = ranking;
  const option = (id: string | undefined) => matrix.options.find((o) => o.id === id);
  const margin =
    winnerId !== undefined && runnerId !== undefined
      ? all.get(winnerId)! - all.get(runnerId)!
      : undefined;
  const marginPct =
    margin !== undefined && all.get(winnerId!)! > 0
      ? (100 * margin) / all.get(winnerId!)!
      : undefined;
  const sensitivity = sensitivityOf(rows, inputs, feasible, winnerId, runnerId);

  const fragileReasons: FragileReason[] = [];
  if (marginPct !== undefined && marginPct < FRAGILE_MARGIN_PCT)
    fragileReasons.push({
      kind: 'thin_margin',
      margin_pct: marginPct,
      limit_pct: FRAGILE_MARGIN_PCT,
    });
  if (sensitivity.win_rate !== undefined && sensitivity.win_rate < FRAGILE_WIN_RATE) {
    fragileReasons.push({
      kind: 'low_win_rate',
      win_rate: sensitivity.win_rate,
      draws: DRAWS,
      limit: FRAGILE_WIN_RATE,
    });
  }
  const lean =
    importanceSum === 0
      ? 0
      : rows.reduce((s, r) => s + r.importance * SIDE_VALUE[r.side], 0) / importanceSum;
  return {
    inputs,
    rows,
    checks,
    exclusions,
    conflicts,
    unverified,
    allow_unverified: allowUnverified,
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

function sensitivityOf(
  rows: FactorRow[],
  inputs: DecisionInputs,
  feasible: string[],
  winner: string | undefined,
  runner: string | undefined,
): Decision['sensitivity'] {
  if (winner === undefined || runner === undefined)
    return { flips: [], smallest: undefined, win_rate: undefined, draws: 0 };
  // with raw importances I: the winner leads option o by D_o = sum I_j (s_w,j - s_o,j); changing
  // I_k by delta changes D_o by delta * d_o,k, so o overtakes at delta = -D_o / d_o,k (normalising
  // does not move a tie). Per factor and direction, the first option to overtake is the flip.
  const others = feasible.filter((o) => o !== winner);
  const lead = new Map(
    others.map((o) => [
      o,
      rows.reduce((s, r) => s + r.importance * (r.scores[winner]!.score - r.scores[o]!.score), 0),
    ]),
  );
  const flips: Flip[] = [];
  for (const r of rows) {
    const found = new Map<number, Flip>();
    for (const o of others) {
      const d = r.scores[winner]!.score - r.scores[o]!.score;
      if (d === 0) continue;
      const change = -lead.get(o)! / d;
      const to = r.importance + change;
      // at zero an option only ties, and an importance cannot go lower
      if (to <= 0) continue;
      const direction = Math.sign(change);
      const best = found.get(direction);
      if (best === undefined || Math.abs(change) < Math.abs(best.change))
        found.set(direction, { factor: r.factor.id, change, to, winner: o });
    }
    flips.push(...found.values());
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

/**
 * Downtime a month allows at an uptime percentage: per 730-hour month and per 30-day month, in
 * minutes.
 */
export function errorBudgetMinutes(uptimePct: Big): { month_730h: Big; month_30d: Big } {
  const down = uptimePct.times('-0.01').plus('1');
  return { month_730h: down.times('43800'), month_30d: down.times('43200') };
}

/**
 * A suggested alert: an error-budget burn rate over a window, the SLA itself, or a latency gate for
 * probe.
 */
export type Alert =
  | { kind: 'fast_burn' | 'slow_burn'; error_rate_pct: Big; budget_pct: Big; burn: Big }
  | { kind: 'sla'; error_rate_pct: Big }
  | { kind: 'latency_gate'; metric: 'ttft' | 'e2e'; assert: string };

/**
 * Error-rate alerts from the SLA's error budget (multiwindow burn rates), and p99 latency gates to
 * start from.
 */
export function alertsFor(uptimePct: Big | undefined): Alert[] {
  const latency: Alert[] = [
    { kind: 'latency_gate', metric: 'ttft', assert: 'ttft.p99<2s' },
    { kind: 'latency_gate', metric: 'e2e', assert: 'e2e.p99<10s' },
  ];
  // no uptime figure, no error budget to burn: only the latency gates
  if (uptimePct === undefined) return latency;
  const budgetPct = ONE.minus(uptimePct.times('0.01')).times('100');
  return [
    {
      kind: 'fast_burn',
      burn: Dec('14.4'),
      error_rate_pct: budgetPct.times('14.4'),
      budget_pct: budgetPct,
    },
    {
      kind: 'slow_burn',
      burn: Dec('6'),
      error_rate_pct: budgetPct.times('6'),
      budget_pct: budgetPct,
    },
    { kind: 'sla', error_rate_pct: budgetPct },
    ...latency,
  ];
}
