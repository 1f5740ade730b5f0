import {
  type ContextTierComponent,
  type DatedPrice,
  MAX_TIER_THRESHOLD,
  type PriceComponent,
  TEXT_MODES,
} from '../../domain/pricing.js';
import type { Big } from '../../units/decimal.js';
import {
  IMPORTABLE_ID,
  type ImportOptions,
  type ImportResult,
  type ImportWarning,
  type ModelOut,
  PriceBuilder,
  type PriceOut,
  notTheDocument,
  priceSignature,
  noTokenPriceWhy,
  pricingResult,
  zeroCounts,
} from './common.js';

/** LiteLLM's top-level keys that are not models. */
const NOT_MODELS = new Set(['sample_spec', 'fallback_generalizations']);

/**
 * LiteLLM field -> our component. All USD per token except input_cost_per_request (per request).
 */
const RATE_FIELDS: ReadonlyArray<[field: string, component: PriceComponent]> = [
  ['input_cost_per_token', 'input'],
  ['output_cost_per_token', 'output'],
  ['cache_read_input_token_cost', 'cache_read'],
  ['cache_creation_input_token_cost', 'cache_write'],
  ['cache_creation_input_token_cost_above_1hr', 'cache_write_1h'],
  ['output_cost_per_reasoning_token', 'reasoning'],
  ['input_cost_per_token_batches', 'batch_input'],
  ['output_cost_per_token_batches', 'batch_output'],
  ['input_cost_per_request', 'per_request'],
];

/**
 * Older spellings of a rate, used only when the current one is absent (DeepSeek's cache hit, a
 * Vertex embedding's batch).
 */
const LEGACY_SPELLINGS: ReadonlyArray<[field: string, component: PriceComponent]> = [
  ['input_cost_per_token_cache_hit', 'cache_read'],
  ['input_cost_per_token_batch_requests', 'batch_input'],
];

/** Rate fields that also appear inside tiered_pricing entries and `_above_Nk_tokens` variants. */
const TIER_FIELDS: Record<string, PriceComponent> = {
  input_cost_per_token: 'input',
  output_cost_per_token: 'output',
  cache_read_input_token_cost: 'cache_read',
  cache_creation_input_token_cost: 'cache_write',
  cache_creation_input_token_cost_above_1hr: 'cache_write_1h',
  output_cost_per_reasoning_token: 'reasoning',
  input_cost_per_token_batches: 'batch_input',
  output_cost_per_token_batches: 'batch_output',
};
/**
 * `input_cost_per_token_above_200k_tokens`: a whole request over 200,000 input tokens (k = 1000).
 */
const ABOVE_FIELD = new RegExp(`^(${Object.keys(TIER_FIELDS).join('|')})_above_(\\d+)k_tokens$`);

/**
 * Providers whose models run where you run them (local or self-hosted): their $0 is free in the
 * source. Everywhere else LiteLLM writes 0 for a price it does not know, so a 0 is "not given".
 */
export const LITELLM_FREE_PROVIDERS = [
  'ollama',
  'ollama_chat',
  'lm_studio',
  'lemonade',
  'llamafile',
  'llamacpp',
  'hosted_vllm',
  'vllm',
  'xinference',
  'oobabooga',
  'docker_model_runner',
];

interface Entry {
  key: string;
  provider: string;
  price: PriceOut;
  mode: string | undefined;
}

/**
 * Converts LiteLLM's model_prices_and_context_window.json (already JSON-parsed) into an
 * ai-route pricing document. Pure: the caller reads the file and writes the result.
 */
