import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseVolume } from '../../src/units/volume.js';
import { formatTokens } from '../../src/render/format.js';

const ok = (text: string): number => {
  const r = parseVolume(text);
  if (!r.ok) throw new Error(`${text}: ${r.reason}`);
  return r.tokens;
};

describe('parseVolume', () => {
  it.each([
    ['5M', 5_000_000],
    ['500M', 500_000_000],
    ['5B', 5_000_000_000],
    ['1.5k', 1_500],
    ['1.5K', 1_500],
    ['2.5e9', 2_500_000_000],
    ['2.5E9', 2_500_000_000],
    ['500_000_000', 500_000_000],
    ['500,000,000', 500_000_000],
    ['1T', 1_000_000_000_000],
    ['5M tokens', 5_000_000],
    [' 42 ', 42],
    ['1e15', 1e15],
    ['+7', 7],
  ])('reads %s as %d', (text, tokens) => {
    expect(ok(text)).toBe(tokens);
  });

  it.each([
    ['-5M', 'negative'],
    ['NaN', 'not a token count'],
    ['', 'empty'],
    ['   ', 'empty'],
    ['1.2345k', 'not a whole number'],
    ['0.5', 'not a whole number'],
    ['1e-3', 'not a whole number'],
    ['2e15', 'over 1e15'],
    ['0', 'not positive'],
    ['1,00', 'not a token count'],
    ['5X', 'not a token count'],
    ['Infinity', 'not a token count'],
    ['0x10', 'not a token count'],
    ['5MM', 'not a token count'],
  ])('rejects %j (%s)', (text, reason) => {
    const r = parseVolume(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });

  it('rejects non-strings and non-finite numbers with a reason', () => {
    for (const value of [
      null,
      undefined,
      {},
      [],
      true,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      1.5,
      -3,
    ]) {
      const r = parseVolume(value);
      expect(r.ok, String(value)).toBe(false);
    }
  });

  it('never throws on garbage and always explains a rejection', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.anything()), (input) => {
        const r = parseVolume(input);
        if (r.ok) {
          expect(Number.isSafeInteger(r.tokens)).toBe(true);
          expect(r.tokens).toBeGreaterThan(0);
          expect(r.tokens).toBeLessThanOrEqual(1e15);
        } else {
          expect(r.reason.length).toBeGreaterThan(10);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('reads back every whole number written plainly, with separators, grouped or compact', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e15 }), (n) => {
        expect(ok(String(n))).toBe(n);
        expect(ok(n.toLocaleString('en-US'))).toBe(n);
        expect(ok(String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '_'))).toBe(n);
        expect(ok(formatTokens(n).replace(/,/g, ''))).toBe(n);
      }),
    );
  });
});

describe('formatTokens', () => {
  it.each([
    [5_000_000, '5M'],
    [1_500, '1.5K'],
    [5_000_000_000, '5B'],
    [8_640_000, '8.64M'],
    [12_441_600, '12,441,600'],
    [999, '999'],
  ])('%d -> %s', (n, text) => expect(formatTokens(n)).toBe(text));
});
