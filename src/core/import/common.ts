import {
  type ContextTierComponent,
  MAX_TIER_THRESHOLD,
  type PriceComponent,
} from '../../domain/pricing.js';
import type { Issue } from '../../schema/issues.js';
import { PRICING_SCHEMA } from '../../schema/pricing.js';
import { Dec, type Big, parsePlainDecimal } from '../../units/decimal.js';
import { implausibility } from './plausible.js';

/** One model as written to an ai-route/pricing@1 file (plain JSON, rates as decimal strings). */
export interface ModelOut {
  provider: string;
  display_name?: string;
  mode?: string;
  aliases?: string[];
  prices: PriceOut[];
}

export type QuarantineOut = {
  rate: PriceComponent;
  above_input_tokens?: number;
  value: string;
  why: string;
};

export type PriceOut = {
  effective_from: string;
  source: string;
  context_tiers?: TierOut[];
  free_in_source?: string;
  not_given?: PriceComponent[];
  quarantine?: QuarantineOut[];
} & Partial<Record<PriceComponent, string>>;
export type TierOut = { above_input_tokens: number } & Partial<
  Record<ContextTierComponent, string>
>;

/** Where an import came from: the source's name, the file or URL read, and when. */
export interface Provenance {
  source: ImportSource;
  file: string;
  imported_on: string;
  filters: Record<string, string>;
  url?: string;
  read_from?: string;
  sha256?: string;
  fetched_at?: string;
  /** Where the file read came from before that (a copy of a copy), in words. */
  upstream?: string;
}

export interface PricingDocOut {
  schema: typeof PRICING_SCHEMA;
  currency: 'USD';
  unit: 'usd_per_1m_tokens';
  description: string;
  generated_from: Provenance[];
  models: Record<string, ModelOut>;
  ambiguous?: Record<string, string[]>;
  /** Source entries left out, with why: so a name people type is not called unknown. */
  skipped?: Record<string, string>;
}

export type ImportSource = 'litellm' | 'openrouter' | 'genai-prices' | 'models.dev';

export interface ImportOptions {
  /** Keep only this provider (the source's own provider name). */
  provider?: string;
  /** LiteLLM only: keep only entries of this mode, such as chat. */
  mode?: string;
  /** The date the imported prices take effect: the day of the import unless given. */
  effectiveFrom: string;
  /** The input as the user named it (a file name or a URL), recorded in every price's source. */
  file: string;
}

/** Why a source value is not a usable amount. */
export type AmountFault = {
  kind: 'not_finite' | 'negative' | 'not_number' | 'too_many_digits';
  text: string;
};

/**
 * Something an importer left out or changed, with the entry and field it concerns; render words it.
 */
export type ImportWarning =
  | {
      kind: 'not_object' | 'no_provider' | 'no_id' | 'router_placeholder' | 'listed_twice';
      source: ImportSource;
      entry: string;
    }
  | { kind: 'bad_value'; source: ImportSource; entry: string; field: string; fault: AmountFault }
  | { kind: 'implausible'; source: ImportSource; entry: string; field: string; why: string }
  | {
      kind: 'bad_tier';
      source: ImportSource;
      entry: string;
      field: string;
      start: string;
      first: number;
      last: number;
    }
  | { kind: 'bad_discount'; source: ImportSource; entry: string; value: string }
  | {
      kind: 'bad_id' | 'differs_taken' | 'differs_own_key' | 'alias_taken';
      source: ImportSource;
      entry: string;
      id: string;
    }
  | { kind: 'alias_owned'; source: ImportSource; entry: string; alias: string }
  | { kind: 'time_of_day'; source: ImportSource; entry: string; window: string };

export interface ImportCounts {
  models: number;
  aliases: number;
  unpriced: number;
  filtered: number;
  rejected: number;
  quarantined: number;
  not_given: number;
  free: number;
  ambiguous: number;
}

export interface ImportResult {
  /** Undefined when the input is not the expected document at all; `issues` says why. */
  doc: PricingDocOut | undefined;
  /** Problems with the whole input (its top-level shape), with their places. */
  issues: Issue[];
  warnings: ImportWarning[];
  counts: ImportCounts;
}

/** Empty counts, for a fresh import. */
export function zeroCounts(): ImportCounts {
  return {
    models: 0,
    aliases: 0,
    unpriced: 0,
    filtered: 0,
    rejected: 0,
    quarantined: 0,
    not_given: 0,
    free: 0,
    ambiguous: 0,
  };
}

