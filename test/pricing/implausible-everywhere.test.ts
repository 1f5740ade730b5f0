import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mockFromYaml, probeWithSamples } from '../helpers/mock.js';
import { runCli } from '../helpers/run.js';

// A quarantined rate is refused everywhere, and taken with --allow-implausible only with a note in
// every output.
const dir = mkdtempSync(join(tmpdir(), 'ai-route-implausible-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const pricing = join(dir, 'slipped.yaml');
writeFileSync(
  pricing,
  'schema: ai-route/pricing@1\nmodels:\n  gpt-4o:\n    provider: openai\n ' +
    '   prices:\n      - effective_from: 2026-01-01\n        source: a unit ' +
    'slip\n        input: "2.5"\n' +
    ('        quarantine: [{rate: output, value: "10000", why: "$10000 per 1M ' +
      'tokens is 10x the $1000 plausible maximum for output"}]\n'),
);
const NOTE = 'Implausible rates taken as given (--allow-implausible): gpt-4o: output $10,000.00.';

describe('--allow-implausible in decide and probe', () => {
  it('decide cannot price the baseline without it, and says so under its cost', async () => {
    const refused = await runCli([
      'decide',
      '--preset',
      'startup',
      '--pricing',
      pricing,
      '--format',
      'json',
    ]);
    // no option can be priced against the $500 ceiling, so none is known to meet it
    expect(refused.code).toBe(3);
    expect(JSON.parse(refused.stdout).options.every((o: any) => o.cost.priced === false)).toBe(
      true,
    );
    const taken = await runCli([
      'decide',
      '--preset',
      'startup',
      '--pricing',
      pricing,
      '--allow-implausible',
    ]);
    expect(taken.code, taken.stderr).toBe(0);
    // the one-screen summary wraps at 80 columns
    expect(taken.stdout.replace(/\s+/g, ' ')).toContain(NOTE);
    const json = JSON.parse(
      (
        await runCli([
          'decide',
          '--preset',
          'startup',
          '--pricing',
          pricing,
          '--allow-implausible',
          '--format',
          'json',
        ])
      ).stdout,
    );
    expect(json.implausible_taken).toEqual([
      {
        model: 'gpt-4o',
        rate: 'output',
        value: '10000',
        why: expect.stringContaining('plausible maximum'),
      },
    ]);
  });

  it('probe prices the run with it and says so, per target in JSON', async () => {
    const server = await mockFromYaml(
      'schema: ai-route/mock-profile@1\ndefaults: {ttft: {dist: constant, ms: ' +
        '1}, per_token: {dist: constant, ms: 0}, output_tokens: 10}\n',
    );
    try {
      const args = [
        '--base-url',
        server.url,
        '--model',
        'gpt-4o',
        '--requests',
        '2',
        '--warmup',
        '0',
        '--pricing',
        pricing,
      ];
      const refused = await probeWithSamples(dir, args, { AI_ROUTE_API_KEY: 'k' });
      expect(refused.body.cost.targets[0]).toMatchObject({ cost: null, implausible_taken: [] });
      const taken = await probeWithSamples(dir, [...args, '--allow-implausible'], {
        AI_ROUTE_API_KEY: 'k',
      });
      expect(taken.body.cost.targets[0].implausible_taken).toEqual([
        { rate: 'output', value: '10000', why: expect.any(String) },
      ]);
      // 2 requests x 10 output tokens at $10,000/M, plus the prompt tokens at $2.50/M
      expect(taken.body.cost.targets[0].cost).toMatch(/^0\.2\d+$/);
      const text = await runCli(['probe', ...args, '--allow-implausible'], {
        env: { AI_ROUTE_API_KEY: 'k' },
      });
      expect(text.stdout).toContain(NOTE);
    } finally {
      await server.close();
    }
  });
});
