import type { Catalog } from '../../domain/pricing.js';
import { NOT_GROUPED } from '../../schema/usage-read.js';
import { daysBetween } from '../../units/date.js';
import { type Big, Dec, ONE, ZERO, decInt } from '../../units/decimal.js';
import { priceAt } from '../catalog.js';
import { INPUT_BUCKET, type UsageAccumulator, type UsageGroup } from './aggregate.js';
import { DAYS_PER_MONTH, type GrowthFit, fitGrowth } from './growth.js';
import { resolveUsageModel } from './names.js';

/**
 * A scenario fitted from usage: tiers from the observed model shares (by tokens), the token mix
 * from the observed components, tokens per request, the share of requests over each
 * long-context threshold (where per-request data exists), and growth fitted on daily volume.
 * Data only: render/usage-fit.ts writes it as a scenario and as `ai-route/usage-fit@1`.
 */

/** Shares are written to this many decimal places, and made to add up to exactly 1. */
const PLACES = 4;

export interface FitTier {
  /** The name the catalog prices it by (the reported one when the catalog lacks it). */
  model: string;
  reported: string;
  share: Big;
  tokens: number;
  priced: boolean;
  /** The mix of this model's own usage. */
  mix: FitMix;
}

export interface FitMix {
  input: Big;
  output: Big;
  cache_hit_rate: Big;
  cache_write_rate: Big;
  cache_write_1h_share: Big;
  batch_share: Big;
  reasoning_share: Big;
  tokens_per_request: number | null;
  input_tokens_per_request: number | null;
}

export interface LongContextShare {
  model: string;
  threshold: number;
  share_of_requests: Big;
  requests: number;
}

export interface UsageFit {
  first_day: string | undefined;
  last_day: string | undefined;
  days: number;
  requests: number | null;
  tokens: number;
  tiers: FitTier[];
  /** Models whose share rounds to zero, left out (their tokens go to the largest tier). */
  dropped: string[];
  token_mix: FitMix;
  long_context: LongContextShare[];
  growth: GrowthFit | { none: string };
  /** The monthly volume the growth starts from: the fitted last day, or the mean day, x a month. */
  start_volume: number;
  /** Tokens of service tiers the mix has no share for (priority, flex), counted in the tiers. */
  other_tier_tokens: number;
  /**
   * The mix the baseline is priced by: the observed one, less what its model's price has no rate
   * for (OpenAI bills no cache writes: they are fresh input there), each change said.
   */
  baseline_mix: FitMix;
  baseline_changes: Array<'cache_writes_as_input' | 'batch_as_realtime'>;
}

const tokensOf = (g: Pick<UsageGroup, 'input_tokens' | 'output_tokens'>) =>
  g.input_tokens + g.output_tokens;

/** value / total to PLACES decimals (0 when the total is 0). */
function ratio(value: number, total: number): Big {
  return total === 0 ? ZERO : decInt(value).div(decInt(total)).round(PLACES, Dec.roundHalfUp);
}

/** Shares by tokens rounded to PLACES, the rounding remainder on the largest: they add up to 1. */
function tierShares(byModel: Map<string, number>, total: number) {
  const sorted = [...byModel.entries()].sort((a, b) => b[1] - a[1]);
  const shares = sorted.map(([model, tokens]) => ({ model, tokens, share: ratio(tokens, total) }));
  const kept = shares.filter((s) => s.share.gt(ZERO));
  const dropped = shares.filter((s) => s.share.eq(ZERO)).map((s) => s.model);
  const sum = kept.reduce((s, t) => s.plus(t.share), ZERO);
  if (kept[0] !== undefined) kept[0].share = kept[0].share.plus(ONE.minus(sum));
  return { kept, dropped };
}

function mixOf(groups: UsageGroup[]): FitMix {
  const sum = (pick: (g: UsageGroup) => number) => groups.reduce((s, g) => s + pick(g), 0);
  const input = sum((g) => g.input_tokens);
  const output = sum((g) => g.output_tokens);
  const inputShare = ratio(input, input + output);
  const counted = groups.filter((g) => g.requests !== null);
  const requests = counted.reduce((s, g) => s + g.requests!, 0);
  const countedTokens = counted.reduce((s, g) => s + tokensOf(g), 0);
  const countedInput = counted.reduce((s, g) => s + g.input_tokens, 0);
  return {
    input: inputShare,
    output: ONE.minus(inputShare),
    cache_hit_rate: ratio(
      sum((g) => g.cached_input_tokens),
      input,
    ),
    cache_write_rate: ratio(
      sum((g) => g.cache_write_tokens),
      input,
    ),
    cache_write_1h_share: ratio(
      sum((g) => g.cache_write_1h_tokens),
      sum((g) => g.cache_write_tokens),
    ),
    batch_share: ratio(
      sum((g) => (g.service_tier === 'batch' ? tokensOf(g) : 0)),
      input + output,
    ),
    reasoning_share: ratio(
      sum((g) => g.reasoning_tokens),
      output,
    ),
    tokens_per_request: requests === 0 ? null : Math.round(countedTokens / requests),
    input_tokens_per_request: requests === 0 ? null : Math.round(countedInput / requests),
  };
}

