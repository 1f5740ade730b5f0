import type { PriceComponent } from '../../domain/pricing.js';
import {
  IMPORTABLE_ID,
  type ImportOptions,
  type ImportResult,
  type ImportWarning,
  type ModelOut,
  type PriceOut,
  type TierOut,
  claimAlias,
  perMillion,
  readAmount,
  sortedModels,
  zeroCounts,
} from './common.js';

/** LiteLLM's top-level keys that are not models. */
const NOT_MODELS = new Set(['sample_spec', 'fallback_generalizations']);

/** LiteLLM field -> our component. All USD per token except input_cost_per_request. */
const RATE_FIELDS: ReadonlyArray<[field: string, component: PriceComponent]> = [
  ['input_cost_per_token', 'input'],
  ['output_cost_per_token', 'output'],
  ['cache_read_input_token_cost', 'cache_read'],
  ['cache_creation_input_token_cost', 'cache_write'],
  ['output_cost_per_reasoning_token', 'reasoning'],
  ['input_cost_per_token_batches', 'batch_input'],
  ['output_cost_per_token_batches', 'batch_output'],
  ['input_cost_per_request', 'per_request'],
];

/** The legacy DeepSeek spelling of the cache-read rate, used only when the current one is absent. */
const LEGACY_CACHE_READ = 'input_cost_per_token_cache_hit';

const TIER_BASE: Record<string, keyof Omit<TierOut, 'above_input_tokens'>> = {
  input_cost_per_token: 'input',
  output_cost_per_token: 'output',
  cache_read_input_token_cost: 'cache_read',
  cache_creation_input_token_cost: 'cache_write',
};
/** `input_cost_per_token_above_200k_tokens`: a whole request over 200,000 input tokens (k = 1000). */
const ABOVE_FIELD = /^(input_cost_per_token|output_cost_per_token|cache_read_input_token_cost|cache_creation_input_token_cost)_above_(\d+)k_tokens$/;

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
  const warnings: ImportWarning[] = [];
  const counts = zeroCounts();
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return { doc: undefined, issues: [{ path: [], message: 'expected a JSON object of model entries, as in model_prices_and_context_window.json' }], warnings, counts };
  }
  const entries: Entry[] = [];
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
    const mode = typeof fields.mode === 'string' && /^[a-z_]+$/.test(fields.mode) ? fields.mode : undefined;
    if ((options.provider !== undefined && provider !== options.provider) || (options.mode !== undefined && mode !== options.mode)) {
      counts.filtered++;
      continue;
    }
    const price = readPrice(key, fields, options, (warning) => {
      counts.rejected++;
      warnings.push(warning);
    });
    if (price === undefined) {
      counts.unpriced++;
      continue;
    }
    entries.push({ key, provider, price, mode });
  }
  const models = assignIds(entries, warnings);
  for (const model of models.values()) {
    counts.models++;
    counts.aliases += model.aliases?.length ?? 0;
  }
  const filters: Record<string, string> = {};
  if (options.provider !== undefined) filters.provider = options.provider;
  if (options.mode !== undefined) filters.mode = options.mode;
  return {
    issues: [],
    doc: {
      schema: 'ai-route/pricing@1',
      currency: 'USD',
      unit: 'usd_per_1m_tokens',
      description: `Imported from LiteLLM's model cost map (${options.file})`,
      generated_from: [{ source: 'litellm', file: options.file, imported_on: options.effectiveFrom, filters }],
      models: sortedModels(models),
    },
    warnings,
    counts,
  };
}

type Reject = (warning: ImportWarning) => void;

function readPrice(key: string, fields: Record<string, unknown>, options: ImportOptions, reject: Reject): PriceOut | undefined {
  const source = typeof fields.source === 'string' ? `; ${fields.source}` : '';
  const price: PriceOut = { effective_from: options.effectiveFrom, source: `LiteLLM ${options.file} ${JSON.stringify(key)}${source}` };
  const rate = (field: string, unit: 'token' | 'request'): string | undefined => {
    if (fields[field] === undefined || fields[field] === null) return undefined;
    const amount = readAmount(fields[field], unit);
    if (!amount.ok) {
      reject({ kind: 'bad_value', source: 'litellm', entry: key, field, fault: amount.fault });
      return undefined;
    }
    return unit === 'token' ? perMillion(amount.value) : amount.value.toFixed();
  };
  for (const [field, component] of RATE_FIELDS) {
    const value = rate(field, component === 'per_request' ? 'request' : 'token');
    if (value !== undefined) price[component] = value;
  }
  if (price.cache_read === undefined) {
    const legacy = rate(LEGACY_CACHE_READ, 'token');
    if (legacy !== undefined) price.cache_read = legacy;
  }
  const tiers = new Map<number, TierOut>();
  const tier = (above: number): TierOut => tiers.get(above) ?? tiers.set(above, { above_input_tokens: above }).get(above)!;
  for (const field of Object.keys(fields)) {
    const m = ABOVE_FIELD.exec(field);
    if (!m) continue;
    const value = rate(field, 'token');
    if (value !== undefined) tier(Number(m[2]) * 1000)[TIER_BASE[m[1]!]!] = value;
  }
  readTieredPricing(key, fields.tiered_pricing, price, tier, reject);
  const ordered = [...tiers.values()].filter((t) => Object.keys(t).length > 1).sort((a, b) => a.above_input_tokens - b.above_input_tokens);
  if (ordered.length > 0) price.context_tiers = ordered;
  const priced = Object.keys(price).some((k) => k !== 'effective_from' && k !== 'source');
  return priced ? price : undefined;
}

