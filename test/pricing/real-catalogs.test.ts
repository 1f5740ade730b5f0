import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REAL, realText } from '../helpers/real.js';
import { runCli } from '../helpers/run.js';

// Every test here runs on the real catalogs (test/fixtures/real), through the real CLI in-process.
const dir = mkdtempSync(join(tmpdir(), 'ai-route-real-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const raw = (source: keyof typeof REAL) => {
  const path = join(dir, `${source}.json`);
  writeFileSync(path, realText(source));
  return path;
};
const imported: Record<string, string> = {};
const day = '2026-02-27';

beforeAll(async () => {
  for (const source of Object.keys(REAL) as Array<keyof typeof REAL>) {
    const out = join(dir, `${source}-imported.json`);
    const r = await runCli([
      'pricing',
      'import',
      '--from',
      source,
      raw(source),
      '--effective-from',
      day,
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    imported[source] = out;
  }
});

const cost = (args: string[]) =>
  runCli(['cost', '--as-of', day, '--pricing', imported.litellm!, ...args]);
const doc = (source: string) => JSON.parse(readFileSync(imported[source]!, 'utf8'));

describe('LiteLLM real snapshot: unit slips', () => {
  const SLIPS = [
    'azure_ai/jais-30b-chat',
    'wandb/Qwen/Qwen3-235B-A22B-Instruct-2507',
    'wandb/Qwen/Qwen3-235B-A22B-Thinking-2507',
    'wandb/Qwen/Qwen3-Coder-480B-A35B-Instruct',
    'wandb/deepseek-ai/DeepSeek-R1-0528',
    'wandb/deepseek-ai/DeepSeek-V3-0324',
    'wandb/deepseek-ai/DeepSeek-V3.1',
    'wandb/meta-llama/Llama-3.1-8B-Instruct',
    'wandb/meta-llama/Llama-3.3-70B-Instruct',
    'wandb/meta-llama/Llama-4-Scout-17B-16E-Instruct',
    'wandb/microsoft/Phi-4-mini-instruct',
    'wandb/openai/gpt-oss-120b',
    'wandb/openai/gpt-oss-20b',
    'wandb/zai-org/GLM-4.5',
    'watsonx/bigscience/mt0-xxl-13b',
    'watsonx/core42/jais-13b-chat',
  ];

  it(
    'quarantines exactly the 16 entries priced 10^3-10^5 too high, each rate ' +
      'with value and likely slip',
    () => {
      const models = doc('litellm').models;
      const quarantined = Object.entries<any>(models)
        .filter(([, m]) => m.prices.some((p: any) => p.quarantine !== undefined))
        .map(([id]) => id)
        .sort();
      expect(quarantined).toEqual([...SLIPS].sort());
      const r1 = models['wandb/deepseek-ai/DeepSeek-R1-0528'].prices[0];
      expect(r1.output).toBeUndefined();
      expect(r1.quarantine).toContainEqual({
        rate: 'output',
        value: '540000',
        why: expect.stringMatching(/540x the \$1000 plausible maximum.*\/1,000,000 gives \$0\.54/),
      });
    },
  );

  it(
    'refuses to price a quarantined rate, and takes it only with --allow-implausible, ' +
      'saying so under the table',
    async () => {
      const refused = await cost([
        '--model',
        'wandb/deepseek-ai/DeepSeek-R1-0528',
        '--volume',
        '5B',
      ]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(
        /has no output price in .*quarantined as implausible: \$540000 per 1M tokens.*--allow-implausible takes it anyway/,
      );
      const taken = await cost([
        '--model',
        'wandb/deepseek-ai/DeepSeek-R1-0528',
        '--volume',
        '5B',
        '--allow-implausible',
      ]);
      expect(taken.code).toBe(0);
      expect(taken.stdout).toContain('$2,700,000,000.00');
      expect(taken.stdout).toContain(
        'Implausible rates taken as given (--allow-implausible): ' +
          'wandb/deepseek-ai/DeepSeek-R1-0528: ' +
          'input $135,000.00, output $540,000.00.',
      );
      const json = JSON.parse(
        (
          await cost([
            '--model',
            'wandb/deepseek-ai/DeepSeek-R1-0528',
            '--volume',
            '5B',
            '--allow-implausible',
            '--format',
            'json',
          ])
        ).stdout,
      );
      expect(json.implausible_taken).toEqual([
        {
          model: 'wandb/deepseek-ai/DeepSeek-R1-0528',
          rate: 'input',
          value: '135000',
          why: expect.any(String),
        },
        {
          model: 'wandb/deepseek-ai/DeepSeek-R1-0528',
          rate: 'output',
          value: '540000',
          why: expect.any(String),
        },
      ]);
    },
  );

  it('--all-models prices none of them, and lists each as not priced with the reason', async () => {
    const r = await cost(['--all-models', '--volume', '5B', '--format', 'json']);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    const rows = new Set(body.rows.map((x: any) => x.model));
    for (const id of SLIPS) expect(rows.has(id), id).toBe(false);
    const listed = body.not_priced
      .filter((n: any) => n.missing?.some((m: any) => m.absence === 'quarantined'))
      .map((n: any) => n.model);
    expect(listed.sort()).toEqual(
      SLIPS.filter(
        (id) => !id.startsWith('watsonx/') || doc('litellm').models[id].mode === 'chat',
      ).sort(),
    );
  });
});

describe('LiteLLM real snapshot: a zero is free only where the source says so', () => {
  it('does not price GigaChat (0 there means unknown), and names why', async () => {
    expect(doc('litellm').models['gigachat/GigaChat-2-Max'].prices[0]).toMatchObject({
      not_given: ['input', 'output'],
    });
    const r = await cost(['--model', 'gigachat/GigaChat-2-Max']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('has no output price');
    expect(r.stderr).toContain('its source lists 0, which it uses for "not known"');
  });

  it('prices a local model at $0 and says it is free in its source, in every format', async () => {
    const json = JSON.parse(
      (await cost(['--model', 'ollama/llama3', '--volume', '5M', '--format', 'json'])).stdout,
    );
    expect(json.rows[0]).toMatchObject({
      cost: '0',
      free_in_source: 'a local or self-hosted model (LiteLLM provider ollama)',
    });
    for (const format of ['table', 'markdown']) {
      const r = await cost(['--model', 'ollama/llama3', '--volume', '5M', '--format', format]);
      expect(r.stdout).toContain(
        'ollama/llama3 is free in its source: a local or self-hosted model (LiteLLM ' +
          'provider ollama).',
      );
    }
    const csv = (
      await cost(['--model', 'ollama/llama3', '--volume', '5M', '--format', 'csv'])
    ).stdout.split('\r\n');
    expect(csv[0]!.endsWith(',free_in_source')).toBe(true);
    expect(csv[1]).toBe(
      ',,5000000,ollama/llama3,ollama/llama3,0,openai/gpt-4o,50,100,a local or ' +
        'self-hosted model (LiteLLM provider ollama)',
    );
  });

  it(
    'pricing list shows why a rate is missing: quarantined, not given, or free in the ' + 'source',
    async () => {
      const list = (extra: string[]) =>
        runCli([
          'pricing',
          'list',
          '--pricing',
          imported.litellm!,
          '--as-of',
          day,
          '--model',
          'deepseek/deepseek-chat',
          '--model',
          'wandb/deepseek-ai/DeepSeek-R1-0528',
          '--model',
          'ollama/llama3',
          ...extra,
        ]);
      const table = (await list([])).stdout;
      expect(table).toMatch(
        /│ deepseek\/deepseek-chat +│ deepseek +│ +\$0\.28 │ +\$0\.42 │ +\$0\.028 │ +not given │/,
      );
      expect(table).toMatch(
        /│ wandb\/deepseek-ai\/DeepSeek-R1-0528 │ wandb +│ quarantined │ quarantined │/,
      );
      expect(table).toContain('1 model with rates quarantined as implausible');
      expect(table).toContain('1 model is free in its source');
      const taken = (await list(['--allow-implausible'])).stdout;
      expect(taken).toContain('$540,000.00 (implausible)');
      expect(taken).toContain(
        'Implausible rates taken as given (--allow-implausible): ' +
          'wandb/deepseek-ai/DeepSeek-R1-0528: ' +
          'input $135,000.00, output $540,000.00.',
      );
      const json = JSON.parse((await list(['--format', 'json'])).stdout).models;
      expect(
        json.map((m: any) => [
          m.id,
          m.price.not_given,
          m.price.quarantine.map((q: any) => q.value),
          m.price.free_in_source,
        ]),
      ).toEqual([
        ['deepseek/deepseek-chat', ['cache_write'], [], null],
        ['ollama/llama3', [], [], 'a local or self-hosted model (LiteLLM provider ollama)'],
        ['wandb/deepseek-ai/DeepSeek-R1-0528', [], ['135000', '540000'], null],
      ]);
    },
  );

  it('never bills written cache tokens as free: DeepSeek gives no cache-write price', async () => {
    expect(doc('litellm').models['deepseek/deepseek-chat'].prices[0]).toMatchObject({
      cache_read: '0.028',
      not_given: ['cache_write'],
    });
    const scenario = join(dir, 'cache-writes.yaml');
    writeFileSync(
      scenario,
      'schema: ai-route/scenario@1\nname: cw\nsetup: {label: DeepSeek, tiers: ' +
        '{default: {model: deepseek/deepseek-chat, share: "1", fallback: []}}}\nbaseline: ' +
        'deepseek/deepseek-chat\ntoken_mix: {input: "0.75", output: "0.25", cache_write_rate: ' +
        '"0.1"}\nstages: [{name: big, volume: 5B}]\n',
    );
    const r = await cost(['--scenario', scenario]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('deepseek/deepseek-chat (tier default) has no cache_write price');
  });
});

describe('LiteLLM real snapshot: every billing rate', () => {
  it(
    'reads reasoning inside tiered_pricing, the 1-hour cache write, and long-context ' + 'tiers',
    async () => {
      const models = doc('litellm').models;
      expect(models['dashscope/qwen-plus-latest'].prices[0]).toMatchObject({
        reasoning: '4',
        context_tiers: [
          { above_input_tokens: 256000, input: '1.2', output: '3.6', reasoning: '12' },
        ],
      });
      expect(models['anthropic/claude-sonnet-4-20250514'].prices[0]).toMatchObject({
        cache_write: '3.75',
        cache_write_1h: '6',
      });
      const scenario = join(dir, 'reasoning.yaml');
      writeFileSync(
        scenario,
        'schema: ai-route/scenario@1\nname: r\nsetup: {label: Qwen Plus, tiers: ' +
          '{default: {model: dashscope/qwen-plus-latest, share: "1", fallback: []}}}\nbaseline: ' +
          'dashscope/qwen-plus-latest\ntoken_mix: {input: "0.5", output: "0.5", reasoning_share: ' +
          '"0.5", input_tokens_per_request: 300000}\nstages: [{name: one, volume: 4M}]\n',
      );
      const r = await cost(['--scenario', scenario, '--explain', '--format', 'json']);
      expect(r.code, r.stderr).toBe(0);
      const parts = JSON.parse(r.stdout).rows[0].parts;
      // 2M input at the >256k rate 1.2, 1M output at 3.6, 1M reasoning at 12: the tier's own
      // reasoning rate
      expect(parts.map((p: any) => [p.line, p.rate, p.cost])).toEqual([
        ['input', '1.2', '2.4'],
        ['output', '3.6', '3.6'],
        ['reasoning', '12', '12'],
      ]);
    },
  );

  it(
    'says when a rate above a tier threshold is the base rate (the source gives ' +
      'none for the tier), and lists the tier rates it billed',
    async () => {
      const scenario = join(dir, 'batch-above.yaml');
      writeFileSync(
        scenario,
        'schema: ai-route/scenario@1\nname: b\nsetup: {label: Gemini, tiers: {default: ' +
          '{model: vertex_ai/gemini-3-pro-preview, share: "1", fallback: []}}}\nbaseline: ' +
          'vertex_ai/gemini-3-pro-preview\ntoken_mix: {input: "0.5", output: "0.5", ' +
          'batch_share: "0.5", input_tokens_per_request: 300000}\nstages: [{name: ' +
          'one, volume: 4M}]\n',
      );
      const r = await cost(['--scenario', scenario, '--explain']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(
        /input: 1,000,000 tokens x \$4\.00\/M .*long-context rate: requests over 200000 input tokens\]/,
      );
      expect(r.stdout).toMatch(
        /batch_input: 1,000,000 tokens x \$1\.00\/M .*the source gives no rate above 200000 input tokens for this line: the base rate is used\]/,
      );
      expect(r.stdout).toContain(
        'batch output $6.00; over 200K input tokens, as every request here: input ' +
          '$4.00, output $18.00, cache read $0.40, cache write $0.25 (the whole request at ' +
          'these rates, as Google bills it: https://ai.google.dev/gemini-api/docs/pricing) (source:',
      );
    },
  );
});

describe('LiteLLM real snapshot: ids as people type them', () => {
  it('resolves the LiteLLM call form and the OpenRouter id exactly', async () => {
    const json = async (model: string) =>
      JSON.parse((await cost(['--model', model, '--volume', '1M', '--format', 'json'])).stdout)
        .rows[0].model;
    expect(await json('vertex_ai/gemini-2.5-pro')).toBe('vertex_ai-language-models/gemini-2.5-pro');
    expect(await json('gemini-2.5-pro')).toBe('vertex_ai-language-models/gemini-2.5-pro');
    expect(await json('gemini/gemini-2.5-pro')).toBe('gemini/gemini-2.5-pro');
    expect(await json('google/gemini-2.5-pro')).toBe('openrouter/google/gemini-2.5-pro');
    expect(await json('bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0')).toBe(
      'bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0',
    );
    expect(await json('bedrock/us.anthropic.claude-sonnet-4-20250514-v1:0')).toBe(
      'bedrock_converse/us.anthropic.claude-sonnet-4-20250514-v1:0',
    );
    expect(await json('azure/gpt-4o')).toBe('azure/gpt-4o');
  });

  it(
    'suggests chat models before embeddings, and on the shipped catalog points ' +
      'to pricing import',
    async () => {
      const r = await cost(['--model', 'text-embeding-3-large']);
      expect(r.code).toBe(2);
      const shipped = await runCli(['cost', '--model', 'gpt-5']);
      expect(shipped.code).toBe(2);
      expect(shipped.stderr).toContain(
        'ai-route pricing import --from litellm ' +
          'https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json',
      );
    },
  );
});

describe('genai-prices real data', () => {
  it('keeps dated prices as history, and tiers above their start (exclusive)', async () => {
    const models = doc('genai-prices').models;
    expect(models['openai/o3'].prices.map((p: any) => [p.effective_from, p.output])).toEqual([
      ['2025-06-09', '40'],
      ['2025-06-10', '8'],
    ]);
    expect(models['anthropic/claude-opus-4-6'].prices[0].context_tiers).toEqual([
      {
        above_input_tokens: 200000,
        input: '10',
        output: '37.5',
        cache_read: '1',
        cache_write: '12.5',
        cache_write_1h: '20',
      },
    ]);
    const price = async (asOf: string) =>
      JSON.parse(
        (
          await runCli([
            'cost',
            '--pricing',
            imported['genai-prices']!,
            '--model',
            'openai/o3',
            '--baseline',
            'openai/o3',
            '--volume',
            '1M',
            '--as-of',
            asOf,
            '--format',
            'json',
          ])
        ).stdout,
      ).rows[0].cost;
    expect(await price('2025-06-09')).toBe('40');
    expect(await price('2025-06-10')).toBe('8');
  });

  it('makes a name for models with different prices an error listing each', async () => {
    expect(doc('genai-prices').ambiguous['GLM-5.2']).toEqual(['zai/GLM-5.2', 'zhipuai/GLM-5.2']);
    const r = await runCli(['cost', '--pricing', imported['genai-prices']!, '--model', 'GLM-5.2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /"GLM-5.2" names 2 models with different prices: zai\/GLM-5.2 \(.*\); zhipuai\/GLM-5.2 \(.*\); pass one of these ids/,
    );
  });
});

describe('models.dev real data', () => {
  it('reads cost per 1M with context tiers, and zeros of coding plans as not given', () => {
    const models = doc('models.dev').models;
    expect(models['302ai/gpt-5.4'].prices[0]).toMatchObject({
      input: '2.5',
      output: '15',
      cache_read: '0.25',
      not_given: ['cache_write'],
      context_tiers: [{ above_input_tokens: 272000, input: '5', output: '22.5' }],
    });
    const plan = Object.entries<any>(models).find(([id]) =>
      id.startsWith('alibaba-coding-plan/'),
    )![1];
    expect(plan.prices[0].not_given).toEqual(expect.arrayContaining(['input', 'output']));
    expect(Object.keys(models).length).toBeGreaterThan(4500);
  });
});

describe('a source catalog given where a pricing file belongs', () => {
  it.each(Object.keys(REAL) as Array<keyof typeof REAL>)(
    '%s: one line naming the import, exit 2',
    async (source) => {
      const r = await runCli(['cost', '--pricing', raw(source)]);
      expect(r.code).toBe(2);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(
        `not an ai-route pricing file; convert it first: ai-route pricing import --from ${source} `,
      );
    },
  );
});

describe('cross-checking catalogs', () => {
  it(
    "lists the rates LiteLLM and genai-prices disagree on, with each side's " +
      'source and date, and gates on them',
    async () => {
      const r = await runCli([
        'pricing',
        'check',
        imported.litellm!,
        imported['genai-prices']!,
        '--as-of',
        '2026-11-24',
        '--format',
        'json',
      ]);
      expect(r.code, r.stderr).toBe(0);
      const body = JSON.parse(r.stdout);
      expect(body.schema).toBe('ai-route/pricing-check@1');
      expect(body.shared_models).toBeGreaterThan(100);
      const deepseek = body.disagreements.find(
        (d: any) => d.model === 'deepseek/deepseek-chat' && d.rate === 'output',
      );
      expect(deepseek.sides.map((s: any) => [s.model, s.value])).toEqual([
        ['deepseek/deepseek-chat', '0.42'],
        ['deepseek/deepseek-chat', '1.1'],
      ]);
      expect(deepseek.sides[0].source).toContain('LiteLLM');
      const gated = await runCli([
        'pricing',
        'check',
        imported.litellm!,
        imported['genai-prices']!,
        '--as-of',
        '2026-11-24',
        '--fail-on-disagreement',
        '50',
      ]);
      expect(gated.code).toBe(3);
      expect(gated.stderr).toMatch(
        /catalogs disagree by [\d.]+% \(over 50%\): deepseek\/deepseek-chat output/,
      );
    },
  );
});
