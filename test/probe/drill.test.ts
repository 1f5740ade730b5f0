import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mockFromYaml, probeWithSamples } from '../helpers/mock.js';
import { runCli } from '../helpers/run.js';

const dir = mkdtempSync(join(tmpdir(), 'ai-route-drill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { AI_ROUTE_API_KEY: 'test-key' };

async function probeJson(args: string[]) {
  const r = await probeWithSamples(dir, args, env);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  return r;
}

/**
 * The default tier's outage: its 11th to 25th requests fail. By request number, not by the mock's
 * clock: on a busy machine the probe starts an unknown time after the mock, and a clock window
 * could pass before the first request.
 */
const OUTAGE = Array.from({ length: 15 }, (_, i) => 11 + i);

describe('the failover drill against two mock endpoints', () => {
  it(
    'fails over while the default tier is down, opens and closes its breaker, ' +
      'and agrees with the mocks count for count',
    async () => {
      const primary = await mockFromYaml(`
schema: ai-route/mock-profile@1
defaults:
  ttft: {dist: constant, ms: 5}
  per_token: {dist: constant, ms: 1}
  output_tokens: 4
  faults: [{kind: server_error, status: 503, requests: [${OUTAGE.join(', ')}]}]
`);
      const secondary = await mockFromYaml(
        'schema: ai-route/mock-profile@1\ndefaults: {ttft: {dist: constant, ms: ' +
          '5}, per_token: {dist: constant, ms: 1}, output_tokens: 4}\n',
      );
      try {
        const scenario = join(dir, 'two-endpoints.yaml');
        writeFileSync(
          scenario,
          [
            'schema: ai-route/scenario@1',
            'name: two-endpoints',
            'setup:',
            '  label: primary with a fallback elsewhere',
            '  tiers:',
            `    default: {model: primary-model, share: "1", fallback: [fallback], base_url: ` +
              `"${primary.url}"}`,
            `    fallback: {model: secondary-model, share: "0", fallback: [], base_url: ` +
              `"${secondary.url}"}`,
            'breaker: {failure_share: 0.5, window_ms: 400, min_requests: 3, cooldown_ms: 100}',
            'baseline: gpt-4o',
            'stages: [{name: drill, volume: 1M}]',
          ].join('\n'),
        );
        primary.reset();
        secondary.reset();
        const { code, body, samples } = await probeJson([
          '--scenario',
          scenario,
          '--failover',
          '--rate',
          '50',
          '--duration',
          '2.5s',
          '--warmup',
          '0',
        ]);
        expect(code).toBe(0);
        const drill = body.drill;
        expect(drill.requests).toBe(125);
        expect(drill.availability).toBe(1); // every request served, by one tier or the other
        expect(drill.served_by.fallback).toBeGreaterThan(0);
        expect(drill.served_by.default).toBeGreaterThan(0);
        const [def, fb] = drill.targets;
        // the breaker opened during the outage and closed after it, its trials in between
        const states = def.transitions.map((t: any) => t.to);
        expect(states[0]).toBe('open');
        expect(states[states.length - 1]).toBe('closed');
        expect(states).toContain('half_open');
        const opened = def.transitions[0].at_ms;
        const closed = def.transitions[def.transitions.length - 1].at_ms;
        // times run from the probe's start, as the samples' send offsets do: the breaker opens
        // only after the outage's first failure and closes only after its last one (read from the
        // samples, not from the mock's clock, whose start a busy machine delays by an unknown
        // amount)
        const failures = samples
          .filter((s) => s.target === 'default' && s.error_class === 'server_5xx')
          .map((s) => s.send_offset_ms as number);
        expect(failures.length).toBeGreaterThan(0);
        expect(opened).toBeGreaterThan(Math.min(...failures));
        expect(closed).toBeGreaterThan(Math.max(...failures));
        expect(def.skipped).toBeGreaterThan(0);
        expect(fb.transitions).toEqual([]);
        // the mocks' own records and ours agree exactly
        const at = (target: string) => samples.filter((s) => s.target === target);
        expect(at('default')).toHaveLength(primary.records.length);
        expect(at('default').filter((s) => s.error_class === 'server_5xx')).toHaveLength(
          primary.records.filter((r) => r.status === 503).length,
        );
        expect(at('default').filter((s) => s.error_class === null)).toHaveLength(
          primary.records.filter((r) => r.status === 200).length,
        );
        expect(at('fallback')).toHaveLength(secondary.records.length);
        expect(def.attempts).toBe(primary.records.length);
        expect(fb.attempts).toBe(secondary.records.length);
        expect(drill.served_by.fallback).toBe(secondary.records.length);
        // each sample says where its request started, where it was served and how far down the
        // chain it went
        const failedOver = samples.find((s) => s.target === 'fallback')!;
        expect(failedOver).toMatchObject({
          tier: 'default',
          served_by: 'fallback',
          chain_position: 1,
        });
        expect(typeof failedOver.intended_offset_ms).toBe('number');
        expect(Object.keys(drill.attempts_per_request).sort()).toEqual(['1', '2']);
      } finally {
        await primary.close();
        await secondary.close();
      }
    },
  );
});

describe('coordinated omission, shown', () => {
  const STALL = `
schema: ai-route/mock-profile@1
defaults:
  ttft: {dist: constant, ms: 15}
  per_token: {dist: constant, ms: 1}
  output_tokens: 4
  faults: [{kind: hold, window_ms: [800, 1800]}]
`;

  it(
    'an open loop shows a 1 s stall in its p99; a closed loop at the same rate ' +
      'hides it; a cap hides it from the actual send only',
    async () => {
      const server = await mockFromYaml(STALL);
      try {
        // 1. open loop at 50/s: every request arriving in the window waits it out
        server.reset();
        const open = (
          await probeJson([
            '--base-url',
            server.url,
            '--model',
            'm',
            '--rate',
            '50',
            '--duration',
            '3s',
            '--warmup',
            '0',
          ])
        ).body.targets[0];
        expect(open.metrics.ttft_corrected.p99).toBeGreaterThan(500);
        expect(open.metrics.ttft.p99).toBeGreaterThan(500);

        // 2. closed loop, one at a time: only the request in flight sees the stall
        server.reset();
        const started = performance.now();
        const closed = (
          await probeJson([
            '--base-url',
            server.url,
            '--model',
            'm',
            '--requests',
            '150',
            '--concurrency',
            '1',
            '--warmup',
            '0',
          ])
        ).body.targets[0];
        const closedRate = 150 / ((performance.now() - started) / 1000);
        expect(closed.metrics.ttft.max).toBeGreaterThan(500); // the stall happened
        expect(closed.metrics.ttft.p99).toBeLessThan(200); // and hid in the tail
        expect(closedRate).toBeGreaterThan(20);
        expect(closedRate).toBeLessThan(100); // about the open loop's 50/s

        // 3. open loop capped at 1 in flight: sends wait out the stall, so from the actual send it
        //    is hidden
        server.reset();
        const capped = await probeJson([
          '--base-url',
          server.url,
          '--model',
          'm',
          '--rate',
          '50',
          '--duration',
          '3s',
          '--max-in-flight',
          '1',
          '--warmup',
          '0',
        ]);
        const t = capped.body.targets[0];
        expect(capped.body.max_in_flight_cap.hits).toBeGreaterThan(0);
        expect(t.open.held_by_cap).toBeGreaterThan(0);
        expect(t.metrics.ttft_corrected.p99).toBeGreaterThan(500);
        expect(t.metrics.ttft.p99).toBeLessThan(200);
        expect(t.metrics.schedule_lag.max).toBeGreaterThan(500);
      } finally {
        await server.close();
      }
    },
  );
});

describe('open loop and cost of the run, reported', () => {
  it('prices the tokens a run spent, per target and per month, exactly', async () => {
    const server = await mockFromYaml(
      'schema: ai-route/mock-profile@1\ndefaults: {ttft: {dist: constant, ms: ' +
        '2}, per_token: {dist: constant, ms: 1}, output_tokens: 10}\n',
    );
    const pricing = join(dir, 'probe-prices.yaml');
    writeFileSync(
      pricing,
      'schema: ai-route/pricing@1\nmodels:\n  priced-model:\n    provider: test\n ' +
        '   prices: [{effective_from: 2026-01-01, source: test, input: "3", output: "15"}]\n',
    );
    try {
      const { body } = await probeJson([
        '--base-url',
        server.url,
        '--model',
        'priced-model',
        '--model',
        'unknown-model',
        '--requests',
        '4',
        '--warmup',
        '1',
        '--pricing',
        pricing,
        '--runs-per-month',
        '1000',
      ]);
      // 5 requests (warm-up included) x (8 prompt tokens at $3/M + 10 output tokens at $15/M)
      expect(body.cost.targets).toEqual([
        {
          target: 'priced-model',
          model: 'priced-model',
          input_tokens: 40,
          output_tokens: 50,
          tokens_estimated: false,
          cost: '0.00087',
          note: null,
          implausible_taken: [],
        },
        {
          target: 'unknown-model',
          model: 'unknown-model',
          input_tokens: 40,
          output_tokens: 50,
          tokens_estimated: false,
          cost: null,
          note: 'unknown-model is not in the pricing catalog',
          implausible_taken: [],
        },
      ]);
      // a target that is not priced leaves no total: a sum of the priced ones would read as the
      // run's cost
      expect(body.cost).toMatchObject({
        total: null,
        complete: false,
        runs_per_month: 1000,
        monthly: null,
      });
    } finally {
      await server.close();
    }
  });

  it('says when a mode needs another flag', async () => {
    for (const [args, message] of [
      [['--mock', '--duration', '2s'], '--duration needs --rate'],
      [['--mock', '--max-in-flight', '2'], '--max-in-flight needs --rate'],
      [['--mock', '--arrivals', 'poisson'], '--arrivals poisson needs --rate'],
      [['--mock', '--failover'], '--failover needs --scenario'],
    ] as const) {
      const r = await runCli(['probe', ...args], { env });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
    }
  });

  it('renders the drill and the open loop in markdown and the table', async () => {
    const r = await runCli(
      [
        'probe',
        '--mock',
        '--scenario',
        'hybrid',
        '--failover',
        '--rate',
        '100',
        '--requests',
        '20',
        '--warmup',
        '0',
        '--format',
        'markdown',
      ],
      { env },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('### Open loop');
    expect(r.stdout).toContain('### Failover drill');
    expect(r.stdout).toContain(
      '- Availability seen by the caller: 100% (20 of 20 requests served).',
    );
    expect(r.stdout).toContain('### Cost of this run');
    const table = await runCli(
      ['probe', '--mock', '--rate', '100', '--requests', '10', '--warmup', '0'],
      { env },
    );
    expect(table.stdout).toMatch(/│ TTFT from intended send +│ +10 │/);
    expect(table.stdout).toMatch(/│ schedule lag +│ +10 │/);
  });
});
