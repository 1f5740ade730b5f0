import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run.js';

// decide with rate limits in the pricing files: an option whose tier needs more keys than
// --max-keys at the decision volume is flagged with the tier, the keys and the limit, the count
// recomputed here from the scenario's own share.
const dir = mkdtempSync(join(tmpdir(), 'ai-route-decide-capacity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(
  join(dir, 'tight.yaml'),
  'schema: ai-route/pricing@1\nmodels: {}\nlimits:\n' +
    '  - {provider: global-api, account_tier: standard, rpm: 2, tpm: 20000, source: "a tight ' +
    'quota", effective_from: 2026-01-01}\n',
);
const decide = (args: string[]) =>
  runCli(['decide', '--preset', 'startup', '--pricing', 'tight.yaml', ...args], { cwd: dir });

describe('decide --max-keys', () => {
  it('flags the tier whose peak needs more keys than allowed, in every format', async () => {
    const r = await decide(['--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.max_keys).toBe(1);
    // hybrid's default tier: 50M x 0.8 / 43,830 minutes x 3 / 1,000 tokens = 2.74 RPM at the
    // peak; a key takes 2 x 0.8 = 1.6: 2 keys
    const keys = Math.ceil((((50e6 * 0.8) / 43_830) * 3) / 1000 / 1.6);
    const standard = out.capacity_flags.find((f: { option: string }) => f.option === 'standard');
    expect(standard).toMatchObject({ tier: 'default', keys_needed: keys });
    expect(standard.limit).toContain('2 RPM, 20,000 TPM a key, global-api standard; a tight quota');
    const summary = await decide([]);
    expect(summary.stdout).toContain("Capacity: Standard channel's default tier");
    const detail = await decide(['--detail']);
    expect(detail.stdout).toContain('Capacity (rate limits of the pricing files)');
  });

  it('--max-keys 2 lets it through; without limits there is nothing to flag', async () => {
    const two = JSON.parse((await decide(['--max-keys', '2', '--format', 'json'])).stdout);
    expect(two.capacity_flags).toEqual([]);
    const none = await runCli(['decide', '--preset', 'startup', '--format', 'json'], { cwd: dir });
    expect(JSON.parse(none.stdout).capacity_flags).toEqual([]);
    expect(
      (await runCli(['decide', '--preset', 'startup', '--detail'], { cwd: dir })).stdout,
    ).not.toContain('Capacity (rate limits');
  });
});
