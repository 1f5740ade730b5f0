import {
  CONTEXT_TIER_COMPONENTS,
  type ContextTier,
  type DatedPrice,
  MAX_TIER_THRESHOLD,
  type ModelEntry,
  PRICE_COMPONENTS,
  type PriceComponent,
  type PriceSet,
  type PricingFile,
  type Quarantined,
  type RateLimit,
} from '../domain/pricing.js';
import type { DataPath, IssueList } from './issues.js';
import { DocReader } from './read.js';
import { catalogOrigin, fileOrigin, readReference } from './reference.js';

export const PRICING_SCHEMA = 'ai-route/pricing@1';

const TOP_KEYS = [
  'schema',
  'currency',
  'unit',
  'description',
  'reference',
  'generated_from',
  'models',
  'ambiguous',
  'skipped',
  'limits',
];
const LIMIT_KEYS = ['provider', 'account_tier', 'model', 'rpm', 'tpm', 'source', 'effective_from'];
/** A limit past a billion a minute is a typo. */
const MAX_LIMIT = 1_000_000_000;
const MODEL_KEYS = ['provider', 'display_name', 'mode', 'aliases', 'prices', 'notes'];
const PRICE_KEYS = [
  'effective_from',
  'source',
  ...PRICE_COMPONENTS,
  'monthly_fee',
  'minimum_commitment',
  'context_tiers',
  'free_in_source',
  'not_given',
  'quarantine',
  'notes',
];
const TIER_KEYS = ['above_input_tokens', ...CONTEXT_TIER_COMPONENTS];
const QUARANTINE_KEYS = ['rate', 'above_input_tokens', 'value', 'why'];
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$/;

/** Checks a parsed pricing document; every problem goes to `issues`, never thrown. */
export function validatePricing(doc: unknown, file: string, issues: IssueList): PricingFile {
  const read = new DocReader(issues);
  const models: ModelEntry[] = [];
  const top = read.mapping(doc ?? null, [], 'a pricing file (a mapping with schema and models)');
  if (top === undefined)
    return { file, origin: fileOrigin(file), models, ambiguous: {}, skipped: {} };
  read.onlyKeys(top, TOP_KEYS, []);
  const origin =
    readReference(read, top.reference, ['reference']) ??
    catalogOrigin(top.generated_from) ??
    fileOrigin(file);
  if (top.schema !== PRICING_SCHEMA) {
    issues.add(
      ['schema'],
      `expected "${PRICING_SCHEMA}", got ${JSON.stringify(top.schema ?? null)}`,
    );
  }
  if (top.currency !== undefined && top.currency !== 'USD') {
    issues.add(
      ['currency'],
      `expected "USD" (the only currency ai-route prices in), got ${JSON.stringify(top.currency)}`,
    );
  }
  if (top.unit !== undefined && top.unit !== 'usd_per_1m_tokens') {
    issues.add(['unit'], `expected "usd_per_1m_tokens", got ${JSON.stringify(top.unit)}`);
  }
  const modelMap = read.mapping(
    read.required(top, 'models', [], 'a mapping of model id to prices'),
    ['models'],
  );
  for (const [id, raw] of Object.entries(modelMap ?? {})) {
    const entry = readModel(read, id, raw, ['models', id], file);
    if (entry !== undefined) models.push({ ...entry, origin });
  }
  return {
    file,
    origin,
    models,
    ambiguous: readAmbiguous(read, top.ambiguous, new Set(models.map((m) => m.id))),
    skipped: readSkipped(read, top.skipped),
    limits: readLimits(read, top.limits, file),
  };
}

/** `limits: [{provider, account_tier, model?, rpm?, tpm?, source, effective_from}]`. */
function readLimits(read: DocReader, raw: unknown, file: string): RateLimit[] {
  if (raw === undefined) return [];
  const out: RateLimit[] = [];
  (read.list(raw, ['limits'], 'a list of rate limits') ?? []).forEach((item, i) => {
    const path = ['limits', i];
    const map = read.mapping(item, path, 'a rate limit (provider, account_tier, rpm or tpm, ...)');
    if (map === undefined) return;
    read.onlyKeys(map, LIMIT_KEYS, path);
    const text = (key: string, what: string) =>
      read.text(read.required(map, key, path, what), [...path, key], what);
    const count = (key: string) =>
      read.integer(map[key], [...path, key], 1, MAX_LIMIT, `${key} (a limit a minute)`);
    const provider = text('provider', 'the provider, such as openai');
    const tier = text('account_tier', "the account tier, such as tier-1 (the provider's name)");
    const source = text('source', 'where the limit is published (a URL or a contract)');
    const day = read.isoDate(
      read.required(map, 'effective_from', path, 'the day the limit took effect'),
      [...path, 'effective_from'],
    );
    const model =
      map.model === undefined ? undefined : read.text(map.model, [...path, 'model'], 'a model id');
    const [rpm, tpm] = [count('rpm'), count('tpm')];
    if (map.rpm === undefined && map.tpm === undefined)
      read.issues.add(path, 'expected rpm, tpm or both: a limit with neither limits nothing');
    if (provider === undefined || tier === undefined || source === undefined || day === undefined)
      return;
    out.push({ provider, account_tier: tier, model, rpm, tpm, source, effective_from: day, file });
  });
  return out;
}

