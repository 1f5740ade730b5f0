import type { Fault, ModelProfile } from '../../domain/mock.js';
import { rngFor, sample } from '../random.js';

/**
 * Which fault strikes request `modelN` of a model, if any: the first that matches, by probability,
 * number or time window.
 */
export function chooseFault(
  profile: ModelProfile,
  seed: number,
  model: string,
  modelN: number,
  sentStreamOptions: boolean,
  sinceStartMs: number,
): Fault | undefined {
  const rng = rngFor(seed, `${model}:faults`, modelN);
  for (const fault of profile.faults) {
    const roll = rng(); // drawn for every fault, so one fault's odds never shift another's
    if (fault.kind === 'reject_stream_options' && !sentStreamOptions) continue;
    if (fault.probability !== undefined && roll < fault.probability) return fault;
    if (fault.requests?.includes(modelN)) return fault;
    if (fault.window_ms && sinceStartMs >= fault.window_ms[0] && sinceStartMs < fault.window_ms[1])
      return fault;
  }
  return undefined;
}

/**
 * When each token is generated, in ms after the headers: the first token's delay, then the gaps
 * before each next one.
 */
export function tokenTimeline(
  profile: ModelProfile,
  seed: number,
  model: string,
  modelN: number,
): number[] {
  const rng = rngFor(seed, model, modelN);
  const at: number[] = [];
  let t = sample(profile.ttft, rng);
  for (let i = 0; i < profile.output_tokens; i++) {
    if (i > 0) t += sample(profile.per_token, rng);
    at.push(t);
  }
  return at;
}

/** One SSE chunk of the answer: tokens [start, end), written when its last token is generated. */
export interface PlannedChunk {
  start: number;
  end: number;
  at_ms: number;
  reasoning: number;
  content: number;
}

/**
 * The answer cut into chunks of `tokens_per_chunk`, the first `reasoning_tokens` sent as reasoning.
 */
export function chunkPlan(profile: ModelProfile, at: readonly number[]): PlannedChunk[] {
  const chunks: PlannedChunk[] = [];
  const n = at.length;
  for (let start = 0; start < n; start += profile.tokens_per_chunk) {
    const end = Math.min(n, start + profile.tokens_per_chunk);
    const reasoning = Math.max(0, Math.min(end, profile.reasoning_tokens) - start);
    chunks.push({ start, end, at_ms: at[end - 1]!, reasoning, content: end - start - reasoning });
  }
  return chunks;
}

/** The words of tokens [from, to): "tok1 tok2 ", so a client can count what came. */
export function words(from: number, to: number): string {
  return Array.from({ length: to - from }, (_, i) => `tok${from + i + 1} `).join('');
}

/**
 * When a stall or hold before the headers ends: a hold over a window keeps the request until the
 * window closes.
 */
export function holdEnd(fault: Fault, arrivedMs: number, startedMs: number): number {
  return fault.kind === 'hold' && fault.window_ms
    ? startedMs + fault.window_ms[1]
    : arrivedMs + fault.ms;
}

/** Faults that answer with an HTTP error at once: the status, and the OpenAI-style error body. */
export function errorReply(
  fault: Fault,
): { status: number; message: string; type: string } | undefined {
  if (fault.kind === 'rate_limit')
    return {
      status: fault.status,
      message: 'Rate limit reached (ai-route mock)',
      type: 'rate_limit_error',
    };
  if (fault.kind === 'reject_stream_options')
    return {
      status: fault.status,
      message: 'stream_options is not supported (ai-route mock)',
      type: 'invalid_request_error',
    };
  if (fault.kind === 'server_error')
    return {
      status: fault.status,
      message: 'upstream failure (ai-route mock)',
      type: 'server_error',
    };
  return undefined;
}

/** Faults that strike in the middle of an answer, after some tokens. */
export function midAnswerFault(fault: Fault | undefined): Fault | undefined {
  return fault !== undefined &&
    (fault.kind === 'stall_mid_stream' ||
      fault.kind === 'truncate' ||
      fault.kind === 'malformed_chunk' ||
      fault.kind === 'reset')
    ? fault
    : undefined;
}
