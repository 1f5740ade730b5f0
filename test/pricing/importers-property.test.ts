import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importGenaiPrices } from '../../src/core/import/genai-prices.js';
import { importLitellm } from '../../src/core/import/litellm.js';
import { importModelsDev } from '../../src/core/import/models-dev.js';
import { importWarningText } from '../../src/render/problems.js';
import type { ImportResult } from '../../src/core/import/common.js';
import { PRICE_COMPONENTS } from '../../src/domain/pricing.js';
import { IssueList } from '../../src/schema/issues.js';
import { validatePricing } from '../../src/schema/pricing.js';
import { Dec } from '../../src/units/decimal.js';

const options = { effectiveFrom: '2026-02-27', file: 'x.json' };
const junk = fc.oneof(
  fc.constantFrom(
    -1,
    '-1',
    'NaN',
    'Infinity',
    '1e309',
    1e308,
    0,
    '',
    null,
    true,
    [],
    {},
    '0x10',
    ' 1.5 ',
    '2.5',
    3,
    0.15,
  ),
  fc.double(),
  fc.string({ maxLength: 8 }),
  fc.jsonValue({ maxDepth: 3 }),
);
/** A plausible rate per 1M tokens, as a source writes it: its value must come through exactly. */
const rate = fc.integer({ min: 1, max: 999_999 }).map((n) => n / 1000);

/** The output is a pricing file `cost` accepts, with no negative rate anywhere. */
function expectValid(result: ImportResult): void {
  if (result.doc === undefined) {
    expect(result.issues.length).toBe(1);
    return;
  }
  const issues = new IssueList();
  validatePricing(result.doc, 'import', issues);
  expect(issues.items).toEqual([]);
  for (const model of Object.values(result.doc.models))
    for (const price of model.prices) {
      for (const c of PRICE_COMPONENTS)
        if (price[c] !== undefined) expect(Dec(price[c]!).gte('0')).toBe(true);
      for (const t of price.context_tiers ?? []) expect(t.above_input_tokens).toBeGreaterThan(0);
    }
}

