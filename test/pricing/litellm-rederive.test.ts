import { describe, expect, it } from 'vitest';
import { importLitellm } from '../../src/core/import/litellm.js';
import { realText } from '../helpers/real.js';

/*
 * Every rate of the whole real LiteLLM snapshot, derived again here from LiteLLM's documented
 * field meanings and the README's rules, without the importer's tables or arithmetic: the
 * conversion is a decimal-point shift on the JSON number's own text, the ranges and the free
 * providers are restated from the README. A field LiteLLM adds later fails the first test until
 * it is classified below.
 */

type Rate =
  | 'input'
  | 'output'
  | 'cache_read'
  | 'cache_write'
  | 'cache_write_1h'
  | 'reasoning'
  | 'batch_input'
  | 'batch_output'
  | 'per_request';

/**
 * LiteLLM token-rate fields (USD per token) and what they bill, from LiteLLM's model_prices
 * documentation.
 */
const TOKEN_FIELDS: Record<string, Rate> = {
  input_cost_per_token: 'input',
  output_cost_per_token: 'output',
  cache_read_input_token_cost: 'cache_read',
  cache_creation_input_token_cost: 'cache_write',
  cache_creation_input_token_cost_above_1hr: 'cache_write_1h',
  output_cost_per_reasoning_token: 'reasoning',
  input_cost_per_token_batches: 'batch_input',
  output_cost_per_token_batches: 'batch_output',
};
/** Older spellings, read only when the current field is absent. */
const OLD_SPELLINGS: Record<string, Rate> = {
  input_cost_per_token_cache_hit: 'cache_read',
  input_cost_per_token_batch_requests: 'batch_input',
};

/**
 * Cost fields that bill something other than text tokens at standard service: the README's "not
 * imported" list.
 */
const NOT_TEXT_TOKENS = [
  // other media and units
  /audio|image|video|pixel|character|second|_page$|per_query$|per_session$/,
  /_priority$|_flex$/, // OpenAI/Gemini service tiers other than standard
  /_dbu_/, // Databricks DBUs, given beside the USD rate
  /^citation_cost_per_token$/, // Perplexity citation tokens, not part of a token mix
];