/** `skipped: {name: why}`: entries of the source an import left out, and why. */
function readSkipped(read: DocReader, raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw === undefined) return out;
  const map = read.mapping(raw, ['skipped'], 'a mapping of source entry to why it was left out');
  for (const [name, why] of Object.entries(map ?? {})) {
    const text = read.text(why, ['skipped', name], 'why the entry was left out');
    if (text !== undefined) out[name] = text;
  }
  return out;
}

/** `ambiguous: {name: [id, id, ...]}`: names that stand for several models of the file. */
function readAmbiguous(
  read: DocReader,
  raw: unknown,
  ids: ReadonlySet<string>,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (raw === undefined) return out;
  for (const [name, list] of Object.entries(
    read.mapping(raw, ['ambiguous'], 'a mapping of name to the model ids it stands for') ?? {},
  )) {
    const names = read.textList(list, ['ambiguous', name], 'model ids');
    if (names === undefined) continue;
    if (names.length < 2) read.issues.add(['ambiguous', name], 'expected two or more model ids');
    for (const [i, id] of names.entries())
      if (!ids.has(id)) read.issues.add(['ambiguous', name, i], `no model "${id}" in this file`);
    out[name] = names;
  }
  return out;
}

function readModel(
  read: DocReader,
  id: string,
  raw: unknown,
  path: DataPath,
  file: string,
): ModelEntry | undefined {
  if (!MODEL_ID.test(id)) {
    read.issues.add(
      path,
      `model id "${id}" must start with a letter or digit and hold only letters, ` +
        `digits and . _ : / @ + -`,
    );
  }
  const map = read.mapping(raw, path, 'a model (a mapping with provider and prices)');
  if (map === undefined) return undefined;
  read.onlyKeys(map, MODEL_KEYS, path);
  const provider = read.text(
    read.required(map, 'provider', path, 'the provider name'),
    [...path, 'provider'],
    'the provider name',
  );
  const displayName =
    map.display_name === undefined
      ? undefined
      : read.text(map.display_name, [...path, 'display_name'], 'a display name');
  const mode =
    map.mode === undefined
      ? undefined
      : read.pattern(map.mode, [...path, 'mode'], /^[a-z_]+$/, 'a mode such as chat');
  const aliases =
    map.aliases === undefined
      ? []
      : (read.textList(map.aliases, [...path, 'aliases'], 'alias ids') ?? []);
  const priceList = read.list(read.required(map, 'prices', path, 'a list of dated prices'), [
    ...path,
    'prices',
  ]);
  const prices: DatedPrice[] = [];
  priceList?.forEach((item, i) => {
    const price = readDatedPrice(read, item, [...path, 'prices', i]);
    if (price !== undefined) prices.push(price);
  });
  if (priceList !== undefined && priceList.length === 0) {
    read.issues.add(
      [...path, 'prices'],
      'expected at least one dated price; leave a model out rather than list it unpriced',
    );
  }
  prices.sort((a, b) => a.effective_from.localeCompare(b.effective_from));
  for (let i = 1; i < prices.length; i++) {
    if (prices[i]!.effective_from === prices[i - 1]!.effective_from) {
      read.issues.add(
        prices[i]!.path,
        `two prices take effect on ${prices[i]!.effective_from}; keep one`,
      );
    }
  }
  if (provider === undefined) return undefined;
  return { id, provider, display_name: displayName, mode, aliases, prices, file };
}

function readRates<C extends string>(
  read: DocReader,
  map: Record<string, unknown>,
  components: readonly C[],
  path: DataPath,
): Partial<Record<C, PriceSet[PriceComponent]>> {
  const rates: Partial<Record<C, PriceSet[PriceComponent]>> = {};
  for (const component of components) {
    if (map[component] === undefined) continue;
    const value = read.decimal(map[component], [...path, component]);
    if (value !== undefined) rates[component] = value;
  }
  return rates;
}

