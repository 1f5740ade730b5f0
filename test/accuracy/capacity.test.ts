import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run.js';

// The capacity plan built from a pre-mortem of a mock whose limit is known: the mock lets 20
// requests through every 2 s (600 a minute); the plan must name that limit, within the pre-mortem's
// own tolerance (10 +- 1.5 requests a second, test/accuracy/premortem.test.ts), and the keys it
// implies. Timed against the mock's clock, so it runs in the serial accuracy pass.
const dir = mkdtempSync(join(tmpdir(), 'ai-route-capacity-mock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('capacity --premortem, against a mock with a known limit', () => {
  it('names the limit the mock was configured with, and plans keys by it', async () => {
    writeFileSync(
      join(dir, 'limited.yaml'),
      'schema: ai-route/mock-profile@1\ndefaults:\n  ttft: {dist: constant, ms: 2}\n' +
        '  per_token: {dist: constant, ms: 0}\n  output_tokens: 4\n' +
        '  rate_limit: {kind: fixed, limit: 20, window_ms: 2000, headers: true}\n',
    );
    const pm = await runCli(
      [
        'premortem',
        '--mock',
        '--mock-profile',
        'limited.yaml',
        '--checks',
        'rate_limit',
        '--yes',
        '--format',
        'json',
        '--out',
        'premortem.json',
      ],
      { cwd: dir },
    );
    expect(pm.code, pm.stderr).toBe(0);
    // 26.298B tokens a month: 600,000 a minute on average, 3x at the peak, at 1,000 a request:
    // 1,800 requests a minute
    writeFileSync(
      join(dir, 'mock.yaml'),
      'schema: ai-route/scenario@1\nname: on-the-mock\nsetup:\n  label: The mock\n  tiers:\n' +
        '    only: {model: mock, share: "1", fallback: []}\nbaseline: {model: gpt-4o}\n' +
        'traffic: {peak_factor: "3", tokens_per_request: 1000}\n' +
        'stages:\n  - {name: Peak, volume: 26298000000}\n',
    );
    const r = await runCli(
      ['capacity', '--scenario', 'mock.yaml', '--premortem', 'premortem.json', '--format', 'json'],
      { cwd: dir },
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const limit = out.limits[0];
    expect(limit.from).toEqual({ kind: 'premortem' });
    expect(limit.source).toContain('measured by ai-route premortem');
    expect(Math.abs(limit.rpm - 600)).toBeLessThanOrEqual(90);
    const row = out.rows[0];
    expect(row.peak_rpm).toBe(1_800);
    // keys: 1,800 / (limit x 0.8), rounded up (4 at exactly 600), from the limit it read
    expect(row.keys_needed).toBe(Math.ceil((1_800 * 100) / (limit.rpm * 80)));
  }, 120_000);
});
