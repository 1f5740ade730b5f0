import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ROOT, runCli } from './helpers/run.js';

const dir = mkdtempSync(join(tmpdir(), 'ai-route-loaders-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(text: string, ext = 'yaml'): string {
  const path = join(dir, `case-${n++}.${ext}`);
  writeFileSync(path, text);
  return path;
}

/** A clear data error: exit 2, every line names the file (or is ours), no stack trace. */
function expectClearError(result: { code: number; stderr: string }, path: string): void {
  expect(result.code).toBe(2);
  const name = path.slice(dir.length + 1);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) {
    expect(line.includes(name) || line.startsWith('ai-route: '), line).toBe(true);
    expect(line).not.toMatch(/^\s+at /);
  }
  expect(result.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
}

const validPricing = readFileSync(join(ROOT, 'pricing/openai.yaml'), 'utf8');
const validScenario = readFileSync(join(ROOT, 'scenarios/hybrid.yaml'), 'utf8');

// hostile values: wrong types, negative and non-finite prices, huge numbers, deep junk
const junk = fc.oneof(
  fc.constantFrom(
    -1,
    '-1',
    'NaN',
    'Infinity',
    '1e309',
    1e308,
    '',
    null,
    true,
    '0x10',
    '1,5',
    ' 10',
    '10 ',
    '$10',
  ),
  fc.double(),
  fc.string(),
  fc.jsonValue({ maxDepth: 6 }),
  fc.letrec((tie) => ({
    deep: fc.oneof(
      { depthSize: 'small' },
      fc.constant('x'),
      fc.array(tie('deep'), { maxLength: 2 }),
    ),
  })).deep,
);

describe('pricing loader, fed garbage', () => {
  it('rejects arbitrary text with file:line:col and no stack trace', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (text) => {
        const path = file(text);
        const result = await runCli(['cost', '--pricing', path]);
        expectClearError(result, path);
      }),
      { numRuns: 150 },
    );
  });

  it('rejects arbitrary JSON and YAML documents', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), fc.boolean(), async (value, asJson) => {
        const path = asJson ? file(JSON.stringify(value), 'json') : file(stringify(value));
        const result = await runCli(['cost', '--pricing', path]);
        expectClearError(result, path);
      }),
      { numRuns: 150 },
    );
  });

  it('rejects any hostile value in a price, naming its dot path', async () => {
    const fields = [
      'output',
      'input',
      'cache_read',
      'effective_from',
      'source',
      'provider',
      'prices',
      'aliases',
      'context_tiers',
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...fields), junk, async (field, value) => {
        const doc = JSON.parse(
          JSON.stringify({
            schema: 'ai-route/pricing@1',
            models: {
              'my-model': {
                provider: 'p',
                prices: [{ effective_from: '2026-01-01', source: 's', output: '1' }],
              },
            },
          }),
        );
        const model = doc.models['my-model'];
        if (field === 'provider' || field === 'prices' || field === 'aliases') model[field] = value;
        else model.prices[0][field] = value;
        const looksValid =
          (field === 'aliases' &&
            Array.isArray(value) &&
            value.every((v) => typeof v === 'string' && v.trim() !== '')) ||
          (typeof value === 'string' &&
            /^(0|[1-9][0-9]*)(\.[0-9]+)?$/.test(value.trim()) &&
            field !== 'effective_from') ||
          (typeof value === 'string' &&
            value.trim() !== '' &&
            (field === 'source' || field === 'provider')) ||
          (field === 'context_tiers' && Array.isArray(value) && value.length === 0);
        fc.pre(!looksValid);
        const path = file(stringify(doc));
        const result = await runCli(['cost', '--pricing', path, '--model', 'my-model']);
        expectClearError(result, path);
        expect(result.stderr).toContain('my-model');
      }),
      { numRuns: 200 },
    );
  });

  it('rejects the -1 sentinel and negative prices rather than pricing below zero', async () => {
    for (const output of ['-1', '-0.5', -1]) {
      const path = file(
        validPricing.replace('output: "10.00"', `output: ${JSON.stringify(output)}`),
      );
      const result = await runCli(['cost', '--pricing', path]);
      expectClearError(result, path);
      expect(result.stderr).toMatch(/prices\[0\]\.output: expected a non-negative decimal string/);
    }
  });

  it('lists every problem of a file at once, each with line and column', async () => {
    const path = file(
      [
        'schema: ai-route/pricing@2',
        'models:',
        '  a:',
        '    provider: x',
        '    prices:',
        '      - {effective_from: 2026-02-30, source: s, output: 1}',
        '  b:',
        '    prices: []',
      ].join('\n'),
    );
    const result = await runCli(['cost', '--pricing', path]);
    expectClearError(result, path);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines.map((l) => l.replace(/^.*?\.yaml:/, ''))).toEqual([
      '1:9: schema: expected "ai-route/pricing@1", got "ai-route/pricing@2"',
      '6:26: models.a.prices[0].effective_from: expected a date written YYYY-MM-DD, ' +
        'got text "2026-02-30"',
      '6:57: models.a.prices[0].output: expected a non-negative decimal string ' +
        'such as "0.25" (quote it: "1"), got number 1',
      '8:5: models.b.provider: missing; expected the provider name',
      '8:13: models.b.prices: expected at least one dated price; leave a model ' +
        'out rather than list it unpriced',
    ]);
  });

  it('reports a YAML syntax error and a missing file in one line each', async () => {
    const path = file('models: [1, 2\nx: }');
    expectClearError(await runCli(['cost', '--pricing', path]), path);
    const missing = join(dir, 'nope.yaml');
    const result = await runCli(['cost', '--pricing', missing]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`ai-route: ${missing}: cannot read: no such file\n`);
  });

  it('refuses two models claiming one name in the same file', async () => {
    const path = file(
      validPricing.replace('aliases: [openai/gpt-4o]', 'aliases: [openai/gpt-4o, gpt-4o-mini]') +
        ('  gpt-4o-mini:\n    provider: openai\n    prices: [{effective_from: 2026-01-01, ' +
          'source: s, output: "1"}]\n'),
    );
    const result = await runCli(['cost', '--pricing', path]);
    expectClearError(result, path);
    expect(result.stderr).toContain(
      'alias "gpt-4o-mini" already names model "gpt-4o-mini" in this file',
    );
  });

  it('lets a later file take over a name, and says so when a run uses it', async () => {
    const path = file(
      validPricing.replace('aliases: [openai/gpt-4o]', 'aliases: [openai/gpt-4o, qwen3-32b]'),
    );
    const unused = await runCli(['cost', '--pricing', path]);
    expect(unused).toMatchObject({ code: 0, stderr: '' });
    const used = await runCli([
      'cost',
      '--pricing',
      path,
      '--model',
      'qwen3-32b',
      '--format',
      'json',
    ]);
    expect(used.code).toBe(0);
    expect(used.stderr).toBe(
      `ai-route: note: "qwen3-32b" means gpt-4o from ${path}, not Qwen/Qwen3-32B ` +
        `from pricing/global-api.yaml (later pricing files win)\n`,
    );
    expect(JSON.parse(used.stdout).rows[0].model).toBe('gpt-4o');
  });
});

