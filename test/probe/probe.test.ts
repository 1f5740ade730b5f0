import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../../src/io/mock/server.js';
import { mockFromYaml, probeWithSamples } from '../helpers/mock.js';
import { runCli } from '../helpers/run.js';

const dir = mkdtempSync(join(tmpdir(), 'ai-route-probe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const KEY = 'sk-test-0123456789abcdef';
const env = { AI_ROUTE_API_KEY: KEY };

/** Runs `body` against a fresh mock, and always closes it. */
async function withMock(yaml: string, body: (mock: MockServer) => Promise<void>): Promise<void> {
  const mock = await mockFromYaml(yaml);
  try {
    await body(mock);
  } finally {
    await mock.close();
  }
}

/**
 * A profile whose defaults answer at once (5 ms, then 1 ms a token), plus `extra` YAML lines under
 * defaults.
 */
function quick(tokens: number, ...extra: string[]): string {
  return [
    'schema: ai-route/mock-profile@1',
    'defaults:',
    '  ttft: {dist: constant, ms: 5}',
    '  per_token: {dist: constant, ms: 1}',
    `  output_tokens: ${tokens}`,
    ...extra.map((l) => `  ${l}`),
    '',
  ].join('\n');
}

function probe(mock: MockServer, args: string[], extraEnv: Record<string, string> = {}) {
  return probeWithSamples(dir, ['--base-url', mock.url, ...args], { ...env, ...extraEnv });
}

const FAULTS = `
schema: ai-route/mock-profile@1
defaults:
  ttft: {dist: constant, ms: 5}
  per_token: {dist: constant, ms: 2}
  output_tokens: 6
models:
  faulty:
    faults:
      - {kind: rate_limit, requests: [1], retry_after: {seconds: 1}}
      - {kind: server_error, status: 500, requests: [2]}
      - {kind: server_error, status: 503, requests: [3]}
      - {kind: stall_before_headers, ms: 4000, requests: [4]}
      - {kind: stall_mid_stream, after_tokens: 2, ms: 4000, requests: [5]}
      - {kind: truncate, after_tokens: 2, requests: [6]}
      - {kind: malformed_chunk, after_tokens: 2, requests: [7]}
      - {kind: reset, after_tokens: 2, requests: [8]}
      - {kind: reset, after_tokens: 0, requests: [9]}
      - {kind: server_error, status: 404, requests: [10]}
  slowstart:
    ttft: {dist: constant, ms: 4000}
  long:
    output_tokens: 60
    per_token: {dist: constant, ms: 40}
`;

/** The class each injected fault must be reported as. */
const EXPECTED: Record<string, string> = {
  rate_limit: 'rate_limited',
  server_error: 'server_5xx',
  stall_before_headers: 'timeout_connect',
  stall_mid_stream: 'timeout_idle',
  truncate: 'truncated',
  malformed_chunk: 'malformed',
  reset: 'network',
};

describe('probe against the mock: every fault classified, counts exact', () => {
  it('classifies each fault as what it is, by request, matching the mock records', async () => {
    await withMock(FAULTS, async (mock) => {
      const deadlines = [
        '--connect-timeout',
        '400ms',
        '--ttft-timeout',
        '400ms',
        '--idle-timeout',
        '400ms',
        '--timeout',
        '1500ms',
      ];
      const r = await probe(mock, [
        '--model',
        'faulty',
        '--requests',
        '12',
        '--warmup',
        '0',
        ...deadlines,
      ]);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.code).toBe(0);
      const [faulty] = r.body.targets;
      const nonzero = (errors: Record<string, number>) =>
        Object.fromEntries(Object.entries(errors).filter(([, n]) => n > 0));
      expect(nonzero(faulty.errors)).toEqual({
        rate_limited: 1,
        server_5xx: 2,
        timeout_connect: 1,
        timeout_idle: 1,
        truncated: 1,
        malformed: 1,
        network: 2,
        client_4xx: 1,
      });
      expect(faulty.counts).toMatchObject({ requests: 12, ok: 2, failed: 10, attempts: 12 });
      expect(faulty.error_rate).toBeCloseTo(10 / 12, 6);
      // request k (sequential) is the mock's k-th request of the model: its class is what was
      // injected
      expect(mock.records).toHaveLength(12);
      for (const sample of r.samples) {
        const record = mock.records[sample.request - 1]!;
        if (sample.x_request_id !== null) expect(sample.x_request_id).toBe(record.request_id);
        const expected =
          record.fault === null
            ? null
            : record.status === 404
              ? 'client_4xx'
              : EXPECTED[record.fault];
        expect(sample.error_class, `request ${sample.request} (${record.fault})`).toBe(expected);
      }
      // output tokens are exact where the stream finished, from usage
      const ok = r.samples.filter((s) => s.error_class === null);
      expect(ok.map((s) => [s.output_tokens, s.tokens_estimated])).toEqual([
        [6, false],
        [6, false],
      ]);
    });
  });

  it(
    'times out a first token that never comes (ttft) and a stream that runs ' + 'too long (total)',
    async () => {
      await withMock(FAULTS, async (mock) => {
        const deadlines = ['--ttft-timeout', '300ms', '--idle-timeout', '700ms', '--timeout', '1s'];
        const r = await probe(mock, [
          '--model',
          'slowstart',
          '--model',
          'long',
          '--requests',
          '2',
          '--warmup',
          '0',
          ...deadlines,
        ]);
        const [slowstart, long] = r.body.targets;
        expect(slowstart.errors.timeout_ttft).toBe(2);
        expect(long.errors.timeout_total).toBe(2);
        for (const s of r.samples.filter((x) => x.target === 'long')) {
          expect(s.elapsed_ms).toBeGreaterThanOrEqual(1000);
          // it was streaming, only too slowly for the total deadline
          expect(s.output_tokens).toBeGreaterThan(0);
        }
      });
    },
  );

  it('classifies whole (non-streamed) responses too: cut short, not JSON, reset, 5xx', async () => {
    await withMock(
      quick(
        8,
        'faults:',
        '  - {kind: truncate, requests: [1], after_tokens: 4}',
        '  - {kind: malformed_chunk, requests: [2], after_tokens: 4}',
        '  - {kind: reset, requests: [3], after_tokens: 4}',
        '  - {kind: server_error, requests: [4], status: 502}',
      ),
      async (mock) => {
        const r = await probe(mock, [
          '--model',
          'm',
          '--requests',
          '5',
          '--warmup',
          '0',
          '--no-stream',
        ]);
        expect(r.samples.map((s) => s.error_class)).toEqual([
          'truncated',
          'malformed',
          'network',
          'server_5xx',
          null,
        ]);
        expect(r.samples[4]).toMatchObject({ output_tokens: 8, tokens_estimated: false });
        // whole responses: the first token comes with the last
        expect(r.samples[4].ttft_ms).toBe(r.samples[4].e2e_ms);
      },
    );
  });

  it('ends a stream that stalls after the headers at the idle deadline, not never', async () => {
    await withMock(
      `
schema: ai-route/mock-profile@1
defaults:
  ttft: {dist: constant, ms: 10}
  per_token: {dist: constant, ms: 5}
  output_tokens: 5
  faults:
    - {kind: stall_mid_stream, after_tokens: 1, ms: 30000, probability: 1}
`,
      async (mock) => {
        const r = await probe(mock, [
          '--model',
          'm',
          '--requests',
          '1',
          '--warmup',
          '0',
          '--idle-timeout',
          '300ms',
        ]);
        const [sample] = r.samples;
        expect(sample.error_class).toBe('timeout_idle');
        expect(sample.elapsed_ms).toBeGreaterThanOrEqual(300);
        // the stall lasts 30 s; the deadline ends it long before
        expect(sample.elapsed_ms).toBeLessThan(10_000);
      },
    );
  });

  it('reports a 429 with --retries 0 as an error, not a slow success', async () => {
    await withMock(
      quick(3, 'faults:', '  - {kind: rate_limit, requests: [1], retry_after: {seconds: 1}}'),
      async (mock) => {
        const r = await probe(mock, [
          '--model',
          'm',
          '--requests',
          '1',
          '--warmup',
          '0',
          '--retries',
          '0',
        ]);
        expect(r.samples).toHaveLength(1);
        expect(r.samples[0]).toMatchObject({
          status: 429,
          error_class: 'rate_limited',
          retry_after_ms: 1000,
        });
        // the SDK did not wait and retry behind our back
        expect(r.samples[0].elapsed_ms).toBeLessThan(1000);
        expect(mock.records).toHaveLength(1);
        expect(r.body.targets[0].error_rate).toBe(1);
      },
    );
  });

  it(
    'retries on its own, honouring Retry-After in seconds, milliseconds and ' +
      'as a date, each attempt logged',
    async () => {
      await withMock(
        `
schema: ai-route/mock-profile@1
defaults:
  ttft: {dist: constant, ms: 5}
  per_token: {dist: constant, ms: 1}
  output_tokens: 3
models:
  seconds:
    faults: [{kind: rate_limit, requests: [1], retry_after: {seconds: 1}}]
  millis:
    faults: [{kind: rate_limit, requests: [1], retry_after: {ms: 700}}]
  date:
    faults: [{kind: rate_limit, requests: [1], retry_after: {http_date_in_s: 2}}]
  capped:
    faults: [{kind: server_error, status: 503, requests: [1, 2, 3]}]
`,
        async (mock) => {
          const r = await probe(mock, [
            '--model',
            'seconds',
            '--model',
            'millis',
            '--model',
            'date',
            '--model',
            'capped',
            '--requests',
            '1',
            '--warmup',
            '0',
            '--retries',
            '2',
            '--max-retry-wait',
            '300ms',
          ]);
          const by = (t: string) => r.samples.filter((s) => s.target === t);
          expect(by('seconds').map((s) => [s.attempt, s.error_class, s.retry_after_ms])).toEqual([
            [1, 'rate_limited', 1000],
            [2, null, null],
          ]);
          expect(by('millis')[0].retry_after_ms).toBe(700);
          // an HTTP date one second-resolution away: between 1 and 2 s from now
          expect(by('date')[0].retry_after_ms).toBeGreaterThan(900);
          expect(by('date')[0].retry_after_ms).toBeLessThanOrEqual(2000);
          // every wait was capped at --max-retry-wait 300ms
          for (const s of r.samples.filter((s) => s.attempt > 1))
            expect(s.waited_ms).toBeLessThanOrEqual(300);
          // three 503s and two retries: the request fails, three attempts logged
          expect(by('capped').map((s) => s.error_class)).toEqual([
            'server_5xx',
            'server_5xx',
            'server_5xx',
          ]);
          expect(by('capped').map((s) => s.waited_ms)).toEqual([0, 300, 300]);
          const targets = Object.fromEntries(r.body.targets.map((t: any) => [t.name, t]));
          expect(targets.seconds.counts).toMatchObject({ requests: 1, ok: 1, attempts: 2 });
          expect(targets.capped.counts).toMatchObject({ requests: 1, failed: 1, attempts: 3 });
          expect(targets.capped.attempt_errors.server_5xx).toBe(3);
        },
      );
    },
  );

  it(
    'asks again without stream_options when the endpoint rejects it, and marks ' +
      'tokens estimated',
    async () => {
      await withMock(
        quick(
          6,
          'tokens_per_chunk: 3',
          'faults:',
          '  - {kind: reject_stream_options, probability: 1}',
        ),
        async (mock) => {
          const r = await probe(mock, ['--model', 'm', '--requests', '2', '--warmup', '0']);
          expect(
            r.samples.map((s) => [
              s.request,
              s.attempt,
              s.status,
              s.negotiation,
              s.stream_options,
              s.error_class,
            ]),
          ).toEqual([
            [1, 1, 400, true, true, 'client_4xx'],
            [1, 2, 200, false, false, null],
            [2, 1, 200, false, false, null],
          ]);
          const [target] = r.body.targets;
          expect(target).toMatchObject({
            stream_options_rejected: true,
            tokens_estimated: true,
            error_rate: 0,
          });
          // 6 tokens in chunks of 3: the estimate counts chunks, and says so
          expect(r.samples[1]).toMatchObject({ output_tokens: 2, tokens_estimated: true });
        },
      );
    },
  );

  it('measures TTFT to the first token, not to the role-only prelude', async () => {
    await withMock(
      `
schema: ai-route/mock-profile@1
defaults:
  ttft: {dist: constant, ms: 100}
  per_token: {dist: constant, ms: 5}
  output_tokens: 4
  role_prelude: true
`,
      async (mock) => {
        const r = await probe(mock, ['--model', 'm', '--requests', '5', '--warmup', '1']);
        const ttft = r.body.targets[0].metrics.ttft;
        expect(ttft.n).toBe(5);
        // the prelude comes at once; 0 would mean it was counted
        expect(ttft.min).toBeGreaterThanOrEqual(100);
        expect(ttft.p50).toBeLessThan(1000);
        for (const rec of mock.records)
          expect(rec.events[0]).toMatchObject({ type: 'role', tokens: 0 });
      },
    );
  });

  it('counts reasoning chunks as first tokens, and reads tokens from usage', async () => {
    await withMock(
      `
schema: ai-route/mock-profile@1
defaults:
  ttft: {dist: constant, ms: 20}
  per_token: {dist: constant, ms: 30}
  output_tokens: 6
  reasoning_tokens: 2
`,
      async (mock) => {
        const r = await probe(mock, ['--model', 'm', '--requests', '2', '--warmup', '0']);
        for (const s of r.samples) {
          expect(s.output_tokens).toBe(6);
          // the first (reasoning) chunk, not the first content
          expect(s.ttft_ms).toBeLessThan(s.e2e_ms - 100);
        }
      },
    );
  });

  it(
    'takes latency over successful requests only, and counts failures in the ' +
      'error rate with their cause',
    async () => {
      await withMock(quick(3, 'faults: [{kind: server_error, requests: [1, 2]}]'), async (mock) => {
        const r = await probe(mock, [
          '--model',
          'm',
          '--requests',
          '4',
          '--warmup',
          '0',
          '--timeout',
          '9s',
          '--assert',
          'good(ttft<5s)>=50%',
          '--assert',
          'good(ttft<5s)>50%',
        ]);
        const t = r.body.targets[0];
        const { ttft, e2e, tokens_per_s } = t.metrics;
        expect([ttft.n, e2e.n, tokens_per_s.n]).toEqual([2, 2, 2]);
        expect(ttft.max).toBeLessThan(1000);
        expect(t.population).toBe('successful requests (schedule_lag: every send)');
        expect([t.error_rate, t.errors.server_5xx]).toEqual([0.5, 2]);
        expect(t.first_failure).toEqual({
          error_class: 'server_5xx',
          error: expect.stringMatching(/^HTTP 500 from 127\.0\.0\.1:\d+: /),
        });
        // the SLO form counts every request: 2 good of 4
        expect(r.body.assertions.map((a: any) => [a.assertion, a.measured, a.pass])).toEqual([
          ['good(ttft<5s)>=50%', 0.5, true],
          ['good(ttft<5s)>50%', 0.5, false],
        ]);
        expect(r.code).toBe(3);
      });
    },
  );

  it('keeps the observed phases of a failed request: its first token when one came', async () => {
    await withMock(
      quick(3, 'faults: [{kind: truncate, after_tokens: 2, requests: [1]}]'),
      async (mock) => {
        const r = await probe(mock, ['--model', 'm', '--requests', '2', '--warmup', '0']);
        const cut = r.samples.find((l: any) => l.error_class === 'truncated');
        expect(cut).toMatchObject({
          ttft_ms: expect.any(Number),
          error: 'the stream ended after 2 tokens without a finish_reason',
        });
        expect(r.body.targets[0].metrics.ttft.n).toBe(1);
      },
    );
  });
});

describe('gates and outputs', () => {
  it(
    'exits 3 with one line per failed assertion, expected against measured, ' +
      'and 0 when all hold',
    async () => {
      await withMock(
        `
schema: ai-route/mock-profile@1
defaults:
  ttft: {dist: constant, ms: 50}
  per_token: {dist: constant, ms: 2}
  output_tokens: 4
models:
  flaky:
    faults: [{kind: server_error, requests: [1]}]
`,
        async (mock) => {
          const failing = await probe(mock, [
            '--model',
            'm',
            '--model',
            'flaky',
            '--requests',
            '4',
            '--warmup',
            '0',
            '--assert',
            'ttft.p50<10ms',
            '--assert',
            'error_rate<1%',
            '--assert',
            'tokens_per_s.p50>0',
          ]);
          expect(failing.code).toBe(3);
          const lines = failing.stderr
            .trimEnd()
            .split('\n')
            .filter((l) => l.startsWith('ai-route: assertion failed'));
          expect(lines).toEqual([
            expect.stringMatching(
              /^ai-route: assertion failed: ttft\.p50<10ms on m: expected < 10 ms, measured [\d.]+ ms \(n=4\)(?: \(the probe's client was saturated, [^)]*\))?$/,
            ),
            expect.stringMatching(
              /^ai-route: assertion failed: ttft\.p50<10ms on flaky: expected < 10 ms, measured [\d.]+ (ms|s) \(n=3\)(?: \(the probe's client was saturated, [^)]*\))?$/,
            ),
            expect.stringMatching(
              /^ai-route: assertion failed: error_rate<1% on flaky: expected < 1%, measured 25% of 4(?: \(the probe's client was saturated, [^)]*\))?$/,
            ),
          ]);
          expect(failing.body.pass).toBe(false);
          expect(failing.body.assertions.map((a: any) => [a.assertion, a.target, a.pass])).toEqual([
            ['ttft.p50<10ms', 'm', false],
            ['ttft.p50<10ms', 'flaky', false],
            ['error_rate<1%', 'm', true],
            ['error_rate<1%', 'flaky', false],
            ['tokens_per_s.p50>0', 'm', true],
            ['tokens_per_s.p50>0', 'flaky', true],
          ]);
          mock.reset();
          const passing = await probe(mock, [
            '--model',
            'm',
            '--requests',
            '3',
            '--warmup',
            '0',
            '--assert',
            'ttft.p95<5s',
            '--assert',
            'error_rate<=0%',
          ]);
          expect(passing.code).toBe(0);
          expect(passing.body.pass).toBe(true);
          const scoped = await runCli(
            [
              'probe',
              '--base-url',
              mock.url,
              '--model',
              'm',
              '--assert',
              'ttft.p95{target=nope}<1s',
            ],
            { env },
          );
          expect(scoped).toMatchObject({
            code: 2,
            stderr: expect.stringContaining('no target "nope"; targets: m'),
          });
        },
      );
    },
  );

  it('renders junit with one test case per assertion, markdown, and a table', async () => {
    await withMock(
      'schema: ai-route/mock-profile@1\ndefaults: {ttft: {dist: constant, ms: ' +
        '5}, per_token: {dist: constant, ms: 1}, output_tokens: 3}\n',
      async (mock) => {
        const args = [
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
          'ttft.p95<5s',
          '--assert',
          'error_rate>50%',
        ];
        const junit = await runCli([...args, '--format', 'junit'], { env });
        expect(junit.code).toBe(3);
        expect(junit.stdout).toMatch(
          /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="ai-route probe" tests="2" failures="1">/,
        );
        expect(junit.stdout.match(/<testcase /g)).toHaveLength(2);
        expect(junit.stdout).toContain(
          '<failure message="expected &gt; 50%, measured 0% of 2" type="assertion">',
        );
        const md = await runCli([...args, '--format', 'markdown'], { env });
        expect(md.stdout).toMatch(
          // a busy machine may saturate the client: its warning then comes first
          /^## ai-route probe: gates FAILED\n\n(?:.*CLIENT SATURATED.*\n\n)?### m at http:\/\/127\.0\.0\.1:\d+\/v1\n\n\| Metric \| n \| p50 \|/,
        );
        expect(md.stdout).toContain(
          '- **FAIL** `error_rate>50%` on m: expected > 50%, measured 0% of 2',
        );
        const table = await runCli([...args, '--format', 'table'], { env });
        expect(table.stdout).toMatch(/│ TTFT +│ +2 │/);
        expect(table.stdout).toContain('FAIL error_rate>50% on m');
      },
    );
  });

  it('keeps stderr clean with many requests in flight (no listener warnings)', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const r = await runCli(
        [
          'probe',
          '--mock',
          '--requests',
          '64',
          '--concurrency',
          '32',
          '--warmup',
          '0',
          '--format',
          'json',
        ],
        { env: {} },
      );
      expect(r.code).toBe(0);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('runs with --mock alone: no key, no network, a full report', async () => {
    const r = await runCli(
      ['probe', '--mock', '--requests', '3', '--warmup', '0', '--format', 'json'],
      { env: {} },
    );
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body.schema).toBe('ai-route/probe@2');
    expect(body.targets[0]).toMatchObject({
      name: 'mock',
      counts: { requests: 3, ok: 3 },
      tokens_estimated: false,
      output_tokens: 72,
    });
    expect(Object.keys(body.targets[0].metrics)).toEqual([
      'ttft',
      'e2e',
      'itl',
      'tpot',
      'tokens_per_s',
      'ttft_corrected',
      'e2e_corrected',
      'schedule_lag',
    ]);
    // a closed loop has no intended send times: no corrected latency, no lag
    expect([
      body.targets[0].metrics.ttft_corrected,
      body.targets[0].metrics.schedule_lag,
      body.targets[0].open,
    ]).toEqual([null, null, null]);
  });

  it('needs a key for a real endpoint, from the environment only', async () => {
    const r = await runCli(['probe', '--base-url', 'https://api.example.com/v1', '--model', 'm'], {
      env: {},
    });
    expect(r).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('no API key: set AI_ROUTE_API_KEY'),
    });
    // an endpoint on this machine (ai-route mock, a local proxy) gets a placeholder, said once
    await withMock(quick(2), async (mock) => {
      const local = await runCli(
        ['probe', '--base-url', mock.url, '--model', 'm', '--requests', '1', '--warmup', '0'],
        { env: {} },
      );
      expect(local.code, local.stderr).toBe(0);
      expect(local.stderr).toContain('no API key set: probe sends a placeholder to the endpoint');
    });
    // a port fetch refuses is said before any request, not as a network error
    const bad = await runCli(['probe', '--base-url', 'http://127.0.0.1:9/v1', '--model', 'm'], {
      env,
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/port 9 is one the Fetch standard blocks \("bad port"\)/);
    expect(
      (
        await runCli(
          ['probe', '--model', 'm', '--base-url', 'http://127.0.0.1:9/v1', '--api-key-env', 'NOPE'],
          { env },
        )
      ).stderr,
    ).toContain('--api-key-env NOPE: that variable is not set');
    expect((await runCli(['probe', '--model', 'm'], { env })).stderr).toContain(
      'also pass --base-url',
    );
    expect(
      (await runCli(['probe', '--model', 'm', '--base-url', 'ftp://x'], { env })).stderr,
    ).toContain('is not an http(s) URL');
  });

  it(
    'stops on Ctrl-C: no new requests, in-flight ones finish within 1 s, results ' +
      'printed, exit 130',
    async () => {
      await withMock(
        'schema: ai-route/mock-profile@1\ndefaults: {ttft: {dist: constant, ms: ' +
          '50}, per_token: {dist: constant, ms: 50}, output_tokens: 10}\n',
        async (mock) => {
          const stop = new AbortController();
          const samples = join(dir, 'interrupted.ndjson');
          setTimeout(() => stop.abort('SIGINT'), 1500);
          const started = performance.now();
          const r = await runCli(
            [
              'probe',
              '--base-url',
              mock.url,
              '--model',
              'm',
              '--requests',
              '1000',
              '--concurrency',
              '4',
              '--warmup',
              '0',
              '--format',
              'json',
              '--samples',
              samples,
            ],
            { env, interrupted: stop.signal },
          );
          const took = performance.now() - started;
          expect(r.code).toBe(130);
          // grace of 1 s for requests in flight, plus slack
          expect(took).toBeLessThan(1500 + 1000 + 2000);
          const body = JSON.parse(r.stdout);
          expect(body.interrupted).toBe(true);
          const { requests } = body.targets[0].counts;
          expect(requests).toBeGreaterThan(0);
          expect(requests).toBeLessThan(1000);
          expect(readFileSync(samples, 'utf8').trim().split('\n').length).toBeGreaterThanOrEqual(
            requests,
          );
          expect(mock.records.length).toBeLessThan(1000);
        },
      );
    },
  );
});

describe('secrets', () => {
  it('never shows the key or a secret header, in any format or error path', async () => {
    const canary = 'sk-canary-DO-NOT-LEAK-7f3a9c1e';
    const headerSecret = 'pk-header-secret-5b2d8e';
    // an endpoint that echoes credentials back in its errors, as some providers do
    const echo = createServer((req, res) => {
      const body = JSON.stringify({
        error: {
          message: `invalid key ${req.headers.authorization} and ${req.headers['x-gateway-key']}`,
          type: 'auth',
        },
      });
      res.writeHead(401, { 'content-type': 'application/json', 'x-request-id': 'echo-1' });
      res.end(body);
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
    const echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/v1`;
    const mock = await mockFromYaml(
      quick(
        3,
        'faults:',
        '  - {kind: rate_limit, requests: [1]}',
        '  - {kind: reset, requests: [2]}',
        '  - {kind: malformed_chunk, requests: [3], after_tokens: 1}',
        '  - {kind: stall_before_headers, requests: [4], ms: 2000}',
      ),
    );
    try {
      const outputs: string[] = [];
      for (const [url, format] of [
        [echoUrl, 'table'],
        [echoUrl, 'json'],
        [mock.url, 'junit'],
        [mock.url, 'markdown'],
        [mock.url, 'json'],
      ] as const) {
        const out = join(dir, `secret-${format}-${outputs.length}.txt`);
        const samples = join(dir, `secret-samples-${outputs.length}.ndjson`);
        const r = await runCli(
          [
            'probe',
            '--base-url',
            url,
            '--model',
            'm',
            '--requests',
            '5',
            '--warmup',
            '0',
            '--header',
            `x-gateway-key: ${headerSecret}`,
            '--connect-timeout',
            '300ms',
            '--format',
            format,
            '--out',
            out,
            '--samples',
            samples,
            '--assert',
            'error_rate<1%',
            '--debug',
          ],
          { env: { AI_ROUTE_API_KEY: canary } },
        );
        expect([0, 3]).toContain(r.code);
        outputs.push(r.stdout, r.stderr, readFileSync(out, 'utf8'), readFileSync(samples, 'utf8'));
      }
      // usage-error paths, one with the key in the URL
      for (const argv of [
        ['probe', '--model', 'm', '--base-url', `http://user:${canary}@127.0.0.1:9/v1`],
        ['probe', '--model', 'm', '--base-url', `http://x:${canary}@ftp`],
        ['probe', '--model', 'm', '--base-url', `ftp://x:${canary}@host`],
        ['probe', '--scenario', 'nope'],
      ]) {
        const r = await runCli(argv, { env: { AI_ROUTE_API_KEY: canary } });
        expect(r.code).toBe(2);
        outputs.push(r.stdout, r.stderr);
      }
      const all = outputs.join('\n');
      expect(all).toContain('[redacted]'); // the echo came back, and was redacted
      expect(all).not.toContain(canary);
      expect(all).not.toContain(headerSecret);
      expect(all).not.toContain(canary.slice(3, 20));
    } finally {
      await mock.close();
      echo.close();
    }
  });
});
