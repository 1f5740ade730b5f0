import type { ContextTier, DatedPrice, ModelEntry, PriceComponent } from '../domain/pricing.js';
import type { Tier, TokenMix } from '../domain/scenario.js';
import {
  Dec,
  ONE,
  PER_MILLION,
  ZERO,
  type Big,
  decInt,
  savingsPct,
  sum,
} from '../units/decimal.js';
import { type CostCurve, type Crossing, compareCurves } from './break-even.js';

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
  | 'cache_write_1h'
  | 'output'
  | 'batch_output'
  | 'reasoning'
  | 'batch_reasoning'
  | 'per_request';

/** Why a part is billed the way it is, when that is not plain: render turns it into words. */
export type PartNote =
  | { kind: 'long_context'; above_input_tokens: number }
  | { kind: 'base_rate_above_tier'; above_input_tokens: number }
  | { kind: 'billed_as'; wanted: PriceComponent; used: PriceComponent }
  | { kind: 'per_request'; tokens_per_request: number };

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
  note: PartNote | undefined;
}

/**
 * A charge by the month, not by the token: a model's monthly fee, or what tops its usage up to its
 * commitment.
 */
export interface FixedCharge {
  model: string;
  kind: 'monthly_fee' | 'commitment_top_up';
  amount: Big;
  /** For a top-up: the month's usage of the model and the commitment it falls short of. */
  usage: Big | undefined;
  commitment: Big | undefined;
  source: string;
  effective_from: string;
  file: string;
}

export interface Priced {
  /** Usage plus fixed charges. */
  cost: Big;
  parts: Part[];
  fixed: FixedCharge[];
}

export interface CostRow {
  point: VolumePoint;
  candidate: Candidate;
  cost: Big;
  parts: Part[];
  fixed: FixedCharge[];
  baseline_cost: Big;
  baseline_parts: Part[];
  baseline_fixed: FixedCharge[];
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
  /**
   * Models with long-context rates priced at base rates because the scenario gives no request size.
   */
  base_rate_context: Array<{ model: string; above_input_tokens: number }>;
  /**
   * Where a setup billed by the month (a) and one billed by use only (b) cost the same: from which
   * volume each is cheaper.
   */
  break_even: BreakEven[];
}

export interface BreakEven {
  a: Candidate;
  b: Candidate;
  crossings: Crossing[];
}

/**
 * Past this many candidates break-even pairs are not worked out (--all-models): a table of
 * thousands of pairs says nothing.
 */
const BREAK_EVEN_CANDIDATES = 12;

/** Every pair of one setup with monthly charges and one without, compared at every volume. */
export function breakEvens(candidates: readonly Candidate[], mix: TokenMix): BreakEven[] {
  if (candidates.length > BREAK_EVEN_CANDIDATES) return [];
  const fixed = candidates.filter(hasFixedCharges);
  const byUse = candidates.filter((c) => !hasFixedCharges(c));
  return fixed.flatMap((a) =>
    byUse.map((b) => ({ a, b, crossings: compareCurves(costCurve(a, mix), costCurve(b, mix)) })),
  );
}

/** Why a component is needed that a model lacks: a token-mix setting, or measured usage. */
export type NeededBy =
  | {
      kind: 'mix';
      setting:
        | 'input'
        | 'output'
        | 'cache_hit_rate'
        | 'cache_write_rate'
        | 'cache_write_1h_share'
        | 'reasoning_share'
        | 'batch_share'
        | 'tokens_per_request';
    }
  | { kind: 'usage' };

/**
 * Why a rate is missing: the source gave none, gave 0 for "unknown", or gave an implausible figure.
 */
export type Absence =
  { kind: 'absent' } | { kind: 'not_given' } | { kind: 'quarantined'; value: Big; why: string };

export interface MissingPrice {
  model: string;
  file: string;
  tier: string;
  component: PriceComponent;
  needed_by: NeededBy;
  absence: Absence;
  /**
   * The rate is there and a setting of the mix is what is missing: a fee per request needs the
   * tokens of one request (tokens_per_request) to become a cost.
   */
  present?: Big;
}

interface LineSpec {
  line: Line;
  component: PriceComponent;
  /** Falls back to this component when the model has no rate of its own (reasoning is output). */
  fallback?: PriceComponent;
  /** Share of a tier's tokens that this line bills. */
  factor: (mix: TokenMix) => Big;
  setting: Extract<NeededBy, { kind: 'mix' }>['setting'];
}

const fresh = (m: TokenMix): Big =>
  m.input.times(ONE.minus(m.cache_hit_rate).minus(m.cache_write_rate));
