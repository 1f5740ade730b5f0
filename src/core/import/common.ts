import type { PriceComponent } from '../../domain/pricing.js';
import type { Issue } from '../../schema/issues.js';
import { Dec, type Big } from '../../units/decimal.js';

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

/** Why a source value is not a usable amount. */
export type AmountFault = { kind: 'not_finite' | 'negative' | 'not_number'; text: string } | { kind: 'too_large'; text: string; unit: 'token' | 'request' };

/** Something an importer left out or changed, with the entry and field it concerns; render words it. */
export type ImportWarning =
  | { kind: 'not_object' | 'no_provider' | 'no_id' | 'router_placeholder' | 'listed_twice'; source: ImportSource; entry: string }
  | { kind: 'bad_value'; source: ImportSource; entry: string; field: string; fault: AmountFault }
  | { kind: 'bad_tier_start'; source: ImportSource; entry: string; index: number; start: string }
  | { kind: 'bad_discount'; source: ImportSource; entry: string; value: string }
  | { kind: 'bad_id' | 'differs_taken' | 'differs_own_key' | 'alias_taken'; source: ImportSource; entry: string; id: string }
  | { kind: 'alias_owned'; source: ImportSource; entry: string; alias: string };

export type ImportSource = 'litellm' | 'openrouter';

export interface ImportResult {
  /** Undefined when the input is not the expected document at all; `issues` says why. */
  doc: PricingDocOut | undefined;
  /** Problems with the whole input (its top-level shape), with their places. */
  issues: Issue[];
  warnings: ImportWarning[];
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
export function readAmount(value: unknown, unit: 'token' | 'request'): { ok: true; value: Big } | { ok: false; fault: AmountFault } {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { ok: false, fault: { kind: 'not_finite', text: String(value) } };
    text = String(value);
  } else if (typeof value === 'string' && value.trim().length <= 64 && PLAIN_OR_EXPONENT.test(value.trim())) {
    text = value.trim();
  } else {
    return { ok: false, fault: { kind: 'not_number', text: JSON.stringify(value)?.slice(0, 40) ?? String(value) } };
  }
  const amount = Dec(text);
  if (amount.lt('0')) return { ok: false, fault: { kind: 'negative', text } };
  if (amount.gt(unit === 'token' ? MAX_PER_TOKEN : MAX_PER_REQUEST)) return { ok: false, fault: { kind: 'too_large', text, unit } };
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

/** Empty counts, for a fresh import. */
export function zeroCounts(): ImportResult['counts'] {
  return { models: 0, aliases: 0, unpriced: 0, filtered: 0, rejected: 0 };
}
