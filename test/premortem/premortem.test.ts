import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXED_DAY, runCli } from '../helpers/run.js';
import { findingText, premortemDocument } from '../../src/render/premortem.js';
import { drawMarkdown } from '../../src/render/markdown.js';
import { renderPremortemJunit } from '../../src/render/premortem-json.js';

// The pre-mortem's checks that do not time a limit (those are in test/accuracy/premortem.test.ts),
// each against the built-in mock configured to behave one way; only 127.0.0.1 is ever called.

const QUICK = 'test/fixtures/premortem/quick.yaml';
const TWO_TIERS = 'test/fixtures/premortem/two-tiers.yaml';
const dir = mkdtempSync(join(tmpdir(), 'ai-route-premortem-'));

async function premortem(args: string[], options: Parameters<typeof runCli>[1] = {}) {
  const r = await runCli(
    ['premortem', '--mock', '--mock-profile', QUICK, '--format', 'json', ...args],
    options,
  );
  return { ...r, body: r.stdout === '' ? undefined : (JSON.parse(r.stdout) as any) };
}
const check = (body: any, id: string) => body.checks.find((c: any) => c.id === id);

describe('premortem: plan first, then the checks asked for', () => {
  it('prints the plan on stderr before sending: requests, duration, cost and bounds', async () => {
    const { code, stderr, body } = await premortem(['--checks', 'p99']);
    expect(code).toBe(0);
    expect(stderr).toMatch(
      /premortem plan for mock at http:\/\/127\.0\.0\.1:\d+\/v1:\n {2}p99 +up to 100 requests, about 100 s\n {2}total +up to 100 requests, about 100 s, cost unknown \(mock has no price in the catalog\)\n {2}bounds +--max-requests 2000, --max-duration 600 s/,
    );
    expect(body.schema).toBe('ai-route/premortem@1');
    expect(body.plan.checks).toEqual([{ id: 'p99', requests: 100, duration_s: 100 }]);
    expect(body.requests_sent).toBe(100);
  });

  it('p99: pass within budget, fail over it (exit 3), unknown under 100 successes', async () => {
    const ok = await premortem(['--checks', 'p99']);
    expect(check(ok.body, 'p99')).toMatchObject({
      verdict: 'pass',
      evidence: { ok: 100, min_requests: 100, ttft_budget_ms: 2000 },
    });
    expect(check(ok.body, 'p99').evidence.ttft_p99_ms).toBeGreaterThanOrEqual(5);
    const over = await premortem(['--checks', 'p99', '--p99-budget', '2ms']);
    expect(over.code).toBe(3);
    expect(check(over.body, 'p99').verdict).toBe('fail');
    expect(over.stderr).toMatch(/premortem: p99 failed/);
    const few = await premortem(['--checks', 'p99', '--requests', '40']);
    expect(few.code).toBe(0);
    expect(check(few.body, 'p99')).toMatchObject({ verdict: 'unknown', evidence: { ok: 40 } });
    expect(check(few.body, 'p99').finding).toBe('40 successful requests of 40: a p99 needs 100');
  });

  it('regions: the same probe at each listener of the mock, the best by TTFT p99', async () => {
    const file = join(dir, 'regions.yaml');
    writeFileSync(
      file,
      `${readFileSync(QUICK, 'utf8')}regions:\n  near: {latency_offset_ms: 0}\n  far: ` +
        `{latency_offset_ms: 60}\n`,
    );
    const r = await runCli([
      'premortem',
      '--mock',
      '--mock-profile',
      file,
      '--checks',
      'regions',
      '--requests',
      '100',
      '--concurrency',
      '4',
      '--format',
      'json',
    ]);
    const body = JSON.parse(r.stdout);
    const e = check(body, 'regions').evidence;
    expect(e.regions.map((x: any) => x.name)).toEqual(['primary', 'near', 'far']);
    expect(e.best).not.toBe('far');
    expect(e.regions.find((x: any) => x.name === 'far').ttft_p50_ms).toBeGreaterThanOrEqual(60);
    expect(check(body, 'regions').verdict).toBe('pass');
    const alone = await premortem(['--checks', 'regions', '--requests', '5']);
    expect(check(alone.body, 'regions')).toMatchObject({
      verdict: 'unknown',
      finding: 'no --region given: nothing to compare the endpoint with',
    });
  });
});

