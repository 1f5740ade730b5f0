import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { mergeRuns, splitPlan } from '../../core/probe/split.js';
import { secretRedactor } from '../../core/redact.js';
import type { ProbePlan, ProbeRun } from '../../domain/probe.js';
import { packageRoot } from '../../load/paths.js';
import { type Progress, runProbe } from './runner.js';
import { createTransport } from './transport.js';

/** The role a worker thread of the probe is started with (main.ts looks for it). */
export const PROBE_WORKER = 'ai-route/probe-worker';

/** What a worker needs to make its own client: the key, the headers, and what to redact. */
export interface WorkerClient {
  apiKey: string;
  headers: Record<string, string>;
  secrets: string[];
}

/** What the main thread and a worker say to each other. */
export type ToWorker = { type: 'go' } | { type: 'stop' };
export type FromWorker =
  | { type: 'ready'; time_origin: number }
  | { type: 'progress'; label: string; done: number; failed: number }
  | { type: 'done'; run: ProbeRun }
  | { type: 'error'; message: string };

/**
 * Runs the plan on `workers` threads, each with its own client and event loop, so the probe's
 * own CPU is not what limits it: the plan is split (requests, concurrency or rate), every worker
 * starts on the same signal, and their runs are merged on this thread's clock. One worker, or a
 * drill, runs here. Ctrl-C reaches every worker, which keeps what it measured.
 */
export async function runProbeParallel(
  plan: ProbePlan,
  client: WorkerClient,
  workers: number,
  interrupted: AbortSignal,
  onProgress?: Progress,
): Promise<ProbeRun> {
  const parts = splitPlan(plan, workers);
  if (parts.length === 1) {
    const redact = secretRedactor(client.secrets);
    const transport = createTransport({ apiKey: client.apiKey, headers: client.headers, redact });
    return runProbe(parts[0]!, transport, interrupted, onProgress);
  }
  const entry = join(packageRoot(), 'bin', 'ai-route.cjs');
  const threads = parts.map(
    (part) => new Worker(entry, { workerData: { role: PROBE_WORKER, plan: part, client } }),
  );
  const stop = () => threads.forEach((t) => t.postMessage({ type: 'stop' } satisfies ToWorker));
  interrupted.addEventListener('abort', stop, { once: true });
  try {
    const progress = new Map<string, Array<{ done: number; failed: number }>>();
    const results = threads.map((t, i) =>
      listen(t, (m) => {
        if (m.type !== 'progress' || onProgress === undefined) return;
        const mine = progress.get(m.label) ?? threads.map(() => ({ done: 0, failed: 0 }));
        mine[i] = { done: m.done, failed: m.failed };
        progress.set(m.label, mine);
        const sum = (k: 'done' | 'failed') => mine.reduce((s, x) => s + x[k], 0);
        onProgress(m.label, sum('done'), total(plan, m.label), sum('failed'));
      }),
    );
    const origins = await Promise.all(results.map((r) => r.ready));
    for (const t of threads) t.postMessage({ type: 'go' } satisfies ToWorker);
    const runs = await Promise.all(results.map((r) => r.done));
    return mergeRuns(
      runs,
      origins.map((o) => o - performance.timeOrigin),
    );
  } finally {
    interrupted.removeEventListener('abort', stop);
    await Promise.all(threads.map((t) => t.terminate()));
  }
}

/** The requests a progress label counts to: the warm-up's or the measured run's. */
function total(plan: ProbePlan, label: string): number {
  return label.endsWith('warm-up') ? plan.warmup : plan.requests;
}

/** A worker's ready signal (its clock's origin) and its run, as promises. */
function listen(
  worker: Worker,
  onMessage: (m: FromWorker) => void,
): { ready: Promise<number>; done: Promise<ProbeRun> } {
  let ready!: (origin: number) => void;
  let done!: (run: ProbeRun) => void;
  let fail!: (err: Error) => void;
  const readyP = new Promise<number>((resolve) => (ready = resolve));
  const doneP = new Promise<ProbeRun>((resolve, reject) => {
    done = resolve;
    fail = reject;
  });
  worker.on('message', (m: FromWorker) => {
    if (m.type === 'ready') ready(m.time_origin);
    else if (m.type === 'done') done(m.run);
    else if (m.type === 'error') fail(new Error(`probe worker: ${m.message}`));
    else onMessage(m);
  });
  worker.on('error', (err) => fail(err));
  worker.on('exit', (code) => fail(new Error(`probe worker ended (exit ${code}) before its run`)));
  // a worker that fails before it is ready must not leave the run waiting
  doneP.catch(() => ready(Number.NaN));
  return { ready: readyP, done: doneP };
}
