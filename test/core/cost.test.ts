import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  contextTierFor,
  findMissingPrices,
  priceCandidate,
  priceUsage,
  projectCosts,
  projectMonths,
} from '../../src/core/cost.js';
import { Dec, ONE, ZERO, exact, sum } from '../../src/units/decimal.js';
import { makeModel, makePrice, mix, setup, single } from '../helpers/factories.js';

const flash = single('flash', makePrice({ output: '0.25' }));
const gpt4o = single('gpt-4o', makePrice({ output: '10.00' }));

describe('the seed article table', () => {
  it.each([
    [5_000_000, '1.25', '50', '97.5'],
    [50_000_000, '12.5', '500', '97.5'],
    [500_000_000, '125', '5000', '97.5'],
    [5_000_000_000, '1250', '50000', '97.5'],
  ])('%d tokens: %s vs %s, %s%% saved', (tokens, cost, baseline, savings) => {
    const report = projectCosts({
      candidates: [flash],
      baseline: gpt4o,
      mix: mix(),
      points: [{ stage: null, month: null, tokens }],
      budget: undefined,
      parts: false,
    });
    const row = report.rows[0]!;
    expect(exact(row.cost)).toBe(cost);
    expect(exact(row.baseline_cost)).toBe(baseline);
    expect(exact(row.savings_pct!)).toBe(savings);
  });

  it('prices the hybrid 80/15/5 setup at 500M tokens as 100 + 21 + 62.5', () => {
    const tier = (name: string, share: string, out: string) => {
      const price = makePrice({ output: out });
      return { name, share: Dec(share), model: makeModel(name, price), price };
    };
    const hybrid = setup('hybrid', [
      tier('default', '0.80', '0.25'),
      tier('fallback', '0.15', '0.28'),
      tier('premium', '0.05', '2.50'),
    ]);
    const priced = priceCandidate(hybrid, 500_000_000, mix());
    expect(priced.parts.map((p) => exact(p.cost))).toEqual(['100', '21', '62.5']);
    expect(exact(priced.cost)).toBe('183.5');
  });
});

// arbitrary but valid inputs: decimal prices, shares and mixes
const decimalString = fc
  .tuple(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 4 }))
  .map(([n, scale]) => Dec(String(n)).div(Dec('10').pow(scale)).toFixed());
const share = fc.integer({ min: 0, max: 1000 }).map((n) => Dec(String(n)).div('1000'));
const fullPrice = fc
  .record({
    input: decimalString,
    output: decimalString,
    cache_read: decimalString,
    cache_write: decimalString,
    reasoning: decimalString,
    batch_input: decimalString,
    batch_output: decimalString,
  })
  .map((rates) => makePrice(rates));
const anyMix = fc
  .record({ input: share, hit: share, write: share, reasoning: share, batch: share })
  .map(({ input, hit, write, reasoning, batch }) =>
    mix({
      input: input.toFixed(),
      output: ONE.minus(input).toFixed(),
      cache_hit_rate: hit.toFixed(),
      cache_write_rate: ONE.minus(hit).times(write).toFixed(),
      reasoning_share: reasoning.toFixed(),
      batch_share: batch.toFixed(),
    }),
  );
const tokens = fc.integer({ min: 1, max: 5e14 });

describe('splitting never changes the total (exact arithmetic)', () => {
  it('across stages: cost(a) + cost(b) === cost(a + b)', () => {
    fc.assert(
      fc.property(fullPrice, anyMix, tokens, tokens, (price, m, a, b) => {
        const c = single('m', price);
        const split = priceCandidate(c, a, m).cost.plus(priceCandidate(c, b, m).cost);
        expect(split.eq(priceCandidate(c, a + b, m).cost)).toBe(true);
      }),
    );
  });

  it('across tiers: any share split over one model costs what the model alone costs', () => {
    fc.assert(
      fc.property(
        fullPrice,
        anyMix,
        tokens,
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 6 }),
        (price, m, volume, weights) => {
          const total = weights.reduce((x, y) => x + y, 0);
          fc.pre(total > 0);
          const shares = weights.map((w) => Dec(String(w)).div(String(total)).round(30, 0));
          shares[0] = ONE.minus(sum(shares.slice(1))); // exact shares summing to 1
          const model = makeModel('m', price);
          const tiers = shares.map((s, i) => ({ name: `t${i}`, share: s, model, price }));
          const split = priceCandidate(setup('split', tiers), volume, m).cost;
          expect(split.eq(priceCandidate(single('m', price), volume, m).cost)).toBe(true);
        },
      ),
    );
  });

  it('the total is the sum of its parts, and every part is quantity x rate / 1M', () => {
    fc.assert(
      fc.property(fullPrice, anyMix, tokens, (price, m, volume) => {
        const priced = priceCandidate(single('m', price), volume, m);
        expect(sum(priced.parts.map((p) => p.cost)).eq(priced.cost)).toBe(true);
        for (const p of priced.parts)
          expect(p.cost.eq(p.quantity.times(p.rate).times('0.000001'))).toBe(true);
        expect(sum(priced.parts.map((p) => p.quantity)).eq(Dec(String(volume)))).toBe(true);
      }),
    );
  });
});