describe('premortem failover: computed from deadlines, retries and breaker, then drilled', () => {
  it(
    'a 300 ms connect deadline routes around a dead tier in under a second, drill ' + 'included',
    async () => {
      const { code, body } = await premortem([
        '--scenario',
        TWO_TIERS,
        '--checks',
        'failover',
        '--fail-target',
        'fast',
        '--connect-timeout',
        '300ms',
      ]);
      expect(code).toBe(0);
      const c = check(body, 'failover');
      expect(c.verdict).toBe('pass');
      expect(c.evidence.computed_worst_ms).toBe(300);
      expect(c.evidence.exposed_requests).toBe(3);
      expect(c.evidence.drill).toMatchObject({
        fail_target: 'fast',
        requests: 20,
        rerouted: 20,
        failed: 0,
      });
      expect(c.evidence.drill.reroute_max_ms).toBeGreaterThanOrEqual(290);
      expect(c.evidence.drill.reroute_max_ms).toBeLessThan(1000);
      expect(c.evidence.drill.breaker_opened_after_ms).not.toBeNull();
    },
  );

  it(
    'the default 10 s connect deadline with one retry fails the 1 s budget before ' +
      'anything is sent',
    async () => {
      const { code, body } = await premortem([
        '--scenario',
        TWO_TIERS,
        '--checks',
        'failover',
        '--retries',
        '1',
      ]);
      expect(code).toBe(3);
      const c = check(body, 'failover');
      expect(c.verdict).toBe('fail');
      // two attempts at the 10 s connect deadline plus the 0.5 s backoff between them
      expect(c.evidence.computed_worst_ms).toBe(20_500);
      expect(c.evidence.drill).toBeNull();
      expect(body.requests_sent).toBe(0);
    },
  );

  it('a drilled deadline over the budget fails on the measurement too', async () => {
    const { code, body } = await premortem([
      '--scenario',
      TWO_TIERS,
      '--checks',
      'failover',
      '--fail-target',
      'fast',
      '--connect-timeout',
      '1200ms',
      '--drill-requests',
      '4',
      '--concurrency',
      '4',
    ]);
    expect(code).toBe(3);
    expect(check(body, 'failover').evidence.drill.reroute_max_ms).toBeGreaterThan(1000);
  });

  it('is unknown without a scenario: there are no chains to route around', async () => {
    const { body } = await premortem(['--checks', 'failover']);
    expect(check(body, 'failover')).toMatchObject({
      verdict: 'unknown',
      finding: 'no --scenario: no fallback chains to route around a dead target',
    });
  });
});

describe('premortem sla: from the decision matrix, each figure with its source', () => {
  it('Pro channel routes have 99.9% in writing: pass, no request and no key needed', async () => {
    const r = await runCli([
      'premortem',
      '--scenario',
      TWO_TIERS,
      '--checks',
      'sla',
      '--format',
      'json',
    ]);
    expect(r.code).toBe(0);
    const c = check(JSON.parse(r.stdout), 'sla');
    expect(c.verdict).toBe('pass');
    expect(c.evidence.routes[0]).toMatchObject({
      tier: 'fast',
      channel: 'global_api_pro',
      uptime_pct: '99.9',
      basis: 'in_writing',
      sla_in_writing: true,
      credits: null,
    });
    expect(c.evidence.routes[0].source).toMatch(/^Enterprise vs Startup \(2026\): /);
    expect(c.evidence.routes[0].credits_source).toMatch(/not in the decision matrix/);
  });

  it(
    'the shared pool publishes 99.9% but not in writing: warn; an endpoint on ' +
      'no channel: unknown',
    async () => {
      const hybrid = JSON.parse(
        (await runCli(['premortem', '--scenario', 'hybrid', '--checks', 'sla', '--format', 'json']))
          .stdout,
      );
      expect(check(hybrid, 'sla')).toMatchObject({ verdict: 'warn' });
      expect(check(hybrid, 'sla').evidence.routes.every((r: any) => r.basis === 'published')).toBe(
        true,
      );
      const other = JSON.parse(
        (
          await runCli([
            'premortem',
            '--base-url',
            'https://llm.example.com/v1',
            '--model',
            'm',
            '--checks',
            'sla',
            '--format',
            'json',
          ])
        ).stdout,
      );
      expect(check(other, 'sla')).toMatchObject({
        verdict: 'unknown',
        evidence: { routes: [{ channel: null, basis: 'unknown' }] },
      });
    },
  );
});

