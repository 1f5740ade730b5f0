import { spawn } from 'node:child_process';
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

  it('a quiet baseline and a run beside two CPU burners: no false alarm', async () => {
    const base = probeProfile('{dist: lognormal, median_ms: 40, sigma: 0.25}');
    let alarms = 0;
    for (let i = 0; i < 10; i++) {
      const a = await savedRun(dir, base, 300 + 2 * i, env);
      const b = await besideBurners(() =>
        savedRun(dir, base, 301 + 2 * i, env, ['--baseline', a.file]),
      );
      if (b.code === 3) alarms++;
      for (const c of b.body.baseline.comparisons) {
        // a 0 or unmeasurable baseline is never a percent change
        if (c.baseline === 0 || c.verdict === 'not_compared') expect(c.change_pct).toBeNull();
        if (c.verdict === 'regressed') expect(Math.abs(c.current - c.baseline)).toBeGreaterThan(1);
      }
    }
    expect(alarms).toBeLessThanOrEqual(1);
  }, 180_000);
});

/** Runs `body` with two processes spinning on the CPU beside it (each ends itself within 60 s). */
async function besideBurners<T>(body: () => Promise<T>): Promise<T> {
  const spin = 'const end = Date.now() + 60000; while (Date.now() < end);';
  const burners = [0, 1].map(() => spawn(process.execPath, ['-e', spin], { stdio: 'ignore' }));
  try {
    return await body();
  } finally {
    for (const b of burners) b.kill('SIGKILL');
  }
}
