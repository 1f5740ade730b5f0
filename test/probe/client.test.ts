import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STATED_ERROR, clientVerdict, worstClient } from '../../src/core/probe/client.js';
import { MIN_ABSOLUTE_EFFECT, compareWithBaseline } from '../../src/core/probe/regression.js';
import { mergeRuns, splitPlan } from '../../src/core/probe/split.js';
import { summarizeRun } from '../../src/core/probe/summary.js';
import type {
  AttemptRecord,
  ClientLoad,
  ProbePlan,
  ProbeRun,
  RequestOutcome,
  TargetRun,
} from '../../src/domain/probe.js';
import { probeProfile, probeWithSamples, withMock } from '../helpers/mock.js';

const dir = mkdtempSync(join(tmpdir(), 'ai-route-client-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { AI_ROUTE_API_KEY: 'sk-test-0123456789abcdef' };

const target = { name: 'm', model: 'm', baseURL: 'http://127.0.0.1:1/v1' };

const plan = (over: Partial<ProbePlan> = {}): ProbePlan => ({
  targets: [target],
  requests: 100,
  concurrency: 8,
  warmup: 8,
  warmupMustPass: false,
  retries: 0,
  maxRetryWaitMs: 0,
  prompt: 'hi',
  maxTokens: 16,
  stream: true,
  deadlines: { connect_ms: 1000, ttft_ms: 1000, idle_ms: 1000, total_ms: 1000 },
  ...over,
});

const open = (rate: number, maxInFlight?: number) => ({
  rate,
  arrivals: 'constant' as const,
  duration_ms: undefined,
  seed: 1,
  max_in_flight: maxInFlight,
});

/** A served request sent at `t`: first token after `ttft` ms, then tokens `gap` ms apart. */
function request(i: number, t: number, ttft: number, gap: number, tokens = 4): RequestOutcome {
  const times = Array.from({ length: tokens }, (_, k) => t + ttft + k * gap);
  const attempt: AttemptRecord = {
    t_send: t,
    headers_at: t + ttft / 2,
    token_times: times,
    end_at: times[times.length - 1]! + 0.5,
    usage_tokens: tokens,
    usage_prompt_tokens: 5,
    chunks: tokens,
    finish_reason: 'stop',
    status: 200,
    error_class: undefined,
    error: undefined,
    request_id: `r${i}`,
    retry_after_ms: undefined,
    ratelimit: undefined,
    target: 'm',
    model: 'm',
    phase: 'measure',
    request: i,
    attempt: 1,
    chain_position: 0,
    stream_options: true,
    negotiation: false,
    waited_ms: 0,
  };
  return {
    target: 'm',
    phase: 'measure',
    request: i,
    t_sched: undefined,
    blocked_ms: 0,
    attempts: [attempt],
    served_by: 'm',
    skipped: [],
  };
}

/** A target run of n requests whose first tokens take `ttft(i)` ms, tokens `gap` ms apart. */
function targetRun(n: number, ttft: (i: number) => number, gap = 5): TargetRun {
  return {
    target,
    requests: Array.from({ length: n }, (_, i) => request(i + 1, i * 10, ttft(i), gap)),
    stream_options_rejected: false,
  };
}

const load = (p50: number, p99: number): ClientLoad => ({
  workers: 1,
  loop_delay_p50_ms: p50,
  loop_delay_p99_ms: p99,
  loop_delay_max_ms: p99 * 2,
});

const probeRun = (run: TargetRun, client: ClientLoad, t0 = 0): ProbeRun => ({
  t0,
  runs: [run],
  interrupted: false,
  cap: { hits: 1, longest_ms: 3, missed: 0 },
  transitions: {},
  client,
});

describe('the probe split over workers', () => {
  it('splits a closed loop so the parts send exactly what the plan sends', () => {
    const parts = splitPlan(plan({ requests: 101, concurrency: 7, warmup: 7 }), 2);
    expect(parts).toHaveLength(2);
    const sum = (k: 'requests' | 'concurrency' | 'warmup') => parts.reduce((s, p) => s + p[k], 0);
    expect([sum('requests'), sum('concurrency'), sum('warmup')]).toEqual([101, 7, 7]);
  });

  it('never runs more closed-loop parts than there are requests in flight', () => {
    expect(splitPlan(plan({ concurrency: 1 }), 4)).toHaveLength(1);
    expect(splitPlan(plan({ requests: 1, concurrency: 2 }), 2)).toHaveLength(1);
  });

  it('splits an open loop by rate, offsetting the parts so arrivals interleave', () => {
    const parts = splitPlan(plan({ open: open(300) }), 2);
    expect(parts.map((p) => p.open!.rate)).toEqual([150, 150]);
    expect(parts[1]!.open!.offset_ms).toBeCloseTo(1000 / 300, 9);
    expect(new Set(parts.map((p) => p.open!.seed)).size).toBe(2);
  });

  it('keeps an in-flight cap in total: never more parts than the cap', () => {
    expect(splitPlan(plan({ open: open(300, 1) }), 2)).toHaveLength(1);
    const parts = splitPlan(plan({ open: open(300, 3) }), 2);
    expect(parts.reduce((s, p) => s + p.open!.max_in_flight!, 0)).toBe(3);
  });

  it('never splits a drill: its breakers must see every request', () => {
    const drill = plan({
      failover: {
        tiers: [{ name: 'm', share: 1, chain: ['m'] }],
        breaker: { failure_share: 0.5, window_ms: 1000, min_requests: 5, cooldown_ms: 1000 },
        seed: 1,
      },
    });
    expect(splitPlan(drill, 2)).toEqual([drill]);
  });

  it('merges parts onto one clock: times shifted, requests renumbered, caps added', () => {
    const a = probeRun(
      targetRun(3, () => 20),
      load(0.1, 1),
    );
    const b = probeRun(
      targetRun(2, () => 20),
      load(0.3, 4),
      5,
    );
    const merged = mergeRuns([a, b], [0, 1000]);
    const sends = merged.runs[0]!.requests.map((r) => r.attempts[0]!.t_send);
    expect(sends).toEqual([0, 10, 20, 1000, 1010]);
    expect(merged.runs[0]!.requests.map((r) => r.request)).toEqual([1, 2, 3, 4, 5]);
    expect(merged.cap).toEqual({ hits: 2, longest_ms: 3, missed: 0 });
    expect(merged.client).toMatchObject({ workers: 2, loop_delay_p99_ms: 4 });
    // a shift moves every time of an attempt alike: its TTFT is unchanged
    const first = merged.runs[0]!.requests[3]!.attempts[0]!;
    expect(first.token_times[0]! - first.t_send).toBe(20);
  });
});

describe("the client's own load", () => {
  const summary = summarizeRun(targetRun(200, (i) => 100 + (i % 10)));

  it('is saturated when its loop delay passes the stated error of a percentile', () => {
    const ttft = summary.metrics.ttft!;
    const limit99 = STATED_ERROR.p99.ms + (STATED_ERROR.p99.pct / 100) * ttft.p99;
    const limit50 = STATED_ERROR.p50.ms + (STATED_ERROR.p50.pct / 100) * ttft.p50;
    expect(clientVerdict(load(0.1, limit99 * 0.9), [summary]).saturated).toBe(false);
    expect(clientVerdict(load(0.1, limit99 * 1.1), [summary]).saturated).toBe(true);
    expect(clientVerdict(load(limit50 * 1.1, limit99 * 0.9), [summary]).saturated).toBe(true);
    expect(clientVerdict(load(0.1, 3), [summary]).error_bound_ms).toBe(3);
  });

  it('of several runs is the worst: saturated when any was', () => {
    const quiet = clientVerdict(load(0.1, 0.5), [summary]);
    const busy = clientVerdict(load(2, 30), [summary]);
    expect(worstClient([quiet, undefined, busy])).toMatchObject({
      saturated: true,
      loop_delay_p99_ms: 30,
    });
    expect(worstClient([undefined])).toBeUndefined();
  });

  it('reads ITL from chunks read together as not measurable, never as 0', () => {
    const coalesced = summarizeRun(targetRun(50, () => 30, 0));
    expect(coalesced.metrics.itl).toBeUndefined();
    expect(coalesced.itl_coalesced).toBe(1);
    expect(summarizeRun(targetRun(50, () => 30, 5)).metrics.itl?.p50).toBeCloseTo(5, 9);
  });
});

describe('baselines without false alarms', () => {
  const slow = (ms: number) => summarizeRun(targetRun(200, (i) => ms + (i % 10) / 10));

  it('never calls a change smaller than the metric resolution a regression', () => {
    // +60% TTFT, significant, but 0.3 ms: under the 1 ms the probe can measure
    const [ttft] = compareWithBaseline([slow(0.5)], [slow(0.8)]).filter((c) => c.metric === 'ttft');
    expect(MIN_ABSOLUTE_EFFECT.ttft).toBe(1);
    expect(ttft).toMatchObject({ verdict: 'no_change' });
    expect(ttft!.p_value).toBeLessThan(0.001);
    const [big] = compareWithBaseline([slow(50)], [slow(80)]).filter((c) => c.metric === 'ttft');
    expect(big).toMatchObject({ verdict: 'regressed' });
  });

  it('never gives a percent change against a 0 or unmeasurable baseline', () => {
    const zero = summarizeRun(targetRun(200, () => 20, 0));
    const now = summarizeRun(targetRun(200, () => 20, 5));
    const itl = compareWithBaseline([zero], [now]).find((c) => c.metric === 'itl')!;
    expect(itl).toMatchObject({ verdict: 'not_compared', change_pct: undefined });
    expect(itl.note).toMatch(/not measurable/);
  });

  it('calls a regression measured by a saturated client inconclusive', () => {
    const out = compareWithBaseline([slow(50)], [slow(80)], 10, true);
    expect(out.find((c) => c.metric === 'ttft')).toMatchObject({ verdict: 'inconclusive' });
    expect(out.some((c) => c.verdict === 'regressed')).toBe(false);
  });
});

describe('the probe on worker threads, through the real SDK against a mock', () => {
  it('sends every request once over 2 workers and reports one run with its client', async () => {
    await withMock(probeProfile('{dist: constant, ms: 20}'), async (mock) => {
      const r = await probeWithSamples(
        dir,
        ['--base-url', mock.url, '--model', 'm', '--requests', '40', '--concurrency', '4'],
        { ...env },
      );
      expect(r.code).toBe(0);
      expect(r.body.config).toMatchObject({ warmup: 4 });
      expect(r.body.targets[0].counts).toMatchObject({ requests: 40, ok: 40 });
      expect(r.body.client).toMatchObject({ workers: 2 });
      for (const k of ['loop_delay_p50_ms', 'loop_delay_p99_ms', 'error_bound_ms'])
        expect(r.body.client[k]).toBeGreaterThanOrEqual(0);
      expect(typeof r.body.client.saturated).toBe('boolean');
      // warm-up (4) and measured (40) requests reached the mock once each
      expect(mock.records).toHaveLength(44);
      const measured = r.samples.filter((x) => x.phase === 'measure');
      expect(new Set(measured.map((x) => x.request)).size).toBe(40);
      expect(new Set(measured.map((x) => x.x_request_id)).size).toBe(40);
      // one clock: every TTFT is the mock's 20 ms and a little, never negative or shifted
      for (const x of measured) expect(x.ttft_ms).toBeGreaterThanOrEqual(19.5);
    });
  });

  it('keeps one loop with --workers 1, and says so', async () => {
    await withMock(probeProfile('{dist: constant, ms: 5}'), async (mock) => {
      const r = await probeWithSamples(
        dir,
        ['--base-url', mock.url, '--model', 'm', '--requests', '10', '--workers', '1'],
        { ...env },
      );
      expect(r.code).toBe(0);
      expect(r.body.client.workers).toBe(1);
    });
  });
});