describe('premortem bounds, Ctrl-C and confirmation', () => {
  it('stops at --max-requests with what it has; later checks are not run', async () => {
    const { code, body } = await premortem(['--checks', 'p99,burst', '--max-requests', '30']);
    expect(code).toBe(0);
    expect(body.requests_sent).toBe(30);
    expect(body.stopped).toEqual({ reason: 'max_requests', at_check: 'p99' });
    expect(check(body, 'p99')).toMatchObject({ verdict: 'unknown', evidence: { ok: 30 } });
    expect(check(body, 'burst')).toMatchObject({
      verdict: 'unknown',
      evidence: null,
      not_run: 'max_requests',
    });
  });

  it(
    'refuses --max-cost for a model the catalog cannot price (exit 2), and keeps ' +
      'a priced run under it',
    async () => {
      const r = await premortem(['--checks', 'p99', '--max-cost', '1']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--max-cost 1: mock has no price in the catalog/);
      const priced = await premortem([
        '--checks',
        'p99',
        '--model',
        'gpt-4o',
        '--max-cost',
        '0.002',
      ]);
      expect(priced.body.plan.cost_usd).not.toBeNull();
      // the answers' reported usage kept the run within the bound (test/premortem/max-cost)
      expect(Number(priced.body.spend.spent_usd)).toBeLessThanOrEqual(0.002);
      expect(priced.body.spend.estimated_answers).toBe(0);
      expect(priced.body.stopped).toEqual({ reason: 'max_cost', at_check: 'p99' });
    },
  );

  it('Ctrl-C stops the run, writes what it has, exit 130', async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 400);
    const { code, body } = await premortem(
      ['--checks', 'p99,burst', '--requests', '100000', '--max-requests', '100000'],
      { interrupted: stop.signal },
    );
    expect(code).toBe(130);
    expect(body.stopped).toMatchObject({ reason: 'interrupted', at_check: 'p99' });
    expect(body.requests_sent).toBeGreaterThan(0);
    expect(check(body, 'burst').not_run).toBe('interrupted');
  });

  it(
    'asks before sending only in a terminal: no sends when declined, none asked ' +
      'with --yes or under CI',
    async () => {
      let asked = 0;
      const prompter = async () => ({
        select: async () => (asked++, 'no'),
        input: async () => '',
      });
      const declined = await premortem(['--checks', 'p99'], { tty: true, prompter });
      expect(asked).toBe(1);
      expect(declined.code).toBe(0);
      expect(declined.stdout).toBe('');
      expect(declined.stderr).toMatch(/premortem: nothing sent/);
      await premortem(['--checks', 'sla', '--yes'], { tty: true, prompter });
      await premortem(['--checks', 'sla'], { tty: true, prompter, env: { CI: 'true' } });
      expect(asked).toBe(1);
    },
  );

  it(
    'names a --fail-target that is not a tier, refuses it without the failover ' +
      'check, and asks for a key before traffic',
    async () => {
      const r = await premortem(['--scenario', TWO_TIERS, '--fail-target', 'slow']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /--fail-target slow: no such tier in two-tiers; tiers: fast, steady/,
      );
      const s = await premortem([
        '--scenario',
        TWO_TIERS,
        '--fail-target',
        'fast',
        '--checks',
        'sla',
      ]);
      expect(s.stderr).toMatch(/--fail-target drills failover: add failover to --checks/);
      const k = await runCli([
        'premortem',
        '--base-url',
        'https://llm.example.com/v1',
        '--model',
        'm',
        '--checks',
        'p99',
      ]);
      expect(k.code).toBe(2);
      expect(k.stderr).toMatch(/no API key/);
    },
  );
});