/** A result for an input that is not the expected document at all. */
export function notTheDocument(message: string): ImportResult {
  return { doc: undefined, issues: [{ path: [], message }], warnings: [], counts: zeroCounts() };
}

/**
 * The largest figure a source may give: past this, big.js would work for nothing and no price is
 * that large.
 */
const MAX_TEXT = 64;
const PLAIN_OR_EXPONENT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,4})?$/;

/**
 * A USD amount from a source, exact: a JSON number through its shortest round-trip text
 * (String(2.19e-6) is "0.00000219"), a decimal string as written. Refuses negatives,
 * non-finite values and non-numbers, saying why.
 */
export function readAmount(
  value: unknown,
): { ok: true; value: Big } | { ok: false; fault: AmountFault } {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      return { ok: false, fault: { kind: 'not_finite', text: String(value) } };
    text = String(value);
  } else if (
    typeof value === 'string' &&
    value.trim().length <= MAX_TEXT &&
    PLAIN_OR_EXPONENT.test(value.trim())
  ) {
    text = value.trim();
  } else {
    return {
      ok: false,
      fault: { kind: 'not_number', text: JSON.stringify(value)?.slice(0, 40) ?? String(value) },
    };
  }
  // big.js takes no leading plus; a "+0.5" in a source is 0.5
  const amount = Dec(text.replace(/^\+/, ''));
  if (amount.lt('0')) return { ok: false, fault: { kind: 'negative', text } };
  return { ok: true, value: amount };
}

/**
 * How a source states a rate: per token, per million tokens, per request, or per thousand requests.
 */
export type SourceUnit = 'per_token' | 'per_million' | 'per_request' | 'per_thousand_requests';

function toOurUnit(value: Big, unit: SourceUnit): Big {
  if (unit === 'per_token') return value.times('1000000');
  if (unit === 'per_thousand_requests') return value.div('1000');
  return value;
}

/**
 * One dated price being read from a source, rate by rate, with the rules every importer shares:
 * exact conversion to USD per 1M tokens; a zero is free only when the source says so (`free`),
 * else "not given"; an implausible rate is quarantined, never priced.
 */
export class PriceBuilder {
  readonly price: PriceOut;
  private readonly tiers = new Map<number, TierOut>();
  private readonly notGiven = new Set<PriceComponent>();
  private readonly quarantine: QuarantineOut[] = [];

  constructor(
    private readonly ctx: {
      source: ImportSource;
      entry: string;
      warnings: ImportWarning[];
      counts: ImportCounts;
    },
    header: { effective_from: string; source: string },
    /**
     * Why a zero of this entry is free in the source, or undefined when a zero means "not given".
     */
    private readonly free: string | undefined,
    /** A text model (chat, completion, or no mode given): the plausible minimum applies. */
    private readonly text = true,
  ) {
    this.price = { ...header };
  }

  /** Reads one rate; `above` puts it in a long-context tier. Returns whether a rate was taken. */
  rate(
    component: PriceComponent,
    raw: unknown,
    unit: SourceUnit,
    field: string,
    above?: number,
  ): boolean {
    return this.take(component, raw, unit, field, above, true);
  }

  /**
   * A rate the source writes as 0 when it does not apply (OpenRouter's optional fields): a 0 is
   * just absent.
   */
  optional(component: PriceComponent, raw: unknown, unit: SourceUnit, field: string): boolean {
    return this.take(component, raw, unit, field, undefined, false);
  }

  /** Applies a factor to every rate read after it (a source's stated discount): exact. */
  scale(factor: Big): void {
    this.factor = factor;
  }

  private factor: Big | undefined;