const writes = (m: TokenMix): Big => m.input.times(m.cache_write_rate);
const realtime = (m: TokenMix): Big => ONE.minus(m.batch_share);
const plainOut = (m: TokenMix): Big => m.output.times(ONE.minus(m.reasoning_share));

/** The one table of billing lines: how a tier's tokens split across price components. */
const LINES: readonly LineSpec[] = [
  {
    line: 'input',
    component: 'input',
    factor: (m) => fresh(m).times(realtime(m)),
    setting: 'input',
  },
  {
    line: 'batch_input',
    component: 'batch_input',
    factor: (m) => fresh(m).times(m.batch_share),
    setting: 'batch_share',
  },
  {
    line: 'cache_read',
    component: 'cache_read',
    factor: (m) => m.input.times(m.cache_hit_rate),
    setting: 'cache_hit_rate',
  },
  {
    line: 'cache_write',
    component: 'cache_write',
    factor: (m) => writes(m).times(ONE.minus(m.cache_write_1h_share)),
    setting: 'cache_write_rate',
  },
  {
    line: 'cache_write_1h',
    component: 'cache_write_1h',
    factor: (m) => writes(m).times(m.cache_write_1h_share),
    setting: 'cache_write_1h_share',
  },
  {
    line: 'output',
    component: 'output',
    factor: (m) => plainOut(m).times(realtime(m)),
    setting: 'output',
  },
  {
    line: 'batch_output',
    component: 'batch_output',
    factor: (m) => plainOut(m).times(m.batch_share),
    setting: 'batch_share',
  },
  {
    line: 'reasoning',
    component: 'reasoning',
    fallback: 'output',
    factor: (m) => m.output.times(m.reasoning_share).times(realtime(m)),
    setting: 'reasoning_share',
  },
  {
    line: 'batch_reasoning',
    component: 'batch_output',
    factor: (m) => m.output.times(m.reasoning_share).times(m.batch_share),
    setting: 'batch_share',
  },
];
const SPEC_OF = new Map(LINES.map((s) => [s.line, s]));

/** The lines a mix bills, with their share of a tier's tokens, computed once per mix. */
const lineCache = new WeakMap<TokenMix, Array<{ spec: LineSpec; factor: Big }>>();
function billedLines(mix: TokenMix): Array<{ spec: LineSpec; factor: Big }> {
  let lines = lineCache.get(mix);
  if (lines === undefined) {
    lines = LINES.map((spec) => ({ spec, factor: spec.factor(mix) })).filter(
      (l) => !l.factor.eq(ZERO),
    );
    lineCache.set(mix, lines);
  }
  return lines;
}

/** The long-context tier a request of this input size falls into (billed whole, as a cliff). */
export function contextTierFor(
  price: DatedPrice,
  inputTokensPerRequest: number | undefined,
): ContextTier | undefined {
  if (inputTokensPerRequest === undefined) return undefined;
  let found: ContextTier | undefined;
  for (const tier of price.context_tiers) {
    if (inputTokensPerRequest > tier.above_input_tokens) found = tier;
  }
  return found;
}

function rateFor(
  price: DatedPrice,
  component: PriceComponent,
  tier: ContextTier | undefined,
): Big | undefined {
  if (tier !== undefined && component in tier.rates) {
    return tier.rates[component as keyof ContextTier['rates']];
  }
  return price.rates[component];
}

/** The rate a line is billed at, the component it comes from, and why when that is not plain. */
function lineRate(
  price: DatedPrice,
  spec: LineSpec,
  ctx: ContextTier | undefined,
): { component: PriceComponent; rate: Big; note: PartNote | undefined } | undefined {
  const own = rateFor(price, spec.component, ctx);
  if (own !== undefined) {
    // above a tier's threshold a rate the tier does not re-price is billed at the base rate (as
    // LiteLLM does): said, not hidden
    const note: PartNote | undefined =
      ctx === undefined
        ? undefined
        : spec.component in ctx.rates
          ? { kind: 'long_context', above_input_tokens: ctx.above_input_tokens }
          : { kind: 'base_rate_above_tier', above_input_tokens: ctx.above_input_tokens };
    return { component: spec.component, rate: own, note };
  }
  if (spec.fallback === undefined) return undefined;
  const rate = rateFor(price, spec.fallback, ctx);
  return rate === undefined
    ? undefined
    : {
        component: spec.fallback,
        rate,
        note: { kind: 'billed_as', wanted: spec.component, used: spec.fallback },
      };
}

/**
 * Why a model lacks a rate: absent, given as 0 for "unknown" by its source, or quarantined as
 * implausible.
 */