describe('premortem outputs', () => {
  const report = {
    target: {
      base_url: 'https://global-apis.com/v1',
      model: 'deepseek-ai/DeepSeek-V4-Flash',
      scenario: 'hybrid',
    },
    plan: {
      checks: [],
      requests: 0,
      duration_s: 0,
      cost_usd: null,
      cost_note: null,
      limits: { max_requests: 2000, max_duration_s: 600, max_cost_usd: null },
    },
    checks: [
      {
        id: 'p99',
        verdict: 'pass',
        evidence: {
          requests: 100,
          ok: 100,
          error_rate: 0,
          ttft_p50_ms: 180,
          ttft_p99_ms: 640.5,
          e2e_p50_ms: 900,
          e2e_p99_ms: 1800,
          min_requests: 100,
          ttft_budget_ms: 2000,
          e2e_budget_ms: null,
        },
      },
      {
        id: 'burst',
        verdict: 'warn',
        evidence: {
          baseline: {
            rate_per_s: 2,
            duration_s: 5,
            requests: 10,
            ok: 10,
            ttft_p50_ms: 180,
            ttft_p99_ms: 200,
            share_429: 0,
            share_5xx: 0,
            share_timeout: 0,
            missed: 0,
          },
          burst: {
            rate_per_s: 20,
            duration_s: 5,
            requests: 100,
            ok: 88,
            ttft_p50_ms: 190,
            ttft_p99_ms: 400,
            share_429: 0.12,
            share_5xx: 0,
            share_timeout: 0,
            missed: 0,
          },
          multiplier: 10,
          classification: 'throttles',
          ttft_growth: 1.06,
          thresholds: { error_share: 0.02, ttft_growth: 2, ttft_growth_floor_ms: 50 },
        },
      },
      { id: 'rate_limit', verdict: 'unknown', evidence: null, not_run: 'max_requests' },
    ],
    stopped: { reason: 'max_requests', at_check: 'rate_limit' },
    requests_sent: 2000,
    spend: { bound_usd: '5', spent_usd: '0.412500', estimated_answers: 3 },
    fail_on: 'warn',
  } as const;

  it(
    'renders the checklist as markdown (golden) and JUnit, a warning failing ' +
      'under --fail-on warn',
    async () => {
      await expect(drawMarkdown(premortemDocument(report as any))).toMatchFileSnapshot(
        '../golden/premortem.md',
      );
      const junit = renderPremortemJunit(report as any);
      expect(junit).toMatch(/tests="3" failures="1"/);
      expect(junit).toMatch(
        /<testcase classname="ai-route.premortem" name="burst: a 10x burst" time="0">\n {6}<failure message="throttles at 20\/s/,
      );
      expect(junit).toMatch(/<skipped message="not run: --max-requests reached"\/>/);
    },
  );

  it('says in words what the rate-limit check could not learn; the JSON keeps the ids', () => {
    const evidence = {
      source: 'none',
      headers: null,
      ramp: [],
      first_429_rate_per_s: null,
      limit_requests: null,
      window_s: null,
      rate_per_s: null,
      window_kind: 'unknown',
      recovery: null,
      retry_after_s: null,
      not_learned: ['no 429 up to 8 requests/s (--ramp-max-rate)', 'window_kind', 'window_s'],
    };
    const finding = findingText({ id: 'rate_limit', verdict: 'unknown', evidence } as any);
    expect(finding).toBe(
      'from none: not learned: no 429 up to 8 requests/s (--ramp-max-rate); ' +
        "the kind of window (fixed or sliding); the window's length",
    );
    expect(finding).not.toMatch(/window_kind|window_s|limit_requests/);
  });

  it('--fail-on warn makes a warning exit 3', async () => {
    const hybrid = await runCli([
      'premortem',
      '--scenario',
      'hybrid',
      '--checks',
      'sla',
      '--fail-on',
      'warn',
    ]);
    expect(hybrid.code).toBe(3);
    expect(hybrid.stdout).toMatch(/0 pass, 1 warn, 0 fail, 0 unknown/);
  });

  it('report --premortem puts the checklist in the deck; places a bad file exactly', async () => {
    const saved = join(dir, 'premortem.json');
    await runCli([
      'premortem',
      '--scenario',
      TWO_TIERS,
      '--checks',
      'sla',
      '--format',
      'json',
      '--out',
      saved,
    ]);
    const out = join(dir, 'deck');
    const r = await runCli(['report', '--premortem', saved, '--format', 'md', '--out-dir', out], {
      now: FIXED_DAY,
    });
    expect(r.code).toBe(0);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toMatch(
      /## Pre-mortem: the six checks, run for real\n\n1 pass, 0 warn, 0 fail, 0 unknown against Pro\/deepseek-ai\/DeepSeek-V4-Flash at https:\/\/global-apis.com\/v1\./,
    );
    expect(md).toMatch(/\| an uptime SLA in writing \| PASS \| fast: 99.9% in writing/);
    writeFileSync(
      join(dir, 'bad.json'),
      '{"schema": "ai-route/premortem@1", "target": {}, "checks": [{"id": "p98"}]}',
    );
    const bad = await runCli([
      'report',
      '--premortem',
      join(dir, 'bad.json'),
      '--format',
      'md',
      '--out-dir',
      out,
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /checks\[0\]\.id: expected one of p99, regions, burst, failover, rate_limit, sla/,
    );
  });
});
