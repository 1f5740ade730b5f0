import { CONTEXT_TIER_COMPONENTS, type ContextTier, type DatedPrice, type ModelEntry, PRICE_COMPONENTS, type PriceSet, type PricingFile } from '../domain/pricing.js';
import type { DataPath, IssueList } from './issues.js';
import { DocReader } from './read.js';

export const PRICING_SCHEMA = 'ai-route/pricing@1';

const TOP_KEYS = ['schema', 'currency', 'unit', 'description', 'generated_from', 'models'];
const MODEL_KEYS = ['provider', 'display_name', 'mode', 'aliases', 'prices', 'notes'];
const PRICE_KEYS = ['effective_from', 'source', ...PRICE_COMPONENTS, 'context_tiers', 'notes'];
const TIER_KEYS = ['above_input_tokens', ...CONTEXT_TIER_COMPONENTS];
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$/;

/** Checks a parsed pricing document; every problem goes to `issues`, never thrown. */
export function validatePricing(doc: unknown, file: string, issues: IssueList): PricingFile {
  const read = new DocReader(issues);
  const models: ModelEntry[] = [];
  const top = read.mapping(doc ?? null, [], 'a pricing file (a mapping with schema and models)');
  if (top === undefined) return { file, models };
  read.onlyKeys(top, TOP_KEYS, []);
  if (top.schema !== PRICING_SCHEMA) {
    issues.add(['schema'], `expected "${PRICING_SCHEMA}", got ${JSON.stringify(top.schema ?? null)}`);
  }
  if (top.currency !== undefined && top.currency !== 'USD') {
    issues.add(['currency'], `expected "USD" (the only currency ai-route prices in), got ${JSON.stringify(top.currency)}`);
  }
  if (top.unit !== undefined && top.unit !== 'usd_per_1m_tokens') {
    issues.add(['unit'], `expected "usd_per_1m_tokens", got ${JSON.stringify(top.unit)}`);
  }
  const modelMap = read.mapping(read.required(top, 'models', [], 'a mapping of model id to prices'), ['models']);
  for (const [id, raw] of Object.entries(modelMap ?? {})) {
    const entry = readModel(read, id, raw, ['models', id], file);
    if (entry !== undefined) models.push(entry);
  }
  return { file, models };
}

function readModel(read: DocReader, id: string, raw: unknown, path: DataPath, file: string): ModelEntry | undefined {
  if (!MODEL_ID.test(id)) {
    read.issues.add(path, `model id "${id}" has characters outside letters, digits and . _ : / @ + -`);
  }
  const map = read.mapping(raw, path, 'a model (a mapping with provider and prices)');
  if (map === undefined) return undefined;
  read.onlyKeys(map, MODEL_KEYS, path);
  const provider = read.text(read.required(map, 'provider', path, 'the provider name'), [...path, 'provider'], 'the provider name');
  const displayName = map.display_name === undefined ? undefined : read.text(map.display_name, [...path, 'display_name'], 'a display name');
  const mode = map.mode === undefined ? undefined : read.pattern(map.mode, [...path, 'mode'], /^[a-z_]+$/, 'a mode such as chat');
  const aliases = map.aliases === undefined ? [] : (read.textList(map.aliases, [...path, 'aliases'], 'alias ids') ?? []);
  const priceList = read.list(read.required(map, 'prices', path, 'a list of dated prices'), [...path, 'prices']);
  const prices: DatedPrice[] = [];
  priceList?.forEach((item, i) => {
    const price = readDatedPrice(read, item, [...path, 'prices', i]);
    if (price !== undefined) prices.push(price);
  });
  if (priceList !== undefined && priceList.length === 0) {
    read.issues.add([...path, 'prices'], 'expected at least one dated price; leave a model out rather than list it unpriced');
  }
  prices.sort((a, b) => a.effective_from.localeCompare(b.effective_from));
  for (let i = 1; i < prices.length; i++) {
    if (prices[i]!.effective_from === prices[i - 1]!.effective_from) {
      read.issues.add(prices[i]!.path, `two prices take effect on ${prices[i]!.effective_from}; keep one`);
    }
  }
  if (provider === undefined) return undefined;
  return { id, provider, display_name: displayName, mode, aliases, prices, file };
}

function readDatedPrice(read: DocReader, raw: unknown, path: DataPath): DatedPrice | undefined {
  const map = read.mapping(raw, path, 'a dated price (effective_from, source and rates)');
  if (map === undefined) return undefined;
  read.onlyKeys(map, PRICE_KEYS, path);
  const effective = read.isoDate(read.required(map, 'effective_from', path, 'a date written YYYY-MM-DD'), [...path, 'effective_from']);
  const source = read.text(read.required(map, 'source', path, 'where this price comes from'), [...path, 'source'], 'a source');
  const rates: PriceSet = {};
  for (const component of PRICE_COMPONENTS) {
    if (map[component] === undefined) continue;
    const value = read.decimal(map[component], [...path, component]);
    if (value !== undefined) rates[component] = value;
  }
  if (!PRICE_COMPONENTS.some((c) => map[c] !== undefined)) {
    read.issues.add(path, `expected at least one price component (${PRICE_COMPONENTS.join(', ')})`);
  }
  const tiers: ContextTier[] = [];
  if (map.context_tiers !== undefined) {
    const list = read.list(map.context_tiers, [...path, 'context_tiers']) ?? [];
    list.forEach((item, i) => {
      const tier = readContextTier(read, item, [...path, 'context_tiers', i]);
      if (tier !== undefined) tiers.push(tier);
    });
    tiers.sort((a, b) => a.above_input_tokens - b.above_input_tokens);
  }
  if (effective === undefined || source === undefined) return undefined;
  return { effective_from: effective, source, rates, context_tiers: tiers, path };
}

function readContextTier(read: DocReader, raw: unknown, path: DataPath): ContextTier | undefined {
  const map = read.mapping(raw, path, 'a long-context tier (above_input_tokens and rates)');
  if (map === undefined) return undefined;
  read.onlyKeys(map, TIER_KEYS, path);
  const above = read.integer(
    read.required(map, 'above_input_tokens', path, 'the input size past which this tier applies'),
    [...path, 'above_input_tokens'],
    1,
    1e9,
    'a token count',
  );
  const rates: ContextTier['rates'] = {};
  for (const component of CONTEXT_TIER_COMPONENTS) {
    if (map[component] === undefined) continue;
    const value = read.decimal(map[component], [...path, component]);
    if (value !== undefined) rates[component] = value;
  }
  return above === undefined ? undefined : { above_input_tokens: above, rates };
}
