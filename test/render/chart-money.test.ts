import { describe, expect, it } from 'vitest';
import { formatUsdLabel, formatUsdShort } from '../../src/render/format.js';

// Money for people on a chart: never "$1,250.00" or "$48,750.00" beside a bar; the SVG's labels
// read as the pptx's number format ('[<100]$#,##0.00;[<10000]$#,##0;$#,##0.0,"k"') draws them.
describe('money on a chart', () => {
  it('labels: cents under $100, whole dollars under $10,000, thousands after', () => {
    const cases: Array<[number, string]> = [
      [1.25, '$1.25'],
      [48.75, '$48.75'],
      [99.994, '$99.99'],
      [487.5, '$488'],
      [1250, '$1,250'],
      [9999.4, '$9,999'],
      [48750, '$48.8k'],
      [50000, '$50.0k'],
      [1250000, '$1,250.0k'],
    ];
    for (const [value, label] of cases) expect(formatUsdLabel(value), String(value)).toBe(label);
  });

  it('axis ticks: short, and no cents on round dollars', () => {
    expect([0, 10, 2.5, 10_000, 1_500_000].map(formatUsdShort)).toEqual([
      '$0',
      '$10',
      '$2.50',
      '$10k',
      '$1.5M',
    ]);
  });
});