  private take(
    component: PriceComponent,
    raw: unknown,
    unit: SourceUnit,
    field: string,
    above: number | undefined,
    zeroIsNotGiven: boolean,
  ): boolean {
    if (raw === undefined || raw === null) return false;
    if (
      above !== undefined &&
      !(Number.isSafeInteger(above) && above >= 1 && above <= MAX_TIER_THRESHOLD)
    ) {
      this.reject({
        kind: 'bad_tier',
        field,
        start: String(above),
        first: 1,
        last: MAX_TIER_THRESHOLD,
      });
      return false;
    }
    const amount = readAmount(raw);
    if (!amount.ok) {
      this.ctx.counts.rejected++;
      this.ctx.warnings.push({
        kind: 'bad_value',
        source: this.ctx.source,
        entry: this.ctx.entry,
        field,
        fault: amount.fault,
      });
      return false;
    }
    const value = toOurUnit(
      this.factor === undefined ? amount.value : amount.value.times(this.factor),
      unit,
    );
    if (parsePlainDecimal(value.toFixed()) === undefined) {
      // a rate a pricing file could not hold (a denormal such as 5e-324): told, never written
      this.ctx.counts.rejected++;
      this.ctx.warnings.push({
        kind: 'bad_value',
        source: this.ctx.source,
        entry: this.ctx.entry,
        field,
        fault: { kind: 'too_many_digits', text: String(raw).slice(0, 40) },
      });
      return false;
    }
    if (value.eq('0') && this.free === undefined) {
      if (above === undefined && zeroIsNotGiven) this.notGiven.add(component);
      return false;
    }
    const why = implausibility(component, value, this.text);
    if (why !== undefined) {
      this.ctx.counts.quarantined++;
      this.quarantine.push({
        rate: component,
        ...(above === undefined ? {} : { above_input_tokens: above }),
        value: value.toFixed(),
        why,
      });
      this.ctx.warnings.push({
        kind: 'implausible',
        source: this.ctx.source,
        entry: this.ctx.entry,
        field,
        why,
      });
      return false;
    }
    if (above === undefined) this.price[component] = value.toFixed();
    else if (component !== 'per_request') this.tier(above)[component] = value.toFixed();
    return true;
  }

  /** A problem with the entry's structure (not one of its rates), told to the user. */
  reject(warning: {
    kind: 'bad_tier';
    field: string;
    start: string;
    first: number;
    last: number;
  }): void {
    this.ctx.counts.rejected++;
    this.ctx.warnings.push({ ...warning, source: this.ctx.source, entry: this.ctx.entry });
  }

  /** A base rate the source gives only if it has none yet (a legacy spelling, a tier from 0). */
  has(component: PriceComponent): boolean {
    return (
      this.price[component] !== undefined ||
      this.notGiven.has(component) ||
      this.quarantine.some((q) => q.rate === component && q.above_input_tokens === undefined)
    );
  }

  private tier(above: number): TierOut {
    let t = this.tiers.get(above);
    if (t === undefined) this.tiers.set(above, (t = { above_input_tokens: above }));
    return t;
  }

  /** The price, or undefined when the source gave nothing about tokens at all. */
  build(): PriceOut | undefined {
    const tiers = [...this.tiers.values()]
      .filter((t) => Object.keys(t).length > 1)
      .sort((a, b) => a.above_input_tokens - b.above_input_tokens);
    if (tiers.length > 0) this.price.context_tiers = tiers;
    const rates = Object.keys(this.price).filter((k) =>
      (PRICE_KEYS as readonly string[]).includes(k),
    );
    const notGiven = [...this.notGiven].filter((c) => this.price[c] === undefined);
    if (rates.length === 0 && notGiven.length === 0 && this.quarantine.length === 0)
      return undefined;
    if (this.free !== undefined && rates.some((k) => this.price[k as PriceComponent] === '0')) {
      this.price.free_in_source = this.free;
      this.ctx.counts.free++;
    }
    if (notGiven.length > 0) {
      this.price.not_given = notGiven;
      this.ctx.counts.not_given++;
    }
    if (this.quarantine.length > 0) this.price.quarantine = this.quarantine;
    return this.price;
  }
}

const PRICE_KEYS = [
  'input',
  'output',
  'cache_read',
  'cache_write',
  'cache_write_1h',
  'reasoning',
  'batch_input',
  'batch_output',
  'per_request',
] as const;

/**
 * Models sorted by id, keys in schema order, so that two imports of the same catalog diff cleanly.
 */
