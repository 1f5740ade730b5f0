import type { PriceComponent } from '../../domain/pricing.js';
import { ONE, type Big } from '../../units/decimal.js';
import {
  IMPORTABLE_ID,
  type ImportCounts,
  type ImportOptions,
  type ImportResult,
  type ImportWarning,
  type ModelOut,
  PriceBuilder,
  notTheDocument,
  readAmount,
  pricingResult,
  providerFilter,
  zeroCounts,
} from './common.js';

/**
 * OpenRouter pricing field -> our component; decimal strings in USD per token (request: per
 * request); optional fields write "0" for "none".
 */
const FIELDS: ReadonlyArray<[field: string, component: PriceComponent, optional: boolean]> = [
  ['prompt', 'input', false],
  ['completion', 'output', false],
  ['input_cache_read', 'cache_read', true],
  ['input_cache_write', 'cache_write', true],
  ['input_cache_write_1h', 'cache_write_1h', true],
  ['internal_reasoning', 'reasoning', true],
  ['request', 'per_request', true],
];

/**
 * Converts the OpenRouter models API response (`GET /api/v1/models`, JSON-parsed) into an
 * ai-route pricing document. "-1" marks router models whose price depends on the model picked:
 * skipped, never a negative price. A discount is applied to every rate and said in the source.
 * A "0" is free only on a ":free" model; elsewhere a prompt or completion of "0" is not given,
 * and an optional field of "0" means the rate does not apply.
 */
export function importOpenRouter(json: unknown, options: ImportOptions): ImportResult {
  const data =
    json !== null && typeof json === 'object' ? (json as { data?: unknown }).data : undefined;
  if (!Array.isArray(data))
    return notTheDocument('expected {"data": [...]}, the response of the OpenRouter models API');
  const warnings: ImportWarning[] = [];
  const counts = zeroCounts();
  const models = new Map<string, ModelOut>();
  data.forEach((item, i) => importItem(item, i, { options, warnings, counts, models }));
  return pricingResult({
    source: 'openrouter',
    label: 'the OpenRouter models API',
    options,
    filters: providerFilter(options),
    models,
    candidates: new Map([...models.keys()].map((id) => [id, [id.slice('openrouter/'.length)]])),
    warnings,
    counts,
  });
}

/** One entry of the models API: priced into `models`, or counted and said why not. */
function importItem(
  item: unknown,
  i: number,
  x: {
    options: ImportOptions;
    warnings: ImportWarning[];
    counts: ImportCounts;
    models: Map<string, ModelOut>;
  },
): void {
  const { options, warnings, counts, models } = x;
  const rawId =
    item !== null && typeof item === 'object' ? (item as { id?: unknown }).id : undefined;
  const entry = typeof rawId === 'string' ? rawId : `data[${i}]`;
  const say = (kind: 'no_id' | 'router_placeholder' | 'listed_twice') =>
    void warnings.push({ kind, source: 'openrouter', entry });
  if (typeof rawId !== 'string' || !IMPORTABLE_ID.test(rawId)) return say('no_id');
  if (options.provider !== undefined && rawId.split('/')[0] !== options.provider)
    return void counts.filtered++;
  const fields = (item as { pricing?: unknown }).pricing;
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields))
    return void counts.unpriced++;
  const pricing = fields as Record<string, unknown>;
  if (pricing.prompt === '-1' || pricing.completion === '-1') {
    say('router_placeholder');
    return void counts.unpriced++;
  }
  const discount = readDiscount(pricing.discount);
  if (discount === 'bad') {
    counts.rejected++;
    warnings.push({
      kind: 'bad_discount',
      source: 'openrouter',
      entry,
      value: String(JSON.stringify(pricing.discount)),
    });
  }
  const off = discount === 'bad' ? undefined : discount;
  const discounted = off === undefined ? '' : `; discount ${off.times('100').toFixed()}% applied`;
  const source = `OpenRouter models API ${options.file} ${JSON.stringify(rawId)}${discounted}`;
  const b = new PriceBuilder(
    { source: 'openrouter', entry, warnings, counts },
    { effective_from: options.effectiveFrom, source },
    rawId.endsWith(':free') ? 'a free variant (":free" on OpenRouter)' : undefined,
  );
  if (off !== undefined) b.scale(ONE.minus(off));
  for (const [field, component, optional] of FIELDS) {
    const unit = component === 'per_request' ? 'per_request' : 'per_token';
    if (optional) b.optional(component, pricing[field], unit, `pricing.${field}`);
    else b.rate(component, pricing[field], unit, `pricing.${field}`);
  }
  const price = b.build();
  if (price === undefined) return void counts.unpriced++;
  const id = `openrouter/${rawId}`;
  if (models.has(id)) return say('listed_twice');
  const display = (item as { name?: unknown }).name;
  models.set(id, {
    provider: 'openrouter',
    ...(typeof display === 'string' && display.trim() !== '' ? { display_name: display } : {}),
    prices: [price],
  });
}

/**
 * A discount is a fraction in [0, 1): price x (1 - discount). Anything else is reported and not
 * applied.
 */
function readDiscount(raw: unknown): Big | undefined | 'bad' {
  if (raw === undefined || raw === null || raw === 0 || raw === '0') return undefined;
  const amount = readAmount(raw);
  if (!amount.ok || amount.value.gte(ONE)) return 'bad';
  return amount.value.eq('0') ? undefined : amount.value;
}
