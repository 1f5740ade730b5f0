import type { PriceComponent } from '../../domain/pricing.js';
import { ONE, type Big } from '../../units/decimal.js';
import {
  IMPORTABLE_ID,
  type ImportOptions,
  type ImportResult,
  type ImportWarning,
  type ModelOut,
  type PriceOut,
  claimAlias,
  perMillion,
  readAmount,
  sortedModels,
  zeroCounts,
} from './common.js';

/** OpenRouter pricing field -> our component; decimal strings in USD per token (request: per request). */
const FIELDS: ReadonlyArray<[field: string, component: PriceComponent, optional: boolean]> = [
  ['prompt', 'input', false],
  ['completion', 'output', false],
  ['input_cache_read', 'cache_read', true],
  ['input_cache_write', 'cache_write', true],
  ['internal_reasoning', 'reasoning', true],
  ['request', 'per_request', true],
];

/**
 * Converts the OpenRouter models API response (`GET /api/v1/models`, JSON-parsed) into an
 * ai-route pricing document. "-1" marks router models whose price depends on the model picked:
 * skipped, never a negative price. A discount is applied to every rate and said in the source.
 * A "0" in an optional field is OpenRouter's way of saying "not given", so it is left out: a zero
 * reasoning rate would bill reasoning tokens as free.
 */
export function importOpenRouter(json: unknown, options: ImportOptions): ImportResult {
  const warnings: ImportWarning[] = [];
  const counts = zeroCounts();
  const data = json !== null && typeof json === 'object' ? (json as { data?: unknown }).data : undefined;
  if (!Array.isArray(data)) return { doc: undefined, issues: [{ path: [], message: 'expected {"data": [...]}, the response of the OpenRouter models API' }], warnings, counts };
  const models = new Map<string, ModelOut>();
  const owners = new Map<string, string>();
  data.forEach((item, i) => {
    const rawId = item !== null && typeof item === 'object' ? (item as { id?: unknown }).id : undefined;
    const name = typeof rawId === 'string' ? rawId : `data[${i}]`;
    const say = (kind: 'no_id' | 'router_placeholder' | 'listed_twice') => warnings.push({ kind, source: 'openrouter', entry: name });
    if (typeof rawId !== 'string' || !IMPORTABLE_ID.test(rawId)) {
      say('no_id');
      return;
    }
    if (options.provider !== undefined && rawId.split('/')[0] !== options.provider) {
      counts.filtered++;
      return;
    }
    const fields = (item as { pricing?: unknown }).pricing;
    if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
      counts.unpriced++;
      return;
    }
    const pricing = fields as Record<string, unknown>;
    if (pricing.prompt === '-1' || pricing.completion === '-1') {
      say('router_placeholder');
      counts.unpriced++;
      return;
    }
    const price = readPrice(name, rawId, pricing, options, warnings, counts);
    if (price === undefined) {
      counts.unpriced++;
      return;
    }
    const id = `openrouter/${rawId}`;
    if (models.has(id)) {
      say('listed_twice');
      return;
    }
    const display = (item as { name?: unknown }).name;
    models.set(id, { provider: 'openrouter', ...(typeof display === 'string' && display.trim() !== '' ? { display_name: display } : {}), prices: [price] });
    owners.set(id, id);
  });
  for (const id of models.keys()) {
    const original = id.slice('openrouter/'.length);
    if (!claimAlias(models, owners, id, original)) warnings.push({ kind: 'alias_owned', source: 'openrouter', entry: id, alias: original });
  }
  for (const model of models.values()) {
    counts.models++;
    counts.aliases += model.aliases?.length ?? 0;
  }
  return {
    issues: [],
    doc: {
      schema: 'ai-route/pricing@1',
      currency: 'USD',
      unit: 'usd_per_1m_tokens',
      description: `Imported from the OpenRouter models API (${options.file})`,
      generated_from: [
        { source: 'openrouter', file: options.file, imported_on: options.effectiveFrom, filters: options.provider === undefined ? {} : { provider: options.provider } },
      ],
      models: sortedModels(models),
    },
    warnings,
    counts,
  };
}

/** One model's rates, exact, with the discount applied; undefined when it gives no usable rate. */
function readPrice(
  name: string,
  rawId: string,
  pricing: Record<string, unknown>,
  options: ImportOptions,
  warnings: ImportWarning[],
  counts: ImportResult['counts'],
): PriceOut | undefined {
  const discount = readDiscount(pricing.discount, () => {
    counts.rejected++;
    warnings.push({ kind: 'bad_discount', source: 'openrouter', entry: name, value: String(JSON.stringify(pricing.discount)) });
  });
  const price: PriceOut = {
    effective_from: options.effectiveFrom,
    source: `OpenRouter models API ${options.file} ${JSON.stringify(rawId)}${discount === undefined ? '' : `; discount ${discount.times('100').toFixed()}% applied`}`,
  };
  for (const [field, component, optional] of FIELDS) {
    const raw = pricing[field];
    if (raw === undefined || raw === null || (optional && typeof raw === 'string' && /^0*\.?0*$/.test(raw.trim()))) continue;
    const amount = readAmount(raw, component === 'per_request' ? 'request' : 'token');
    if (!amount.ok) {
      counts.rejected++;
      warnings.push({ kind: 'bad_value', source: 'openrouter', entry: name, field: `pricing.${field}`, fault: amount.fault });
      continue;
    }
    const value = discount === undefined ? amount.value : amount.value.times(ONE.minus(discount));
    price[component] = component === 'per_request' ? value.toFixed() : perMillion(value);
  }
  return Object.keys(price).length === 2 ? undefined : price;
}

/** A discount is a fraction in [0, 1): price x (1 - discount). Anything else is reported and not applied. */
function readDiscount(raw: unknown, reject: () => void): Big | undefined {
  if (raw === undefined || raw === null || raw === 0 || raw === '0') return undefined;
  const amount = readAmount(raw, 'request');
  if (!amount.ok || amount.value.gte(ONE)) {
    reject();
    return undefined;
  }
  return amount.value.eq('0') ? undefined : amount.value;
}