describe('scenario loader, fed garbage', () => {
  it('rejects arbitrary text and documents', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.jsonValue({ maxDepth: 4 }).map((v) => stringify(v)),
        ),
        async (text) => {
          const path = file(text);
          expectClearError(await runCli(['cost', '--scenario', path]), path);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('rejects hostile values in any scenario field', async () => {
    const edits: Array<[string, (doc: any, v: unknown) => void]> = [
      ['share', (d, v) => (d.setup.tiers.default.share = v)],
      ['fallback', (d, v) => (d.setup.tiers.premium.fallback = v)],
      ['model', (d, v) => (d.setup.tiers.fallback.model = v)],
      ['volume', (d, v) => (d.stages[1].volume = v)],
      ['baseline', (d, v) => (d.baseline = v)],
      ['growth', (d, v) => (d.growth.monthly_pct = v)],
      ['months', (d, v) => (d.growth.months = v)],
      ['mix', (d, v) => (d.token_mix = v)],
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...edits), junk, async ([, edit], value) => {
        const doc = (await import('yaml')).parse(validScenario);
        edit(doc, value);
        const path = file(stringify(doc));
        const result = await runCli(['cost', '--scenario', path]);
        // a few junk values are valid here (a share of "0.80" stays "0.80"); the rest must fail
        // cleanly
        if (result.code !== 0) expectClearError(result, path);
        expect(result.code === 0 || result.code === 2).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('checks shares, chains and references together', async () => {
    const path = file(
      validScenario
        .replace('share: "0.15"', 'share: "0.25"')
        .replace('fallback: [default]', 'fallback: [fallback, nope, nope]')
        .replace('monthly_pct: "25"', 'monthly_pct: "-100"'),
    );
    const result = await runCli(['cost', '--scenario', path]);
    expectClearError(result, path);
    for (const expected of [
      'tier "fallback" cannot fall back to itself',
      'no tier named "nope"',
      '"nope" appears twice in the chain',
      'tier shares must add up to exactly 1, they add up to 1.1',
      'growth.monthly_pct: expected a percentage string above -100',
    ]) {
      expect(result.stderr).toContain(expected);
    }
  });
});
