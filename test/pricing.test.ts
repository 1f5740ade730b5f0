import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Dec } from '../src/units/decimal.js';
import { importLitellm } from '../src/core/import/litellm.js';
import { importOpenRouter } from '../src/core/import/openrouter.js';
import { IssueList } from '../src/schema/issues.js';
import { PRICE_COMPONENTS } from '../src/domain/pricing.js';
import { validatePricing } from '../src/schema/pricing.js';
import { litellmCatalog } from '../scripts/litellm-catalog.mjs';
import { ROOT, runCli } from './helpers/run.js';

const dir = mkdtempSync(join(tmpdir(), 'ai-route-pricing-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const FIXTURES = join(ROOT, 'test/fixtures/import');
const day = '2026-11-01';

async function importTo(from: string, fixture: string, extra: string[] = []) {
  const out = join(dir, `${from}-${Math.random().toString(36).slice(2)}.json`);
  const result = await runCli([
    'pricing',
    'import',
    '--from',
    from,
    join(FIXTURES, fixture),
    '--effective-from',
    day,
    '--out',
    out,
    ...extra,
  ]);
  return {
    ...result,
    out,
    doc: result.code === 0 ? JSON.parse(readFileSync(out, 'utf8')) : undefined,
  };
}

describe('pricing import --from litellm', () => {
  it('converts the real LiteLLM format exactly (golden)', async () => {
    const result = await importTo('litellm', 'litellm-sample.json');
    expect(result.code).toBe(0);
    await expect(readFileSync(result.out, 'utf8')).toMatchFileSnapshot(
      './golden/import-litellm.json',
    );
    expect(result.stderr.split('\n').filter((l) => l.startsWith('ai-route: warning:'))).toEqual([
      'ai-route: warning: litellm entry "broken/negative-model": input_cost_per_token: ' +
        '-0.000001 is negative; left out',
      'ai-route: warning: litellm entry "broken/string-model": input_cost_per_token: ' +
        '"NaN" is not a number; left out',
      'ai-route: warning: litellm entry "no-provider-model": no usable litellm_provider; skipped',
    ]);
  });

  it(
    'turns per-token floats into per-million decimals from their shortest text, ' +
      'never 10.000000000000002',
    async () => {
      const { doc } = await importTo('litellm', 'litellm-sample.json');
      const rates = (id: string) => doc.models[id].prices[0];
      expect(rates('openai/gpt-4o')).toMatchObject({
        input: '2.5',
        output: '10',
        cache_read: '1.25',
        batch_input: '1.25',
        batch_output: '5',
      });
      expect(rates('deepseek/deepseek-r1')).toMatchObject({
        input: '0.55',
        output: '2.19',
        cache_read: '0.14',
      });
      expect(rates('vertex_ai-language-models/gemini-2.5-pro')).toMatchObject({
        cache_read: '0.3125',
        context_tiers: [{ above_input_tokens: 200_000, input: '2.5', output: '15' }],
      });
      expect(rates('openai/o3')).toMatchObject({ reasoning: '8' });
      expect(rates('perplexity/sonar')).toMatchObject({ per_request: '0.005' });
      // tiered_pricing ranges: the tier from 0 is the base rate, later tiers are cliffs
      expect(rates('dashscope/qwen-plus')).toMatchObject({
        input: '0.4',
        output: '1.2',
        context_tiers: [{ above_input_tokens: 256_000, input: '1.2', output: '3.6' }],
      });
      // a cache TTL field (_above_1hr) is not a long-context tier
      expect(rates('anthropic/claude-sonnet-4-5').context_tiers).toEqual([
        {
          above_input_tokens: 200_000,
          input: '6',
          output: '22.5',
          cache_write: '7.5',
          cache_read: '0.6',
        },
      ]);
      expect(doc.models['openai/gpt-4o'].aliases).toEqual(['gpt-4o']);
      // two keys for one id with equal prices: one model, the other key an alias
      expect(doc.models['openai/gpt-4o-mini'].aliases).toEqual(['gpt-4o-mini']);
      expect(Object.keys(doc.models)).not.toContain('exa_ai/search');
      expect(Object.keys(doc.models)).not.toContain('openai/dall-e-3');
    },
  );

  it('filters by --provider and --mode', async () => {
    const { doc } = await importTo('litellm', 'litellm-sample.json', [
      '--provider',
      'openai',
      '--mode',
      'chat',
    ]);
    expect(Object.keys(doc.models)).toEqual(['openai/gpt-4o', 'openai/gpt-4o-mini']);
    expect(doc.generated_from[0].filters).toEqual({ provider: 'openai', mode: 'chat' });
    const none = await importTo('litellm', 'litellm-sample.json', ['--provider', 'nope']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('nothing to import');
  });

  it('imports, then prices gpt-4o at 5B output tokens as exactly 50000', async () => {
    const { out } = await importTo('litellm', 'litellm-sample.json');
    const result = await runCli([
      'cost',
      '--pricing',
      out,
      '--model',
      'gpt-4o',
      '--volume',
      '5B',
      '--format',
      'json',
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('"gpt-4o" means openai/gpt-4o');
    expect(JSON.parse(result.stdout).rows[0]).toMatchObject({
      model: 'openai/gpt-4o',
      tokens: 5_000_000_000,
      cost: '50000',
    });
  });

  it('writes YAML when asked, which cost reads the same', async () => {
    const out = join(dir, 'imported.yaml');
    const result = await runCli([
      'pricing',
      'import',
      '--from',
      'litellm',
      join(FIXTURES, 'litellm-sample.json'),
      '--effective-from',
      day,
      '--out',
      out,
    ]);
    expect(result.code).toBe(0);
    const priced = await runCli([
      'cost',
      '--pricing',
      out,
      '--model',
      'deepseek/deepseek-r1',
      '--volume',
      '5B',
      '--format',
      'json',
    ]);
    expect(JSON.parse(priced.stdout).rows[0].cost).toBe('10950');
  });

  it('reports bad input as exit 2 with file and position', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{\n  "gpt-4o": {"input_cost_per_token": 1e-6,}\n}');
    const syntax = await runCli(['pricing', 'import', '--from', 'litellm', bad]);
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toMatch(/^.*bad\.json:2:\d+: invalid JSON: .*\n$/);
    writeFileSync(bad, '[1, 2]');
    const shape = await runCli(['pricing', 'import', '--from', 'litellm', bad]);
    expect(shape).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('expected a JSON object of model entries'),
    });
    expect((await runCli(['pricing', 'import', join(FIXTURES, 'litellm-sample.json')])).code).toBe(
      2,
    ); // --from is required
    expect(
      (
        await runCli([
          'pricing',
          'import',
          '--from',
          'openrouter',
          '--mode',
          'chat',
          join(FIXTURES, 'openrouter-sample.json'),
        ])
      ).code,
    ).toBe(2);
  });
});

describe('pricing import --from openrouter', () => {
  it(
    'converts the models API exactly, skipping router placeholders and applying ' +
      'discounts (golden)',
    async () => {
      const result = await importTo('openrouter', 'openrouter-sample.json');
      expect(result.code).toBe(0);
      await expect(readFileSync(result.out, 'utf8')).toMatchFileSnapshot(
        './golden/import-openrouter.json',
      );
      const rates = (id: string) => result.doc.models[id].prices[0];
      expect(rates('openrouter/openai/gpt-4o')).toMatchObject({
        input: '2.5',
        output: '10',
        cache_read: '1.25',
      });
      // "0" means not given, not free
      expect(rates('openrouter/openai/gpt-4o').reasoning).toBeUndefined();
      expect(rates('openrouter/qwen/qwen3-32b')).toMatchObject({ input: '0.08', output: '0.24' });
      expect(rates('openrouter/qwen/qwen3-32b').source).toContain('discount 20% applied');
      expect(rates('openrouter/meta-llama/llama-3.3-70b-instruct:free')).toMatchObject({
        input: '0',
        output: '0',
      });
      expect(result.doc.models['openrouter/openrouter/auto']).toBeUndefined();
      expect(result.stderr).toContain('"-1" placeholder of a router model');
      expect(result.stderr).toContain(
        'pricing.discount 1.5 is not a fraction below 1; not applied',
      );
    },
  );
});

describe('importers fed hostile input', () => {
  const junk = fc.oneof(
    fc.constantFrom(
      -1,
      '-1',
      'NaN',
      'Infinity',
      '1e309',
      1e308,
      2,
      '',
      null,
      true,
      [],
      {},
      '0x10',
      ' 1e-6 ',
      '1e-6',
      '+0',
      '+1e-6',
      '-0',
    ),
    fc.double(),
    fc.string(),
    fc.jsonValue({ maxDepth: 3 }),
  );
  const field = fc.constantFrom(
    'input_cost_per_token',
    'output_cost_per_token',
    'cache_read_input_token_cost',
    'cache_creation_input_token_cost',
    'output_cost_per_reasoning_token',
    'input_cost_per_token_batches',
    'input_cost_per_request',
    'input_cost_per_token_above_200k_tokens',
    'tiered_pricing',
    'litellm_provider',
    'mode',
    'source',
  );

  /**
   * Every imported rate is the exact conversion of a finite, non-negative source number: never a
   * wrong price.
   */
  function expectFaithful(doc: any, source: Record<string, any>) {
    const issues = new IssueList();
    validatePricing(doc, 'import', issues);
    expect(issues.items).toEqual([]);
    for (const model of Object.values<any>(doc.models)) {
      const key = JSON.parse(
        /^LiteLLM \S+ ("(?:[^"\\]|\\.)*")/.exec(model.prices[0].source)![1]!,
      ) as string;
      const entry = source[key];
      for (const [component, value] of Object.entries<any>(model.prices[0])) {
        if (!(PRICE_COMPONENTS as readonly string[]).includes(component)) continue;
        expect(Dec(value).gte('0')).toBe(true);
        const field = {
          input: 'input_cost_per_token',
          output: 'output_cost_per_token',
          per_request: 'input_cost_per_request',
        }[component as string];
        if (
          field !== undefined &&
          entry[field] !== undefined &&
          component !== 'per_request' &&
          typeof entry[field] === 'number'
        ) {
          expect(Dec(value).eq(Dec(String(entry[field])).times('1000000'))).toBe(true);
        }
      }
    }
  }

  it('LiteLLM: junk in any field is a warning or a skip, never a crash or a wrong price', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.tuple(field, junk)),
        (entries) => {
          const source: Record<string, any> = {};
          for (const [key, [f, value]] of Object.entries(entries)) {
            source[key] = {
              litellm_provider: 'p',
              mode: 'chat',
              input_cost_per_token: 1e-6,
              output_cost_per_token: 2e-6,
              [f]: value,
            };
          }
          const result = importLitellm(source, { effectiveFrom: day, file: 'x.json' });
          expectFaithful(result.doc, source);
          expect(
            result.counts.models +
              result.counts.unpriced +
              result.warnings.filter((w) => w.kind === 'not_object' || w.kind === 'bad_id').length,
          ).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('LiteLLM: deeply nested or wrongly shaped documents never crash the importer', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => {
        const result = importLitellm(value, { effectiveFrom: day, file: 'x.json' });
        if (result.doc === undefined) {
          // not a mapping of entries at all: an issue at the top level, never a thrown error
          expect(result.issues.map((i) => [i.path, i.message.slice(0, 24)])).toEqual([
            [[], 'expected a JSON object o'],
          ]);
          return;
        }
        const issues = new IssueList();
        validatePricing(result.doc, 'import', issues);
        expect(issues.items).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('OpenRouter: junk prices are warnings or skips, never a negative or wrong price', () => {
    const price = fc.oneof(
      junk,
      fc.double({ min: 0, max: 1e-3, noNaN: true }).map((n) => String(n)),
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            id: fc.oneof(fc.string(), fc.constant('a/b')),
            pricing: fc.record(
              { prompt: price, completion: price, discount: junk },
              { requiredKeys: [] },
            ),
          }),
          {
            maxLength: 8,
          },
        ),
        (data) => {
          const result = importOpenRouter({ data }, { effectiveFrom: day, file: 'x.json' });
          const issues = new IssueList();
          validatePricing(result.doc, 'import', issues);
          expect(issues.items).toEqual([]);
          for (const model of Object.values<any>(result.doc!.models)) {
            for (const c of PRICE_COMPONENTS)
              if (model.prices[0][c] !== undefined)
                expect(Dec(model.prices[0][c]).gte('0')).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('CLI: garbage files are exit 2 naming the file, never a stack trace', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 100 }),
          fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
        ),
        fc.constantFrom('litellm', 'openrouter'),
        async (text, from) => {
          const path = join(dir, 'garbage.json');
          writeFileSync(path, text);
          const result = await runCli([
            'pricing',
            'import',
            '--from',
            from,
            path,
            '--out',
            join(dir, 'garbage-out.json'),
          ]);
          expect([0, 2]).toContain(result.code);
          expect(result.stderr).not.toMatch(/\n\s+at /);
          if (result.code === 2) expect(result.stderr).toContain('garbage.json');
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('pricing list', () => {
  it('lists rates, sources and dates, and marks stale prices', async () => {
    const list = await runCli([
      'pricing',
      'list',
      '--format',
      'json',
      '--as-of',
      '2027-06-01',
      '--stale-after',
      '180',
    ]);
    expect(list.code).toBe(0);
    const body = JSON.parse(list.stdout);
    expect(body.schema).toBe('ai-route/pricing-list@1');
    expect(body.models.map((m: any) => [m.id, m.price.rates, m.age_days, m.stale])).toEqual([
      ['deepseek-ai/DeepSeek-R1', { output: '2.5' }, 189, true],
      ['deepseek-ai/DeepSeek-V4-Flash', { output: '0.25' }, 189, true],
      ['gpt-4o', { output: '10' }, 189, true],
      ['moonshotai/Kimi-K2.5', { output: '2.5' }, 189, true],
      ['Qwen/Qwen3-32B', { output: '0.28' }, 189, true],
    ]);
    const fresh = JSON.parse((await runCli(['pricing', 'list', '--format', 'json'])).stdout);
    expect(fresh.models.every((m: any) => m.stale === false && m.age_days === 0)).toBe(true);
  });

  it('renders each format of the shipped catalog (golden)', async () => {
    for (const [format, ext] of [
      ['table', 'txt'],
      ['markdown', 'md'],
      ['csv', 'csv'],
    ] as const) {
      const result = await runCli(['pricing', 'list', '--format', format]);
      expect(result.code).toBe(0);
      await expect(result.stdout).toMatchFileSnapshot(`./golden/pricing-list.${ext}`);
    }
  });

  it(
    'picks the price in force --as-of, filters by provider and model, and rejects ' +
      'unknown ones',
    async () => {
      const history = join(dir, 'history');
      mkdirSync(history, { recursive: true });
      writeFileSync(
        join(history, 'h.yaml'),
        'schema: ai-route/pricing@1\nmodels:\n  m:\n    provider: acme\n    aliases: ' +
          '[m-alias]\n    prices:\n      - {effective_from: 2025-01-01, source: a, ' +
          'output: "3"}\n      - {effective_from: 2026-01-01, source: b, output: "2"}\n ' +
          '     - {effective_from: 2027-01-01, source: c, output: "1"}\n',
      );
      const at = async (asOf: string) =>
        JSON.parse(
          (
            await runCli([
              'pricing',
              'list',
              '--pricing',
              history,
              '--model',
              'm-alias',
              '--as-of',
              asOf,
              '--format',
              'json',
            ])
          ).stdout,
        ).models;
      expect((await at('2026-06-30'))[0].price.rates.output).toBe('2');
      expect((await at('2027-01-01'))[0].price.rates.output).toBe('1');
      expect((await at('2024-01-01'))[0].price).toBeNull();
      const acme = JSON.parse(
        (
          await runCli([
            'pricing',
            'list',
            '--pricing',
            history,
            '--provider',
            'acme',
            '--format',
            'json',
          ])
        ).stdout,
      );
      expect(acme.models.map((m: any) => m.id)).toEqual(['m']);
      expect(await runCli(['pricing', 'list', '--model', 'gpt4o'])).toMatchObject({
        code: 2,
        stderr: expect.stringContaining('did you mean "gpt-4o"'),
      });
      expect(await runCli(['pricing', 'list', '--provider', 'nope'])).toMatchObject({
        code: 2,
        stderr: expect.stringContaining('providers: global-api, openai'),
      });
    },
  );
});

describe('pricing validate', () => {
  it('accepts the shipped catalog and an import', async () => {
    expect(await runCli(['pricing', 'validate'])).toEqual({
      code: 0,
      stdout: 'pricing/global-api.yaml: ok, 4 models\npricing/openai.yaml: ok, 1 model\n',
      stderr: '',
    });
    const { out } = await importTo('litellm', 'litellm-sample.json');
    expect((await runCli(['pricing', 'validate', out])).code).toBe(0);
  });

  it('lists every problem in every file and exits 2', async () => {
    const a = join(dir, 'a.yaml');
    const b = join(dir, 'b.json');
    writeFileSync(
      a,
      'schema: ai-route/pricing@1\nmodels:\n  x: {provider: p, prices: [{effective_from: ' +
        '2026-01-01, source: s, output: "-1"}]}\n',
    );
    writeFileSync(
      b,
      '{"schema": "ai-route/pricing@1", "models": {"y": {"prices": [{"effective_from": ' +
        '"2026-01-01", "output": "1"}]}}}',
    );
    const result = await runCli(['pricing', 'validate', a, b]);
    expect(result.code).toBe(2);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /a\.yaml:3:\d+: models\.x\.prices\[0\]\.output: expected a non-negative decimal string/,
    );
    expect(lines[1]).toMatch(/b\.json:1:\d+: models\.y\.provider: missing/);
    expect(lines[2]).toMatch(/b\.json:1:\d+: models\.y\.prices\[0\]\.source: missing/);
  });
});

describe('pricing diff', () => {
  const write = (name: string, models: Record<string, Record<string, string>>) => {
    const path = join(dir, name);
    const body = Object.entries(models).map(
      ([id, rates]) =>
        `  ${id}:\n    provider: p\n    prices:\n      - effective_from: 2026-01-01\n` +
        `        source: s\n${Object.entries(rates)
          .map(([k, v]) => `        ${k}: "${v}"\n`)
          .join('')}`,
    );
    writeFileSync(path, `schema: ai-route/pricing@1\nmodels:\n${body.join('')}`);
    return path;
  };

  it('lists added, removed and changed prices with the change in percent', async () => {
    const before = write('before.yaml', {
      a: { input: '1', output: '2' },
      b: { output: '5' },
      gone: { output: '1' },
    });
    const after = write('after.yaml', {
      a: { input: '1', output: '2.5' },
      b: { output: '4', cache_read: '0.5' },
      fresh: { output: '3' },
    });
    const result = await runCli(['pricing', 'diff', before, after, '--format', 'json']);
    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout);
    expect(body.schema).toBe('ai-route/pricing-diff@2');
    expect(body.changed).toEqual([
      { model: 'a', kind: 'rate_changed', price: 'output', old: '2', new: '2.5', change_pct: '25' },
      { model: 'b', kind: 'rate_changed', price: 'output', old: '5', new: '4', change_pct: '-20' },
      { model: 'b', kind: 'rate_added', price: 'cache_read', old: null, new: '0.5' },
    ]);
    expect(body.added.map((m: any) => m.model)).toEqual(['fresh']);
    expect(body.removed.map((m: any) => m.model)).toEqual(['gone']);
    const table = await runCli(['pricing', 'diff', before, after]);
    await expect(table.stdout).toMatchFileSnapshot('./golden/pricing-diff.txt');
  });

  it('exits 3 when a price rises by more than --fail-on-increase, naming it', async () => {
    const before = write('b2.yaml', { a: { output: '2' }, z: { output: '0' } });
    const after = write('a2.yaml', { a: { output: '2.1' }, z: { output: '0.01' } });
    const ok = await runCli(['pricing', 'diff', before, after, '--fail-on-increase', '5']);
    expect(ok.code).toBe(3); // z rose from $0, which exceeds any limit
    expect(ok.stderr).toContain(
      'ai-route: price increase over 5%: z output $0 -> $0.01 per 1M (from $0)',
    );
    expect(ok.stderr).not.toContain(' a output');
    const strict = await runCli(['pricing', 'diff', before, after, '--fail-on-increase', '4.9']);
    expect(strict.stderr).toContain(
      'ai-route: price increase over 4.9%: a output $2 -> $2.1 per 1M (+5.0%)',
    );
    const same = await runCli(['pricing', 'diff', before, before, '--fail-on-increase', '0']);
    expect(same.code).toBe(0);
  });
});

describe('a LiteLLM-sized catalog', () => {
  it('imports 2,500 entries and prices every text model at 4 volumes, exactly', async () => {
    const source = join(dir, 'big-litellm.json');
    writeFileSync(source, JSON.stringify(litellmCatalog(2500, 7), null, 4));
    const out = join(dir, 'big.json');
    expect(
      (await runCli(['pricing', 'import', '--from', 'litellm', source, '--out', out])).code,
    ).toBe(0);
    const result = await runCli([
      'cost',
      '--pricing',
      out,
      '--all-models',
      '--volume',
      '5M',
      '--volume',
      '50M',
      '--volume',
      '500M',
      '--volume',
      '5B',
      '--format',
      'json',
    ]);
    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout);
    const textModels = Object.values<any>(JSON.parse(readFileSync(out, 'utf8')).models).filter(
      (m) =>
        ['chat', 'completion', 'responses'].includes(m.mode) && m.prices[0].output !== undefined,
    );
    // every imported text model plus the 5 shipped ones, each at 4 volumes, less the baseline
    // (openai/gpt-4o), which is no candidate of itself, and less the shipped gpt-4o, whose name the
    // import's openai/gpt-4o took over (it would be the baseline again)
    expect(body.rows).toHaveLength((textModels.length + 5 - 2) * 4);
    expect(body.baseline).toBe('openai/gpt-4o');
    expect(body.rows.some((r: any) => r.model === 'openai/gpt-4o')).toBe(false);
    expect(body.rows.find((r: any) => r.tokens === 5_000_000_000).baseline_cost).toBe('50000');
    expect(result.stderr).toMatch(/left out [\d,]+ models that do not generate text/);
  });
});
