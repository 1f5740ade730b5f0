import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run.js';

// The pre-mortem against mocks configured to behave one way each: the verdict reproduced and every
// measured limit within a stated tolerance of the configured one. Timed against the mock's
// clock, so run in the serial accuracy pass.

const dir = mkdtempSync(join(tmpdir(), 'ai-route-premortem-'));
const QUICK =
  '  ttft: {dist: constant, ms: 10}\n  per_token: {dist: constant, ms: 2}\n  output_tokens: 4\n';
function profile(name: string, body: string, timing = QUICK): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `schema: ai-route/mock-profile@1\ndefaults:\n${timing}${body}`);
  return file;
}

async function premortem(file: string, checks: string, extra: string[] = []) {
  const r = await runCli([
    'premortem',
    '--mock',
    '--mock-profile',
    file,
    '--checks',
    checks,
    '--format',
    'json',
    ...extra,
  ]);
  expect(r.stderr).toMatch(/premortem plan for/);
  return {
    ...r,
    body: JSON.parse(r.stdout) as {
      checks: Array<{ id: string; verdict: string; evidence: any }>;
      requests_sent: number;
    },
  };
}

describe('rate_limit: the limit learned by the ramp, against the configured one', () => {
  // 20 requests per 2 s is 10 per second; tolerance: 10 +- 1.5 per second, 20 +- 2 requests, 2 +-
  // 0.3 s
  for (const [kind, expected] of [
    ['fixed', 'fixed'],
    ['sliding', 'sliding'],
    ['token_bucket', 'token_bucket'],
  ] as const) {
    it(
      `a ${kind} window of 20 requests per 2 s is read as 10 +- 1.5 per second, ` + `${expected}`,
      async () => {
        const { code, body } = await premortem(
          profile(kind, `  rate_limit: {kind: ${kind}, limit: 20, window_ms: 2000}\n`),
          'rate_limit',
        );
        expect(code).toBe(0);
        const e = body.checks[0]!.evidence;
        expect(body.checks[0]!.verdict).toBe('pass');
        expect(e.window_kind).toBe(expected);
        expect(e.source).toBe('ramp');
        expect(Math.abs(e.rate_per_s - 10)).toBeLessThanOrEqual(1.5);
        expect(Math.abs(e.limit_requests - 20)).toBeLessThanOrEqual(2);
        expect(Math.abs(e.window_s - 2)).toBeLessThanOrEqual(0.3);
        expect(e.first_429_rate_per_s).toBeGreaterThan(10);
        expect(e.retry_after_s.max).toBeLessThanOrEqual(2.05);
      },
    );
  }

  it('reads limit, remaining and reset from x-ratelimit-* headers (requests, tokens)', async () => {
    const file = profile(
      'headers',
      '  rate_limit:\n    - {kind: fixed, limit: 20, window_ms: 2000, headers: ' +
        'true}\n    - {kind: fixed, per: tokens, limit: 100000, window_ms: 60000, ' +
        'headers: true}\n',
    );
    const { body } = await premortem(file, 'rate_limit');
    const e = body.checks[0]!.evidence;
    expect(e.source).toBe('headers+ramp');
    expect(e.headers).toMatchObject({
      limit_requests: 20,
      limit_tokens: 100000,
      remaining_requests_min: 0,
    });
    expect(e.headers.reset_requests_ms_max).toBeLessThanOrEqual(2000);
    expect(e.headers.remaining_tokens_min).toBeLessThan(100000);
    expect(e.window_kind).toBe('fixed');
    expect(e.not_learned).toEqual([]);
  });

  it('says what it could not learn when no 429 comes below --ramp-max-rate', async () => {
    const { body, code } = await premortem(profile('nolimit', ''), 'rate_limit', [
      '--ramp-max-rate',
      '8',
    ]);
    expect(code).toBe(0);
    const e = body.checks[0]!;
    expect(e.verdict).toBe('unknown');
    expect(e.evidence.window_kind).toBe('unknown');
    expect(e.evidence.not_learned).toEqual(
      expect.arrayContaining([
        'no 429 up to 8 requests/s (--ramp-max-rate)',
        'window_kind',
        'limit_requests',
      ]),
    );
    expect(body.requests_sent).toBe(2 + 4 + 8);
  });
});

describe('burst: each classification reproduced by a mock that behaves that way', () => {
  const slow =
    '  ttft: {dist: constant, ms: 30}\n  per_token: {dist: constant, ms: 40}\n ' +
    ' output_tokens: 10\n';
  for (const [label, body, classification, verdict] of [
    [
      'a 4-slot queue is read as queues',
      '  capacity: {slots: 4, overflow: queue}\n',
      'queues',
      'warn',
    ],
    [
      '4 slots that shed with 429 are read as throttles',
      '  capacity: {slots: 4, overflow: shed_429}\n',
      'throttles',
      'warn',
    ],
    [
      '4 slots that shed with 503 are read as degrades',
      '  capacity: {slots: 4, overflow: shed_503}\n',
      'degrades',
      'fail',
    ],
    ['a server with room to spare holds', '', 'holds', 'pass'],
  ] as const) {
    it(label, async () => {
      const { code, body: out } = await premortem(
        profile(`burst-${classification}`, body, slow),
        'burst',
        ['--baseline-duration', '3s', '--burst-duration', '3s'],
      );
      const c = out.checks[0]!;
      expect(c.evidence.classification, JSON.stringify(c.evidence)).toBe(classification);
      expect(c.verdict).toBe(verdict);
      expect(code).toBe(verdict === 'fail' ? 3 : 0);
      expect(c.evidence.burst.rate_per_s).toBe(20);
      expect(c.evidence.burst.missed).toBe(0);
      if (classification === 'queues') expect(c.evidence.ttft_growth).toBeGreaterThan(2);
      if (classification === 'throttles') expect(c.evidence.burst.share_429).toBeGreaterThan(0.02);
    });
  }

  it(
    'a queue that scales up after 500 ms sheds nothing: it holds or queues, ' +
      'never throttles or degrades',
    async () => {
      const scaling =
        '  capacity: {slots: 4, overflow: queue, scale_up: {after_ms: 500, slots: 64}}\n';
      const { body } = await premortem(profile('burst-scale', scaling, slow), 'burst', [
        '--baseline-duration',
        '3s',
        '--burst-duration',
        '3s',
      ]);
      const e = body.checks[0]!.evidence;
      expect(['holds', 'queues']).toContain(e.classification);
      expect(e.burst.share_429 + e.burst.share_5xx).toBe(0);
    },
  );
});