export function sortedModels(models: Map<string, ModelOut>): Record<string, ModelOut> {
  const ordered = [...models.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(
    ordered.map(([id, m]) => [
      id,
      {
        provider: m.provider,
        ...(m.display_name === undefined ? {} : { display_name: m.display_name }),
        ...(m.mode === undefined ? {} : { mode: m.mode }),
        ...(m.aliases === undefined || m.aliases.length === 0
          ? {}
          : { aliases: [...m.aliases].sort() }),
        prices: m.prices,
      },
    ]),
  );
}

/** Same characters our pricing schema accepts in a model id. */
export const IMPORTABLE_ID = /^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$/;

/**
 * What a price charges, without where it came from: two entries with the same signature are the
 * same model.
 */
export function priceSignature(price: PriceOut | undefined): string {
  if (price === undefined) return '';
  const { source: _s, effective_from: _e, ...rest } = price;
  return JSON.stringify(rest);
}

/**
 * The names people type for the models of one import (bare keys, LiteLLM call forms, OpenRouter
 * ids), each given as an alias when it means one model, or when every model it could mean is
 * priced the same; a name that could mean models priced differently is listed as ambiguous, so
 * using it is an error that lists them (never a guess).
 */
export function assignNames(
  models: Map<string, ModelOut>,
  candidates: ReadonlyMap<string, readonly string[]>,
  counts: ImportCounts,
): Record<string, string[]> {
  const byName = new Map<string, Set<string>>();
  for (const [id, names] of candidates) {
    for (const name of names) {
      if (name === id || models.has(name) || !IMPORTABLE_ID.test(name)) continue;
      let ids = byName.get(name);
      if (ids === undefined) byName.set(name, (ids = new Set()));
      ids.add(id);
    }
  }
  const ambiguous: Record<string, string[]> = {};
  for (const [name, set] of [...byName].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const ids = [...set].sort();
    const signatures = new Set(ids.map((id) => priceSignature(models.get(id)!.prices.at(-1))));
    if (signatures.size > 1) {
      ambiguous[name] = ids;
      counts.ambiguous++;
      continue;
    }
    const owner = models.get(ids[0]!)!;
    owner.aliases = [...(owner.aliases ?? []), name];
  }
  for (const model of models.values()) counts.aliases += model.aliases?.length ?? 0;
  counts.models = models.size;
  return ambiguous;
}

/**
 * The one envelope every importer writes: an ai-route/pricing@1 document with its provenance, the
 * names resolved across its models and the models in id order.
 */
export function pricingResult(x: {
  source: ImportSource;
  /** The source as a sentence names it: "LiteLLM's model cost map". */
  label: string;
  options: ImportOptions;
  filters: Record<string, string>;
  models: Map<string, ModelOut>;
  /** The names each model may be called by, before ambiguity is settled. */
  candidates: Map<string, string[]>;
  warnings: ImportWarning[];
  counts: ImportCounts;
  /** Entries left out for having no token price, by the source's name, with why. */
  skipped?: Map<string, string>;
}): ImportResult {
  const ambiguous = assignNames(x.models, x.candidates, x.counts);
  const skipped = [...(x.skipped ?? [])]
    .filter(([name]) => !x.models.has(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    issues: [],
    doc: {
      schema: PRICING_SCHEMA,
      currency: 'USD',
      unit: 'usd_per_1m_tokens',
      description: `Imported from ${x.label} (${x.options.file})`,
      generated_from: [
        {
          source: x.source,
          file: x.options.file,
          imported_on: x.options.effectiveFrom,
          filters: x.filters,
        },
      ],
      models: sortedModels(x.models),
      ...(Object.keys(ambiguous).length > 0 ? { ambiguous } : {}),
      ...(skipped.length > 0 ? { skipped: Object.fromEntries(skipped) } : {}),
    },
    warnings: x.warnings,
    counts: x.counts,
  };
}

/** The one filter most sources take: --provider. */
export function providerFilter(options: ImportOptions): Record<string, string> {
  return options.provider === undefined ? {} : { provider: options.provider };
}

/**
 * Why an entry has no token price, from the fields it does have: billed per second, per image,
 * per character, or not at all.
 */
export function noTokenPriceWhy(fields: Record<string, unknown>): string {
  const keys = Object.keys(fields).filter((k) => typeof fields[k] === 'number' && fields[k] !== 0);
  const billed = (re: RegExp) => keys.some((k) => re.test(k));
  const how = billed(/_per_second$/)
    ? 'per-second billing'
    : billed(/_per_image|_per_pixel/)
      ? 'per-image billing'
      : billed(/_per_character$/)
        ? 'per-character billing'
        : billed(/_per_query$|_per_request$|_per_page$/)
          ? 'billed per call, with no token price'
          : 'no price at all';
  return `no token price in the source (${how})`;
}
