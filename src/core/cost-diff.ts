import { type Big, Dec, ZERO } from '../units/decimal.js';

// How a change moves the monthly bill: two priced versions of one setup (a scenario and its
// pricing before and after, or saved cost results), matched stage by stage and tier by tier.
// Pure: the sides are priced by the one cost engine before they get here.

/** One side's cost of a stage, in total and by tier (null: the side has no tier detail). */
export interface SideStage {
  stage: string;
  tokens: number;
  cost: Big;
  tiers: Array<{ tier: string; cost: Big }> | null;
}

/** One version: what it is (a file, REF:path, a saved result) and its stages. */
export interface CostSide {
  label: string;
  setup: string;
  stages: SideStage[];
}

export interface DiffRow {
  stage: string;
  /** null: the whole setup (a side without tier detail, or the stage's total). */
  tier: string | null;
  /** null: this side has no such stage or tier. */
  base_cost: Big | null;
  head_cost: Big | null;
  delta: Big;
  /** delta / base x 100; null when the base is absent or zero. */
  delta_pct: Big | null;
}

export interface StageTotal extends DiffRow {
  tier: null;
  base_tokens: number | null;
  head_tokens: number | null;
}

export interface CostDiff {
  rows: DiffRow[];
  /** Each stage's total, in the head's order, then the stages only the base has. */
  totals: StageTotal[];
}

function row(
  stage: string,
  tier: string | null,
  base: Big | undefined,
  head: Big | undefined,
): DiffRow {
  const delta = (head ?? ZERO).minus(base ?? ZERO);
  return {
    stage,
    tier,
    base_cost: base ?? null,
    head_cost: head ?? null,
    delta,
    delta_pct: base === undefined || base.eq(ZERO) ? null : delta.div(base).times(Dec('100')),
  };
}

/** Stage names of both sides, each once: the head's order, then what only the base has. */
function stageNames(base: CostSide, head: CostSide): string[] {
  const names = head.stages.map((s) => s.stage);
  for (const s of base.stages) if (!names.includes(s.stage)) names.push(s.stage);
  return names;
}

/**
 * The two sides matched by stage name and, when both have tier detail, by tier name; a stage or
 * tier only one side has is compared with nothing (its other cost null, its delta all of it).
 */
export function diffCosts(base: CostSide, head: CostSide): CostDiff {
  const rows: DiffRow[] = [];
  const totals: StageTotal[] = [];
  for (const name of stageNames(base, head)) {
    const b = base.stages.find((s) => s.stage === name);
    const h = head.stages.find((s) => s.stage === name);
    totals.push({
      ...row(name, null, b?.cost, h?.cost),
      tier: null,
      base_tokens: b?.tokens ?? null,
      head_tokens: h?.tokens ?? null,
    });
    const detailed = (b === undefined || b.tiers !== null) && (h === undefined || h.tiers !== null);
    if (!detailed) {
      rows.push(row(name, null, b?.cost, h?.cost));
      continue;
    }
    const tiers = [...(h?.tiers ?? []), ...(b?.tiers ?? [])].map((t) => t.tier);
    for (const tier of [...new Set(tiers)])
      rows.push(
        row(
          name,
          tier,
          b?.tiers?.find((t) => t.tier === tier)?.cost,
          h?.tiers?.find((t) => t.tier === tier)?.cost,
        ),
      );
  }
  return { rows, totals };
}

/** The stages whose total rose by more than `pct` percent (from zero, any rise counts). */
export function increasesOver(diff: CostDiff, pct: Big): StageTotal[] {
  return diff.totals.filter(
    (t) =>
      t.delta.gt(ZERO) &&
      (t.delta_pct === null ? t.base_cost === null || t.base_cost.eq(ZERO) : t.delta_pct.gt(pct)),
  );
}

/** The stages whose head total is over the monthly budget. */
export function overBudget(diff: CostDiff, budget: Big): StageTotal[] {
  return diff.totals.filter((t) => t.head_cost !== null && t.head_cost.gt(budget));
}
