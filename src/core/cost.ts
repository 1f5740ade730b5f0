import type { ContextTier, DatedPrice, ModelEntry, PriceComponent } from '../schema/pricing.js';
import type { Tier, TokenMix } from '../schema/scenario.js';
import { Dec, ONE, PER_MILLION, ZERO, type Big, decInt, savingsPct, sum } from './decimal.js';

/** A tier whose model and price are settled. */
export interface PricedTier {
  tier: Tier;
  model: ModelEntry;
  price: DatedPrice;
}

/** Something priced against the baseline: the scenario's setup, or one model taking all traffic. */
export interface Candidate {
  id: string;
  label: string;
  kind: 'setup' | 'model';
  tiers: PricedTier[];
}

/** One monthly volume to price: a named stage, a projected month, or a bare --volume. */
export interface VolumePoint {
  stage: string | null;
  month: number | null;
  tokens: number;
}

/** A billing line: which tokens (or requests) of which tier, at which rate. */
export type Line =
  | 'input'
  | 'batch_input'
  | 'cache_read'
  | 'cache_write'
  | 'output'
  | 'batch_output'
  | 'reasoning'
  | 'batch_reasoning'
  | 'per_request';

export interface Part {
  tier: string;
  model: string;
  share: Big;
  tier_tokens: Big;
  line: Line;
  /** Tokens, or requests for per_request. */
  quantity: Big;
  /** The catalog component whose rate applies. */
  component: PriceComponent;
  /** USD per million tokens, or per request for per_request. */
  rate: Big;
  cost: Big;
  source: string;
  effective_from: string;
  file: string;
  note: string | undefined;
}

export interface Priced {
  cost: Big;
  parts: Part[];
}

export interface CostRow {
  point: VolumePoint;
  candidate: Candidate;
  cost: Big;
  parts: Part[];
  baseline_cost: Big;
  baseline_parts: Part[];
  savings_pct: Big | undefined;
}

export interface Breach {
  row: CostRow;
  over: Big;
}

export interface CandidateTotal {
  candidate: Candidate;
  tokens: number;
  cost: Big;
  baseline_cost: Big;
  savings_pct: Big | undefined;
}

export interface CostReport {
  rows: CostRow[];
  /** Cumulative figures over a monthly projection; empty for stages. */
  totals: CandidateTotal[];
  budget: { limit: Big; breaches: Breach[] } | undefined;
  notes: string[];
}

export interface MissingPrice {
  model: string;
  file: string;
  tier: string;
  component: PriceComponent;
  /** The token-mix setting that makes the component necessary. */
  because: string;
}

interface LineSpec {
  line: Line;
  component: PriceComponent;
  /** Falls back to this component when the model has no rate of its own (reasoning is output). */
  fallback?: PriceComponent;
  /** Share of a tier's tokens that this line bills. */
  factor: (mix: TokenMix) => Big;
  because: string;
}

const fresh = (m: TokenMix): Big => m.input.times(ONE.minus(m.cache_hit_rate).minus(m.cache_write_rate));
const realtime = (m: TokenMix): Big => ONE.minus(m.batch_share);
const plainOut = (m: TokenMix): Big => m.output.times(ONE.minus(m.reasoning_share));

/** The one table of billing lines: how a tier's tokens split across price components. */
const LINES: readonly LineSpec[] = [
  { line: 'input', component: 'input', factor: (m) => fresh(m).times(realtime(m)), because: 'token_mix.input' },
  { line: 'batch_input', component: 'batch_input', factor: (m) => fresh(m).times(m.batch_share), because: 'token_mix.batch_share' },
  { line: 'cache_read', component: 'cache_read', factor: (m) => m.input.times(m.cache_hit_rate), because: 'token_mix.cache_hit_rate' },
  { line: 'cache_write', component: 'cache_write', factor: (m) => m.input.times(m.cache_write_rate), because: 'token_mix.cache_write_rate' },
  { line: 'output', component: 'output', factor: (m) => plainOut(m).times(realtime(m)), because: 'token_mix.output' },
  { line: 'batch_output', component: 'batch_output', factor: (m) => plainOut(m).times(m.batch_share), because: 'token_mix.batch_share' },
  {
    line: 'reasoning',
    component: 'reasoning',
    fallback: 'output',
    factor: (m) => m.output.times(m.reasoning_share).times(realtime(m)),
    because: 'token_mix.reasoning_share',
  },
  {
    line: 'batch_reasoning',
    component: 'batch_output',
    factor: (m) => m.output.times(m.reasoning_share).times(m.batch_share),
    because: 'token_mix.batch_share',
  },
];

/** The long-context tier a request of this input size falls into (billed whole, as a cliff). */
export function contextTierFor(price: DatedPrice, inputTokensPerRequest: number | undefined): ContextTier | undefined {
  if (inputTokensPerRequest === undefined) return undefined;
  let found: ContextTier | undefined;
  for (const tier of price.context_tiers) {
    if (inputTokensPerRequest > tier.above_input_tokens) found = tier;
  }
  return found;
}

function rateFor(price: DatedPrice, component: PriceComponent, tier: ContextTier | undefined): Big | undefined {
  if (tier !== undefined && component in tier.rates) {
    return tier.rates[component as keyof ContextTier['rates']];
  }
  return price.rates[component];
}

