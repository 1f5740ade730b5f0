import type { VolumePoint } from './cost.js';
import { type Big, Dec, ONE, decInt } from '../units/decimal.js';

// The capacity a setup needs at each stage or projected month: each tier's peak requests and
// tokens a minute against the limit of its provider's account (or one a pre-mortem measured), the
// keys (deployments, regions) that peak needs with room to spare, and the first month a single key
// is no longer enough. Pure: the limits and the traffic assumptions are chosen before.

/** The average Gregorian month (365.2425 / 12 days), as usage fit and the cost projection use. */
export const DAYS_PER_MONTH_TEXT = '30.4375';
/** The peak minute over the month's average minute, when a scenario states none. */
export const DEFAULT_PEAK_FACTOR = '3';
/** Tokens of one request, when neither the traffic block nor the token mix says. */
export const DEFAULT_TOKENS_PER_REQUEST = 1000;
/** Keep each key at most this far below its limit, in percent, unless --headroom says. */
export const DEFAULT_HEADROOM_PCT = '20';

export interface CapacityTier {
  tier: string;
  model: string;
  share: Big;
}

/** The limit one key of a tier's model has, and where it comes from. */
export interface KeyLimit {
  rpm: number | undefined;
  tpm: number | undefined;
  /** A pricing file's account tier, or the pre-mortem that measured it. */
  from: { kind: 'pricing'; provider: string; account_tier: string } | { kind: 'premortem' };
  source: string;
  /** The pricing file it was read from, or the saved pre-mortem. */
  file: string | undefined;
  effective_from: string | undefined;
}

export interface TrafficShape {
  peak_factor: Big;
  tokens_per_request: number;
  days_per_month: Big;
}

export interface CapacityInput {
  points: readonly VolumePoint[];
  tiers: readonly CapacityTier[];
  traffic: TrafficShape;
  /** By tier name; undefined: no limit known for that tier's model. */
  limits: ReadonlyMap<string, KeyLimit | undefined>;
  headroom_pct: Big;
  /** The months the first crossing is looked for in (the projection, or the scenario's growth). */
  horizon: readonly VolumePoint[];
}

export interface CapacityRow {
  stage: string | null;
  month: number | null;
  tokens: number;
  tier: string;
  model: string;
  peak_rpm: number;
  peak_tpm: number;
  limit_rpm: number | null;
  limit_tpm: number | null;
  /** Keys the peak needs with the headroom kept; null when no limit is known. */
  keys_needed: number | null;
  /** Which limit sets the keys: the one the peak uses more of. */
  binding: 'rpm' | 'tpm' | null;
  /** The first month of the horizon a single key cannot take the peak; null: none in it. */
  first_crossing_month: number | null;
}

export interface CapacityPlan {
  rows: CapacityRow[];
  minutes_per_month: Big;
}

const ceil = (v: Big): number => Number(v.round(0, Dec.roundUp).toFixed());

/** A tier's peak a minute at a monthly volume: tokens, and requests of tokens_per_request. */
function peakOf(tokens: number, share: Big, t: TrafficShape): { tpm: Big; rpm: Big } {
  const minutes = t.days_per_month.times(Dec('1440'));
  const tpm = decInt(tokens).times(share).div(minutes).times(t.peak_factor);
  return { tpm, rpm: tpm.div(decInt(t.tokens_per_request)) };
}

/** Keys a peak needs when each may use (100 - headroom)% of its limit, and the limit that binds. */
function keysFor(
  peak: { tpm: Big; rpm: Big },
  limit: KeyLimit | undefined,
  headroom: Big,
): { keys: number | null; binding: 'rpm' | 'tpm' | null } {
  if (limit === undefined || (limit.rpm === undefined && limit.tpm === undefined))
    return { keys: null, binding: null };
  const usable = ONE.minus(headroom.div(Dec('100')));
  const need = (p: Big, l: number | undefined) =>
    l === undefined ? undefined : p.div(decInt(l).times(usable));
  const byRpm = need(peak.rpm, limit.rpm);
  const byTpm = need(peak.tpm, limit.tpm);
  const binding = byTpm === undefined || (byRpm !== undefined && byRpm.gte(byTpm)) ? 'rpm' : 'tpm';
  const ratio = (binding === 'rpm' ? byRpm : byTpm)!;
  return { keys: Math.max(1, ceil(ratio)), binding };
}

/** Each point's peak, tier by tier, against one key's limit, with the keys it needs. */
export function planCapacity(input: CapacityInput): CapacityPlan {
  const { traffic, headroom_pct: headroom } = input;
  const crossing = new Map<string, number | null>();
  for (const tier of input.tiers) {
    const limit = input.limits.get(tier.tier);
    const first = input.horizon.find(
      (p) => (keysFor(peakOf(p.tokens, tier.share, traffic), limit, headroom).keys ?? 0) > 1,
    );
    crossing.set(tier.tier, first === undefined ? null : (first.month ?? null));
  }
  const rows = input.points.flatMap((p) =>
    input.tiers.map((tier): CapacityRow => {
      const limit = input.limits.get(tier.tier);
      const peak = peakOf(p.tokens, tier.share, traffic);
      const { keys, binding } = keysFor(peak, limit, headroom);
      return {
        stage: p.stage,
        month: p.month,
        tokens: p.tokens,
        tier: tier.tier,
        model: tier.model,
        peak_rpm: ceil(peak.rpm),
        peak_tpm: ceil(peak.tpm),
        limit_rpm: limit?.rpm ?? null,
        limit_tpm: limit?.tpm ?? null,
        keys_needed: keys,
        binding,
        first_crossing_month: crossing.get(tier.tier) ?? null,
      };
    }),
  );
  return { rows, minutes_per_month: traffic.days_per_month.times(Dec('1440')) };
}
