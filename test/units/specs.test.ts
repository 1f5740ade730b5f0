import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DATE_SPEC } from '../../src/units/date.js';
import { Dec } from '../../src/units/decimal.js';
import { DURATION_SPEC } from '../../src/units/duration.js';
import { USD_SPEC } from '../../src/units/money.js';
import { GROWTH_SPEC, PERCENT_SPEC } from '../../src/units/percent.js';
import { FRACTION_SPEC, RATE_SPEC } from '../../src/units/rate.js';
import { MAX_SEED, SEED_SPEC } from '../../src/units/seed.js';
import { type UnitSpec, countSpec } from '../../src/units/spec.js';
import { VOLUME_SPEC } from '../../src/units/volume.js';

/** What a replayed value must do: its canonical text parses back to the same value. */
function roundTrips<T>(
  spec: UnitSpec<T>,
  values: fc.Arbitrary<T>,
  same: (a: T, b: T) => boolean = (a, b) => a === b,
): void {
  fc.assert(
    fc.property(values, (value) => {
      const again = spec.parse(spec.format(value));
      expect(again.ok, spec.format(value)).toBe(true);
      if (again.ok) expect(same(again.value, value)).toBe(true);
    }),
    { numRuns: 300 },
  );
}

const bigEq = (a: { eq(b: unknown): boolean }, b: unknown) => a.eq(b);

describe('unit specs: what is accepted on input is accepted again when replayed', () => {
  it('volume', () => roundTrips(VOLUME_SPEC, fc.integer({ min: 1, max: 1e15 })));
  it('money', () =>
    roundTrips(
      USD_SPEC,
      fc.bigInt({ min: 0n, max: 10n ** 15n }).map((c) => Dec(c.toString()).div('100')),
      bigEq,
    ));
  it('growth', () =>
    roundTrips(
      GROWTH_SPEC,
      fc.integer({ min: -9999, max: 1_000_000 }).map((c) => Dec(String(c)).div('100')),
      bigEq,
    ));
  it('percent', () =>
    roundTrips(
      PERCENT_SPEC,
      fc.integer({ min: 0, max: 10_000_000 }).map((c) => Dec(String(c)).div('1000')),
      bigEq,
    ));
  it('duration', () => roundTrips(DURATION_SPEC, fc.integer({ min: 1, max: 3_600_000 })));
  it('date', () =>
    roundTrips(
      DATE_SPEC,
      fc
        .date({ min: new Date('1970-01-01'), max: new Date('9999-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10)),
    ));
  it('seed, the same range for probe, mock and decide', () => {
    roundTrips(SEED_SPEC, fc.integer({ min: 0, max: MAX_SEED }));
    expect(SEED_SPEC.parse('3000000000')).toEqual({ ok: true, value: 3_000_000_000 });
    expect(SEED_SPEC.parse('9999999999').ok).toBe(false);
  });
  it('rates and fractions', () => {
    roundTrips(RATE_SPEC, fc.integer({ min: 1, max: 100_000 }));
    roundTrips(
      FRACTION_SPEC,
      fc.integer({ min: 1, max: 1000 }).map((n) => n / 1000),
    );
  });
  it('counts', () => roundTrips(countSpec(0, 65535), fc.integer({ min: 0, max: 65535 })));
});

describe('unit specs: what is refused, with the reason', () => {
  it.each([
    [PERCENT_SPEC, '$5k'],
    [PERCENT_SPEC, '-3'],
    [PERCENT_SPEC, '0.5x'],
    [USD_SPEC, 'lots'],
    [USD_SPEC, `1${'0'.repeat(60)}`],
    [GROWTH_SPEC, '-100'],
    [GROWTH_SPEC, `1.${'3'.repeat(2000)}`],
    [DURATION_SPEC, '0ms'],
    [DURATION_SPEC, '30'],
    [DURATION_SPEC, '2h'],
    [DATE_SPEC, '2026-02-30'],
    [VOLUME_SPEC, '-5M'],
    [SEED_SPEC, '-1'],
  ] as Array<[UnitSpec<unknown>, string]>)('%#: %s', (spec, text) => {
    const r = spec.parse(text);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.reason).toMatch(
        /^expected|is not|is negative|empty|over 1e15|has no unit: did you mean|is out of range/,
      );
  });

  it('never throws on garbage', () => {
    for (const spec of [
      VOLUME_SPEC,
      USD_SPEC,
      GROWTH_SPEC,
      PERCENT_SPEC,
      DURATION_SPEC,
      DATE_SPEC,
      SEED_SPEC,
      RATE_SPEC,
      FRACTION_SPEC,
    ] as Array<UnitSpec<unknown>>) {
      fc.assert(
        fc.property(
          fc.string({ maxLength: 60 }),
          (text) => typeof spec.parse(text).ok === 'boolean',
        ),
        { numRuns: 200 },
      );
    }
  });
});
