import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../src/core/catalog.js';
import { importLitellm, litellmRates } from '../../src/core/import/litellm.js';
import { IssueList } from '../../src/schema/issues.js';
import { validatePricing } from '../../src/schema/pricing.js';
import { realText } from '../helpers/real.js';

// The LiteLLM config `decide --emit litellm` writes carries every rate the catalog has, in
// LiteLLM's own fields: each one, read back, is the value LiteLLM's own map gives.
const raw = JSON.parse(realText('litellm')) as Record<string, Record<string, unknown>>;
const result = importLitellm(raw, { effectiveFrom: '2026-02-27', file: 'litellm.json' });
const file = validatePricing(result.doc, 'litellm.json', new IssueList());
const { catalog } = buildCatalog([file]);

describe('LiteLLM rates written back in LiteLLM fields', () => {
  it('gives, for every imported model, the numbers the real map has under the same fields', () => {
    let fields = 0;
    const off: string[] = [];
    for (const model of catalog.byId.values()) {
      const price = model.prices.at(-1)!;
      const key = /\(LiteLLM \S+ "([^"]+)"\)|LiteLLM \S+ "([^"]+)"/.exec(price.source);
      const entry = raw[key?.[1] ?? key?.[2] ?? ''];
      // tiered_pricing (dashscope) is written as flat _above_Nk_tokens fields: checked apart
      if (entry === undefined || entry.tiered_pricing !== undefined) continue;
      for (const [field, value] of Object.entries(litellmRates(price))) {
        fields++;
        // the legacy spellings the import reads are written in today's fields
        const legacy: Record<string, string> = {
          cache_read_input_token_cost: 'input_cost_per_token_cache_hit',
          input_cost_per_token_batches: 'input_cost_per_token_batch_requests',
        };
        const source = entry[field] ?? entry[legacy[field] ?? ''];
        if (typeof source !== 'number' || Math.abs(source - value) > Math.abs(source) * 1e-12)
          off.push(`${model.id} ${field}: wrote ${value}, LiteLLM has ${String(source)}`);
      }
    }
    expect(off.slice(0, 10)).toEqual([]);
    expect(fields).toBeGreaterThan(5000);
  });

  it('writes input, cache and long-context rates, not only output', () => {
    const gemini = catalog.byId.get(catalog.names.get('gemini/gemini-2.5-pro')!)!;
    const rates = litellmRates(gemini.prices.at(-1)!);
    expect(Object.keys(rates)).toEqual(
      expect.arrayContaining([
        'input_cost_per_token',
        'output_cost_per_token',
        'cache_read_input_token_cost',
        'input_cost_per_token_above_200k_tokens',
        'output_cost_per_token_above_200k_tokens',
      ]),
    );
    expect(rates.input_cost_per_token).toBe(raw['gemini/gemini-2.5-pro']!.input_cost_per_token);
  });
});
