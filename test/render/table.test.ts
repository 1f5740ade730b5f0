import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drawLarge, drawWithCliTable3 } from '../../src/render/table-kit.js';

const cell = fc.oneof(
  fc
    .string({ maxLength: 12 })
    .map((s) => [...s].filter((ch) => !'\n\r\t\u001b'.includes(ch)).join('')),
  fc.constantFrom(
    '$1,250.00',
    '97.5%',
    '',
    '\u001b[31m$5.00\u001b[39m',
    '\u001b[1m\u001b[32m12.5%\u001b[39m\u001b[22m',
    'Ünïcödé',
    '中文模型',
    'a😀b',
  ),
);

describe('the large-table drawing', () => {
  it('is byte for byte what cli-table3 draws, for any cells, colours and alignments', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }).chain((cols) =>
          fc.tuple(
            fc.array(cell, { minLength: cols, maxLength: cols }),
            fc.array(fc.constantFrom<'left' | 'right'>('left', 'right'), {
              minLength: cols,
              maxLength: cols,
            }),
            fc.array(fc.array(cell, { minLength: cols, maxLength: cols }), { maxLength: 40 }),
          ),
        ),
        ([head, align, rows]) => {
          const spec = { head, align, rows };
          expect(drawLarge(spec)).toBe(drawWithCliTable3(spec));
        },
      ),
      { numRuns: 300 },
    );
  });
});