export function absenceOf(price: DatedPrice, component: PriceComponent): Absence {
  const q = price.quarantine.find(
    (x) => x.component === component && x.above_input_tokens === undefined,
  );
  if (q !== undefined) return { kind: 'quarantined', value: q.value, why: q.why };
  return price.not_given.includes(component) ? { kind: 'not_given' } : { kind: 'absent' };
}

function chargesPerRequest(price: DatedPrice): boolean {
  const perRequest = price.rates.per_request;
  return perRequest !== undefined && !perRequest.eq(ZERO);
}

/** The mix a tier's tokens are billed by: its own when it has one, else the scenario's. */
const mixOfTier = (tier: Tier, mix: TokenMix): TokenMix => tier.token_mix ?? mix;

/**
 * Every rate the mix needs that a candidate's models lack, all at once, before anything is priced.
 */
export function findMissingPrices(candidate: Candidate, scenarioMix: TokenMix): MissingPrice[] {
  const missing: MissingPrice[] = [];
  for (const { tier, model, price } of candidate.tiers) {
    const mix = mixOfTier(tier, scenarioMix);
    const ctx = contextTierFor(price, mix.input_tokens_per_request);
    const at = { model: model.id, file: model.file, tier: tier.name };
    for (const { spec } of billedLines(mix)) {
      if (lineRate(price, spec, ctx) === undefined)
        missing.push({
          ...at,
          component: spec.component,
          needed_by: { kind: 'mix', setting: spec.setting },
          absence: absenceOf(price, spec.component),
        });
    }
    if (chargesPerRequest(price) && mix.tokens_per_request === undefined) {
      missing.push({
        ...at,
        component: 'per_request',
        needed_by: { kind: 'mix', setting: 'tokens_per_request' },
        absence: { kind: 'absent' },
        present: price.rates.per_request!,
      });
    }
  }
  return missing;
}

/** What a tier is billed for: tokens per line, and requests when fees per request apply. */
interface TierUsage {
  tier_tokens: Big;
  lines: Array<{ spec: LineSpec; quantity: Big }>;
  requests: Big | undefined;
  per_request_note: PartNote | undefined;
  input_tokens_per_request: number | undefined;
}

/**
 * Bills one tier's usage line by line, each at its own rate; throws on a rate the caller did not
 * check for.
 */
function billTier({ tier, model, price }: PricedTier, usage: TierUsage): Part[] {
  const ctx = contextTierFor(price, usage.input_tokens_per_request);
  const base = {
    tier: tier.name,
    model: model.id,
    share: tier.share,
    tier_tokens: usage.tier_tokens,
    source: price.source,
    effective_from: price.effective_from,
    file: model.file,
  };
  const parts: Part[] = [];
  for (const { spec, quantity } of usage.lines) {
    const found = lineRate(price, spec, ctx);
    if (found === undefined)
      throw new Error(
        `missing ${spec.component} price for ${model.id}: call findMissingPrices first`,
      );
    parts.push({
      ...base,
      line: spec.line,
      quantity,
      component: found.component,
      rate: found.rate,
      cost: quantity.times(found.rate).times(PER_MILLION),
      note: found.note,
    });
  }
  if (chargesPerRequest(price) && usage.requests !== undefined && !usage.requests.eq(ZERO)) {
    const perRequest = price.rates.per_request!;
    parts.push({
      ...base,
      line: 'per_request',
      quantity: usage.requests,
      component: 'per_request',
      rate: perRequest,
      cost: usage.requests.times(perRequest),
      note: usage.per_request_note,
    });
  }
  return parts;
}

/** Prices one month of `tokens` through a candidate. Exact: only per-request fees divide. */
export function priceCandidate(
  candidate: Candidate,
  tokens: number | Big,
  scenarioMix: TokenMix,
): Priced {
  const volume = typeof tokens === 'number' ? decInt(tokens) : tokens;
  const parts: Part[] = [];
  for (const priced of candidate.tiers) {
    const mix = mixOfTier(priced.tier, scenarioMix);
    const tierTokens = volume.times(priced.tier.share);
    const perRequest = mix.tokens_per_request;
    parts.push(
      ...billTier(priced, {
        tier_tokens: tierTokens,
        lines: billedLines(mix).map(({ spec, factor }) => ({
          spec,
          quantity: tierTokens.times(factor),
        })),
        requests:
          perRequest === undefined || tierTokens.eq(ZERO)
            ? undefined
            : tierTokens.div(decInt(perRequest)),
        per_request_note:
          perRequest === undefined
            ? undefined
            : { kind: 'per_request', tokens_per_request: perRequest },
        input_tokens_per_request: mix.input_tokens_per_request,
      }),
    );
  }
  const usage = usageByModel(parts);
  const fixed = fixedCharges(candidate, (model) => usage.get(model) ?? ZERO);
  return { cost: sum([...parts.map((p) => p.cost), ...fixed.map((f) => f.amount)]), parts, fixed };
}