describe('genai-prices importer on hostile data', () => {
  const tiered = fc.record({
    base: fc.oneof(rate, junk),
    tiers: fc.oneof(
      junk,
      fc.array(fc.record({ start: fc.oneof(fc.integer(), junk), price: fc.oneof(rate, junk) }), {
        maxLength: 3,
      }),
    ),
  });
  const prices = fc.dictionary(
    fc.constantFrom(
      'input_mtok',
      'output_mtok',
      'cache_read_mtok',
      'cache_write_mtok',
      'output_reasoning_mtok',
      'requests_kcount',
      'other',
    ),
    fc.oneof(rate, junk, tiered),
  );
  const constraint = fc.oneof(
    junk,
    fc.record(
      {
        start_date: fc.oneof(
          fc.constantFrom('2025-06-10', '2024-01-01', '2030-01-01', 'soon'),
          junk,
        ),
      },
      { requiredKeys: [] },
    ),
    fc.record(
      {
        start_time: fc.oneof(fc.constantFrom('01:00:00Z', '16:30:00Z'), junk),
        end_time: fc.oneof(fc.constantFrom('09:00:00Z', '00:30:00Z'), junk),
      },
      { requiredKeys: [] },
    ),
  );
  const model = fc.record(
    {
      id: fc.oneof(fc.constantFrom('m1', 'm2', 'gpt-x', 'bad id', ''), junk),
      name: junk,
      match: fc.oneof(
        junk,
        fc.record({ equals: fc.oneof(fc.constantFrom('alias-a', 'm2'), junk) }),
        fc.record({ or: fc.array(fc.record({ equals: junk }), { maxLength: 3 }) }),
      ),
      prices: fc.oneof(
        prices,
        junk,
        fc.array(
          fc.oneof(
            junk,
            fc.record({ constraint, prices: fc.oneof(prices, junk) }, { requiredKeys: ['prices'] }),
          ),
          { maxLength: 4 },
        ),
      ),
    },
    { requiredKeys: [] },
  );
  const provider = fc.oneof(
    junk,
    fc.record(
      {
        id: fc.oneof(fc.constantFrom('p', 'q'), junk),
        models: fc.oneof(junk, fc.array(fc.oneof(model, junk), { maxLength: 5 })),
      },
      { requiredKeys: [] },
    ),
  );

  it('never throws and never writes a file cost would refuse or a negative rate', () => {
    fc.assert(
      fc.property(fc.oneof(junk, fc.array(provider, { maxLength: 4 })), (data) =>
        expectValid(importGenaiPrices(data, options)),
      ),
      { numRuns: 500 },
    );
  });

  it('never throws on junk date and time constraints of dated prices', () => {
    const dated = fc.array(fc.record({ constraint, prices }, { requiredKeys: ['prices'] }), {
      minLength: 1,
      maxLength: 4,
    });
    fc.assert(
      fc.property(dated, (list) =>
        expectValid(importGenaiPrices([{ id: 'p', models: [{ id: 'm', prices: list }] }], options)),
      ),
      { numRuns: 500 },
    );
  });

  it('keeps a plain rate exactly, and a tier starting at N as requests over N - 1', () => {
    fc.assert(
      fc.property(
        rate,
        rate,
        fc.integer({ min: 2, max: 2_000_000 }),
        rate,
        (input, output, start, above) => {
          const data = [
            {
              id: 'p',
              models: [
                {
                  id: 'm',
                  prices: {
                    input_mtok: { base: input, tiers: [{ start, price: above }] },
                    output_mtok: output,
                  },
                },
              ],
            },
          ];
          const price = importGenaiPrices(data, options).doc!.models['p/m']!.prices[0]!;
          expect(Dec(price.input!).eq(String(input))).toBe(true);
          expect(Dec(price.output!).eq(String(output))).toBe(true);
          expect(price.context_tiers).toEqual([
            { above_input_tokens: start, input: Dec(String(above)).toFixed() },
          ]);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('a tier threshold no prompt reaches', () => {
  it('is left out with a warning naming the field, in every importer', () => {
    const genai = importGenaiPrices(
      [
        {
          id: 'p',
          models: [
            {
              id: 'm',
              prices: {
                input_mtok: {
                  base: 1,
                  tiers: [
                    { start: 0, price: 2 },
                    { start: 2e9, price: 3 },
                  ],
                },
              },
            },
          ],
        },
      ],
      options,
    );
    const dev = importModelsDev(
      { p: { models: { m: { cost: { input: 1, tiers: [{ tier: { size: 2e9 }, input: 2 }] } } } } },
      options,
    );
    const litellm = importLitellm(
      {
        m: {
          litellm_provider: 'p',
          input_cost_per_token: 1e-6,
          input_cost_per_token_above_2000000k_tokens: 2e-6,
        },
      },
      options,
    );
    expect([genai, dev, litellm].map((r) => r.warnings.map(importWarningText))).toEqual([
      [
        'genai-prices model "p/m": input_mtok.tiers[0].start: 0 is not a tier start ' +
          'from 1 to 1B tokens; tier left out',
        'genai-prices model "p/m": input_mtok.tiers[1].start: 2000000000 is not ' +
          'a tier start from 1 to 1B tokens; tier left out',
      ],
      [
        'models.dev model "p/m": cost.tiers[0].tier.size: 2000000000 is not a tier ' +
          'start from 1 to 1B tokens; tier left out',
      ],
      [
        'litellm entry "m": input_cost_per_token_above_2000000k_tokens: 2000000000 ' +
          'is not a tier start from 1 to 1B tokens; tier left out',
      ],
    ]);
    for (const r of [genai, dev, litellm]) expectValid(r);
  });
});

describe('models.dev importer on hostile data', () => {
  const cost = fc.dictionary(
    fc.constantFrom(
      'input',
      'output',
      'reasoning',
      'cache_read',
      'cache_write',
      'input_audio',
      'tiers',
      'context_over_200k',
    ),
    fc.oneof(
      rate,
      junk,
      fc.array(
        fc.oneof(
          junk,
          fc.record(
            {
              tier: fc.oneof(junk, fc.record({ size: fc.oneof(fc.integer(), junk) })),
              input: fc.oneof(rate, junk),
            },
            { requiredKeys: [] },
          ),
        ),
        {
          maxLength: 3,
        },
      ),
      fc.record(
        { input: fc.oneof(rate, junk), output: fc.oneof(rate, junk) },
        { requiredKeys: [] },
      ),
    ),
  );
  const model = fc.oneof(
    junk,
    fc.record(
      {
        name: junk,
        modalities: fc.oneof(
          junk,
          fc.record({ output: fc.oneof(junk, fc.constant(['text']), fc.constant(['image'])) }),
        ),
        cost: fc.oneof(junk, cost),
      },
      { requiredKeys: [] },
    ),
  );
  const provider = fc.oneof(
    junk,
    fc.record(
      {
        models: fc.oneof(
          junk,
          fc.dictionary(fc.constantFrom('m1', 'm2:free', 'bad id', 'x/y'), model),
        ),
      },
      { requiredKeys: [] },
    ),
  );

  it('never throws and never writes a file cost would refuse or a negative rate', () => {
    fc.assert(
      fc.property(
        fc.oneof(junk, fc.dictionary(fc.constantFrom('p', 'ollama', 'q r', 'z'), provider)),
        (data) => expectValid(importModelsDev(data, options)),
      ),
      { numRuns: 500 },
    );
  });

  it('keeps a rate per 1M exactly, and a tier of size N as requests over N', () => {
    fc.assert(
      fc.property(
        rate,
        rate,
        fc.integer({ min: 1, max: 2_000_000 }),
        rate,
        (input, output, size, above) => {
          const data = {
            p: {
              models: {
                m: {
                  cost: {
                    input,
                    output,
                    tiers: [{ tier: { type: 'context', size }, input: above }],
                  },
                },
              },
            },
          };
          const price = importModelsDev(data, options).doc!.models['p/m']!.prices[0]!;
          expect([price.input, price.output]).toEqual([
            Dec(String(input)).toFixed(),
            Dec(String(output)).toFixed(),
          ]);
          expect(price.context_tiers).toEqual([
            { above_input_tokens: size, input: Dec(String(above)).toFixed() },
          ]);
        },
      ),
      { numRuns: 200 },
    );
  });
});
