import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeProfile, savedRun } from '../helpers/mock.js';

// A baseline comparison that cries wolf gets switched off: runs of one profile must almost never
// be called regressed. Timed, so it runs in the serial accuracy pass, with nothing competing.
const dir = mkdtempSync(join(tmpdir(), 'ai-route-false-alarms-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { AI_ROUTE_API_KEY: 'sk-test-0123456789abcdef' };

describe('regressions against a baseline', () => {
  it('two runs of the same profile with different seeds raise at most 1 alarm in 20', async () => {
    const base = probeProfile('{dist: lognormal, median_ms: 40, sigma: 0.25}');
    let alarms = 0;
    for (let i = 0; i < 20; i++) {
      const a = await savedRun(dir, base, 100 + 2 * i, env);
      const b = await savedRun(dir, base, 101 + 2 * i, env, ['--baseline', a.file]);
      if (b.body.baseline.comparisons.some((c: any) => c.verdict === 'regressed')) alarms++;
      expect(b.body.baseline.comparisons.length).toBeGreaterThanOrEqual(5);
    }
    expect(alarms).toBeLessThanOrEqual(1);
  }, 120_000);
});