const README_RANGES: Record<Rate, [min: number, max: number]> = {
  input: [0.001, 1000],
  output: [0.001, 1000],
  reasoning: [0.001, 1000],
  batch_input: [0.0005, 1000],
  batch_output: [0.0005, 1000],
  cache_read: [0.0001, 1000],
  cache_write: [0.0001, 1000],
  cache_write_1h: [0.0001, 1000],
  per_request: [0.00001, 10],
};
const FREE_PROVIDERS = [
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

/** The exact decimal text of a JSON number's text times 10^shift (no floating point). */
function shifted(value: unknown, shift: number): string {
  const [mantissa, exponent = '0'] = String(value).toLowerCase().split('e');
  const [whole, fraction = ''] = mantissa!.split('.');
  let digits = whole! + fraction;
  let point = whole!.length + Number(exponent) + shift;
  if (point <= 0) [digits, point] = ['0'.repeat(1 - point) + digits, 1];
  if (point > digits.length) digits += '0'.repeat(point - digits.length);
  const intPart = digits.slice(0, point).replace(/^0+(?=\d)/, '');
  const fracPart = digits.slice(point).replace(/0+$/, '');
  return fracPart === '' ? intPart : `${intPart}.${fracPart}`;
}

interface Expected {
  base: Partial<Record<Rate, string>>;
  tiers: Record<number, Partial<Record<Rate, string>>>;
  notGiven: Set<Rate>;
  quarantined: Array<{ rate: Rate; value: string; above?: number }>;
}

function expectedOf(key: string, e: Record<string, any>): Expected {
  const free = FREE_PROVIDERS.includes(e.litellm_provider) || key.endsWith(':free');
  const text = e.mode === undefined || ['chat', 'completion', 'responses'].includes(e.mode);
  const out: Expected = { base: {}, tiers: {}, notGiven: new Set(), quarantined: [] };
  const seen = (rate: Rate) =>
    out.base[rate] !== undefined ||
    out.notGiven.has(rate) ||
    out.quarantined.some((q) => q.rate === rate && q.above === undefined);
  const put = (rate: Rate, raw: unknown, perToken: boolean, above?: number) => {
    if (typeof raw !== 'number' || raw < 0) return;
    const value = shifted(raw, perToken ? 6 : 0);
    const [min, max] = README_RANGES[rate];
    if (value === '0' && !free) {
      if (above === undefined) out.notGiven.add(rate);
    } else if (value !== '0' && (Number(value) > max || (text && Number(value) < min)))
      out.quarantined.push({ rate, value, ...(above === undefined ? {} : { above }) });
    else if (above === undefined) out.base[rate] = value;
    else if (rate !== 'per_request') (out.tiers[above] ??= {})[rate] = value;
  };
  for (const [field, rate] of Object.entries(TOKEN_FIELDS)) put(rate, e[field], true);
  put('per_request', e.input_cost_per_request, false);
  for (const [field, rate] of Object.entries(OLD_SPELLINGS))
    if (!seen(rate)) put(rate, e[field], true);
  for (const [field, raw] of Object.entries(e)) {
    const m = /^(.+)_above_(\d+)k_tokens$/.exec(field);
    if (m && TOKEN_FIELDS[m[1]!] !== undefined)
      put(TOKEN_FIELDS[m[1]!]!, raw, true, Number(m[2]) * 1000);
  }
  for (const tier of Array.isArray(e.tiered_pricing) ? e.tiered_pricing : []) {
    if (!Array.isArray(tier.range)) continue;
    for (const [field, rate] of Object.entries(TOKEN_FIELDS)) {
      if (tier[field] === undefined) continue;
      if (tier.range[0] === 0) {
        if (!seen(rate)) put(rate, tier[field], true);
      } else put(rate, tier[field], true, tier.range[0]);
    }
  }
  return out;
}

const RATE_KEYS = [
  'input',
  'output',
  'cache_read',
  'cache_write',
  'cache_write_1h',
  'reasoning',
  'batch_input',
  'batch_output',
  'per_request',
];
const pick = (o: Record<string, unknown>, keys: string[]) =>
  Object.fromEntries(Object.entries(o).filter(([k]) => keys.includes(k)));

describe('the whole real LiteLLM snapshot of 2026-02-27, re-derived', () => {
  const raw = JSON.parse(realText('litellm')) as Record<string, Record<string, any>>;
  const entries = Object.entries(raw).filter(([key]) => key !== 'sample_spec');
  const result = importLitellm(raw, { effectiveFrom: '2026-02-27', file: 'litellm.json' });
  const models = result.doc!.models;

  it(
    'classifies every cost field of the snapshot: imported as a rate, or named ' +
      'as not a text-token rate',
    () => {
      const fields = new Set<string>();
      for (const [, e] of entries) {
        for (const f of Object.keys(e)) if (/cost|price/.test(f)) fields.add(f);
        for (const t of Array.isArray(e.tiered_pricing) ? e.tiered_pricing : [])
          for (const f of Object.keys(t)) if (/cost|price/.test(f)) fields.add(f);
      }
      const unclassified = [...fields].filter((f) => {
        const base = /^(.+?)(?:_above_\d+k_tokens)?$/.exec(f)![1]!;
        return (
          TOKEN_FIELDS[base] === undefined &&
          OLD_SPELLINGS[f] === undefined &&
          f !== 'input_cost_per_request' &&
          !NOT_TEXT_TOKENS.some((re) => re.test(f))
        );
      });
      expect(unclassified).toEqual([]);
      expect(fields.size).toBeGreaterThan(60);
    },
  );

  it(
    'imports every rate of every entry exactly, with zeros and implausible values ' +
      'where the rules put them',
    () => {
      const bySourceKey = new Map<string, { id: string; price: any }>();
      for (const [id, m] of Object.entries(models))
        bySourceKey.set(/ "((?:[^"\\]|\\.)*)"/.exec(m.prices[0]!.source)![1]!, {
          id,
          price: m.prices[0],
        });
      const dropped = new Set(
        result.warnings
          .filter((w) => w.kind === 'differs_taken' || w.kind === 'bad_id')
          .map((w) => w.entry),
      );
      let checked = 0;
      let rates = 0;
      for (const [key, e] of entries) {
        const want = expectedOf(key, e);
        const given =
          Object.keys(want.base).length +
          Object.keys(want.tiers).length +
          want.notGiven.size +
          want.quarantined.length;
        const canonical = key.startsWith(`${e.litellm_provider}/`)
          ? key
          : `${e.litellm_provider}/${key}`;
        // an entry priced like one already imported under its id is one of that model's names
        const found =
          bySourceKey.get(key) ??
          (models[canonical] === undefined
            ? undefined
            : { id: canonical, price: models[canonical].prices[0] });
        if (given === 0 || dropped.has(key)) {
          expect(bySourceKey.has(key), key).toBe(false);
          continue;
        }
        expect(found, key).toBeDefined();
        const price = found!.price;
        expect(pick(price, RATE_KEYS), key).toEqual(want.base);
        const tiers = Object.entries(want.tiers)
          .filter(([, t]) => Object.keys(t).length > 0)
          .map(([above, t]) => ({ above_input_tokens: Number(above), ...t }))
          .sort((a, b) => a.above_input_tokens - b.above_input_tokens);
        expect(price.context_tiers ?? [], key).toEqual(tiers);
        expect(new Set(price.not_given ?? []), key).toEqual(
          new Set([...want.notGiven].filter((r) => want.base[r] === undefined)),
        );
        expect(
          (price.quarantine ?? []).map((q: any) => ({
            rate: q.rate,
            value: q.value,
            ...(q.above_input_tokens === undefined ? {} : { above: q.above_input_tokens }),
          })),
          key,
        ).toEqual(want.quarantined);
        checked++;
        rates +=
          Object.keys(want.base).length + tiers.reduce((n, t) => n + Object.keys(t).length - 1, 0);
      }
      // the snapshot's size, so that a filter that silently skips entries fails here
      expect(checked).toBeGreaterThan(2000);
      expect(rates).toBeGreaterThan(5000);
    },
  );
});