/** The share of a model's per-request records over each long-context threshold it is priced by. */
function longContext(acc: UsageAccumulator, tiers: FitTier[], catalog: Catalog, day: string) {
  const out: LongContextShare[] = [];
  for (const t of tiers) {
    const buckets = acc.inputPerRequest.get(t.reported);
    const model = catalog.byId.get(catalog.names.get(t.model) ?? '');
    if (buckets === undefined || model === undefined) continue;
    const requests = [...buckets.values()].reduce((s, n) => s + n, 0);
    for (const tier of priceAt(model, day)?.context_tiers ?? []) {
      const over = Math.floor(tier.above_input_tokens / INPUT_BUCKET);
      let above = 0;
      for (const [k, n] of buckets) if (k > over) above += n;
      out.push({
        model: t.model,
        threshold: tier.above_input_tokens,
        share_of_requests: ratio(above, requests),
        requests,
      });
    }
  }
  return out;
}

/** The observed mix as the baseline's model can be billed by it, and what had to change. */
function baselineMixOf(mix: FitMix, catalog: Catalog, baseline: string, day: string) {
  const found = resolveUsageModel(catalog, baseline, undefined, day).resolution;
  const rates = found.kind === 'priced' ? found.price.rates : undefined;
  const changes: UsageFit['baseline_changes'] = [];
  let out = mix;
  const writes = mix.cache_write_rate.gt(ZERO);
  const needs1h = mix.cache_write_1h_share.gt(ZERO);
  if (
    rates !== undefined &&
    writes &&
    (rates.cache_write === undefined || (needs1h && rates.cache_write_1h === undefined))
  ) {
    out = { ...out, cache_write_rate: ZERO, cache_write_1h_share: ZERO };
    changes.push('cache_writes_as_input');
  }
  if (rates !== undefined && mix.batch_share.gt(ZERO) && rates.batch_input === undefined) {
    out = { ...out, batch_share: ZERO };
    changes.push('batch_as_realtime');
  }
  return { mix: out, changes };
}

/** The scenario the usage implies, with what each number rests on. */
export function fitUsage(
  acc: UsageAccumulator,
  catalog: Catalog,
  baseline: string,
  range: { since?: string | undefined; until?: string | undefined } = {},
): UsageFit {
  const groups = [...acc.groups.values()].filter(
    (g) =>
      g.model !== NOT_GROUPED &&
      (range.since === undefined || g.day >= range.since) &&
      (range.until === undefined || g.day <= range.until),
  );
  const days = [...new Set(groups.map((g) => g.day))].sort();
  const first = days[0];
  const last = days.at(-1);
  const byModel = new Map<string, number>();
  const byDay = new Map<string, number>();
  for (const g of groups) {
    byModel.set(g.model, (byModel.get(g.model) ?? 0) + tokensOf(g));
    byDay.set(g.day, (byDay.get(g.day) ?? 0) + tokensOf(g));
  }
  const total = [...byModel.values()].reduce((s, n) => s + n, 0);
  const { kept, dropped } = tierShares(byModel, total);
  const providerOf = (model: string) => groups.find((g) => g.model === model)?.provider;
  const tiers: FitTier[] = kept.map((k) => {
    const found = resolveUsageModel(catalog, k.model, providerOf(k.model), last ?? '9999-12-31');
    const known = found.resolution.kind === 'priced' || found.resolution.kind === 'not_in_force';
    const own = groups.filter((g) => g.model === k.model);
    return {
      ...k,
      reported: k.model,
      model: found.priced_as ?? k.model,
      priced: known,
      mix: mixOf(own),
    };
  });
  const growth =
    first === undefined
      ? { none: 'no usage' }
      : fitGrowth([...byDay.entries()].map(([d, v]) => [daysBetween(first, d), v] as const));
  const span = first === undefined || last === undefined ? 0 : daysBetween(first, last) + 1;
  const mix = mixOf(groups);
  const forBaseline = baselineMixOf(mix, catalog, baseline, last ?? '9999-12-31');
  const requests = groups.some((g) => g.requests === null)
    ? null
    : groups.reduce((s, g) => s + g.requests!, 0);
  return {
    first_day: first,
    last_day: last,
    days: days.length,
    requests,
    tokens: total,
    tiers,
    dropped,
    token_mix: mix,
    baseline_mix: forBaseline.mix,
    baseline_changes: forBaseline.changes,
    long_context: last === undefined ? [] : longContext(acc, tiers, catalog, last),
    growth,
    start_volume: Math.round(
      'none' in growth
        ? (total / Math.max(span, 1)) * DAYS_PER_MONTH
        : growth.last_day_volume * DAYS_PER_MONTH,
    ),
    other_tier_tokens: groups
      .filter((g) => g.service_tier !== 'standard' && g.service_tier !== 'batch')
      .reduce((s, g) => s + tokensOf(g), 0),
  };
}
