import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Dec,
  PER_MILLION,
  decInt,
  exact,
  parsePlainDecimal,
  savingsPct,
} from '../../src/units/decimal.js';
import { parseUsd } from '../../src/units/money.js';

describe('exact money', () => {
  it('prices 5B tokens at $10/M as exactly 50000 and at $0.25/M as exactly 1250', () => {
    expect(exact(decInt(5_000_000_000).times('10').times(PER_MILLION))).toBe('50000');
    expect(exact(decInt(5_000_000_000).times('0.25').times(PER_MILLION))).toBe('1250');
    // the float path gets this wrong, which is why it is not used
    expect(1e-5 * 5e9).not.toBe(50000);
  });

  it('refuses JS numbers anywhere on the money path (strict mode)', () => {
    expect(() => Dec(0.1 as unknown as string)).toThrow();
    expect(() => Dec('1').times(0.1 as unknown as string)).toThrow();
    expect(() => Dec('1').valueOf()).toThrow();
  });

  it('reads only plain non-negative decimals as prices', () => {
    expect(parsePlainDecimal('0.25')?.toFixed()).toBe('0.25');
    expect(parsePlainDecimal('10.00')?.toFixed()).toBe('10');
    for (const bad of ['', '-1', '1e-7', '.5', '5.', '01', 'NaN', ' 1', '1,000', 'Infinity']) {
      expect(parsePlainDecimal(bad), bad).toBeUndefined();
    }
  });

  it('reads budgets as people type them', () => {
    expect(parseUsd('1000')?.toFixed()).toBe('1000');
    expect(parseUsd('$1,250.50')?.toFixed()).toBe('1250.5');
    expect(parseUsd('5k')?.toFixed()).toBe('5000');
    for (const bad of ['-5', 'abc', '1,00', '$', '']) expect(parseUsd(bad), bad).toBeUndefined();
  });

  it('computes savings exactly and gives none against a free baseline', () => {
    expect(savingsPct(Dec('1.25'), Dec('50'))?.toFixed()).toBe('97.5');
    expect(savingsPct(Dec('1'), Dec('0'))).toBeUndefined();
  });

  it('adds any decimal prices exactly: (a + b) - b === a', () => {
    const decimal = fc
      .tuple(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.integer({ min: 0, max: 12 }))
      .map(([n, scale]) => Dec(n.toString()).div(Dec('10').pow(scale)));
    fc.assert(fc.property(decimal, decimal, (a, b) => a.plus(b).minus(b).eq(a)));
  });
});
