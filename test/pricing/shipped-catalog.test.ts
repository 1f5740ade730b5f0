import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { importLitellm } from '../../src/core/import/litellm.js';
import { Dec } from '../../src/units/decimal.js';
import { ROOT, runCli } from '../helpers/run.js';

// catalogs/litellm.json, the dated real catalog that ships (`--pricing litellm`): exactly the
// import of a real LiteLLM map, with where it came from recorded
// (scripts/ship-litellm-catalog.mjs).
const FIXTURE = 'test/fixtures/real/litellm-2026-07-24.json.gz';
const shipped = JSON.parse(readFileSync(join(ROOT, 'catalogs/litellm.json'), 'utf8'));
const bytes = gunzipSync(readFileSync(join(ROOT, FIXTURE)));

describe('the shipped LiteLLM catalog', () => {
  it('is exactly the import of the real map it names, its date, URL and sha256 recorded', () => {
    const [from] = shipped.generated_from;
    expect(from).toMatchObject({
      source: 'litellm',
      imported_on: '2026-07-24',
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
    expect(from.url).toMatch(
      /^https:\/\/raw\.githubusercontent\.com\/RoCry\/llm-api-price\/8442b939a6ead479f7995b5d74d8dce488bd0966\//,
    );
    const again = importLitellm(JSON.parse(bytes.toString('utf8')), {
      effectiveFrom: '2026-07-24',
      file: 'model_prices_and_context_window.json',
    });
    expect(shipped.models).toEqual(again.doc!.models);
    expect(Object.keys(shipped.models).length).toBeGreaterThan(2500);
  });

  it('is chosen by name, needs no network, and prices a real mix from its rates', async () => {
    const args = ['--model', 'deepseek/deepseek-v4-flash', '--volume', '1M'];
    const r = await runCli(
      ['cost', '--pricing', 'litellm', ...args, '--input-share', '75%', '--format', 'json'],
      { cwd: '/' },
    );
    expect(r.code, r.stderr).toBe(0);
    const price = shipped.models['deepseek/deepseek-v4-flash'].prices.at(-1);
    const expected = Dec('0.75').times(price.input).plus(Dec('0.25').times(price.output));
    expect(Dec(JSON.parse(r.stdout).rows[0].cost).eq(expected)).toBe(true);
  });

  it("names the same model at other providers when the setup's own lacks the rate", async () => {
    const r = await runCli(['cost', '--pricing', 'litellm', '--input-share', '75%']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'the catalog has an input price for DeepSeek-V4-Flash at other providers (',
    );
    expect(r.stderr).toContain('deepseek/deepseek-v4-flash');
  });
});
