import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realText } from '../helpers/real.js';
import { runCli } from '../helpers/run.js';

// Refusals that name the real cause, on the real LiteLLM snapshot of 2026-02-27.
const dir = mkdtempSync(join(tmpdir(), 'ai-route-refusals-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const catalog = join(dir, 'litellm.json');

beforeAll(async () => {
  writeFileSync(join(dir, 'raw.json'), realText('litellm'));
  const r = await runCli(
    ['pricing', 'import', '--from', 'litellm', join(dir, 'raw.json')].concat(['--out', catalog]),
  );
  expect(r.code, r.stderr).toBe(0);
});

describe('a refusal names the real cause', () => {
  it('a fee per request without tokens_per_request: the mix setting, not a price', async () => {
    const r = await runCli([
      'cost',
      '--pricing',
      catalog,
      '--model',
      'perplexity/pplx-7b-online',
      '--volume',
      '1M',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /perplexity\/pplx-7b-online charges \$0\.005 per request \(.*litellm\.json\), and the token mix does not say how many tokens a request has: set token_mix\.tokens_per_request in scenarios\/growth-stages\.yaml/,
    );
    expect(r.stderr).not.toMatch(/has no per_request price/);
    expect(r.stderr).not.toMatch(/add them with --pricing/);
  });

  it('priced once the mix says how many tokens a request has', async () => {
    const scenario = join(dir, 'per-request.yaml');
    writeFileSync(
      scenario,
      'schema: ai-route/scenario@1\nname: pr\nsetup:\n  label: pplx\n  tiers:\n    all: {model: ' +
        'perplexity/pplx-7b-online, share: "1", fallback: []}\nbaseline: gpt-4o\ntoken_mix: ' +
        '{input: "0", output: "1", tokens_per_request: 1000}\nstages: [{name: s, volume: 1M}]\n',
    );
    const r = await runCli([
      'cost',
      '--pricing',
      catalog,
      '--scenario',
      scenario,
      '--format',
      'json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    // 1M tokens at $0.28/M output, plus 1,000 requests at $0.005
    expect(JSON.parse(r.stdout).rows[0].cost).toBe('5.28');
  });

  it('a model the import skipped: said so with why, not an unknown id', async () => {
    const r = await runCli(['cost', '--pricing', catalog, '--model', 'assemblyai/best']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      '"assemblyai/best" was skipped at import: no token price in the source (per-second billing)',
    );
    expect(r.stderr).not.toMatch(/unknown model/);
  });
});
