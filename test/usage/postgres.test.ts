import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../helpers/postgres.js';
import { ROOT, runCli } from '../helpers/run.js';

// LiteLLM's spend logs read straight from a real PostgreSQL: the table made from LiteLLM's own
// schema.prisma (test/fixtures/usage/litellm-spendlogs.sql cites it), 12,003 requests over three
// days, read through a cursor in batches of 5,000 and a range of days; every figure is checked
// against the same sums computed by PostgreSQL itself.
const PRICES = ['--pricing', 'test/fixtures/usage/prices.yaml'];
let cluster: Cluster;
let client: pg.Client;

beforeAll(async () => {
  cluster = await startCluster();
  client = new pg.Client({ connectionString: cluster.url });
  await client.connect();
  await client.query(readFileSync(`${ROOT}/test/fixtures/usage/litellm-spendlogs.sql`, 'utf8'));
  // 12,000 completions of gpt-4o over 2025-09-01..03, 3 embeddings counted apart
  await client.query(`
    INSERT INTO "LiteLLM_SpendLogs" (request_id, call_type, spend, prompt_tokens,
      completion_tokens, total_tokens, "startTime", "endTime", model, model_group,
      custom_llm_provider, metadata, status)
    SELECT 'req-' || i, 'acompletion', 0.0035, 1000 + i % 7, 100 + i % 3, 1100,
      TIMESTAMP '2025-09-01' + (i % 3) * INTERVAL '1 day' + (i % 1000) * INTERVAL '1 second',
      TIMESTAMP '2025-09-01' + (i % 3) * INTERVAL '1 day' + INTERVAL '2 seconds',
      'gpt-4o', 'smart', 'openai', '{"usage_object": {"prompt_tokens_details":
        {"cached_tokens": 200}}}'::jsonb, 'success'
    FROM generate_series(1, 12000) AS i`);
  await client.query(`
    INSERT INTO "LiteLLM_SpendLogs" (request_id, call_type, spend, prompt_tokens,
      "startTime", "endTime", model)
    SELECT 'emb-' || i, 'aembedding', 0.00001, 300, TIMESTAMP '2025-09-02 10:00',
      TIMESTAMP '2025-09-02 10:00', 'text-embedding-3-small'
    FROM generate_series(1, 3) AS i`);
}, 60_000);

afterAll(async () => {
  await client?.end();
  cluster?.stop();
});

describe('usage summary postgres://', () => {
  it('reads the spend table by cursor for a range of days, as PostgreSQL sums it', async () => {
    const r = await runCli([
      'usage',
      'summary',
      cluster.url,
      ...PRICES,
      '--since',
      '2025-09-02',
      '--until',
      '2025-09-03',
      '--format',
      'json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    const truth = (
      await client.query(`
        SELECT count(*)::int AS requests, sum(prompt_tokens)::int AS input,
          sum(completion_tokens)::int AS output, sum(spend)::numeric(20,10)::text AS spend
        FROM "LiteLLM_SpendLogs"
        WHERE call_type = 'acompletion' AND "startTime" >= '2025-09-02'
          AND "startTime" < '2025-09-04'`)
    ).rows[0];
    expect(truth.requests).toBe(8000);
    expect(json.totals).toMatchObject({
      requests: truth.requests,
      input_tokens: truth.input,
      output_tokens: truth.output,
      cached_input_tokens: truth.requests * 200,
    });
    expect(Number(json.totals.billed_cost)).toBeCloseTo(Number(truth.spend), 8);
    expect(json.by_day.map((d: { day: string }) => d.day)).toEqual(['2025-09-02', '2025-09-03']);
    expect(json.other_operations).toEqual([
      { operation: 'aembedding', records: 3, input_tokens: 900, output_tokens: 0 },
    ]);
    // list cost at the test price of 2025 (input $2.50, cached $1.25, output $10 per 1M)
    const list =
      ((truth.input - truth.requests * 200) * 2.5 +
        truth.requests * 200 * 1.25 +
        truth.output * 10) /
      1e6;
    expect(Number(json.totals.list_cost)).toBeCloseTo(list, 9);
    expect(json.sources).toEqual([
      // the completions read; the embeddings are counted apart
      expect.objectContaining({ format: 'litellm-spend', records: 8000 }),
    ]);
  });

  it('every row when no range is given (three batches of the cursor)', async () => {
    const r = await runCli(['usage', 'summary', cluster.url, ...PRICES, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).totals.requests).toBe(12000);
  });

  it('a database it cannot reach is exit 2, and a password in the URL is never shown', async () => {
    const url = cluster.url
      .replace('postgres@', 'postgres:hunter2-secret@')
      .replace(/:\d+\//, ':1/');
    const r = await runCli(['usage', 'summary', url]);
    expect(r.code).toBe(2);
    // the URL shown without its user and password
    expect(r.stderr).toMatch(/ai-route: postgres:\/\/127\.0\.0\.1:1\/postgres: .*ECONNREFUSED/);
    expect(r.stderr).not.toContain('hunter2-secret');
  });
});
