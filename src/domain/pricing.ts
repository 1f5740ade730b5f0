import type { Big } from 'big.js';
import type { DataPath } from './errors.js';
import type { Origin } from './sources.js';

/**
 * The largest prompt a long-context tier threshold may name (a billion tokens: no model reads
 * more).
 */
export const MAX_TIER_THRESHOLD = 1_000_000_000;

/** Every price component, in display order; all in USD per million tokens except per_request. */
export const PRICE_COMPONENTS = [
  'input',
  'output',
  'cache_read',
  'cache_write',
  'cache_write_1h',
  'reasoning',
  'batch_input',
  'batch_output',
  'per_request',
] as const;
export type PriceComponent = (typeof PRICE_COMPONENTS)[number];

/**
 * Components a long-context tier may re-price: every token rate (a tier bills the whole request).
 */
export const CONTEXT_TIER_COMPONENTS = [
  'input',
  'output',
  'cache_read',
  'cache_write',
  'cache_write_1h',
  'reasoning',
  'batch_input',
  'batch_output',
] as const;
export type ContextTierComponent = (typeof CONTEXT_TIER_COMPONENTS)[number];

export type PriceSet = Partial<Record<PriceComponent, Big>>;

/** Above this many input tokens in one request, the whole request is billed at these rates. */
export interface ContextTier {
  above_input_tokens: number;
  rates: Partial<Record<ContextTierComponent, Big>>;
}

/**
 * A rate a source gave that is outside the plausible range for its component: kept out of pricing,
 * with why.
 */
export interface Quarantined {
  component: PriceComponent;
  /** Set when the rate belongs to a long-context tier. */
  above_input_tokens: number | undefined;
  /** The source's value, as USD per million tokens (per request for per_request). */
  value: Big;
  why: string;
}

export interface DatedPrice {
  effective_from: string;
  source: string;
  rates: PriceSet;
  context_tiers: ContextTier[];
  /**
   * Why the $0 rates of this price are free: the source says so (a local model, a free variant).
   */
  free_in_source: string | undefined;
  /**
   * Components the source lists as 0 or empty, which it uses for "unknown": absent here, said when
   * needed.
   */
  not_given: PriceComponent[];
  /** Implausible rates, not priced unless --allow-implausible. */
  quarantine: Quarantined[];
  /** Quarantined rates this run takes as given (--allow-implausible); said under every table. */
  implausible_taken: Quarantined[];
  /**
   * USD a month for having the model at all (a dedicated instance, a platform fee), on top of
   * usage.
   */
  monthly_fee: Big | undefined;
  /** USD a month of usage billed at least (a commitment): usage below it is topped up to it. */
  minimum_commitment: Big | undefined;
  /** Where this price sits in its file, for error messages. */
  path: DataPath;
}

export interface ModelEntry {
  id: string;
  provider: string;
  display_name: string | undefined;
  /** The API surface, as LiteLLM records it (chat, embedding, ...), when the source says. */
  mode: string | undefined;
  aliases: string[];
  /** Oldest first. */
  prices: DatedPrice[];
  file: string;
  /** Where its file's prices come from, named for a sources slide. */
  origin?: Origin;
}

/**
 * A provider's rate limit on an account tier (OpenAI's usage tiers, Anthropic's build tiers), dated
 * and sourced like a price; `model` narrows it to one model's limit, else it is the provider's.
 */
export interface RateLimit {
  provider: string;
  account_tier: string;
  model: string | undefined;
  rpm: number | undefined;
  tpm: number | undefined;
  source: string;
  effective_from: string;
  file: string;
}

export interface PricingFile {
  file: string;
  /** Rate limits by provider and account tier, for capacity plans. */
  limits?: RateLimit[];
  /** The document its prices quote, the catalog it was imported from, or its own name. */
  origin: Origin;
  models: ModelEntry[];
  /**
   * Names that stand for several models of this file with different prices (LiteLLM call forms,
   * bare ids).
   */
  ambiguous: Record<string, string[]>;
  /** Entries an import left out, by the source's name, with why (no token price, ...). */
  skipped: Record<string, string>;
}

/** A name (id or alias) that a later file took over from a different model of an earlier file. */
export interface Shadow {
  name: string;
  was: ModelEntry;
  now: ModelEntry;
}

/**
 * All known models after overrides. Names are ids and declared aliases; files apply in order,
 * so a later file's model replaces one of the same id and takes over any name it declares.
 */
export interface Catalog {
  byId: Map<string, ModelEntry>;
  /** name (id or alias) -> id */
  names: Map<string, string>;
  /** id -> the files whose entry for it a later file replaced */
  replaced: Map<string, string[]>;
  /** names that now mean a different model than an earlier file gave them */
  shadows: Map<string, Shadow>;
  /** names that stand for several models with different prices: an error to use, listing each */
  ambiguous: Map<string, string[]>;
  /** names an import left out, with why and the file that says so; a model of the name wins */
  skipped: Map<string, { file: string; why: string }>;
  /** Every file's rate limits, in load order (a later file's entry wins a tie). */
  limits: RateLimit[];
}

/** Modes that generate text (as LiteLLM records them): suggested before embeddings and images. */
export const TEXT_MODES: ReadonlySet<string> = new Set(['chat', 'completion', 'responses']);
