import { MAX_TIER_THRESHOLD, type PriceComponent } from '../../domain/pricing.js';
import {
  IMPORTABLE_ID,
  type ImportOptions,
  type ImportResult,
  type ImportWarning,
  type ModelOut,
  PriceBuilder,
  notTheDocument,
  pricingResult,
  providerFilter,
  zeroCounts,
} from './common.js';

/**
 * models.dev `cost` field -> our component, USD per 1M tokens (audio rates are not text prices).
 */
const FIELDS: ReadonlyArray<[field: string, component: PriceComponent]> = [
  ['input', 'input'],
  ['output', 'output'],
  ['reasoning', 'reasoning'],
  ['cache_read', 'cache_read'],
  ['cache_write', 'cache_write'],
];

/** Providers that run models on your own machine: their $0 is free in the source. */
export const MODELS_DEV_FREE_PROVIDERS = ['lmstudio', 'ollama', 'llama.cpp', 'local'];

/** The mode a model's output modalities imply: text out is chat. */
function modeOf(model: Record<string, unknown>): string | undefined {
  const out = (model.modalities as { output?: unknown } | undefined)?.output;
  if (!Array.isArray(out)) return undefined;
  return out.includes('text')
    ? 'chat'
    : out.includes('image')
      ? 'image_generation'
      : out.includes('audio')
        ? 'audio_speech'
        : undefined;
}

/** A model's cost: base rates, then context tiers (`tiers`, or the legacy `context_over_200k`). */
function readCost(b: PriceBuilder, cost: Record<string, unknown>): void {
  for (const [field, component] of FIELDS)
    b.rate(component, cost[field], 'per_million', `cost.${field}`);
  const tiers = Array.isArray(cost.tiers) ? (cost.tiers as Array<Record<string, unknown>>) : [];
  tiers.forEach((t, i) => {
    const size = (t?.tier as { size?: unknown } | undefined)?.size;
    if (
      typeof size !== 'number' ||
      !Number.isSafeInteger(size) ||
      size <= 0 ||
      size > MAX_TIER_THRESHOLD
    )
      return b.reject({
        kind: 'bad_tier',
        field: `cost.tiers[${i}].tier.size`,
        start: String(JSON.stringify(size)),
        first: 1,
        last: MAX_TIER_THRESHOLD,
      });
    for (const [field, component] of FIELDS)
      b.rate(component, t[field], 'per_million', `cost.tiers[${i}].${field}`, size);
  });
  const over = cost.context_over_200k as Record<string, unknown> | undefined;
  if (tiers.length === 0 && over !== null && typeof over === 'object') {
    for (const [field, component] of FIELDS)
      b.rate(component, over[field], 'per_million', `cost.context_over_200k.${field}`, 200_000);
  }
}

/**
 * Converts models.dev's `api.json` (providers -> models -> `cost` per 1M tokens) into an
 * ai-route pricing document. Ids are provider/model; the model id alone is a name for it when it
 * means one price. A context tier of size N bills requests over N input tokens whole.
 */
export function importModelsDev(json: unknown, options: ImportOptions): ImportResult {
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    return notTheDocument('expected a JSON object of providers, as in https://models.dev/api.json');
  const warnings: ImportWarning[] = [];
  const counts = zeroCounts();
  const models = new Map<string, ModelOut>();
  const candidates = new Map<string, string[]>();
  for (const [providerId, raw] of Object.entries(json as Record<string, unknown>)) {
    const p = raw as { models?: unknown } | null;
    if (p === null || typeof p !== 'object' || p.models === null || typeof p.models !== 'object') {
      warnings.push({ kind: 'not_object', source: 'models.dev', entry: providerId });
      continue;
    }
    for (const [modelId, mraw] of Object.entries(p.models as Record<string, unknown>)) {
      const entry = `${providerId}/${modelId}`;
      if (options.provider !== undefined && providerId !== options.provider) {
        counts.filtered++;
        continue;
      }
      const m = mraw as Record<string, unknown>;
      if (m === null || typeof m !== 'object' || !IMPORTABLE_ID.test(entry)) {
        warnings.push({ kind: 'no_id', source: 'models.dev', entry });
        continue;
      }
      const cost = m.cost as Record<string, unknown> | undefined;
      const free = MODELS_DEV_FREE_PROVIDERS.includes(providerId)
        ? `a local model (models.dev provider ${providerId})`
        : /(:|-)free$/.test(modelId)
          ? 'a free variant (its id says so on models.dev)'
          : undefined;
      const mode = modeOf(m);
      const b = new PriceBuilder(
        { source: 'models.dev', entry, warnings, counts },
        {
          effective_from: options.effectiveFrom,
          source: `models.dev ${options.file} ${JSON.stringify(entry)}`,
        },
        free,
        mode === undefined || mode === 'chat',
      );
      if (cost !== null && typeof cost === 'object') readCost(b, cost);
      const price = b.build();
      if (price === undefined) {
        counts.unpriced++;
        continue;
      }
      models.set(entry, {
        provider: providerId,
        ...(typeof m.name === 'string' && m.name.trim() !== '' ? { display_name: m.name } : {}),
        ...(mode === undefined ? {} : { mode }),
        prices: [price],
      });
      candidates.set(entry, [modelId]);
    }
  }
  return pricingResult({
    source: 'models.dev',
    label: 'models.dev',
    options,
    filters: providerFilter(options),
    models,
    candidates: candidates,
    warnings,
    counts,
  });
}
