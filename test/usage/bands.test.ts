import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run.js';

// cost --usage: usage fit and cost in one step, with P10 and P90 at the ends of the fitted
// growth's 80% interval. Each band is checked against the same projection made the long way:
// `usage fit --out`, then `cost --scenario` with `--growth` at that end of the interval.
const USAGE = 'examples/usage-daily.csv';
const LITELLM = ['--pricing', 'litellm'];
const dir = mkdtempSync(join(tmpdir(), 'ai-route-usage-bands-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const costs = (report: { rows: Array<{ cost: string }> }) => report.rows.map((r) => r.cost);

describe('cost --usage', () => {
  it('projects P10, P50 and P90 that agree with usage fit then cost --growth', async () => {
    const r = await runCli([
      'cost',
      '--usage',
      USAGE,
      ...LITELLM,
      '--months',
      '6',
      '--format',
      'json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    const fit = JSON.parse(
      (await runCli(['usage', 'fit', USAGE, ...LITELLM, '--format', 'json'])).stdout,
    );
    const [lo, hi] = fit.growth.interval_80;
    expect(json.bands.p10.monthly_pct).toBe(String(lo));
    expect(json.bands.p50.monthly_pct).toBe(String(fit.growth.monthly_pct));
    expect(json.bands.p90.monthly_pct).toBe(String(hi));
    expect(lo).toBeLessThan(fit.growth.monthly_pct);
    const scenario = join(dir, 'fitted.yaml');
    expect((await runCli(['usage', 'fit', USAGE, ...LITELLM, '--out', scenario])).code).toBe(0);
    for (const [band, pct] of [
      ['p10', lo],
      ['p50', fit.growth.monthly_pct],
      ['p90', hi],
    ] as const) {
      const long = await runCli([
        'cost',
        '--scenario',
        scenario,
        ...LITELLM,
        '--months',
        '6',
        '--growth',
        String(pct),
        '--format',
        'json',
      ]);
      expect(long.code, long.stderr).toBe(0);
      expect(costs(json.bands[band]), band).toEqual(costs(JSON.parse(long.stdout)));
    }
    expect(costs(json.bands.p50)).toEqual(costs(json));
    // the same first month; the ends apart after it, in order
    const [p10, p50, p90] = ['p10', 'p50', 'p90'].map((b) => costs(json.bands[b]).map(Number));
    expect(p10![0]).toBe(p90![0]);
    for (let m = 1; m < 6; m++) {
      expect(p10![m]).toBeLessThan(p50![m]!);
      expect(p50![m]).toBeLessThan(p90![m]!);
    }
  });

  it('shows the range in the table and csv; refuses --scenario and --growth with it', async () => {
    const table = await runCli(['cost', '--usage', USAGE, ...LITELLM, '--months', '3']);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/Range of Observed mix \(2 models\): growth [\d.]+% \(P10\)/);
    expect(table.stdout).toMatch(/Total \(3 months\)/);
    const csv = await runCli([
      'cost',
      '--usage',
      USAGE,
      ...LITELLM,
      '--months',
      '3',
      '--format',
      'csv',
    ]);
    expect(csv.stdout.split('\r\n')[0]).toMatch(/,tokens_p10,cost_p10,tokens_p90,cost_p90$/);
    expect(csv.stdout.split('\r\n').filter((l) => l !== '')).toHaveLength(4);
    const both = await runCli(['cost', '--usage', USAGE, '--scenario', 'hybrid']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--usage.*--scenario|--scenario.*--usage/);
    const growth = await runCli(['cost', '--usage', USAGE, '--growth', '10']);
    expect(growth.code).toBe(2);
  });
});
