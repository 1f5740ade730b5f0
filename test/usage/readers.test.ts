import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { otlpJson, withInt64Strings } from '../helpers/otlp.js';
import { costsPage, usagePage } from '../helpers/usage-pages.js';
import { runCli } from '../helpers/run.js';

// The readers on the providers' documented examples (test/fixtures/usage/README.md cites each),
// on pages and traces built here (OTLP by the real OpenTelemetry SDK), priced at the round test
// prices of test/fixtures/usage/prices.yaml; every expected figure is worked out in a comment.
const FIX = 'test/fixtures/usage';
const PRICES = ['--pricing', `${FIX}/prices.yaml`];
const dir = mkdtempSync(join(tmpdir(), 'ai-route-usage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function summary(files: string[], extra: string[] = []) {
  const r = await runCli(['usage', 'summary', ...files, ...PRICES, '--format', 'json', ...extra]);
  expect(r.code, r.stderr).toBe(0);
  return { json: JSON.parse(r.stdout), stderr: r.stderr };
}

describe('the providers documented examples', () => {
  it('Anthropic usage report: input sums three counts, 1-hour writes at their rate', async () => {
    const { json } = await summary([`${FIX}/anthropic-usage-docs.json`]);
    expect(json.sources[0].format).toBe('anthropic-usage');
    expect(json.by_day).toHaveLength(1);
    expect(json.by_day[0].day).toBe('2025-08-01');
    // 1,500 uncached + 200 read + 500 (5 min) + 1,000 (1 h) written
    expect(json.totals).toMatchObject({
      requests: null,
      input_tokens: 3200,
      cached_input_tokens: 200,
      cache_write_tokens: 1500,
      output_tokens: 500,
    });
    // 1,500 x $5 + 200 x $0.50 + 500 x $6.25 + 1,000 x $10 + 500 x $25, per 1M = $0.033225
    expect(json.totals.list_cost).toBe('0.033225');
    expect(json.totals.billed_cost).toBeNull();
  });

  it('Anthropic cost report: the amount is in cents ("123.78912" is $1.2378912)', async () => {
    const { json } = await summary([`${FIX}/anthropic-costs-docs.json`]);
    expect(json.sources[0].format).toBe('anthropic-costs');
    expect(json.totals.billed_cost).toBe('1.2378912');
  });

  it('OpenAI usage page not grouped by model: counted, not priced, and said why', async () => {
    const { json } = await summary([`${FIX}/openai-usage-docs.json`]);
    expect(json.sources[0].format).toBe('openai-usage');
    expect(json.by_day[0].day).toBe('2024-11-01');
    expect(json.totals).toMatchObject({
      requests: 5,
      input_tokens: 1000,
      cached_input_tokens: 800,
    });
    expect(json.totals.list_cost).toBeNull();
    expect(json.not_priced).toEqual([
      expect.objectContaining({ requests: 5, tokens: 1500, reason_kind: 'not_grouped' }),
    ]);
  });

  it('OpenAI costs page: USD amounts by day', async () => {
    const { json } = await summary([`${FIX}/openai-costs-docs.json`]);
    expect(json.sources[0].format).toBe('openai-costs');
    expect(json.totals.billed_cost).toBe('0.06');
  });
});

const DAY1 = 1730419200; // 2024-11-01, before the test price change
const DAY2 = DAY1 + 86400;

describe('OpenAI pages grouped by model, against the bill', () => {
  const day1 = usagePage(DAY1, [
    {
      model: 'gpt-4o-2024-08-06',
      num_model_requests: 10,
      input_tokens: 1_000_000,
      input_cached_tokens: 200_000,
      output_tokens: 100_000,
    },
  ]);
  const day2 = usagePage(DAY2, [
    { model: 'gpt-4o', batch: true, num_model_requests: 4, input_tokens: 2e6, output_tokens: 1e6 },
    {
      model: 'gpt-4o',
      service_tier: 'priority',
      num_model_requests: 1,
      input_tokens: 1000,
      output_tokens: 1000,
    },
  ]);
  const costs = [
    costsPage(DAY1, [
      ['gpt-4o-2024-08-06, input', 4],
      ['gpt-4o-2024-08-06, output', 1.5],
    ]),
    costsPage(DAY2, [
      ['gpt-4o, batch input', 2.5],
      ['gpt-4o, batch output', 5],
      ['gpt-4o, priority', 3],
    ]),
  ];

  it('each day at the price then in force, a snapshot as its model, tiers apart', async () => {
    const usage = write('usage.jsonl', `${JSON.stringify(day1)}\n${JSON.stringify(day2)}\n`);
    const bill = write('costs.json', JSON.stringify(costs, null, 2));
    const { json } = await summary([usage, bill]);
    expect(json.sources.map((s: { format: string }) => s.format)).toEqual([
      'openai-usage',
      'openai-costs',
    ]);
    // day 1 at the old price: 800k fresh x $5 + 200k cached x $2.50 + 100k x $15 = $6.00
    // day 2 at the new price, batch: 2M x $1.25 + 1M x $5 = $7.50; priority is not priced
    expect(json.by_day.map((d: { list_cost: string }) => d.list_cost)).toEqual(['6', '7.5']);
    const snapshot = json.by_model.find((m: { model: string }) => m.model === 'gpt-4o-2024-08-06');
    expect(snapshot.priced_as).toBe('gpt-4o');
    expect(snapshot.billed_cost).toBe('5.5');
    expect(json.not_priced).toEqual([
      expect.objectContaining({ model: 'gpt-4o', requests: 1, reason_kind: 'service_tier' }),
    ]);
    // billed $5.50 + $10.50 = $16 against $13.50: +$2.50, +18.52%
    expect(json.gap).toMatchObject({
      days: 2,
      list_cost: '13.5',
      billed_cost: '16',
      delta: '2.5',
      delta_pct: '18.52',
    });
    expect(json.gap.causes.map((c: { kind: string }) => c.kind)).toEqual(['service_tier', 'batch']);
  });

  it('the same bucket in two files is counted once, with a warning', async () => {
    const a = write('a.json', JSON.stringify(day1));
    const b = write('b.json', JSON.stringify([day1, day2]));
    const { json, stderr } = await summary([a, b]);
    expect(json.duplicates).toBe(1);
    expect(json.totals.requests).toBe(10 + 4 + 1);
    expect(stderr).toMatch(/1 records seen twice .*counted once/);
  });

  it('a bill under the list price with nothing else to explain it: a discount', async () => {
    const usage = write('d1.json', JSON.stringify(day1));
    const bill = write('c1.json', JSON.stringify(costs[0]));
    const { json } = await summary([usage, bill]);
    // $5.50 billed against $6.00: -$0.50, -8.33%
    expect(json.gap).toMatchObject({ delta: '-0.5', delta_pct: '-8.33' });
    expect(json.gap.causes).toEqual([expect.objectContaining({ kind: 'discount' })]);
  });
});

describe('OpenTelemetry traces made by the OpenTelemetry SDK', () => {
  const spans = [
    {
      name: 'chat gemini-2.5-pro',
      start: '2025-09-01T10:00:00Z',
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'gcp.gemini',
        'gen_ai.request.model': 'gemini-2.5-pro',
        'gen_ai.response.model': 'gemini-2.5-pro',
        'gen_ai.usage.input_tokens': 10_000,
        'gen_ai.usage.output_tokens': 2000,
      },
    },
    {
      // the older attribute name of the provider
      name: 'chat claude-opus-4-6',
      start: '2025-09-01T23:59:59Z',
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.system': 'anthropic',
        'gen_ai.request.model': 'claude-opus-4-6',
        'gen_ai.usage.input_tokens': 1000,
        'gen_ai.usage.cache_read.input_tokens': 400,
        'gen_ai.usage.cache_creation.input_tokens': 100,
        'gen_ai.usage.output_tokens': 100,
      },
    },
    {
      // an instrumentation that counts cache reads apart from input (less input than cache)
      name: 'chat claude-opus-4-6',
      start: '2025-09-02T00:00:01Z',
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'anthropic',
        'gen_ai.request.model': 'claude-opus-4-6',
        'gen_ai.usage.input_tokens': 50,
        'gen_ai.usage.cache_read.input_tokens': 400,
        'gen_ai.usage.output_tokens': 10,
      },
    },
    {
      name: 'embeddings text-embedding-3-small',
      start: '2025-09-01T10:00:00Z',
      attributes: {
        'gen_ai.operation.name': 'embeddings',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'text-embedding-3-small',
        'gen_ai.usage.input_tokens': 500,
      },
    },
    { name: 'GET /health', start: '2025-09-01T10:00:00Z', attributes: { 'http.status': 200 } },
  ];

  it('reads gen_ai spans: catalog names, old attribute names, cache counts, UTC days', async () => {
    const sdk = otlpJson(spans);
    for (const [name, text] of [
      ['sdk.json', sdk],
      ['int64-strings.json', withInt64Strings(sdk)],
      ['two-lines.jsonl', `${otlpJson(spans.slice(0, 2))}\n${otlpJson(spans.slice(2))}\n`],
    ] as const) {
      const { json, stderr } = await summary([write(name, text)]);
      expect(json.sources[0].format, name).toBe('otlp');
      // gemini: 10,000 x $1.25 + 2,000 x $10 = $0.0325
      // claude: 500 fresh x $5 + 400 x $0.50 + 100 x $6.25 + 100 x $25 = $0.005825
      // claude, cache apart: 50 x $5 + 400 x $0.50 + 10 x $25 = $0.0007
      expect(json.totals.list_cost, name).toBe('0.039025');
      expect(json.totals.requests).toBe(3);
      expect(json.by_day.map((d: { day: string }) => d.day)).toEqual(['2025-09-01', '2025-09-02']);
      const gemini = json.by_model.find((m: { model: string }) => m.model === 'gemini-2.5-pro');
      expect(gemini.priced_as).toBe('gemini/gemini-2.5-pro');
      expect(json.other_operations).toEqual([
        { operation: 'embeddings', records: 1, input_tokens: 500, output_tokens: 0 },
      ]);
      expect(stderr).toMatch(/1 spans counted cache tokens apart from input/);
    }
  });
});

