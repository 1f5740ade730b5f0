import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retryWaitMs } from '../../src/io/usage-api.js';
import { runCli } from '../helpers/run.js';
import { costsPage, usagePage } from '../helpers/usage-pages.js';

// --from openai-api and anthropic-api against a server on 127.0.0.1 that speaks the documented
// formats (the pages of test/fixtures/usage/*-docs.json, split over two pages): every page read,
// a 429 waited out after its Retry-After, the window and grouping asked for, the admin key sent
// in its header only and never shown, even when the server echoes it back.
const KEY = 'sk-admin-test-9f8e7d6c5b4a';
const PRICES = ['--pricing', 'test/fixtures/usage/prices.yaml'];
const seen: Array<{ path: string; query: URLSearchParams; at: number }> = [];
let rateLimited = false;

const openAiUsagePage = (start: number, model: string, input: number, next: string | null) =>
  usagePage(
    start,
    [
      {
        model,
        num_model_requests: 2,
        input_tokens: input,
        input_cached_tokens: 0,
        output_tokens: 100,
      },
    ],
    next,
  );

function answer(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url!, 'http://127.0.0.1');
  seen.push({ path: url.pathname, query: url.searchParams, at: Date.now() });
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    res
      .writeHead(status, { 'content-type': 'application/json', ...headers })
      .end(JSON.stringify(body));
  const page = url.searchParams.get('page');
  if (url.pathname.startsWith('/v1/organization/')) {
    const auth = req.headers.authorization ?? '';
    // a server that echoes the key it refused, as OpenAI's error messages do
    if (auth !== `Bearer ${KEY}`)
      return json(401, { error: { message: `Incorrect API key provided: ${auth.slice(7)}` } });
    if (url.pathname === '/v1/organization/usage/completions')
      return json(
        200,
        page === null
          ? openAiUsagePage(1730419200, 'gpt-4o', 1000, 'page_2')
          : openAiUsagePage(1730505600, 'gpt-4o', 2000, null),
      );
    if (url.pathname === '/v1/organization/costs') {
      if (!rateLimited) {
        rateLimited = true;
        return json(429, { error: { message: 'rate limited' } }, { 'retry-after': '1' });
      }
      return json(200, costsPage(1730419200, [['gpt-4o, input', 0.02]]));
    }
  }
  if (url.pathname.startsWith('/v1/organizations/')) {
    if (req.headers['x-api-key'] !== KEY || req.headers['anthropic-version'] !== '2023-06-01')
      return json(401, { type: 'error', error: { type: 'authentication_error' } });
    if (url.pathname === '/v1/organizations/usage_report/messages')
      return json(200, {
        data: [
          {
            starting_at: '2025-08-01T00:00:00Z',
            ending_at: '2025-08-02T00:00:00Z',
            results: [
              {
                model: 'claude-opus-4-6',
                service_tier: 'standard',
                uncached_input_tokens: 1500,
                cache_read_input_tokens: 200,
                cache_creation: { ephemeral_1h_input_tokens: 1000, ephemeral_5m_input_tokens: 500 },
                output_tokens: 500,
              },
            ],
          },
        ],
        has_more: false,
        next_page: null,
      });
    if (url.pathname === '/v1/organizations/cost_report')
      return json(200, {
        data: [
          {
            starting_at: '2025-08-01T00:00:00Z',
            ending_at: '2025-08-02T00:00:00Z',
            results: [{ amount: '3.3225', currency: 'USD', model: 'claude-opus-4-6' }],
          },
        ],
        has_more: false,
        next_page: null,
      });
  }
  json(404, { error: 'not found' });
}

const server = createServer(answer);
let base = '';
beforeAll(async () => {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

const openai = (extra: string[], key = KEY) =>
  runCli(
    [
      'usage',
      'summary',
      '--from',
      'openai-api',
      '--api-base',
      base,
      '--since',
      '2024-11-01',
      '--until',
      '2024-11-02',
      ...PRICES,
      ...extra,
    ],
    { env: { OPENAI_ADMIN_KEY: key } },
  );

describe('usage read live from the organization APIs', () => {
  it('OpenAI: every page, the window and grouping asked for, a 429 waited out', async () => {
    seen.length = 0;
    const r = await openai(['--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    // two usage pages: 1,000 + 2,000 input tokens, 4 requests
    expect(json.totals).toMatchObject({ requests: 4, input_tokens: 3000, billed_cost: '0.02' });
    const usage = seen.filter((s) => s.path === '/v1/organization/usage/completions');
    expect(usage.map((s) => s.query.get('page'))).toEqual([null, 'page_2']);
    // 2024-11-01 00:00 UTC to the end of 2024-11-02: the end is exclusive
    expect(usage[0]!.query.get('start_time')).toBe('1730419200');
    expect(usage[0]!.query.get('end_time')).toBe(String(1730419200 + 2 * 86400));
    expect(usage[0]!.query.get('bucket_width')).toBe('1d');
    expect(usage[0]!.query.getAll('group_by')).toEqual(['model', 'batch', 'service_tier']);
    const costs = seen.filter((s) => s.path === '/v1/organization/costs');
    expect(costs).toHaveLength(2);
    expect(costs[1]!.at - costs[0]!.at).toBeGreaterThanOrEqual(950);
    expect(r.stdout + r.stderr).not.toContain(KEY);
  });

  it('Anthropic: its headers and groups; the cost report in cents', async () => {
    seen.length = 0;
    const r = await runCli(
      [
        'usage',
        'summary',
        '--from',
        'anthropic-api',
        '--api-base',
        base,
        '--since',
        '2025-08-01',
        '--until',
        '2025-08-01',
        ...PRICES,
        '--format',
        'json',
      ],
      { env: { ANTHROPIC_ADMIN_KEY: KEY } },
    );
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    // the documented example: $0.033225 at the test prices; billed 3.3225 cents
    expect(json.totals.list_cost).toBe('0.033225');
    expect(json.totals.billed_cost).toBe('0.033225');
    expect(json.gap.causes).toEqual([]);
    const usage = seen.find((s) => s.path === '/v1/organizations/usage_report/messages')!;
    expect(usage.query.get('starting_at')).toBe('2025-08-01T00:00:00Z');
    expect(usage.query.get('ending_at')).toBe('2025-08-02T00:00:00Z');
    expect(usage.query.getAll('group_by[]')).toEqual(['model', 'service_tier', 'context_window']);
  });

  it('a refused key is exit 2, and the key the server echoes is redacted', async () => {
    const wrong = 'sk-admin-wrong-0123456789';
    const r = await openai([], wrong);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/organization\/usage\/completions: HTTP 401: .*\[redacted\]/);
    expect(r.stdout + r.stderr).not.toContain(wrong);
  });

  it('says which variable holds the key, and refuses files beside an API', async () => {
    const none = await runCli(['usage', 'summary', '--from', 'openai-api'], { env: {} });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--from openai-api needs an admin key in OPENAI_ADMIN_KEY/);
    const both = await runCli(['usage', 'summary', 'x.json', '--from', 'anthropic-api']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/reads the API; give no files with it/);
    const nothing = await runCli(['usage', 'summary']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/give the usage files to read/);
  });

  it('Retry-After as seconds or as a date; without it, backing off', () => {
    const now = Date.parse('2026-12-01T00:00:00Z');
    expect(retryWaitMs('2', 0, now)).toBe(2000);
    expect(retryWaitMs('Tue, 01 Dec 2026 00:00:05 GMT', 0, now)).toBe(5000);
    expect(retryWaitMs(null, 3, now)).toBe(8000);
  });
});
