import type { Big } from 'big.js';
import type { DataPath } from './errors.js';

export interface Tier {
  name: string;
  model: string;
  /** Share of the monthly volume sent to this tier first. */
  share: Big;
  /** Tier names tried in order when this tier fails; empty means no fallback, stated on purpose. */
  fallback: string[];
  /** This tier's OpenAI-compatible base URL, when it differs from the scenario's endpoint. */
  base_url?: string | undefined;
  /**
   * This tier's own token mix, in place of the scenario's: models see different traffic (a
   * fitted scenario gives each the mix its usage showed).
   */
  token_mix?: TokenMix | undefined;
}

export interface Setup {
  label: string;
  tiers: Tier[];
}

/** How a month's tokens split into billable components. Shares are exact decimals. */
export interface TokenMix {
  input: Big;
  output: Big;
  cache_hit_rate: Big;
  cache_write_rate: Big;
  /**
   * Share of cache writes kept for an hour (billed at cache_write_1h); the rest are 5-minute
   * writes.
   */
  cache_write_1h_share: Big;
  reasoning_share: Big;
  batch_share: Big;
  tokens_per_request: number | undefined;
  input_tokens_per_request: number | undefined;
}

export interface Stage {
  name: string;
  tokens: number;
}

/**
 * How the month's tokens arrive, for capacity: the peak minute's rate over the month's average one,
 * the tokens of one request, and the month's length in days (each undefined: the stated default).
 */
export interface Traffic {
  peak_factor: Big | undefined;
  tokens_per_request: number | undefined;
  days_per_month: Big | undefined;
}

export interface Growth {
  start: number;
  monthly_pct: Big;
  months: number;
  /** What the curve rests on: printed only under figures the curve made. */
  assumption: string | undefined;
}

/**
 * Circuit-breaker settings for `probe --failover`; each absent one takes the documented default.
 */
export type ScenarioBreaker = Partial<{
  failure_share: number;
  window_ms: number;
  min_requests: number;
  cooldown_ms: number;
}>;

export interface Scenario {
  file: string;
  name: string;
  description: string | undefined;
  setup: Setup;
  /** Where the setup's models are served (for probe); absent in cost-only scenarios. */
  endpoint: { base_url: string | undefined };
  breaker: ScenarioBreaker;
  baseline: { model: string; label: string | undefined };
  token_mix: TokenMix;
  /** True when the file left token_mix out and the article's all-output convention applies. */
  token_mix_defaulted: boolean;
  stages: Stage[];
  growth: Growth | undefined;
  traffic: Traffic | undefined;
  assumptions: string[];
  /** Where things sit in the file, for messages that point at the tier or the baseline. */
  paths: { tiers: Record<string, DataPath>; baseline: DataPath };
}

/** The longest monthly projection: past ten years a forecast is a typo. */
export const MAX_MONTHS = 120;
