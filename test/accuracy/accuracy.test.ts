import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compare, runProbeProcess, startMockProcess } from '../../scripts/accuracy.mjs';

// Run by `npm test` in a second, serial vitest pass (vitest.accuracy.config.ts), so no other test
// competes for the CPU while the probe's timing is checked against the mock's record.
let mock: Awaited<ReturnType<typeof startMockProcess>>;
beforeAll(async () => {
  mock = await startMockProcess();
});
afterAll(async () => {
  await mock.stop();
});

describe("probe accuracy against the mock's ground truth (1,000 requests each)", () => {
  for (const [label, model, concurrency, tolerance] of [
    ['sequential: within 2 ms + 2%', 'sequential', 1, { ms: 2, pct: 2 }],
    ['concurrency 32: within 10 ms + 2%', 'concurrent', 32, { ms: 10, pct: 2 }],
  ] as const) {
    it(label, async () => {
      await mock.reset();
      const { samples } = runProbeProcess(mock.url, model, [
        '--requests',
        '1000',
        '--concurrency',
        String(concurrency),
        '--warmup',
        '20',
      ]);
      const result = compare(samples, await mock.records(), tolerance);
      expect(result.unmatched).toBe(0);
      expect(result.n).toBeGreaterThan(900); // 1,000 less the injected faults
      for (const row of result.rows) {
        expect(
          Math.abs(row.diff),
          `${row.metric} ${row.q}: measured ${row.measured.toFixed(2)} ms, truth ` +
            `${row.truth.toFixed(2)} ms`,
        ).toBeLessThanOrEqual(row.allowed);
      }
      expect(result.tokensExact).toBe(true);
      expect(result.errors.server_5xx.measured).toBe(result.errors.server_5xx.truth);
      expect(result.errors.rate_limited.measured).toBe(result.errors.rate_limited.truth);
      expect(result.errors.server_5xx.truth).toBeGreaterThan(0);
    });
  }
});