function usageByModel(parts: readonly Part[]): Map<string, Big> {
  const usage = new Map<string, Big>();
  for (const p of parts) usage.set(p.model, (usage.get(p.model) ?? ZERO).plus(p.cost));
  return usage;
}

/** Whether any model of the candidate is billed by the month as well as by the token. */
export function hasFixedCharges(candidate: Candidate): boolean {
  return candidate.tiers.some(
    ({ price }) => price.monthly_fee !== undefined || price.minimum_commitment !== undefined,
  );
}

/**
 * A candidate's monthly charges, once per model however many tiers use it: the monthly fee, and
 * the top-up of a usage below the minimum commitment (the fee comes on top of the commitment).
 */
function fixedCharges(candidate: Candidate, usage: (model: string) => Big): FixedCharge[] {
  const seen = new Set<string>();
  const out: FixedCharge[] = [];
  for (const { model, price } of candidate.tiers) {
    if (seen.has(model.id)) continue;
    seen.add(model.id);
    const at = {
      model: model.id,
      source: price.source,
      effective_from: price.effective_from,
      file: model.file,
    };
    if (price.monthly_fee !== undefined && !price.monthly_fee.eq(ZERO))
      out.push({
        ...at,
        kind: 'monthly_fee',
        amount: price.monthly_fee,
        usage: undefined,
        commitment: undefined,
      });
    const floor = price.minimum_commitment;
    const used = usage(model.id);
    if (floor !== undefined && used.lt(floor))
      out.push({
        ...at,
        kind: 'commitment_top_up',
        amount: floor.minus(used),
        usage: used,
        commitment: floor,
      });
  }
  return out;
}

/** Tokens and requests actually spent (a probe run), per billing line. */
export interface MeasuredUsage {
  requests: number;
  tokens: Partial<Record<Exclude<Line, 'per_request'>, number>>;
}

/**
 * Measured usage through the same engine as a forecast: the same rates, long-context cliff (by
 * the mean input of a request), per-request fees and cache lines. Rates the model lacks come
 * back as `missing` and their lines are left out, so the caller decides what a gap means.
 */
export function priceUsage(
  priced: PricedTier,
  usage: MeasuredUsage,
): Priced & { missing: MissingPrice[] } {
  const lines: TierUsage['lines'] = [];
  const missing: MissingPrice[] = [];
  const inputPerRequest =
    usage.requests > 0 ? Math.round((usage.tokens.input ?? 0) / usage.requests) : undefined;
  const ctx = contextTierFor(priced.price, inputPerRequest);
  let total = ZERO;
  for (const [line, count] of Object.entries(usage.tokens) as Array<[Line, number]>) {
    if (count === 0) continue;
    const spec = SPEC_OF.get(line)!;
    if (lineRate(priced.price, spec, ctx) === undefined) {
      missing.push({
        model: priced.model.id,
        file: priced.model.file,
        tier: priced.tier.name,
        component: spec.component,
        needed_by: { kind: 'usage' },
        absence: absenceOf(priced.price, spec.component),
      });
      continue;
    }
    const quantity = decInt(count);
    total = total.plus(quantity);
    lines.push({ spec, quantity });
  }
  const parts = billTier(priced, {
    tier_tokens: total,
    lines,
    requests: decInt(usage.requests),
    per_request_note: undefined,
    input_tokens_per_request: inputPerRequest,
  });
  // a run's tokens only: monthly fees and commitments belong to a month, priced by cost and decide
  return { cost: sum(parts.map((p) => p.cost)), parts, fixed: [], missing };
}

export interface CostInput {
  candidates: Candidate[];
  baseline: Candidate;
  mix: TokenMix;
  points: VolumePoint[];
  budget: Big | undefined;
  /**
   * Keep every row's parts (for --explain); without them, linear candidates are priced by scaling.
   */
  parts: boolean;
}

/**
 * What one token costs through a candidate, per model: the same sums as priceCandidate(candidate,
 * 1), without building its parts.
 */
