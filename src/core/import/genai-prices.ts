import { MAX_TIER_THRESHOLD, type PriceComponent } from '../../domain/pricing.js';
import { addDays } from '../../units/date.js';
import {
  IMPORTABLE_ID,
  type ImportOptions,
  type ImportResult,
  type ImportWarning,
  type ModelOut,
  PriceBuilder,
  type PriceOut,
  notTheDocument,
  pricingResult,
  providerFilter,
  zeroCounts,
} from './common.js';

/**
 * genai-prices field -> our component; USD per 1M tokens, requests_kcount per 1,000 requests.
 * Audio, image and search rates are not token prices of text.
 */
const FIELDS: ReadonlyArray<[field: string, component: PriceComponent]> = [
  ['input_mtok', 'input'],
  ['output_mtok', 'output'],
  ['cache_read_mtok', 'cache_read'],
  ['cache_write_mtok', 'cache_write'],
  ['cache_write_1h_mtok', 'cache_write_1h'],
  ['output_reasoning_mtok', 'reasoning'],
  ['requests_kcount', 'per_request'],
];

type Conditional = {
  constraint?: { start_date?: string; start_time?: string; end_time?: string };
  prices: Record<string, unknown>;
};

/** Hours a HH:MM:SSZ window covers, across midnight too. */
function windowHours(start: string, end: string): number {
  const h = (t: string) => Number(t.slice(0, 2)) + Number(t.slice(3, 5)) / 60;
  return (h(end) - h(start) + 24) % 24;
}

/**
 * The dated prices of a model: its undated price, then one per start_date constraint. A
 * time-of-day price (DeepSeek's off-peak hours) cannot be billed by a monthly forecast, so the
 * price of the longer window is taken and the other said in a warning.
 */
function datedPrices(
  prices: unknown,
  effectiveFrom: string,
  warn: (window: string) => void,
): Array<{ from: string; prices: Record<string, unknown> }> {
  const list: Conditional[] = Array.isArray(prices)
    ? (prices as Conditional[])
    : [{ prices: prices as Record<string, unknown> }];
  const valid = list.filter(
    (c) => c !== null && typeof c === 'object' && c.prices !== null && typeof c.prices === 'object',
  );
  const clock = (t: unknown): t is string => typeof t === 'string' && /^\d{2}:\d{2}/.test(t);
  const timed = valid.filter(
    (c) => clock(c.constraint?.start_time) && clock(c.constraint?.end_time),
  );
  let base = valid.find((c) => c.constraint === undefined);
  for (const t of timed) {
    const hours = windowHours(t.constraint!.start_time!, t.constraint!.end_time!);
    warn(`${t.constraint!.start_time!.slice(0, 5)}-${t.constraint!.end_time!.slice(0, 5)} UTC`);
    if (hours > 12) base = t;
  }
  const dated = valid
    .filter(
      (c) =>
        typeof c.constraint?.start_date === 'string' &&
        /^\d{4}-\d{2}-\d{2}$/.test(c.constraint.start_date),
    )
    .sort((a, b) => a.constraint!.start_date!.localeCompare(b.constraint!.start_date!));
  const first = dated[0]?.constraint!.start_date;
  const out: Array<{ from: string; prices: Record<string, unknown> }> = [];
  if (base !== undefined)
    out.push({
      from: first !== undefined && first <= effectiveFrom ? addDays(first, -1) : effectiveFrom,
      prices: base.prices,
    });
  for (const d of dated)
    if (!out.some((o) => o.from === d.constraint!.start_date))
      out.push({ from: d.constraint!.start_date!, prices: d.prices });
  return out;
}

/**
 * A rate that is either a number or {base, tiers: [{start, price}]}: the whole request at the
 * tier's price when its input tokens are more than `start`, as genai-prices bills it (its
 * `calcPrice` compares `input_tokens > start`), so `start` is our `above_input_tokens` as is.
 */
function readRate(b: PriceBuilder, component: PriceComponent, raw: unknown, field: string): void {
  const unit = component === 'per_request' ? 'per_thousand_requests' : 'per_million';
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    return void b.rate(component, raw, unit, field);
  const tiered = raw as { base?: unknown; tiers?: unknown };
  b.rate(component, tiered.base, unit, `${field}.base`);
  if (!Array.isArray(tiered.tiers)) return;
  tiered.tiers.forEach((t: { start?: unknown; price?: unknown }, i) => {
    if (
      typeof t?.start === 'number' &&
      Number.isSafeInteger(t.start) &&
      t.start >= 1 &&
      t.start <= MAX_TIER_THRESHOLD
    )
      b.rate(component, t.price, unit, `${field}.tiers[${i}]`, t.start);
    else
      b.reject({
        kind: 'bad_tier',
        field: `${field}.tiers[${i}].start`,
        start: String(JSON.stringify(t?.start)),
        first: 1,
        last: MAX_TIER_THRESHOLD,
      });
  });
}

