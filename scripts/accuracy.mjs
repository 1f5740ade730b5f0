// The probe measured against ground truth: `ai-route mock` in its own process records when it
// wrote each token; the probe's samples say what the client saw. Shared by the accuracy test
// and `npm run bench accuracy`. Needs `npm run build` first (both callers build).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { percentiles } from '../dist/tsc/core/probe/latency.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'ai-route.cjs');

/**
 * Spread-out latency and some faults, so that percentiles and error counts both mean something.
 * `sequential` answers in ~70 ms (1,000 requests one by one take ~70 s); `concurrent` has LLM-like
 * latency (first token 100-400 ms, 10-30 ms a token), so 32 streams at once are ~80 requests a
 * second: a load a real endpoint gives, well under what the probe itself sustains (bench: rate).
 */
export const ACCURACY_PROFILE = `schema: ai-route/mock-profile@1
defaults:
  output_tokens: 8
  role_prelude: true
  faults:
    - {kind: server_error, probability: 0.02}
    - {kind: rate_limit, probability: 0.01}
models:
  sequential:
    ttft: {dist: uniform, min_ms: 30, max_ms: 90}
    per_token: {dist: uniform, min_ms: 0.5, max_ms: 2}
  concurrent:
    ttft: {dist: uniform, min_ms: 100, max_ms: 400}
    per_token: {dist: uniform, min_ms: 10, max_ms: 30}
`;

/** `ai-route mock` as its own process (a probe in the same process would share its event loop). */
export async function startMockProcess(profile = ACCURACY_PROFILE, seed = 3) {
  const work = mkdtempSync(join(tmpdir(), 'ai-route-accuracy-'));
  const file = join(work, 'profile.yaml');
  writeFileSync(file, profile);
  const child = spawn(
    process.execPath,
    [bin, 'mock', '--profile', file, '--seed', String(seed), '--quiet'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const killer = setTimeout(() => child.kill('SIGKILL'), 10 * 60_000);
  const deadline = Date.now() + 10_000;
  while (!out.includes('\n')) {
    if (Date.now() > deadline) throw new Error('the mock did not start');
    await new Promise((r) => setTimeout(r, 20));
  }
  const url = out.trim();
  const admin = url.replace(/\/v1$/, '');
  return {
    url,
    records: async () => (await fetch(`${admin}/_mock/records`)).json(),
    reset: async () => void (await fetch(`${admin}/_mock/reset`, { method: 'POST' })),
    stop: async () => {
      clearTimeout(killer);
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/** Runs the built probe against `url` and returns its samples (one per attempt). */
export function runProbeProcess(url, model, args) {
  const work = mkdtempSync(join(tmpdir(), 'ai-route-accuracy-probe-'));
  const samples = join(work, 'samples.ndjson');
  const r = spawnSync(
    process.execPath,
    [
      bin,
      'probe',
      '--base-url',
      url,
      '--model',
      model,
      '--format',
      'json',
      '--samples',
      samples,
      ...args,
    ],
    {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', AI_ROUTE_API_KEY: 'accuracy-test-key' },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (r.status !== 0 && r.status !== 3) throw new Error(`probe exited ${r.status}: ${r.stderr}`);
  const lines = readFileSync(samples, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  rmSync(work, { recursive: true, force: true });
  return { report: JSON.parse(r.stdout), samples: lines };
}

const tokenEvent = (e) => e.type === 'content' || e.type === 'reasoning';

/**
 * Measured against true percentiles, request by request (joined on x-request-id): the truth is
 * what the mock wrote, first and last token, after each request arrived. Token and error
 * counts must match exactly.
 */
export function compare(samples, records, tolerance) {
  const byId = new Map(records.map((r) => [r.request_id, r]));
  const measured = samples.filter((s) => s.phase === 'measure');
  const served = measured.filter((s) => s.error_class === null);
  const pairs = served
    .map((s) => ({ s, r: byId.get(s.x_request_id) }))
    .filter((p) => p.r !== undefined);
  const truth = (p, which) => {
    const events = p.r.events.filter(tokenEvent);
    return which === 'ttft' ? events[0].at_ms : events[events.length - 1].at_ms;
  };
  const rows = [];
  for (const metric of ['ttft', 'e2e']) {
    const m = percentiles(pairs.map((p) => p.s[`${metric}_ms`]));
    const t = percentiles(pairs.map((p) => truth(p, metric)));
    for (const q of ['p50', 'p99']) {
      const allowed = tolerance.ms + (tolerance.pct / 100) * t[q];
      rows.push({
        metric,
        q,
        measured: m[q],
        truth: t[q],
        diff: m[q] - t[q],
        allowed,
        ok: Math.abs(m[q] - t[q]) <= allowed,
      });
    }
  }
  const measuredIds = new Set(measured.map((s) => s.x_request_id));
  const mockFor = records.filter((r) => measuredIds.has(r.request_id));
  const errors = {
    server_5xx: {
      measured: measured.filter((s) => s.error_class === 'server_5xx').length,
      truth: mockFor.filter((r) => r.status >= 500).length,
    },
    rate_limited: {
      measured: measured.filter((s) => s.error_class === 'rate_limited').length,
      truth: mockFor.filter((r) => r.status === 429).length,
    },
  };
  const tokensExact = pairs.every(
    (p) => p.s.output_tokens === p.r.output_tokens && p.s.tokens_estimated === false,
  );
  return {
    n: pairs.length,
    unmatched: served.length - pairs.length,
    rows,
    errors,
    tokensExact,
    ok:
      rows.every((r) => r.ok) &&
      tokensExact &&
      Object.values(errors).every((e) => e.measured === e.truth),
  };
}
