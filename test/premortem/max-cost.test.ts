import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withMock } from '../helpers/mock.js';
import { runCli } from '../helpers/run.js';

// --max-cost counts what the answers say they cost: the usage each reports, priced as it arrives.
// The oracle is the mock's own record of the tokens it sent and reported, at the test's prices.
const dir = mkdtempSync(join(tmpdir(), 'ai-route-max-cost-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const prices = join(dir, 'prices.yaml');
// $2 per million input tokens, $8 per million output tokens
writeFileSync(
  prices,
  [
    'schema: ai-route/pricing@1',
    'currency: USD',
    'unit: usd_per_1m_tokens',
    'models:',
    '  m:',
    '    provider: test',
    '    prices:',
    '      - effective_from: 2026-01-01',
    '        source: this test',
    '        input: "2"',
    '        output: "8"',
  ].join('\n'),
);
const run = (baseUrl: string, maxCost: string) =>
  runCli([
    'premortem',
    '--base-url',
    baseUrl,
    '--model',
    'm',
    '--pricing',
    prices,
    '--checks',
    'p99',
    '--requests',
    '100',
    '--max-tokens',
    '64',
    '--max-cost',
    maxCost,
    '--format',
    'json',
    '--yes',
  ]);

/** An endpoint that answers "hi" and reports the usage given (or none). */
async function withEndpoint(
  usage: Record<string, number> | undefined,
  use: (url: string, requests: () => number) => Promise<void>,
): Promise<void> {
  let requests = 0;
  const server = createServer((req, res) => {
    req.resume();
    requests++;
    const chunk = (body: unknown) => `data: ${JSON.stringify(body)}\n\n`;
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(
      chunk({ choices: [{ index: 0, delta: { content: 'hi' }, finish_reason: null }] }) +
        chunk({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }) +
        (usage === undefined ? '' : chunk({ choices: [], usage })) +
        'data: [DONE]\n\n',
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  try {
    await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, () => requests);
  } finally {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  }
}

describe('--max-cost counts real spend', () => {
  it('prices each answer by its reported usage; stops when the next one could pass', async () => {
    const profile =
      'schema: ai-route/mock-profile@1\ndefaults:\n  ttft: {dist: constant, ms: 1}\n' +
      '  per_token: {dist: constant, ms: 0}\n  output_tokens: 3\n';
    await withMock(profile, async (mock) => {
      const r = await run(mock.url, '0.002');
      expect(r.code, r.stderr).toBe(0);
      const body = JSON.parse(r.stdout);
      // every answer reported 8 prompt tokens and its output tokens (the mock's record)
      const micro = mock.records.reduce((n, rec) => n + 8 * 2 + rec.output_tokens * 8, 0);
      expect(body.requests_sent).toBe(mock.records.length);
      expect(body.spend).toEqual({
        bound_usd: '0.002',
        spent_usd: (micro / 1e6).toFixed(6),
        estimated_answers: 0,
      });
      // planned at 64 output tokens a request; 3 came: far more requests fit than the plan said
      const planned = Number(body.plan.cost_usd) / body.plan.requests;
      expect(body.requests_sent).toBeGreaterThan(Math.floor(0.002 / planned));
      expect(micro / 1e6).toBeLessThanOrEqual(0.002);
      expect(micro / 1e6 + planned).toBeGreaterThan(0.002);
      expect(body.stopped).toEqual({ reason: 'max_cost', at_check: 'p99' });
      expect(r.stderr).toMatch(/Spent \$0\.\d+ of the \$0\.002 --max-cost|premortem/);
    });
  });

  it('an endpoint reporting huge usage: one answer, then the bound stops the run', async () => {
    // a proxy that reports 100 million tokens each way: $1,000 at these prices
    const usage = { prompt_tokens: 1e8, completion_tokens: 1e8, total_tokens: 2e8 };
    await withEndpoint(usage, async (url, requests) => {
      const r = await run(url, '0.01');
      expect(r.code, r.stderr).toBe(0);
      const body = JSON.parse(r.stdout);
      expect(requests()).toBe(1);
      expect(body.requests_sent).toBe(1);
      expect(body.spend).toEqual({
        bound_usd: '0.01',
        spent_usd: '1000.000000',
        estimated_answers: 0,
      });
      expect(body.stopped).toEqual({ reason: 'max_cost', at_check: 'p99' });
    });
  });

  it('an answer without usage costs its plan; the run counts how many were priced so', async () => {
    await withEndpoint(undefined, async (url, requests) => {
      const r = await run(url, '0.002');
      expect(r.code, r.stderr).toBe(0);
      const body = JSON.parse(r.stdout);
      const planned = Number(body.plan.cost_usd) / body.plan.requests;
      const fit = Math.floor(0.002 / planned + 1e-9);
      expect(requests()).toBe(fit);
      expect(body.requests_sent).toBe(fit);
      expect(body.spend.estimated_answers).toBe(fit);
      expect(Number(body.spend.spent_usd)).toBeCloseTo(fit * planned, 9);
      expect(body.stopped).toEqual({ reason: 'max_cost', at_check: 'p99' });
    });
  });
});
