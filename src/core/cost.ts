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
  /** Models with long-context rates priced at base rates because the scenario gives no request size. */
  base_rate_context: Array<{ model: string; above_input_tokens: number }>;
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

/** The lines a mix bills, with their share of a tier's tokens, computed once per mix. */
const lineCache = new WeakMap<TokenMix, Array<{ spec: LineSpec; factor: Big }>>();
function billedLines(mix: TokenMix): Array<{ spec: LineSpec; factor: Big }> {
  let lines = lineCache.get(mix);
  if (lines === undefined) {
    lines = LINES.map((spec) => ({ spec, factor: spec.factor(mix) })).filter((l) => !l.factor.eq(ZERO));
    lineCache.set(mix, lines);
  }
  return lines;
}

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
    for (const { spec } of billedLines(mix)) {
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
export function priceCandidate(candidate: Candidate, tokens: number | Big, mix: TokenMix): Priced {
  const parts: Part[] = [];
  const volume = typeof tokens === 'number' ? decInt(tokens) : tokens;
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
    for (const { spec, factor } of billedLines(mix)) {
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
  /** Keep every row's parts (for --explain); without them, linear candidates are priced by scaling. */
  parts: boolean;
}

/** Whether pricing this candidate divides (per-request fees), so that it is not exactly linear in volume. */
function dividesVolume(candidate: Candidate, mix: TokenMix): boolean {
  if (mix.tokens_per_request === undefined) return false;
  return candidate.tiers.some(({ price }) => price.rates.per_request !== undefined && !price.rates.per_request.eq(ZERO));
}

/**
 * A candidate's price at any volume. Every part is volume x share x factor x rate x 1e-6, all
 * exact multiplications, so the cost of V tokens is exactly V times the cost of one token; the
 * full breakdown is priced per volume only when it is wanted or when per-request fees divide.
 */
function pricer(candidate: Candidate, mix: TokenMix, parts: boolean): { price: (volume: Big) => Priced; linear: Big | undefined } {
  if (parts || dividesVolume(candidate, mix)) return { price: (v) => priceCandidate(candidate, v, mix), linear: undefined };
  const perToken = priceCandidate(candidate, ONE, mix).cost;
  return { price: (v) => ({ cost: perToken.times(v), parts: [] }), linear: perToken };
}

/** The whole report: every point for every candidate against the baseline, plus totals and the budget check. */
export function projectCosts(input: CostInput): CostReport {
  const baseline = pricer(input.baseline, input.mix, input.parts);
  const candidates = input.candidates.map((candidate) => {
    const p = pricer(candidate, input.mix, input.parts);
    // linear on both sides: the same share is saved at every volume, so divide once
    const constant = p.linear !== undefined && baseline.linear !== undefined ? savingsPct(p.linear, baseline.linear) : undefined;
    return { candidate, ...p, constant };
  });
  const rows: CostRow[] = [];
  for (const point of input.points) {
    const volume = decInt(point.tokens);
    const base = baseline.price(volume);
    for (const { candidate, price, constant } of candidates) {
      const priced = price(volume);
      rows.push({
        point,
        candidate,
        cost: priced.cost,
        parts: priced.parts,
        baseline_cost: base.cost,
        baseline_parts: base.parts,
        savings_pct: constant !== undefined && point.tokens > 0 ? constant : savingsPct(priced.cost, base.cost),
      });
    }
  }
  return { rows, totals: projectionTotals(input, rows), budget: budgetCheck(input.budget, rows), base_rate_context: baseRateContext(input) };
}

function projectionTotals(input: CostInput, rows: readonly CostRow[]): CandidateTotal[] {
  if (!input.points.some((p) => p.month !== null)) return [];
  const byCandidate = new Map<Candidate, CostRow[]>(input.candidates.map((c) => [c, []]));
  for (const row of rows) byCandidate.get(row.candidate)!.push(row);
  return input.candidates.map((candidate) => {
    const mine = byCandidate.get(candidate)!;
    const cost = sum(mine.map((r) => r.cost));
    const baselineCost = sum(mine.map((r) => r.baseline_cost));
    return {
      candidate,
      tokens: mine.reduce((n, r) => n + r.point.tokens, 0),
      cost,
      baseline_cost: baselineCost,
      savings_pct: savingsPct(cost, baselineCost),
    };
  });
}

function budgetCheck(limit: Big | undefined, rows: readonly CostRow[]): CostReport['budget'] {
  if (limit === undefined) return undefined;
  return { limit, breaches: rows.filter((r) => r.cost.gt(limit)).map((row) => ({ row, over: row.cost.minus(limit) })) };
}

function baseRateContext(input: CostInput): CostReport['base_rate_context'] {
  if (input.mix.input_tokens_per_request !== undefined) return [];
  const found = new Map<string, number>();
  for (const candidate of [...input.candidates, input.baseline]) {
    for (const { model, price } of candidate.tiers) {
      const first = price.context_tiers[0];
      if (first !== undefined) found.set(model.id, first.above_input_tokens);
    }
  }
  return [...found].map(([model, above]) => ({ model, above_input_tokens: above }));
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
