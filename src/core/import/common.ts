import { Dec, type Big } from '../decimal.js';
import type { PriceComponent } from '../../schema/pricing.js';

/** One model as written to an ai-route/pricing@1 file (plain JSON, rates as decimal strings). */
export interface ModelOut {
  provider: string;
  display_name?: string;
  mode?: string;
  aliases?: string[];
  prices: PriceOut[];
}

export type PriceOut = { effective_from: string; source: string; context_tiers?: TierOut[] } & Partial<Record<PriceComponent, string>>;
export type TierOut = { above_input_tokens: number } & Partial<Record<'input' | 'output' | 'cache_read' | 'cache_write', string>>;

export interface PricingDocOut {
  schema: 'ai-route/pricing@1';
  currency: 'USD';
  unit: 'usd_per_1m_tokens';
  description: string;
  generated_from: Array<{ source: string; file: string; imported_on: string; filters: Record<string, string> }>;
  models: Record<string, ModelOut>;
}

export interface ImportOptions {
  /** Keep only this provider (LiteLLM's litellm_provider, or the vendor part of an OpenRouter id). */
  provider?: string;
  /** LiteLLM only: keep only entries of this mode, such as chat. */
  mode?: string;
  /** The date the imported prices take effect: the day of the import unless given. */
  effectiveFrom: string;
  /** The input file as the user named it, recorded in every price's source. */
  file: string;
}

export interface ImportResult {
  doc: PricingDocOut;
  warnings: string[];
  counts: { models: number; aliases: number; unpriced: number; filtered: number; rejected: number };
}

/** Above $1 per token ($1,000,000 per million) a figure is a unit mistake, not a price. */
const MAX_PER_TOKEN = Dec('1');
const MAX_PER_REQUEST = Dec('10000');
const PLAIN_OR_EXPONENT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,4})?$/;

/**
 * A USD amount from a source, exact: a JSON number through its shortest round-trip text
 * (String(2.19e-6) is "0.00000219"), a decimal string as written. Refuses negatives,
 * non-finite values, non-numbers and implausible sizes, saying why.
 */
export function readAmount(value: unknown, unit: 'token' | 'request'): { ok: true; value: Big } | { ok: false; why: string } {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { ok: false, why: `${value} is not a finite number` };
    text = String(value);
  } else if (typeof value === 'string' && PLAIN_OR_EXPONENT.test(value.trim())) {
    text = value.trim();
  } else {
    return { ok: false, why: `${JSON.stringify(value)?.slice(0, 40) ?? String(value)} is not a number` };
  }
  const amount = Dec(text);
  if (amount.lt('0')) return { ok: false, why: `${text} is negative` };
  if (amount.gt(unit === 'token' ? MAX_PER_TOKEN : MAX_PER_REQUEST)) {
    return { ok: false, why: `${text} USD per ${unit} is implausibly large` };
  }
  return { ok: true, value: amount };
}

/** USD per token as USD per million tokens, as a plain decimal string ("1e-05" -> "10"). */
export function perMillion(perToken: Big): string {
  return perToken.times('1000000').toFixed();
}

/** Models sorted by id, keys in schema order, so that two imports of the same catalog diff cleanly. */
export function sortedModels(models: Map<string, ModelOut>): Record<string, ModelOut> {
  const ordered = [...models.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(
    ordered.map(([id, m]) => [
      id,
      {
        provider: m.provider,
        ...(m.display_name === undefined ? {} : { display_name: m.display_name }),
        ...(m.mode === undefined ? {} : { mode: m.mode }),
        ...(m.aliases === undefined ? {} : { aliases: m.aliases }),
        prices: m.prices,
      },
    ]),
  );
}

/** Same characters our pricing schema accepts in a model id. */
export const IMPORTABLE_ID = /^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$/;

/** Adds `alias` unless some model already owns that name; returns whether it was added. */
export function claimAlias(models: Map<string, ModelOut>, owners: Map<string, string>, id: string, alias: string): boolean {
  if (alias === id || owners.has(alias) || models.has(alias)) return false;
  owners.set(alias, id);
  const model = models.get(id)!;
  model.aliases = [...(model.aliases ?? []), alias];
  return true;
}
