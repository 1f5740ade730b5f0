// npm run bench -- probe-ceiling: the highest open-loop rate at which the probe's TTFT is still
// the truth, within +-(1 ms + 1%) at p50 and +-(2 ms + 2%) at p99, against `ai-route mock` in its
// own process (first token at 10 ms, 4 tokens 1 ms apart, each time recorded by the mock); the CPU
// a request costs the probe; and autocannon's raw HTTP rate against the same mock in the same run.
// Traffic stays on 127.0.0.1; every run is bounded in requests and time.
import { availableParallelism } from 'node:os';
import autocannon from 'autocannon';
import { STATED_ERROR, clientVerdict } from '../dist/tsc/core/probe/client.js';
import { percentiles } from '../dist/tsc/core/probe/latency.js';
import { summarize } from '../dist/tsc/core/probe/summary.js';
import { runProbeParallel } from '../dist/tsc/io/probe/workers.js';
import { Agent } from 'node:http';
import { startMockProcess } from './accuracy.mjs';
import { rawOnce } from './probe-bench.mjs';

export const PROFILE =
  'schema: ai-route/mock-profile@1\ndefaults:\n  ttft: {dist: constant, ms: 10}\n' +
  '  per_token: {dist: constant, ms: 1}\n  output_tokens: 4\n';
const DEADLINES = { connect_ms: 10_000, ttft_ms: 30_000, idle_ms: 30_000, total_ms: 60_000 };
const ms = (v) => `${v >= 0 ? '+' : ''}${v.toFixed(2)} ms`;
const within = (e, truth, diff) => Math.abs(diff) <= e.ms + (e.pct / 100) * truth;

const planAt = (url, rate, requests) => ({
  targets: [{ name: 'm', model: 'm', baseURL: url }],
  requests,
  concurrency: 1,
  warmup: Math.ceil(rate / 2),
  warmupMustPass: false,
  retries: 0,
  maxRetryWaitMs: 0,
  prompt: 'hi',
  maxTokens: 16,
  stream: true,
  deadlines: DEADLINES,
  open: { rate, arrivals: 'constant', duration_ms: undefined, seed: 1, max_in_flight: undefined },
});

/** One run at `rate`: measured TTFT percentiles against the mock's, CPU a request, the client. */
export async function runAt(mock, rate, workers, requests) {
  await mock.reset();
  const plan = planAt(mock.url, rate, requests);
  const client = { apiKey: 'bench-key', headers: {}, secrets: [] };
  const cpu = process.cpuUsage();
  const run = await runProbeParallel(plan, client, workers, new AbortController().signal);
  const used = process.cpuUsage(cpu);
  const truth = new Map(
    (await mock.records()).map((r) => [r.request_id, r.events.find((e) => e.type === 'content')]),
  );
  const measured = run.runs[0].requests.filter((q) => q.phase === 'measure');
  const pairs = measured
    .map((q) => q.attempts.at(-1))
    .filter((a) => a.error_class === undefined && truth.get(a.request_id) !== undefined)
    .map((a) => ({ got: a.token_times[0] - a.t_send, truth: truth.get(a.request_id).at_ms }));
  const got = percentiles(pairs.map((p) => p.got));
  const real = percentiles(pairs.map((p) => p.truth));
  const verdict = clientVerdict(run.client, summarize(plan, run));
  const all = plan.warmup + requests;
  return {
    rate,
    n: pairs.length,
    failed: measured.length - pairs.length,
    missed: run.cap.missed,
    d50: got.p50 - real.p50,
    d99: got.p99 - real.p99,
    ok:
      pairs.length === requests &&
      within(STATED_ERROR.p50, real.p50, got.p50 - real.p50) &&
      within(STATED_ERROR.p99, real.p99, got.p99 - real.p99),
    cpuMs: (used.user + used.system) / 1000,
    all,
    saturated: verdict.saturated,
    loop99: verdict.loop_delay_p99_ms,
  };
}

/**
 * A bare node:http client at the same rate, against the same truth: the error any client on this
 * machine has (the floor), so the probe's own share can be told apart from it.
 */