export function importLitellm(json: unknown, options: ImportOptions): ImportResult {
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    return notTheDocument(
      'expected a JSON object of model entries, as in model_prices_and_context_window.json',
    );
  const warnings: ImportWarning[] = [];
  const counts = zeroCounts();
  const entries: Entry[] = [];
  const skipped = new Map<string, string>();
  for (const [key, raw] of Object.entries(json as Record<string, unknown>)) {
    if (NOT_MODELS.has(key)) continue;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      warnings.push({ kind: 'not_object', source: 'litellm', entry: key });
      continue;
    }
    const fields = raw as Record<string, unknown>;
    const provider = fields.litellm_provider;
    if (typeof provider !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(provider)) {
      warnings.push({ kind: 'no_provider', source: 'litellm', entry: key });
      continue;
    }
    // a mode is kept only in the form the pricing schema accepts (chat, image_generation, ...)
    const mode =
      typeof fields.mode === 'string' && /^[a-z_]+$/.test(fields.mode) ? fields.mode : undefined;
    if (
      (options.provider !== undefined && provider !== options.provider) ||
      (options.mode !== undefined && mode !== options.mode)
    ) {
      counts.filtered++;
      continue;
    }
    const free = LITELLM_FREE_PROVIDERS.includes(provider)
      ? `a local or self-hosted model (LiteLLM provider ${provider})`
      : key.endsWith(':free')
        ? 'a free variant (":free" in LiteLLM)'
        : undefined;
    const builder = new PriceBuilder(
      { source: 'litellm', entry: key, warnings, counts },
      header(key, fields, options),
      free,
      mode === undefined || TEXT_MODES.has(mode),
    );
    readRates(builder, fields);
    const price = builder.build();
    if (price === undefined) {
      counts.unpriced++;
      skipped.set(key, noTokenPriceWhy(fields));
    } else entries.push({ key, provider, price, mode });
  }
  const { models, candidates } = assignIds(entries, warnings);
  return pricingResult({
    source: 'litellm',
    label: "LiteLLM's model cost map",
    options,
    filters: filtersOf(options),
    models,
    candidates: candidates,
    warnings,
    counts,
    skipped,
  });
}

function filtersOf(options: ImportOptions): Record<string, string> {
  const filters: Record<string, string> = {};
  if (options.provider !== undefined) filters.provider = options.provider;
  if (options.mode !== undefined) filters.mode = options.mode;
  return filters;
}

function header(
  key: string,
  fields: Record<string, unknown>,
  options: ImportOptions,
): { effective_from: string; source: string } {
  const source = typeof fields.source === 'string' ? `; ${fields.source}` : '';
  return {
    effective_from: options.effectiveFrom,
    source: `LiteLLM ${options.file} ${JSON.stringify(key)}${source}`,
  };
}

/**
 * Every billing rate of an entry: base fields, legacy spellings, `_above_Nk` tiers and
 * tiered_pricing.
 */
function readRates(b: PriceBuilder, fields: Record<string, unknown>): void {
  for (const [field, component] of RATE_FIELDS)
    b.rate(
      component,
      fields[field],
      component === 'per_request' ? 'per_request' : 'per_token',
      field,
    );
  for (const [field, component] of LEGACY_SPELLINGS)
    if (!b.has(component)) b.rate(component, fields[field], 'per_token', field);
  for (const field of Object.keys(fields)) {
    const m = ABOVE_FIELD.exec(field);
    if (m) b.rate(TIER_FIELDS[m[1]!]!, fields[field], 'per_token', field, Number(m[2]) * 1000);
  }
  readTieredPricing(b, fields.tiered_pricing);
}

/**
 * `tiered_pricing` ranges priced by prompt size: the tier from 0 gives base rates, the others
 * cliffs.
 */
function readTieredPricing(b: PriceBuilder, raw: unknown): void {
  if (!Array.isArray(raw)) return;
  raw.forEach((item, i) => {
    if (
      item === null ||
      typeof item !== 'object' ||
      !Array.isArray((item as { range?: unknown }).range)
    )
      return; // e.g. max_results_range: not tokens
    const t = item as Record<string, unknown>;
    const start = (t.range as unknown[])[0];
    if (
      typeof start !== 'number' ||
      !Number.isSafeInteger(start) ||
      start < 0 ||
      start > MAX_TIER_THRESHOLD
    ) {
      b.reject({
        kind: 'bad_tier',
        field: `tiered_pricing[${i}].range`,
        start: String(JSON.stringify(start)),
        first: 0,
        last: MAX_TIER_THRESHOLD,
      });
      return;
    }
    for (const [field, component] of Object.entries(TIER_FIELDS)) {
      if (t[field] === undefined) continue;
      if (start === 0) {
        if (!b.has(component))
          b.rate(component, t[field], 'per_token', `tiered_pricing[${i}].${field}`);
      } else b.rate(component, t[field], 'per_token', `tiered_pricing[${i}].${field}`, start);
    }
  });
}

/**
 * The prefix LiteLLM's callers write for a provider: `vertex_ai/...` for every vertex_ai-* family.
 */