/**
 * `equals` names of a match clause (at the top or under `or`, a few levels deep): exact names,
 * never patterns.
 */
function exactNames(match: unknown, depth = 0): string[] {
  if (match === null || typeof match !== 'object' || depth > 8) return [];
  const m = match as { equals?: unknown; or?: unknown };
  if (typeof m.equals === 'string') return [m.equals];
  return Array.isArray(m.or) ? m.or.flatMap((clause) => exactNames(clause, depth + 1)) : [];
}

/** One model of a provider, priced date by date; undefined when it gives no token price. */
function readModel(
  provider: string,
  model: Record<string, unknown>,
  options: ImportOptions,
  warnings: ImportWarning[],
  counts: ImportResult['counts'],
): ModelOut | undefined {
  const entry = `${provider}/${String(model.id)}`;
  const free =
    typeof model.id === 'string' && /(:|-)free$/.test(model.id)
      ? 'a free variant (its id says so in genai-prices)'
      : undefined;
  const prices: PriceOut[] = [];
  for (const dated of datedPrices(model.prices, options.effectiveFrom, (window) =>
    warnings.push({ kind: 'time_of_day', source: 'genai-prices', entry, window }),
  )) {
    const b = new PriceBuilder(
      { source: 'genai-prices', entry, warnings, counts },
      {
        effective_from: dated.from,
        source: `genai-prices ${options.file} ${JSON.stringify(entry)}`,
      },
      free,
    );
    for (const [field, component] of FIELDS) readRate(b, component, dated.prices[field], field);
    const price = b.build();
    if (price !== undefined) prices.push(price);
  }
  if (prices.length === 0) return undefined;
  return {
    provider,
    ...(typeof model.name === 'string' && model.name.trim() !== ''
      ? { display_name: model.name }
      : {}),
    mode: 'chat',
    prices,
  };
}

/**
 * Converts pydantic's genai-prices data file (`prices/data.json`: providers, each with models,
 * match rules and dated prices) into an ai-route pricing document. Ids are provider/model;
 * the model id and every `equals` of its match rule are names for it (patterns are not: ai-route
 * matches exactly). A tier applies above its `start` input tokens: `above_input_tokens: start`.
 */
export function importGenaiPrices(json: unknown, options: ImportOptions): ImportResult {
  if (!Array.isArray(json))
    return notTheDocument('expected a JSON list of providers, as in genai-prices data.json');
  const warnings: ImportWarning[] = [];
  const counts = zeroCounts();
  const models = new Map<string, ModelOut>();
  const candidates = new Map<string, string[]>();
  for (const p of json as Array<Record<string, unknown>>) {
    if (
      p === null ||
      typeof p !== 'object' ||
      typeof p.id !== 'string' ||
      !Array.isArray(p.models)
    ) {
      warnings.push({
        kind: 'no_id',
        source: 'genai-prices',
        entry: String((p as { id?: unknown } | null)?.id ?? '?'),
      });
      continue;
    }
    if (options.provider !== undefined && p.id !== options.provider) {
      counts.filtered += p.models.length;
      continue;
    }
    for (const m of p.models as Array<Record<string, unknown>>) {
      const id = `${p.id}/${String(m?.id)}`;
      if (typeof m?.id !== 'string' || !IMPORTABLE_ID.test(id)) {
        warnings.push({ kind: 'no_id', source: 'genai-prices', entry: id });
        continue;
      }
      const model = readModel(p.id, m, options, warnings, counts);
      if (model === undefined) counts.unpriced++;
      else if (models.has(id))
        warnings.push({ kind: 'listed_twice', source: 'genai-prices', entry: id });
      else {
        models.set(id, model);
        candidates.set(id, [m.id, ...exactNames(m.match)]);
      }
    }
  }
  return pricingResult({
    source: 'genai-prices',
    label: "pydantic's genai-prices data",
    options,
    filters: providerFilter(options),
    models,
    candidates: candidates,
    warnings,
    counts,
  });
}
