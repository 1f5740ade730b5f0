import { calcPrice, type Provider } from '@pydantic/genai-prices';
import { describe, expect, it } from 'vitest';
import { modelCandidate, singleModel } from '../../src/core/all-models.js';
import { buildCatalog, resolveModel } from '../../src/core/catalog.js';
import { projectCosts } from '../../src/core/cost.js';
import { importGenaiPrices } from '../../src/core/import/genai-prices.js';
import { IssueList } from '../../src/schema/issues.js';
import { validatePricing } from '../../src/schema/pricing.js';
import { Dec, ZERO } from '../../src/units/decimal.js';
import { realText } from '../helpers/real.js';

// Every tiered model of the real genai-prices data (test/fixtures/real), priced by our engine at
// exactly each tier's `start` input tokens and one token past it, against pydantic's own
// calculator (`@pydantic/genai-prices` on npm) given the same data: genai-prices bills a tier when
// a request's input tokens are more than `start`.
const DAY = '2026-09-01';
const data = JSON.parse(realText('genai-prices')) as Provider[];
const imported = importGenaiPrices(data, { effectiveFrom: '2026-01-01', file: 'genai.json' });
const issues = new IssueList();
const file = validatePricing(imported.doc, 'genai.json', issues);
const { catalog } = buildCatalog([file]);

/** The price genai-prices applies on DAY: the latest dated one begun by then, else the first. */
function inForce(
  prices: Provider['models'][number]['prices'],
): Record<string, unknown> | undefined {
  if (!Array.isArray(prices)) return prices;
  if (prices.some((p) => p.constraint?.type === 'time_of_date')) return undefined;
  for (let i = prices.length - 1; i >= 0; i--) {
    const c = prices[i]!.constraint;
    if (c === undefined || (c.type === 'start_date' && `${DAY}T12:00:00Z` >= c.start_date))
      return prices[i]!.prices;
  }
  return prices[0]!.prices;
}

/** The tier starts of a model's price in force: every `start` of a tiered token rate. */
function starts(prices: Record<string, unknown>): number[] {
  const out = new Set<number>();
  for (const [key, value] of Object.entries(prices))
    if (/_mtok$/.test(key) && value !== null && typeof value === 'object')
      for (const t of (value as { tiers: Array<{ start: number }> }).tiers) out.add(t.start);
  return [...out].sort((a, b) => a - b);
}

/** One request of `input` input tokens and the rest of a round total as output, priced by us. */
function ours(id: string, input: number, total: number, day = DAY): number {
  const found = resolveModel(catalog, id, day);
  if (found.kind !== 'priced') throw new Error(`${id}: ${found.kind}`);
  const tier = { tier: singleModel(id), model: found.model, price: found.price };
  const share = Dec(String(input)).div(String(total));
  const report = projectCosts({
    candidates: [modelCandidate(tier)],
    baseline: modelCandidate(tier),
    mix: {
      input: share,
      output: Dec('1').minus(share),
      cache_hit_rate: ZERO,
      cache_write_rate: ZERO,
      cache_write_1h_share: ZERO,
      reasoning_share: ZERO,
      batch_share: ZERO,
      tokens_per_request: undefined,
      input_tokens_per_request: input,
    },
    points: [{ stage: null, month: null, tokens: total }],
    budget: undefined,
    parts: false,
  });
  return Number(report.rows[0]!.cost.toFixed());
}

describe('genai-prices tiers, priced at each boundary against its own calculator', () => {
  it('agrees to the cent at exactly `start` input tokens and one past it, for every model', () => {
    expect(issues.empty).toBe(true);
    let compared = 0;
    const off: string[] = [];
    for (const provider of data) {
      for (const model of provider.models) {
        const prices = inForce(model.prices);
        if (prices === undefined) continue; // a time-of-day price: no monthly forecast bills it
        const id = `${provider.id}/${model.id}`;
        const tiered = starts(prices as Record<string, unknown>);
        if (tiered.length === 0 || resolveModel(catalog, id, DAY).kind !== 'priced') continue;
        for (const start of tiered) {
          // a round total keeps the token shares exact decimals
          const total = 10 ** Math.ceil(Math.log10(start * 2));
          for (const input of [start, start + 1]) {
            const oracle = calcPrice(
              { input_tokens: input, output_tokens: total - input },
              model.id,
              {
                provider,
                timestamp: new Date(`${DAY}T12:00:00Z`),
              },
            );
            if (oracle === null) continue;
            const mine = ours(id, input, total);
            compared++;
            if (Math.abs(mine - oracle.total_price) >= 0.005)
              off.push(`${id} at ${input}: ours ${mine}, genai-prices ${oracle.total_price}`);
          }
        }
      }
    }
    expect(off).toEqual([]);
    expect(compared).toBeGreaterThan(20);
  });

  it('bills exactly 200,000 input tokens of claude-opus-4-6 at base, one more at the tier', () => {
    const at = (input: number) =>
      calcPrice({ input_tokens: input, output_tokens: 1_000_000 - input }, 'claude-opus-4-6', {
        provider: data.find((p) => p.id === 'anthropic')!,
        timestamp: new Date('2026-03-01T12:00:00Z'),
      })!.total_price;
    // before 2026-03-13, when the data drops the tier
    const mine = (input: number) => ours('anthropic/claude-opus-4-6', input, 1e6, '2026-03-01');
    expect(mine(200_000)).toBeCloseTo(at(200_000), 6);
    expect(mine(200_001)).toBeCloseTo(at(200_001), 6);
    expect(at(200_001)).toBeGreaterThan(at(200_000) * 1.4);
  });
});
