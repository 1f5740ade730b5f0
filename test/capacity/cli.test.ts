import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run.js';

// `capacity` end to end: limits read from a pricing file (account tiers, a model's own limit, a
// later one), a scenario's traffic block, the JSON contract, and what it refuses. Each figure is
// recomputed here from the files' numbers.
const dir = mkdtempSync(join(tmpdir(), 'ai-route-capacity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return name;
};
const LIMITS = file(
  'limits.yaml',
  `schema: ai-route/pricing@1
models: {}
limits:
  - provider: global-api
    account_tier: standard
    rpm: 100
    tpm: 400000
    source: quote A
    effective_from: 2026-01-01
  - provider: global-api
    account_tier: standard
    rpm: 200
    tpm: 400000
    source: quote B
    effective_from: 2026-06-01
  - provider: global-api
    account_tier: standard
    model: moonshotai/Kimi-K2.5
    rpm: 10
    source: quote K
    effective_from: 2026-01-01
  - provider: global-api
    account_tier: pro
    rpm: 5000
    tpm: 10000000
    source: quote P
    effective_from: 2026-01-01
`,
);
// 438.3M tokens a month is 10,000 tokens a minute on average (43,830 minutes)
const SCENARIO = file(
  'two.yaml',
  `schema: ai-route/scenario@1
name: two
setup:
  label: Two tiers
  tiers:
    cheap: {model: deepseek-ai/DeepSeek-V4-Flash, share: "0.9", fallback: []}
    smart: {model: moonshotai/Kimi-K2.5, share: "0.1", fallback: []}
baseline: {model: gpt-4o}
traffic: {peak_factor: "4", tokens_per_request: 800}
stages:
  - {name: Now, volume: 438300000}
growth: {start: 438300000, monthly_pct: "30", months: 12}
`,
);
const capacity = (args: string[]) =>
  runCli(
    ['capacity', '--scenario', SCENARIO, '--pricing', LIMITS, '--as-of', '2026-11-24', ...args],
    {
      cwd: dir,
    },
  );

interface Row {
  tier: string;
  peak_rpm: number;
  peak_tpm: number;
  limit_rpm: number | null;
  limit_tpm: number | null;
  keys_needed: number | null;
  first_crossing_month: number | null;
}

describe('ai-route capacity', () => {
  it('each tier against its limit: the latest, the model’s own before the provider’s', async () => {
    const r = await capacity(['--format', 'json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { schema: string; rows: Row[]; assumptions: object };
    expect(out.schema).toBe('ai-route/capacity@1');
    expect(out.assumptions).toMatchObject({
      peak_factor: '4',
      tokens_per_request: 800,
      headroom_pct: '20',
    });
    const [cheap, smart] = out.rows;
    // cheap: 10,000 x 0.9 x 4 = 36,000 TPM, / 800 = 45 RPM; quote B (the later): 200 RPM
    expect(cheap).toMatchObject({
      tier: 'cheap',
      peak_tpm: 36_000,
      peak_rpm: 45,
      limit_rpm: 200,
      limit_tpm: 400_000,
      keys_needed: 1,
    });
    // smart: 4,000 TPM, 5 RPM, against Kimi's own 10 RPM x 0.8 = 8: one key
    expect(smart).toMatchObject({
      tier: 'smart',
      peak_tpm: 4_000,
      peak_rpm: 5,
      limit_rpm: 10,
      limit_tpm: null,
      keys_needed: 1,
    });
    // the month one key is not enough: smart's RPM grows 30% a month; 5 x 1.3^(m-1) > 8
    let m = 1;
    while (5 * 1.3 ** (m - 1) <= 8) m++;
    expect(smart!.first_crossing_month).toBe(m);
    // cheap: 45 x 1.3^(m-1) > 160 first at...
    let c = 1;
    while (45 * 1.3 ** (c - 1) <= 160 && c <= 12) c++;
    expect(cheap!.first_crossing_month).toBe(c <= 12 ? c : null);
  });

  it('--account-tier and --headroom change the plan; the table names each limit', async () => {
    const pro = JSON.parse(
      (await capacity(['--account-tier', 'global-api=pro', '--format', 'json'])).stdout,
    );
    expect(pro.rows.map((x: Row) => x.limit_rpm)).toEqual([5000, 5000]);
    const tight = JSON.parse((await capacity(['--headroom', '60', '--format', 'json'])).stdout);
    // smart: 5 RPM against 10 x 0.4 = 4: two keys
    expect(tight.rows[1].keys_needed).toBe(2);
    const table = await capacity([]);
    expect(table.stdout).toContain(
      'Limit: smart (moonshotai/Kimi-K2.5): 10 RPM a key, global-api standard; quote K',
    );
    expect(table.stdout).toContain("Peak minute: 4x the month's average minute.");
    expect(table.stdout).toContain(
      'A month is 30.4375 days, the average Gregorian month (the default',
    );
  });

  it('a model with no limit known is said so, never planned on a guess', async () => {
    const r = await runCli(['capacity', '--scenario', 'direct', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout).rows as Row[];
    expect(rows.every((x) => x.keys_needed === null && x.limit_rpm === null)).toBe(true);
    const table = await runCli(['capacity', '--scenario', 'direct'], { cwd: dir });
    expect(table.stdout).toContain('No limit is known for any tier');
  });

  it('refuses what it cannot plan, in one line, exit 2', async () => {
    const bad = file(
      'bad-limits.yaml',
      'schema: ai-route/pricing@1\nmodels: {}\nlimits:\n' +
        '  - {provider: x, account_tier: t, source: s, effective_from: 2026-01-01}\n',
    );
    const cases: Array<[string[], RegExp]> = [
      [['--headroom', '100'], /--headroom 100: expected less than 100 percent/],
      [['--account-tier', 'pro'], /--account-tier pro: expected PROVIDER=TIER/],
      [['--pricing', bad], /bad-limits.yaml:4:5: limits\[0\]: expected rpm, tpm or both/],
    ];
    for (const [args, message] of cases) {
      const r = await capacity(args);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });

  it('cost --explain carries the same plan when the pricing files hold limits', async () => {
    const args = ['--scenario', SCENARIO, '--pricing', LIMITS, '--as-of', '2026-11-24'];
    const cost = await runCli(['cost', ...args, '--explain', '--format', 'json'], { cwd: dir });
    expect(cost.code, cost.stderr).toBe(0);
    const plan = JSON.parse((await capacity(['--format', 'json'])).stdout);
    expect(JSON.parse(cost.stdout).capacity.rows).toEqual(plan.rows);
    const table = await runCli(['cost', ...args, '--explain'], { cwd: dir });
    expect(table.stdout).toContain('One key short from');
    // no limits, or no --explain: no capacity section
    const plain = await runCli(['cost', '--scenario', SCENARIO, '--explain', '--format', 'json'], {
      cwd: dir,
    });
    expect(JSON.parse(plain.stdout).capacity).toBeUndefined();
    const quiet = await runCli(['cost', ...args, '--format', 'json'], { cwd: dir });
    expect(JSON.parse(quiet.stdout).capacity).toBeUndefined();
  });
});