/** Every rate the mix needs that a candidate's models lack, all at once, before anything is priced. */
export function findMissingPrices(candidate: Candidate, mix: TokenMix): MissingPrice[] {
  const missing: MissingPrice[] = [];
  for (const { tier, model, price } of candidate.tiers) {
    const ctx = contextTierFor(price, mix.input_tokens_per_request);
    for (const spec of LINES) {
      if (spec.factor(mix).eq(ZERO)) continue;
      const rate = rateFor(price, spec.component, ctx) ?? (spec.fallback && rateFor(price, spec.fallback, ctx));
      if (rate === undefined) {
        missing.push({ model: model.id, file: model.file, tier: tier.name, component: spec.component, because: spec.because });
      }
    }
    const perRequest = price.rates.per_request;
    if (perRequest !== undefined && !perRequest.eq(ZERO) && mix.tokens_per_request === undefined) {
      missing.push({
        model: model.id,
        file: model.file,
        tier: tier.name,
        component: 'per_request',
        because: 'token_mix.tokens_per_request (the model charges per request)',
      });
    }
  }
  return missing;
}

/** Prices one month of `tokens` through a candidate. Exact: only per-request fees divide. */
export function priceCandidate(candidate: Candidate, tokens: number, mix: TokenMix): Priced {
  const parts: Part[] = [];
  const volume = decInt(tokens);
  for (const { tier, model, price } of candidate.tiers) {
    const tierTokens = volume.times(tier.share);
    const ctx = contextTierFor(price, mix.input_tokens_per_request);
    const base = {
      tier: tier.name,
      model: model.id,
      share: tier.share,
      tier_tokens: tierTokens,
      source: price.source,
      effective_from: price.effective_from,
      file: model.file,
    };
    for (const spec of LINES) {
      const factor = spec.factor(mix);
      if (factor.eq(ZERO)) continue;
      let component = spec.component;
      let rate = rateFor(price, component, ctx);
      let note = ctx !== undefined && component in ctx.rates ? longContextNote(ctx) : undefined;
      if (rate === undefined && spec.fallback !== undefined) {
        component = spec.fallback;
        rate = rateFor(price, component, ctx);
        note = `no ${spec.component} rate: billed as ${component}`;
      }
      if (rate === undefined) throw new Error(`missing ${spec.component} price for ${model.id}: call findMissingPrices first`);
      const quantity = tierTokens.times(factor);
      parts.push({ ...base, line: spec.line, quantity, component, rate, cost: quantity.times(rate).times(PER_MILLION), note });
    }
    const perRequest = price.rates.per_request;
    if (perRequest !== undefined && !perRequest.eq(ZERO) && mix.tokens_per_request !== undefined && !tierTokens.eq(ZERO)) {
      const requests = tierTokens.div(decInt(mix.tokens_per_request));
      parts.push({
        ...base,
        line: 'per_request',
        quantity: requests,
        component: 'per_request',
        rate: perRequest,
        cost: requests.times(perRequest),
        note: `${mix.tokens_per_request} tokens per request`,
      });
    }
  }
  return { cost: sum(parts.map((p) => p.cost)), parts };
}

function longContextNote(tier: ContextTier): string {
  return `long-context rate: requests over ${tier.above_input_tokens} input tokens`;
}

export interface CostInput {
  candidates: Candidate[];
  baseline: Candidate;
  mix: TokenMix;
  points: VolumePoint[];
  budget: Big | undefined;
}

/** The whole report: every point for every candidate against the baseline, plus totals and the budget check. */
export function projectCosts(input: CostInput): CostReport {
  const rows: CostRow[] = [];
  for (const point of input.points) {
    const baseline = priceCandidate(input.baseline, point.tokens, input.mix);
    for (const candidate of input.candidates) {
      const priced = priceCandidate(candidate, point.tokens, input.mix);
      rows.push({
        point,
        candidate,
        cost: priced.cost,
        parts: priced.parts,
        baseline_cost: baseline.cost,
        baseline_parts: baseline.parts,
        savings_pct: savingsPct(priced.cost, baseline.cost),
      });
    }
  }
  const projected = input.points.some((p) => p.month !== null);
  const totals = projected
    ? input.candidates.map((candidate) => {
        const mine = rows.filter((r) => r.candidate === candidate);
        const cost = sum(mine.map((r) => r.cost));
        const baselineCost = sum(mine.map((r) => r.baseline_cost));
        return {
          candidate,
          tokens: mine.reduce((n, r) => n + r.point.tokens, 0),
          cost,
          baseline_cost: baselineCost,
          savings_pct: savingsPct(cost, baselineCost),
        };
      })
    : [];
  const budget =
    input.budget === undefined
      ? undefined
      : {
          limit: input.budget,
          breaches: rows.filter((r) => r.cost.gt(input.budget!)).map((row) => ({ row, over: row.cost.minus(input.budget!) })),
        };
  return { rows, totals, budget, notes: contextNotes(input) };
}

function contextNotes(input: CostInput): string[] {
  if (input.mix.input_tokens_per_request !== undefined) return [];
  const notes = new Set<string>();
  for (const candidate of [...input.candidates, input.baseline]) {
    for (const { model, price } of candidate.tiers) {
      const first = price.context_tiers[0];
      if (first !== undefined) {
        notes.add(
          `${model.id} bills whole requests over ${first.above_input_tokens} input tokens at higher rates; ` +
            'the scenario gives no token_mix.input_tokens_per_request, so base rates apply',
        );
      }
    }
  }
  return [...notes];
}

/** Month-over-month volumes: month 1 is `start`; each month is rounded half-up to whole tokens. */
export function projectMonths(start: number, monthlyPct: Big, months: number): VolumePoint[] {
  const factor = ONE.plus(monthlyPct.times('0.01'));
  const points: VolumePoint[] = [];
  let growth = ONE;
  for (let month = 1; month <= months; month++) {
    const tokens = decInt(start).times(growth).round(0, Dec.roundHalfUp);
    points.push({ stage: `Month ${month}`, month, tokens: Number(tokens.toFixed(0)) });
    growth = growth.times(factor);
  }
  return points;
}