function readDatedPrice(read: DocReader, raw: unknown, path: DataPath): DatedPrice | undefined {
  const map = read.mapping(raw, path, 'a dated price (effective_from, source and rates)');
  if (map === undefined) return undefined;
  read.onlyKeys(map, PRICE_KEYS, path);
  const effective = read.isoDate(
    read.required(map, 'effective_from', path, 'a date written YYYY-MM-DD'),
    [...path, 'effective_from'],
  );
  const source = read.text(
    read.required(map, 'source', path, 'where this price comes from'),
    [...path, 'source'],
    'a source',
  );
  const rates: PriceSet = readRates(read, map, PRICE_COMPONENTS, path);
  const notGiven = readComponents(read, map.not_given, [...path, 'not_given']);
  const quarantine = readQuarantine(read, map.quarantine, [...path, 'quarantine']);
  const monthlyFee =
    map.monthly_fee === undefined
      ? undefined
      : read.decimal(map.monthly_fee, [...path, 'monthly_fee']);
  const commitment =
    map.minimum_commitment === undefined
      ? undefined
      : read.decimal(map.minimum_commitment, [...path, 'minimum_commitment']);
  const charges = [...PRICE_COMPONENTS, 'monthly_fee', 'minimum_commitment'];
  if (
    !charges.some((c) => map[c] !== undefined) &&
    notGiven.length === 0 &&
    quarantine.length === 0
  ) {
    read.issues.add(path, `expected at least one price component (${charges.join(', ')})`);
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
  const free =
    map.free_in_source === undefined
      ? undefined
      : read.text(
          map.free_in_source,
          [...path, 'free_in_source'],
          'why the $0 rates are free in the source',
        );
  if (effective === undefined || source === undefined) return undefined;
  return {
    effective_from: effective,
    source,
    rates,
    context_tiers: tiers,
    free_in_source: free,
    not_given: notGiven,
    quarantine,
    implausible_taken: [],
    monthly_fee: monthlyFee,
    minimum_commitment: commitment,
    path,
  };
}

function readComponents(read: DocReader, raw: unknown, path: DataPath): PriceComponent[] {
  if (raw === undefined) return [];
  const list = read.textList(raw, path, 'price components') ?? [];
  const out: PriceComponent[] = [];
  list.forEach((c, i) => {
    if ((PRICE_COMPONENTS as readonly string[]).includes(c)) out.push(c as PriceComponent);
    else
      read.issues.add(
        [...path, i],
        `expected a price component (${PRICE_COMPONENTS.join(', ')}), got "${c}"`,
      );
  });
  return out;
}

function readQuarantine(read: DocReader, raw: unknown, path: DataPath): Quarantined[] {
  if (raw === undefined) return [];
  const out: Quarantined[] = [];
  (read.list(raw, path, 'a list of quarantined rates') ?? []).forEach((item, i) => {
    const at = [...path, i];
    const map = read.mapping(item, at, 'a quarantined rate (rate, value, why)');
    if (map === undefined) return;
    read.onlyKeys(map, QUARANTINE_KEYS, at);
    const component = read.pattern(
      read.required(map, 'rate', at, 'the price component'),
      [...at, 'rate'],
      new RegExp(`^(${PRICE_COMPONENTS.join('|')})$`),
      'a price component',
    );
    const value = read.decimal(read.required(map, 'value', at, 'the value the source gave'), [
      ...at,
      'value',
    ]);
    const why = read.text(
      read.required(map, 'why', at, 'why it is implausible'),
      [...at, 'why'],
      'a reason',
    );
    const above =
      map.above_input_tokens === undefined
        ? undefined
        : read.integer(
            map.above_input_tokens,
            [...at, 'above_input_tokens'],
            1,
            MAX_TIER_THRESHOLD,
            'a token count',
          );
    if (component !== undefined && value !== undefined && why !== undefined)
      out.push({ component: component as PriceComponent, value, why, above_input_tokens: above });
  });
  return out;
}

function readContextTier(read: DocReader, raw: unknown, path: DataPath): ContextTier | undefined {
  const map = read.mapping(raw, path, 'a long-context tier (above_input_tokens and rates)');
  if (map === undefined) return undefined;
  read.onlyKeys(map, TIER_KEYS, path);
  const above = read.integer(
    read.required(map, 'above_input_tokens', path, 'the input size past which this tier applies'),
    [...path, 'above_input_tokens'],
    1,
    MAX_TIER_THRESHOLD,
    'a token count',
  );
  const rates = readRates(read, map, CONTEXT_TIER_COMPONENTS, path);
  return above === undefined ? undefined : { above_input_tokens: above, rates };
}