describe('JSON lines longer than the 64 KB read to tell JSON from CSV', () => {
  it('a collector line of 400 spans is read as JSON lines, not as one document', async () => {
    const span = (i: number) => ({
      name: 'chat gpt-4o',
      start: '2025-10-01T00:00:00Z',
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': 100 + i,
        'gen_ai.usage.output_tokens': 10,
      },
    });
    const line = otlpJson(Array.from({ length: 400 }, (_, i) => span(i)));
    expect(line.length).toBeGreaterThan(64 * 1024);
    const { json } = await summary([write('long-lines.jsonl', `${line}\n${line}\n`)]);
    // the same spans twice (the same ids): 400 requests, each counted once
    expect(json.totals.requests).toBe(400);
    expect(json.duplicates).toBe(400);
    expect(json.totals.input_tokens).toBe(400 * 100 + (399 * 400) / 2);
  });
});

describe('LiteLLM spend logs', () => {
  it('one request per row, its spend as billed, a request id twice counted once', async () => {
    const row = (id: string, model: string, prompt: number, completion: number, spend: number) => ({
      request_id: id,
      call_type: 'acompletion',
      startTime: '2025-09-03T08:00:00.000Z',
      endTime: '2025-09-03T08:00:01.000Z',
      model,
      model_group: 'smart',
      custom_llm_provider: 'openai',
      prompt_tokens: prompt,
      completion_tokens: completion,
      spend,
    });
    const logs = write(
      'spend.json',
      JSON.stringify([
        row('a', 'gpt-4o', 1000, 100, 0.0035),
        row('a', 'gpt-4o', 1000, 100, 0.0035),
        row('b', 'gpt-4o', 2000, 200, 0.007),
        { ...row('c', 'text-embedding-3-small', 300, 0, 0.00001), call_type: 'aembedding' },
      ]),
    );
    const { json } = await summary([logs]);
    expect(json.sources[0].format).toBe('litellm-spend');
    expect(json.duplicates).toBe(1);
    expect(json.totals).toMatchObject({ requests: 2, input_tokens: 3000, output_tokens: 300 });
    // 3,000 x $2.50 + 300 x $10 per 1M (2025: the new test price) = $0.0105
    expect(json.totals.list_cost).toBe('0.0105');
    expect(json.totals.billed_cost).toBe('0.0105');
    expect(json.gap.causes).toEqual([]);
    expect(json.other_operations).toEqual([
      { operation: 'aembedding', records: 1, input_tokens: 300, output_tokens: 0 },
    ]);
  });
});