/** `tiered_pricing` ranges priced by prompt size: the tier from 0 gives base rates, the others cliffs. */
function readTieredPricing(key: string, raw: unknown, price: PriceOut, tier: (above: number) => TierOut, reject: Reject): void {
  if (!Array.isArray(raw)) return;
  raw.forEach((item, i) => {
    if (item === null || typeof item !== 'object' || !Array.isArray((item as { range?: unknown }).range)) return; // e.g. max_results_range: not tokens
    const t = item as Record<string, unknown>;
    const start = (t.range as unknown[])[0];
    if (typeof start !== 'number' || !Number.isSafeInteger(start) || start < 0) {
      reject({ kind: 'bad_tier_start', source: 'litellm', entry: key, index: i, start: String(JSON.stringify(start)) });
      return;
    }
    for (const [field, component] of Object.entries(TIER_BASE)) {
      if (t[field] === undefined) continue;
      const amount = readAmount(t[field], 'token');
      if (!amount.ok) {
        reject({ kind: 'bad_value', source: 'litellm', entry: key, field: `tiered_pricing[${i}].${field}`, fault: amount.fault });
        continue;
      }
      if (start === 0) price[component] ??= perMillion(amount.value);
      else tier(start)[component] = perMillion(amount.value);
    }
  });
}

function samePrices(a: PriceOut, b: PriceOut): boolean {
  const strip = ({ source: _s, ...rest }: PriceOut) => JSON.stringify(rest);
  return strip(a) === strip(b);
}

/**
 * Ids are `provider/model` (`gpt-4o` becomes `openai/gpt-4o`) and the original key stays as an
 * alias. A key that already carries its provider keeps its id first; a second key for the same
 * id becomes an alias when its prices agree, else keeps its own key as id.
 */
function assignIds(entries: Entry[], warnings: ImportWarning[]): Map<string, ModelOut> {
  const models = new Map<string, ModelOut>();
  const canonical = (e: Entry) => (e.key.startsWith(`${e.provider}/`) ? e.key : `${e.provider}/${e.key}`);
  const place = (id: string, e: Entry) => {
    models.set(id, { provider: e.provider, ...(e.mode === undefined ? {} : { mode: e.mode }), prices: [e.price] });
  };
  const pending: Array<{ entry: Entry; id: string }> = [];
  const aliasOf: Array<{ entry: Entry; id: string }> = [];
  for (const entry of [...entries].sort((a, b) => Number(canonical(b) === b.key) - Number(canonical(a) === a.key))) {
    const id = canonical(entry);
    if (!IMPORTABLE_ID.test(id)) {
      warnings.push({ kind: 'bad_id', source: 'litellm', entry: entry.key, id });
      continue;
    }
    const taken = models.get(id);
    if (taken === undefined) {
      place(id, entry);
      if (id !== entry.key) aliasOf.push({ entry, id });
    } else if (samePrices(taken.prices[0]!, entry.price)) {
      aliasOf.push({ entry, id });
    } else {
      pending.push({ entry, id });
    }
  }
  for (const { entry, id } of pending) {
    if (models.has(entry.key) || !IMPORTABLE_ID.test(entry.key)) {
      warnings.push({ kind: 'differs_taken', source: 'litellm', entry: entry.key, id });
      continue;
    }
    warnings.push({ kind: 'differs_own_key', source: 'litellm', entry: entry.key, id });
    place(entry.key, entry);
  }
  const owners = new Map<string, string>();
  for (const { entry, id } of aliasOf) {
    if (!claimAlias(models, owners, id, entry.key)) {
      warnings.push({ kind: 'alias_taken', source: 'litellm', entry: entry.key, id });
    }
  }
  return models;
}
