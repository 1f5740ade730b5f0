import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeProfile as profile, probeWithSamples, savedRun, withMock } from '../helpers/mock.js';
import { runCli } from '../helpers/run.js';

// probe in CI: failures told plainly, latency the way SLOs define it, units, warm-up, regressions,
// merging runs, GitHub. Every endpoint is on 127.0.0.1.
const dir = mkdtempSync(join(tmpdir(), 'ai-route-probe-ci-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const KEY = 'sk-test-0123456789abcdef';
const env = { AI_ROUTE_API_KEY: KEY };

/** A port on 127.0.0.1 that nothing listens on: opened, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as AddressInfo).port;
  await new Promise((done) => server.close(done));
  return port;
}

describe('a run that never succeeded fails, saying why', () => {
  it(
    'nothing listening: exit 3 with the errno, host and port, on stderr and ' + 'in every sample',
    async () => {
      const port = await closedPort();
      const r = await probeWithSamples(
        dir,
        [
          '--base-url',
          `http://127.0.0.1:${port}/v1`,
          '--model',
          'm',
          '--requests',
          '4',
          '--warmup',
          '0',
        ],
        env,
      );
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(
        `ai-route: no request to m succeeded: 4/4 connection refused (ECONNREFUSED) ` +
          `at 127.0.0.1:${port}`,
      );
      expect(r.samples.map((s) => s.error)).toEqual(
        Array(4).fill(`connection refused (ECONNREFUSED) at 127.0.0.1:${port}`),
      );
      expect(r.body.failures).toEqual([
        expect.objectContaining({ kind: 'no_success', target: 'm', requests: 4 }),
      ]);
      expect(r.body.pass).toBe(false);
      expect(r.body.targets[0].metrics.ttft).toBeNull();
    },
  );

  it("an HTTP error: its status and the provider's message, the key redacted", async () => {
    const server: Server = createServer((req, res) => {
      req.resume();
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: { message: `Incorrect API key provided: ${KEY}`, type: 'invalid_request_error' },
        }),
      );
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const port = (server.address() as AddressInfo).port;
    try {
      const r = await probeWithSamples(
        dir,
        [
          '--base-url',
          `http://127.0.0.1:${port}/v1`,
          '--model',
          'm',
          '--requests',
          '2',
          '--warmup',
          '0',
        ],
        env,
      );
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(
        `no request to m succeeded: 2/2 HTTP 401 from 127.0.0.1:${port}: Incorrect ` +
          `API key provided: [redacted]`,
      );
      expect(JSON.stringify(r.samples) + r.stdout + r.stderr).not.toContain(KEY);
    } finally {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    }
  });
});

describe('latency the way SLOs define it', () => {
  it(
    'streams cut after 3 tokens leave TTFT at the first token of the ones that ' +
      'succeeded, not at the deadline',
    async () => {
      const r = await withMock(
        profile(
          '{dist: constant, ms: 40}',
          '  faults: [{kind: truncate, after_tokens: 3, probability: 0.5}]\n',
        ),
        (mock) =>
          probeWithSamples(
            dir,
            [
              '--base-url',
              mock.url,
              '--model',
              'm',
              '--requests',
              '40',
              '--concurrency',
              '4',
              '--warmup',
              '0',
              '--timeout',
              '60s',
            ],
            env,
          ),
      );
      const t = r.body.targets[0];
      expect(t.errors.truncated).toBeGreaterThan(5);
      expect(t.metrics.ttft.n).toBe(t.counts.ok);
      expect(t.metrics.ttft.p50).toBeGreaterThan(38);
      expect(t.metrics.ttft.p50).toBeLessThan(200);
      // the cut streams keep the phase they reached
      const cut = r.samples.filter((s) => s.error_class === 'truncated');
      expect(cut.every((s) => typeof s.ttft_ms === 'number' && s.ttft_ms < 1000)).toBe(true);
    },
  );
});

describe('units or nothing', () => {
  it.each([
    [
      ['--timeout', '30'],
      "--timeout <dur>' argument '30' is invalid. \"30\" has no unit: did you mean 30s or 30ms?",
    ],
    [['--assert', 'error_rate<1'], '"error_rate<1": an error rate needs %: did you mean 1%?'],
    [
      ['--assert', 'ttft.p95<800'],
      '"ttft.p95<800": ttft is a time and needs its unit: did you mean 800ms or 800s?',
    ],
  ])('%j is exit 2 asking for the unit', async (args, message) => {
    const r = await runCli(['probe', '--mock', ...args], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('shows every duration default with its unit in --help', async () => {
    const help = (await runCli(['probe', '--help'])).stdout.replace(/\s+/g, ' ');
    for (const d of ['(default: 10s)', '(default: 30s)', '(default: 60s)'])
      expect(help).toContain(d);
  });
});

describe('warm-up', () => {
  const failingFirst = profile(
    '{dist: constant, ms: 5}',
    '  faults: [{kind: server_error, requests: [1]}]\n',
  );

  it('a failed warm-up is reported with its cause, and the measured run goes on', async () => {
    const r = await withMock(failingFirst, (mock) =>
      probeWithSamples(
        dir,
        ['--base-url', mock.url, '--model', 'm', '--requests', '3', '--warmup', '1'],
        env,
      ),
    );
    expect(r.code).toBe(0);
    expect(r.body.targets[0].warmup).toMatchObject({
      requests: 1,
      failed: 1,
      first_failure: { error_class: 'server_5xx' },
    });
    expect(r.body.targets[0].counts).toMatchObject({ requests: 3, ok: 3 });
  });

  it('--warmup-must-pass stops the target and fails the probe', async () => {
    const r = await withMock(failingFirst, (mock) =>
      probeWithSamples(
        dir,
        [
          '--base-url',
          mock.url,
          '--model',
          'm',
          '--requests',
          '3',
          '--warmup',
          '1',
          '--warmup-must-pass',
        ],
        env,
      ),
    );
    expect(r.code).toBe(3);
    expect(r.body.targets[0].counts.requests).toBe(0);
    expect(r.stderr).toMatch(
      /ai-route: warm-up of m failed \(1\/1\): HTTP 500 from 127\.0\.0\.1:\d+: .*; --warmup-must-pass stops the run here/,
    );
  });
});

describe('regressions against a baseline', () => {
  // first tokens at LLM scale (300 ms): the stated error (2 ms + 2% at p99) is then wider than a
  // quiet loop's delay, so the verdict is a regression unless the machine is busy enough to
  // saturate the client, and then it must say inconclusive instead
  const base = profile('{dist: lognormal, median_ms: 300, sigma: 0.25}');
  const run = (yaml: string, seed: number, extra: string[] = []) =>
    savedRun(dir, yaml, seed, env, extra);

  it('flags a slower run regressed (inconclusive if the client saturated)', async () => {
    const before = await run(base, 1);
    const slower = await run(profile('{dist: lognormal, median_ms: 450, sigma: 0.25}'), 2, [
      '--baseline',
      before.file,
      '--assert',
      'ttft.p95<baseline*1.2',
    ]);
    // the gate fails either way; a saturated client is named as a possible cause
    expect(slower.code).toBe(3);
    const saturated = before.body.client.saturated || slower.body.client.saturated;
    const ttft = slower.body.baseline.comparisons.find((c: any) => c.metric === 'ttft');
    expect(ttft).toMatchObject({
      verdict: saturated ? 'inconclusive' : 'regressed',
      test: 'mann_whitney_u',
    });
    expect(ttft.p_value).toBeLessThan(0.001);
    if (saturated)
      expect(slower.stderr).toMatch(/client was saturated, .*: the client may be the cause\)/);
    else
      expect(slower.stderr).toMatch(
        /ai-route: regression against the baseline: m TTFT p(50|95) \+\d+(\.\d)?% \([\d.]+ ms -> [\d.]+ ms; p < 0\.001\): REGRESSED/,
      );
    expect(slower.body.assertions[0]).toMatchObject({ relative_to_baseline: true, pass: false });
    expect(slower.body.assertions[0].limit).toBeCloseTo(
      before.body.targets[0].metrics.ttft.p95 * 1.2,
      3,
    );
  });
  // the false-alarm rate is timed: test/accuracy/false-alarms.test.ts runs it alone
});

describe('runs that combine', () => {
  it(
    'probe merge: counts add, and percentiles equal those of one run over all ' +
      'samples to within 0.1%',
    async () => {
      const runs = [];
      for (const seed of [7, 8, 9]) {
        runs.push(
          await withMock(
            profile(
              '{dist: lognormal, median_ms: 30, sigma: 0.6}',
              '  faults: [{kind: server_error, probability: 0.1}]\n',
            ),
            async (mock) => {
              const out = join(dir, `part-${seed}.json`);
              const r = await probeWithSamples(
                dir,
                [
                  '--base-url',
                  mock.url,
                  '--model',
                  'm',
                  '--requests',
                  '80',
                  '--concurrency',
                  '8',
                  '--warmup',
                  '0',
                  '--out',
                  out,
                ],
                env,
              );
              // three mocks stand for one endpoint seen from three runners: one base URL (merge
              // keeps targets at different URLs apart)
              const body = JSON.parse(readFileSync(out, 'utf8'));
              body.targets[0].base_url = 'https://api.example.com/v1';
              writeFileSync(out, JSON.stringify(body));
              return { file: out, samples: r.samples, body };
            },
            seed,
          ),
        );
      }
      const merged = await runCli(
        ['probe', 'merge', ...runs.map((r) => r.file), '--format', 'json'],
        { env },
      );
      expect(merged.code, merged.stderr).toBe(0);
      const body = JSON.parse(merged.stdout);
      const t = body.targets[0];
      expect(body.runs).toBe(3);
      expect(t.counts.requests).toBe(240);
      expect(t.counts.ok).toBe(runs.reduce((n, r) => n + r.body.targets[0].counts.ok, 0));
      expect(t.errors.server_5xx).toBe(
        runs.reduce((n, r) => n + r.body.targets[0].errors.server_5xx, 0),
      );
      const all = runs
        .flatMap((r) =>
          r.samples
            .filter((s: any) => s.phase === 'measure' && s.error_class === null)
            .map((s: any) => s.ttft_ms as number),
        )
        .sort((x, y) => x - y);
      const nearestRank = (q: number) => all[Math.max(1, Math.ceil(q * all.length)) - 1]!;
      for (const [stat, q] of [
        ['p50', 0.5],
        ['p90', 0.9],
        ['p95', 0.95],
        ['p99', 0.99],
      ] as const) {
        const exact = nearestRank(q);
        expect(
          Math.abs(t.metrics.ttft[stat] - exact),
          `${stat}: ${t.metrics.ttft[stat]} against ${exact}`,
        ).toBeLessThanOrEqual(exact * 0.001 + 0.002);
      }
      expect(t.approximate).toBe(true);
      // a merge is itself mergeable
      const again = join(dir, 'merged.json');
      writeFileSync(again, merged.stdout);
      const twice = JSON.parse(
        (await runCli(['probe', 'merge', again, runs[0]!.file, '--format', 'json'], { env }))
          .stdout,
      );
      expect(twice.targets[0].counts.requests).toBe(320);
    },
  );

  it('refuses a file that is not a probe JSON of this version, naming it', async () => {
    const old = join(dir, 'old.json');
    writeFileSync(old, JSON.stringify({ schema: 'ai-route/probe@1', targets: [] }));
    const r = await runCli(['probe', 'merge', old]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('schema: expected "ai-route/probe@2"');
  });
});

describe('GitHub-native', () => {
  it('appends the markdown report to the job summary and annotates each failed gate', async () => {
    const summary = join(dir, 'step-summary.md');
    writeFileSync(summary, '# earlier step\n');
    const r = await withMock(profile('{dist: constant, ms: 5}'), (mock) =>
      runCli(
        [
          'probe',
          '--base-url',
          mock.url,
          '--model',
          'm',
          '--requests',
          '2',
          '--warmup',
          '0',
          '--assert',
          'ttft.p50<1ms',
          '--format',
          'json',
        ],
        {
          env: { ...env, GITHUB_STEP_SUMMARY: summary, GITHUB_ACTIONS: 'true', CI: 'true' },
        },
      ),
    );
    expect(r.code).toBe(3);
    const text = readFileSync(summary, 'utf8');
    expect(text.startsWith('# earlier step\n## ai-route probe: gates FAILED')).toBe(true);
    expect(r.stderr).toMatch(
      /^::error title=ai-route probe%3A assertion ttft\.p50<1ms::assertion failed: ttft\.p50<1ms on m: expected < 1 ms, measured [\d.]+ ms \(n=2\)(?: \(the probe's client was saturated, [^)]*\))?$/m,
    );
    // stdout stays the report
    expect(JSON.parse(r.stdout).pass).toBe(false);
  });
});

describe('small things right', () => {
  it(
    'marks p99 only where fewer than 100 samples back it, and gives no total ' +
      'when a target is not priced',
    async () => {
      const many = await withMock(profile('{dist: constant, ms: 2}'), (mock) =>
        runCli(
          [
            'probe',
            '--base-url',
            mock.url,
            '--model',
            'm',
            '--requests',
            '120',
            '--concurrency',
            '12',
            '--warmup',
            '0',
          ],
          { env },
        ),
      );
      expect(many.stdout).not.toContain('fewer than 100 samples');
      expect(many.stdout).toContain('No total: 1 target not priced');
      expect(many.stdout).not.toMatch(/Total \$0\.00/);
      const few = await withMock(profile('{dist: constant, ms: 2}'), (mock) =>
        runCli(
          ['probe', '--base-url', mock.url, '--model', 'm', '--requests', '5', '--warmup', '0'],
          { env },
        ),
      );
      expect(few.stdout).toContain('p99 marked * is from fewer than 100 samples');
    },
  );
});