export function callPrefix(provider: string): string {
  if (provider.startsWith('vertex_ai')) return 'vertex_ai';
  if (provider === 'bedrock_converse') return 'bedrock';
  if (provider === 'cohere_chat') return 'cohere';
  if (provider === 'azure_text') return 'azure';
  if (provider === 'text-completion-openai') return 'openai';
  if (provider === 'text-completion-codestral') return 'codestral';
  return provider.replace(/-embedding-models$/, '');
}

/**
 * The names people type for an entry: its key, its LiteLLM call form, and for OpenRouter entries
 * the OpenRouter id.
 */
function namesOf(entry: Entry): string[] {
  const prefix = callPrefix(entry.provider);
  const bare = entry.key.startsWith(`${entry.provider}/`)
    ? entry.key.slice(entry.provider.length + 1)
    : entry.key.startsWith(`${prefix}/`)
      ? entry.key.slice(prefix.length + 1)
      : entry.key;
  const names = [entry.key, `${prefix}/${bare}`];
  // an OpenRouter id (google/gemini-2.5-pro) for LiteLLM's openrouter/ entries; other gateways'
  // vendor/model keys would take over the ids of other catalogs (Qwen/Qwen3-32B is the shipped
  // model, not DeepInfra's)
  if (entry.provider === 'openrouter' && bare.split('/').length === 2) names.push(bare);
  return names;
}

/**
 * Ids are `provider/model` (`gpt-4o` becomes `openai/gpt-4o`). A key that already carries its
 * provider keeps its id first; a second key for the same id becomes one of its names when its
 * prices agree, else keeps its own key as id.
 */
function assignIds(
  entries: Entry[],
  warnings: ImportWarning[],
): { models: Map<string, ModelOut>; candidates: Map<string, string[]> } {
  const models = new Map<string, ModelOut>();
  const candidates = new Map<string, string[]>();
  const canonical = (e: Entry) =>
    e.key.startsWith(`${e.provider}/`) ? e.key : `${e.provider}/${e.key}`;
  const place = (id: string, e: Entry) => {
    models.set(id, {
      provider: e.provider,
      ...(e.mode === undefined ? {} : { mode: e.mode }),
      prices: [e.price],
    });
    candidates.set(id, namesOf(e));
  };
  const pending: Array<{ entry: Entry; id: string }> = [];
  for (const entry of [...entries].sort(
    (a, b) => Number(canonical(b) === b.key) - Number(canonical(a) === a.key),
  )) {
    const id = canonical(entry);
    if (!IMPORTABLE_ID.test(id)) {
      warnings.push({ kind: 'bad_id', source: 'litellm', entry: entry.key, id });
      continue;
    }
    const taken = models.get(id);
    if (taken === undefined) place(id, entry);
    else if (priceSignature(taken.prices[0]) === priceSignature(entry.price))
      candidates.get(id)!.push(...namesOf(entry));
    else pending.push({ entry, id });
  }
  for (const { entry, id } of pending) {
    if (models.has(entry.key) || !IMPORTABLE_ID.test(entry.key)) {
      warnings.push({ kind: 'differs_taken', source: 'litellm', entry: entry.key, id });
      continue;
    }
    warnings.push({ kind: 'differs_own_key', source: 'litellm', entry: entry.key, id });
    place(entry.key, entry);
  }
  return { models, candidates };
}

/**
 * A price as LiteLLM's own fields, the inverse of the import: every rate in USD per token (per
 * request for `input_cost_per_request`), and each long-context tier as `<field>_above_<N>k_tokens`
 * when its threshold is whole thousands.
 */
export function litellmRates(price: DatedPrice): Record<string, number> {
  const out: Record<string, number> = {};
  const perToken = (rate: Big) => Number(rate.times('0.000001').toFixed());
  for (const [field, component] of RATE_FIELDS) {
    const rate = price.rates[component];
    if (rate !== undefined)
      out[field] = component === 'per_request' ? Number(rate.toFixed()) : perToken(rate);
  }
  for (const tier of price.context_tiers) {
    if (tier.above_input_tokens % 1000 !== 0) continue;
    for (const [field, component] of Object.entries(TIER_FIELDS)) {
      const rate = tier.rates[component as ContextTierComponent];
      if (rate !== undefined)
        out[`${field}_above_${tier.above_input_tokens / 1000}k_tokens`] = perToken(rate);
    }
  }
  return out;
}