function perTokenByModel(candidate: Candidate, scenarioMix: TokenMix): Map<string, Big> {
  const byModel = new Map<string, Big>();
  for (const { tier, model, price } of candidate.tiers) {
    const mix = mixOfTier(tier, scenarioMix);
    const ctx = contextTierFor(price, mix.input_tokens_per_request);
    let total = ZERO;
    for (const { spec, factor } of billedLines(mix)) {
      const found = lineRate(price, spec, ctx);
      if (found === undefined)
        throw new Error(
          `missing ${spec.component} price for ${model.id}: call findMissingPrices first`,
        );
      total = total.plus(tier.share.times(factor).times(found.rate));
    }
    byModel.set(model.id, (byModel.get(model.id) ?? ZERO).plus(total.times(PER_MILLION)));
  }
  return byModel;
}

/**
 * A candidate's month as a curve of volume (for break-even volumes): per-token rates, per-request
 * fees over the request size, monthly fees, and a floor per committed model.
 */
export function costCurve(candidate: Candidate, mix: TokenMix): CostCurve {
  const byModel = perTokenByModel(candidate, mix);
  for (const { tier, model, price } of candidate.tiers) {
    const perRequest = mixOfTier(tier, mix).tokens_per_request;
    if (perRequest !== undefined && chargesPerRequest(price))
      byModel.set(
        model.id,
        byModel
          .get(model.id)!
          .plus(tier.share.times(price.rates.per_request!).div(decInt(perRequest))),
      );
  }
  const curve: CostCurve = { fixed: ZERO, linear: ZERO, floors: [] };
  const seen = new Set<string>();
  for (const { model, price } of candidate.tiers) {
    if (seen.has(model.id)) continue;
    seen.add(model.id);
    if (price.monthly_fee !== undefined) curve.fixed = curve.fixed.plus(price.monthly_fee);
    const rate = byModel.get(model.id)!;
    if (price.minimum_commitment === undefined) curve.linear = curve.linear.plus(rate);
    else curve.floors.push({ rate, floor: price.minimum_commitment });
  }
  return curve;
}

/**
 * Whether pricing this candidate divides (per-request fees), so that it is not exactly linear in
 * volume.
 */
function dividesVolume(candidate: Candidate, mix: TokenMix): boolean {
  return candidate.tiers.some(
    ({ tier, price }) =>
      mixOfTier(tier, mix).tokens_per_request !== undefined && chargesPerRequest(price),
  );
}

/**
 * A candidate's price at any volume. Every part is volume x share x factor x rate x 1e-6, all
 * exact multiplications, so the cost of V tokens is exactly V times the cost of one token; the
 * full breakdown is priced per volume only when it is wanted or when per-request fees divide.
 */
function pricer(
  candidate: Candidate,
  mix: TokenMix,
  parts: boolean,
): { price: (volume: Big) => Priced; linear: Big | undefined } {
  if (parts || dividesVolume(candidate, mix))
    return { price: (v) => priceCandidate(candidate, v, mix), linear: undefined };
  const byModel = perTokenByModel(candidate, mix);
  const perToken = sum([...byModel.values()]);
  if (!hasFixedCharges(candidate))
    return { price: (v) => ({ cost: perToken.times(v), parts: [], fixed: [] }), linear: perToken };
  // monthly fees and commitments: linear per model, then the month's charges on top
  return {
    price: (v) => {
      const fixed = fixedCharges(candidate, (model) => (byModel.get(model) ?? ZERO).times(v));
      return { cost: sum([perToken.times(v), ...fixed.map((f) => f.amount)]), parts: [], fixed };
    },
    linear: undefined,
  };
}

/**
 * The whole report: every point for every candidate against the baseline, plus totals and the
 * budget check.
 */
export function projectCosts(input: CostInput): CostReport {
  const baseline = pricer(input.baseline, input.mix, input.parts);
  const candidates = input.candidates.map((candidate) => {
    const p = pricer(candidate, input.mix, input.parts);
    // linear on both sides: the same share is saved at every volume, so divide once
    const constant =
      p.linear !== undefined && baseline.linear !== undefined
        ? savingsPct(p.linear, baseline.linear)
        : undefined;
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
        fixed: priced.fixed,
        baseline_cost: base.cost,
        baseline_parts: base.parts,
        baseline_fixed: base.fixed,
        savings_pct:
          constant !== undefined && point.tokens > 0
            ? constant
            : savingsPct(priced.cost, base.cost),
      });
    }
  }
  return {
    rows,
    totals: projectionTotals(input, rows),
    budget: budgetCheck(input.budget, rows),
    base_rate_context: baseRateContext(input),
    break_even: breakEvens([...input.candidates, input.baseline], input.mix),
  };
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
  return {
    limit,
    breaches: rows
      .filter((r) => r.cost.gt(limit))
      .map((row) => ({ row, over: row.cost.minus(limit) })),
  };
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
