import type { Big } from 'big.js';

/**
 * Usage as teams already hold it (provider usage APIs, traces, gateway logs, a daily CSV), read
 * into one shape: token counts by UTC day, model and service tier. docs/usage.md defines each
 * field and each reader.
 */

/** The formats `usage` reads; `--from` forces one, else it is sniffed from the content. */
export const USAGE_FORMATS = [
  'openai-usage',
  'openai-costs',
  'anthropic-usage',
  'anthropic-costs',
  'otlp',
  'litellm-spend',
  'csv',
] as const;
export type UsageFormat = (typeof USAGE_FORMATS)[number];

/**
 * Token counts with OpenAI's conventions: `input_tokens` includes the cached and cache-write
 * tokens, `output_tokens` includes the reasoning tokens.
 */
export interface UsageCounts {
  /** Requests, or null when the source does not count them (Anthropic's usage report). */
  requests: number | null;
  input_tokens: number;
  cached_input_tokens: number;
  /** Cache writes of every lifetime, 1-hour ones included. */
  cache_write_tokens: number;
  /** The part of cache_write_tokens written for an hour (Anthropic's ephemeral_1h). */
  cache_write_1h_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
}

/** One source record: a provider bucket's result, a span, a log row or a CSV line. */
export interface UsageRecord extends UsageCounts {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  /** The model as the source names it. */
  model: string;
  /** The provider as the source names it (`gen_ai.provider.name`, LiteLLM's provider). */
  provider: string | undefined;
  /** standard, batch, priority, flex, ... as the source says; standard when it does not. */
  service_tier: string;
  /** What the source billed for it, in USD, when it says (a LiteLLM spend, a CSV billed_usd). */
  billed: Big | undefined;
  /** Identifies the record across files (a bucket, a request id, a span id), to count it once. */
  key: string | undefined;
  /** Why no catalog rate can price it, whatever the catalog (audio tokens, say). */
  unpriceable: string | undefined;
  /**
   * The UTC hour it started, as hours since 1970, when the source times each record (a span, a
   * spend log row): what capacity's peak is fitted from. Absent for daily buckets.
   */
  hour?: number | undefined;
}

/** A billed amount from a cost report: a day, and the model when the report names one. */
export interface BilledRecord {
  day: string;
  model: string | undefined;
  amount: Big;
  key: string | undefined;
}

/** What a reader could not use, kept to say how much was left out and where. */
export interface SkippedInput {
  file: string;
  line: number | undefined;
  why: string;
}

/** What was seen besides completions, by operation name: counted, never priced. */
export interface OtherOperation {
  operation: string;
  records: number;
  input_tokens: number;
  output_tokens: number;
}