describe('scaling a per-token price equals pricing each volume', () => {
  it('gives the same cost and savings, to the last digit, with and without the breakdown', () => {
    const perRequest = fc.option(decimalString, { nil: undefined });
    fc.assert(
      fc.property(
        fullPrice,
        fullPrice,
        perRequest,
        anyMix,
        fc.array(tokens, { minLength: 1, maxLength: 4 }),
        fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: undefined }),
        (price, basePrice, fee, m, volumes, tpr) => {
          if (fee !== undefined) price.rates.per_request = Dec(fee);
          const mixWithRequests = { ...m, tokens_per_request: tpr };
          const points = [...volumes, 0].map((t) => ({ stage: null, month: null, tokens: t }));
          const input = {
            candidates: [single('c', price)],
            baseline: single('b', basePrice),
            mix: mixWithRequests,
            points,
            budget: undefined,
          };
          const scaled = projectCosts({ ...input, parts: false });
          const direct = projectCosts({ ...input, parts: true });
          scaled.rows.forEach((row, i) => {
            const other = direct.rows[i]!;
            expect(row.cost.eq(other.cost)).toBe(true);
            expect(row.baseline_cost.eq(other.baseline_cost)).toBe(true);
            expect(row.savings_pct === undefined ? undefined : row.savings_pct.toFixed()).toBe(
              other.savings_pct?.toFixed(),
            );
          });
        },
      ),
    );
  });
});

describe('components', () => {
  const everything = makePrice({
    input: '2.5',
    output: '10',
    cache_read: '1.25',
    batch_input: '1.25',
    batch_output: '5',
  });

  it('splits input into fresh, cached and batch, and output into realtime and batch', () => {
    const m = mix({ input: '0.75', output: '0.25', cache_hit_rate: '0.4', batch_share: '0.5' });
    const parts = priceCandidate(single('gpt-4o', everything), 1_000_000, m).parts;
    const byLine = Object.fromEntries(
      parts.map((p) => [p.line, [exact(p.quantity), exact(p.cost)]]),
    );
    expect(byLine).toEqual({
      input: ['225000', '0.5625'],
      batch_input: ['225000', '0.28125'],
      cache_read: ['300000', '0.375'],
      output: ['125000', '1.25'],
      batch_output: ['125000', '0.625'],
    });
  });

  it('bills reasoning at the output rate when the model has no reasoning rate, and says so', () => {
    const parts = priceCandidate(
      single('m', makePrice({ output: '4' })),
      1_000_000,
      mix({ reasoning_share: '0.5' }),
    ).parts;
    const reasoning = parts.find((p) => p.line === 'reasoning')!;
    expect(reasoning.component).toBe('output');
    expect(reasoning.note).toEqual({ kind: 'billed_as', wanted: 'reasoning', used: 'output' });
    expect(exact(reasoning.cost)).toBe('2');
  });

  it('lists every missing rate at once and never prices a missing one as zero', () => {
    const m = mix({ input: '0.5', output: '0.5', cache_hit_rate: '0.5' });
    const missing = findMissingPrices(single('m', makePrice({ output: '1' })), m);
    expect(missing.map((x) => [x.component, x.needed_by, x.absence])).toEqual([
      ['input', { kind: 'mix', setting: 'input' }, { kind: 'absent' }],
      ['cache_read', { kind: 'mix', setting: 'cache_hit_rate' }, { kind: 'absent' }],
    ]);
    expect(() => priceCandidate(single('m', makePrice({ output: '1' })), 1000, m)).toThrow(
      /missing input price/,
    );
  });

  it(
    'charges per-request fees on volume / tokens per request, and requires the request ' + 'size',
    () => {
      const price = makePrice({ output: '1', per_request: '0.01' });
      expect(findMissingPrices(single('m', price), mix()).map((x) => x.component)).toEqual([
        'per_request',
      ]);
      const parts = priceCandidate(
        single('m', price),
        3_000_000,
        mix({ tokens_per_request: 1000 }),
      ).parts;
      const fee = parts.find((p) => p.line === 'per_request')!;
      expect(exact(fee.quantity)).toBe('3000');
      expect(exact(fee.cost)).toBe('30');
    },
  );

  it('bills a whole request at the long-context rate only above the threshold (a cliff)', () => {
    const price = makePrice(
      { input: '1.25', output: '10' },
      {
        context_tiers: [
          { above_input_tokens: 200_000, rates: { input: Dec('2.5'), output: Dec('15') } },
        ],
      },
    );
    expect(contextTierFor(price, 200_000)).toBeUndefined();
    expect(contextTierFor(price, 200_001)?.above_input_tokens).toBe(200_000);
    expect(contextTierFor(price, undefined)).toBeUndefined();
    const m = (ipr: number) => mix({ input: '0.5', output: '0.5', input_tokens_per_request: ipr });
    const at = priceCandidate(single('m', price), 1_000_000, m(200_000)).cost;
    const above = priceCandidate(single('m', price), 1_000_000, m(200_001)).cost;
    expect(exact(at)).toBe('5.625');
    expect(exact(above)).toBe('8.75');
  });
});