export async function rawFloor(mock, rate, n) {
  await mock.reset();
  const agent = new Agent({ keepAlive: true });
  const t0 = performance.now();
  const pending = [];
  for (let i = 0; i < n; i++) {
    const wait = t0 + (i * 1000) / rate - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(rawOnce(mock.url, agent));
  }
  const got = await Promise.all(pending);
  agent.destroy();
  const truth = new Map(
    (await mock.records()).map((r) => [r.request_id, r.events.find((e) => e.type === 'content')]),
  );
  const measured = percentiles(got.map((g) => g.ttft));
  const real = percentiles(got.map((g) => truth.get(g.id).at_ms));
  return { d50: measured.p50 - real.p50, d99: measured.p99 - real.p99 };
}

/** autocannon's raw HTTP: as many streamed completions a second as it gets from the mock. */
async function rawRate(url) {
  const cpu = process.cpuUsage();
  const result = await autocannon({
    url: `${url}/chat/completions`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench-key' },
    body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    connections: 16,
    duration: 5,
  });
  const used = process.cpuUsage(cpu);
  return {
    rps: result.requests.average,
    cpuMs: (used.user + used.system) / 1000 / Math.max(1, result.requests.total),
    errors: result.errors + result.non2xx,
  };
}

export async function probeCeiling(rates = [100, 200, 300, 400, 600, 800]) {
  const workers = availableParallelism();
  console.log(
    `\nProbe ceiling: highest open-loop rate with TTFT within +-(1 ms + 1%) at p50 and ` +
      `+-(2 ms + 2%) at p99 of the mock's record (10 ms server, ${workers} workers; ` +
      'median of 3 runs a rate)',
  );
  const mock = await startMockProcess(PROFILE);
  let best;
  let bestFloor;
  try {
    const raw = await rawRate(mock.url);
    for (const rate of rates) {
      const n = Math.max(300, rate * 3);
      const floor = await rawFloor(mock, rate, n);
      // N, 2N, N requests: the 2N run's extra CPU over an N run's is what N requests cost, the
      // start of the workers and the warm-up left out
      const runs = [];
      for (const k of [1, 2, 1]) runs.push(await runAt(mock, rate, workers, n * k));
      const cpuMs = (runs[1].cpuMs - (runs[0].cpuMs + runs[2].cpuMs) / 2) / n;
      const beyond = (r) =>
        within(STATED_ERROR.p50, 10, r.d50 - floor.d50) &&
        within(STATED_ERROR.p99, 10, r.d99 - floor.d99);
      runs.sort((a, b) => Math.abs(a.d99) - Math.abs(b.d99));
      const mid = runs[1];
      const within3 = runs.filter((r) => r.ok).length;
      const ok = within3 >= 2;
      const okFloor = runs.filter((r) => r.failed === 0 && beyond(r)).length >= 2;
      if (ok) best = { rate, cpuMs };
      if (okFloor) bestFloor = { rate, cpuMs };
      console.log(
        `  ${String(rate).padStart(4)}/s: TTFT p50 ${ms(mid.d50)}, p99 ${ms(mid.d99)} off the ` +
          `truth (bare node:http ${ms(floor.d50)}, ${ms(floor.d99)}); CPU ` +
          `${cpuMs.toFixed(2)} ms a request; loop p99 ${mid.loop99.toFixed(1)} ms ` +
          `(${mid.saturated ? 'says saturated' : 'not saturated'}); missed ${mid.missed}, ` +
          `failed ${mid.failed}; within: ${ok ? 'yes' : 'no'} (${within3}/3), beyond the ` +
          `bare client's: ${okFloor ? 'yes' : 'no'}`,
      );
    }
    const said = (b) =>
      b === undefined
        ? 'none of these rates'
        : `${b.rate}/s, CPU ${b.cpuMs.toFixed(2)} ms a request`;
    console.log(`  ceiling against the truth: ${said(best)} (goals: >= 300/s, <= 2 ms)`);
    console.log(
      `  ceiling with the error beyond a bare node:http client's within the stated error: ` +
        said(bestFloor),
    );
    console.log(
      `  autocannon raw HTTP, same mock: ${raw.rps.toFixed(0)} requests/s at 16 connections, ` +
        `CPU ${raw.cpuMs.toFixed(2)} ms a request, errors ${raw.errors}`,
    );
  } finally {
    await mock.stop();
  }
}
