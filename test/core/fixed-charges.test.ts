import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CostCurve, compareCurves, costAt } from '../../src/core/break-even.js';
import { costCurve, priceCandidate, projectCosts } from '../../src/core/cost.js';
import { Dec, type Big, ZERO, decInt } from '../../src/units/decimal.js';
import { ALL_OUTPUT_MIX } from '../../src/schema/scenario.js';
import { makeModel, makePrice, setup, single } from '../helpers/factories.js';

const money = fc.integer({ min: 0, max: 50_000 }).map((n) => Dec(String(n)));
const rate = fc.integer({ min: 0, max: 20_000 }).map((n) => Dec(String(n)).div('1000'));
const volume = fc.integer({ min: 0, max: 1e12 });

describe('monthly fees and commitments', () => {
  it(
    'a month costs usage + fee + the top-up to the commitment, once per model ' +
      'however many tiers use it',
    () => {
      fc.assert(
        fc.property(
          rate,
          fc.option(money, { nil: undefined }),
          fc.option(money, { nil: undefined }),
          volume,
          (output, fee, commitment, tokens) => {
            const price = makePrice(
              { output: output.toFixed() },
              { monthly_fee: fee, minimum_commitment: commitment },
            );
            const model = makeModel('dedicated', price);
            const candidate = setup('split', [
              { name: 'a', share: Dec('0.3'), model, price },
              { name: 'b', share: Dec('0.7'), model, price },
            ]);
            const usage = decInt(tokens).times(output).times('0.000001');
            const floor =
              commitment !== undefined && usage.lt(commitment) ? commitment.minus(usage) : ZERO;
            const priced = priceCandidate(candidate, tokens, ALL_OUTPUT_MIX);
            expect(priced.cost.eq(usage.plus(fee ?? ZERO).plus(floor))).toBe(true);
            // the fast path (no breakdown) agrees to the last digit
            const fast = projectCosts({
              candidates: [candidate],
              baseline: candidate,
              mix: ALL_OUTPUT_MIX,
              points: [{ stage: null, month: null, tokens }],
              budget: undefined,
              parts: false,
            });
            expect(fast.rows[0]!.cost.eq(priced.cost)).toBe(true);
            expect(
              costAt(costCurve(candidate, ALL_OUTPUT_MIX), decInt(tokens)).eq(priced.cost),
            ).toBe(true);
          },
        ),
        { numRuns: 300 },
      );
    },
  );

  it('says what each monthly charge is: the fee, and the top-up with the usage it tops up', () => {
    const price = makePrice(
      { output: '0.1' },
      { monthly_fee: Dec('2000'), minimum_commitment: Dec('500') },
    );
    const priced = priceCandidate(single('pro', price), 1_000_000_000, ALL_OUTPUT_MIX);
    expect(
      priced.fixed.map((f) => [
        f.kind,
        f.amount.toFixed(),
        f.usage?.toFixed(),
        f.commitment?.toFixed(),
      ]),
    ).toEqual([
      ['monthly_fee', '2000', undefined, undefined],
      ['commitment_top_up', '400', '100', '500'],
    ]);
    expect(priced.cost.toFixed()).toBe('2500');
  });
});

describe('break-even volumes', () => {
  const curve: fc.Arbitrary<CostCurve> = fc.record({
    fixed: money,
    linear: rate.map((r) => r.times('0.000001')),
    floors: fc.array(fc.record({ rate: rate.map((r) => r.times('0.000001')), floor: money }), {
      maxLength: 2,
    }),
  });
  const cheaperAt = (a: CostCurve, b: CostCurve, v: Big) => {
    const d = costAt(a, v).minus(costAt(b, v));
    return d.lt(ZERO) ? 'a' : d.gt(ZERO) ? 'b' : 'same';
  };

  it('name, for every stretch of volume, the setup that really costs less there', () => {
    fc.assert(
      fc.property(
        curve,
        curve,
        fc.array(fc.integer({ min: 1, max: 1e13 }), { minLength: 5, maxLength: 5 }),
        (a, b, probes) => {
          const crossings = compareCurves(a, b);
          expect(crossings[0]!.from_tokens).toBe(0);
          crossings.forEach((c, i) => {
            if (i > 0) expect(c.from_tokens).toBeGreaterThan(crossings[i - 1]!.from_tokens);
            // at the first whole token of a stretch its side costs less (or the same at the
            // boundary itself)
            const inside = decInt(c.from_tokens + 1);
            const next = crossings[i + 1];
            if (next === undefined || next.from_tokens > c.from_tokens + 1)
              expect([c.cheaper, 'same']).toContain(cheaperAt(a, b, inside));
          });
          for (const v of probes) {
            const stretch = [...crossings].reverse().find((c) => c.from_tokens <= v)!;
            const actual = cheaperAt(a, b, decInt(v));
            if (!crossings.some((c) => Math.abs(c.from_tokens - v) <= 1))
              expect([stretch.cheaper, 'same']).toContain(actual);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it(
    'finds the article-style case exactly: a $2,000 fee at $0.10/M against $0.25/M pay ' +
      'as you go',
    () => {
      const dedicated: CostCurve = {
        fixed: Dec('2000'),
        linear: ZERO,
        floors: [{ rate: Dec('0.0000001'), floor: Dec('500') }],
      };
      const payg: CostCurve = { fixed: ZERO, linear: Dec('0.00000025'), floors: [] };
      // 2000 + 1e-7 v = 2.5e-7 v at v = 13,333,333,333.3...: from the next whole token on,
      // dedicated costs less
      expect(compareCurves(dedicated, payg)).toEqual([
        { from_tokens: 0, cheaper: 'b' },
        { from_tokens: 13_333_333_334, cheaper: 'a' },
      ]);
      expect(
        compareCurves(dedicated, { fixed: ZERO, linear: Dec('0.0000001'), floors: [] }),
      ).toEqual([{ from_tokens: 0, cheaper: 'b' }]);
      expect(compareCurves(payg, payg)).toEqual([{ from_tokens: 0, cheaper: 'same' }]);
    },
  );
});