describe('budget and projections', () => {
  it('flags every row over the budget with the amount over', () => {
    const report = projectCosts({
      candidates: [flash],
      baseline: gpt4o,
      mix: mix(),
      points: [500_000_000, 5_000_000_000].map((t) => ({ stage: null, month: null, tokens: t })),
      budget: Dec('1000'),
      parts: false,
    });
    expect(report.budget?.breaches.map((b) => [b.row.point.tokens, exact(b.over)])).toEqual([
      [5_000_000_000, '250'],
    ]);
  });

  it('grows month over month, rounding each month half-up to whole tokens', () => {
    const months = projectMonths(5_000_000, Dec('20'), 6);
    expect(months.map((m) => m.tokens)).toEqual([
      5_000_000, 6_000_000, 7_200_000, 8_640_000, 10_368_000, 12_441_600,
    ]);
    // 4.5 -> 5, 6.75 -> 7
    expect(projectMonths(3, Dec('50'), 3).map((m) => m.tokens)).toEqual([3, 5, 7]);
    expect(projectMonths(10, Dec('-99.9'), 2).map((m) => m.tokens)).toEqual([10, 0]);
  });

  it('sums a projection into totals from unrounded parts', () => {
    const report = projectCosts({
      candidates: [single('tiny', makePrice({ output: '0.001' }))],
      baseline: gpt4o,
      mix: mix(),
      points: projectMonths(1_000, ZERO, 3),
      budget: undefined,
      parts: false,
    });
    // each month costs $0.000001, shown as <$0.01; the total is the exact sum
    expect(exact(report.totals[0]!.cost)).toBe('0.000003');
  });
});

describe('measured usage, through the same engine', () => {
  const tier = (price: ReturnType<typeof makePrice>) => single('m', price).tiers[0]!;

  it(
    'bills per-request fees on the answered requests, and the long-context cliff ' +
      'on the mean prompt',
    () => {
      const price = makePrice(
        { input: '1', output: '2', per_request: '0.01' },
        {
          context_tiers: [
            { above_input_tokens: 1000, rates: { input: Dec('3'), output: Dec('6') } },
          ],
        },
      );
      const small = priceUsage(tier(price), {
        requests: 10,
        tokens: { input: 5_000, output: 1_000 },
      });
      expect(
        small.parts.map((p) => [p.line, exact(p.quantity), exact(p.rate), exact(p.cost)]),
      ).toEqual([
        ['input', '5000', '1', '0.005'],
        ['output', '1000', '2', '0.002'],
        ['per_request', '10', '0.01', '0.1'],
      ]);
      const large = priceUsage(tier(price), {
        requests: 2,
        tokens: { input: 5_000, output: 1_000 },
      });
      expect(exact(large.cost)).toBe(exact(Dec('0.015').plus('0.006').plus('0.02')));
      expect(large.parts[0]!.note).toEqual({ kind: 'long_context', above_input_tokens: 1000 });
    },
  );

  it('names the rates it lacks instead of billing them as zero', () => {
    const r = priceUsage(tier(makePrice({ output: '2' })), {
      requests: 1,
      tokens: { input: 100, output: 10 },
    });
    expect(r.missing.map((m) => [m.component, m.needed_by, m.absence])).toEqual([
      ['input', { kind: 'usage' }, { kind: 'absent' }],
    ]);
    expect(exact(r.cost)).toBe('0.00002');
  });
});
