import type { AttemptResult, AttemptSpec, Deadlines, ErrorClass, Transport } from './types.js';

export interface ProbeTarget {
  /** The tier name, or the model id when targets come from --model. */
  name: string;
  model: string;
  baseURL: string;
}

export interface ProbePlan {
  targets: ProbeTarget[];
  requests: number;
  concurrency: number;
  warmup: number;
  retries: number;
  maxRetryWaitMs: number;
  prompt: string;
  maxTokens: number;
  stream: boolean;
  deadlines: Deadlines;
}

export interface AttemptRecord extends AttemptResult {
  target: string;
  model: string;
  phase: 'warmup' | 'measure';
  request: number;
  attempt: number;
  stream_options: boolean;
  /** A 400 to stream_options, answered by asking again without it; not an endpoint failure. */
  negotiation: boolean;
  /** The wait before this attempt (a retry's backoff or Retry-After). */
  waited_ms: number;
}

export interface RequestOutcome {
  target: string;
  phase: 'warmup' | 'measure';
  request: number;
  attempts: AttemptRecord[];
}

export interface TargetRun {
  target: ProbeTarget;
  requests: RequestOutcome[];
  /** The endpoint refused stream_options: output tokens are counted chunks, marked estimated. */
  stream_options_rejected: boolean;
}

export interface ProbeRun {
  /** performance.now() when the run began; offsets in samples count from here. */
  t0: number;
  runs: TargetRun[];
  interrupted: boolean;
}

export const RETRYABLE: ReadonlySet<ErrorClass> = new Set(['rate_limited', 'server_5xx', 'timeout_connect', 'timeout_ttft', 'timeout_idle', 'timeout_total', 'network']);

/** How long Ctrl-C lets requests in flight finish before cutting them. */
export const INTERRUPT_GRACE_MS = 2000;

function sleep(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (stop.aborted || ms <= 0) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      stop.removeEventListener('abort', done);
      resolve();
    }
    stop.addEventListener('abort', done, { once: true });
  });
}

/**
 * Closed-loop probing: per target, warm-up then `requests` requests by `concurrency` workers.
 * Retries are the probe's own: on retryable failures, after Retry-After (capped) or an
 * exponential backoff, every attempt kept. Ctrl-C stops new requests at once and gives those
 * in flight INTERRUPT_GRACE_MS to finish.
 */
export async function runProbe(
  plan: ProbePlan,
  transport: Transport,
  interrupted: AbortSignal,
  onProgress?: (target: ProbeTarget, done: number, failed: number) => void,
): Promise<ProbeRun> {
  const hard = new AbortController();
  let graceTimer: ReturnType<typeof setTimeout> | undefined;
  const onInterrupt = () => {
    graceTimer = setTimeout(() => hard.abort(), INTERRUPT_GRACE_MS);
  };
  if (interrupted.aborted) onInterrupt();
  else interrupted.addEventListener('abort', onInterrupt, { once: true });
  const t0 = performance.now();
  const runs: TargetRun[] = [];
  try {
    for (const target of plan.targets) {
      if (interrupted.aborted) break;
      const run: TargetRun = { target, requests: [], stream_options_rejected: false };
      runs.push(run);
      let includeUsage = plan.stream;
      const one = async (phase: 'warmup' | 'measure', request: number): Promise<RequestOutcome> => {
        const outcome: RequestOutcome = { target: target.name, phase, request, attempts: [] };
        let waited = 0;
        for (let retry = 0; ; ) {
          const spec: AttemptSpec = {
            baseURL: target.baseURL,
            model: target.model,
            prompt: plan.prompt,
            maxTokens: plan.maxTokens,
            stream: plan.stream,
            includeUsage,
            deadlines: plan.deadlines,
          };
          const result = await transport.attempt(spec, hard.signal);
          const negotiation = includeUsage && (result.status === 400 || result.status === 422) && result.error_class === 'client_4xx';
          outcome.attempts.push({ ...result, target: target.name, model: target.model, phase, request, attempt: outcome.attempts.length + 1, stream_options: includeUsage, negotiation, waited_ms: waited });
          if (negotiation) {
            includeUsage = false;
            run.stream_options_rejected = true;
            waited = 0;
            continue;
          }
          const cls = result.error_class;
          if (cls === undefined || !RETRYABLE.has(cls) || retry >= plan.retries || interrupted.aborted) return outcome;
          retry++;
          waited = Math.min(plan.maxRetryWaitMs, result.retry_after_ms ?? 500 * 2 ** (retry - 1));
          await sleep(waited, interrupted);
          if (interrupted.aborted) return outcome;
        }
      };
      const phase = async (name: 'warmup' | 'measure', count: number) => {
        let next = 0;
        let done = 0;
        let failed = 0;
        const worker = async () => {
          while (!interrupted.aborted) {
            const request = ++next;
            if (request > count) return;
            const outcome = await one(name, request);
            run.requests.push(outcome);
            done++;
            if (outcome.attempts[outcome.attempts.length - 1]!.error_class !== undefined) failed++;
            if (name === 'measure') onProgress?.(target, done, failed);
          }
        };
        await Promise.all(Array.from({ length: Math.min(plan.concurrency, count) }, worker));
      };
      await phase('warmup', plan.warmup);
      await phase('measure', plan.requests);
      run.requests.sort((a, b) => (a.phase === b.phase ? a.request - b.request : a.phase === 'warmup' ? -1 : 1));
    }
  } finally {
    if (graceTimer !== undefined) clearTimeout(graceTimer);
    interrupted.removeEventListener('abort', onInterrupt);
  }
  return { t0, runs, interrupted: interrupted.aborted };
}
