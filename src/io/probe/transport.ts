import OpenAI, { APIConnectionError, APIError } from 'openai';

import type {
  AttemptResult,
  AttemptSpec,
  Deadlines,
  ErrorClass,
  Transport,
} from '../../domain/probe.js';
import { readRateLimitHeaders } from '../../core/probe/ratelimit-headers.js';
import { type FetchHooks, nodeFetch } from './http-fetch.js';

const now = (): number => performance.now();

/** An error text as the samples and messages keep it: one line, at most 500 characters. */
const clip = (text: string): string =>
  text.length > 500 ? `${text.slice(0, 500)}... (${text.length} characters)` : text;

/**
 * Tags a request so the fetch wrapper knows whose timing it is; removed before the request leaves.
 */
const ATTEMPT_HEADER = 'x-ai-route-attempt';

/**
 * Bytes of a response body passed on to the SDK; what comes after is read and counted, not kept.
 */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * Client-side times of one attempt, taken as bytes move rather than after the SDK has parsed them.
 */
interface Stamps {
  /** Body bytes read past MAX_BODY_BYTES (drained, not passed on). */
  dropped: number;
  /** When fetch was called: the request is being issued. */
  sent: number | undefined;
  /** When each SSE event carrying data (other than [DONE]) had fully arrived, in order. */
  events: number[];
  /** When the last byte of the body arrived. */
  body_done: number | undefined;
}

/**
 * Counts the SSE events of a byte stream that carry data, as the SDK yields them (comments and
 * [DONE] are not).
 */
function sseEventCounter(onEvent: () => void): (text: string) => void {
  let event = '';
  return (text) => {
    event += text;
    for (;;) {
      const end = event.search(/\r?\n\r?\n/);
      if (end < 0) return;
      const block = event.slice(0, end);
      event = event.slice(event.indexOf('\n', end + (event[end] === '\r' ? 2 : 1)) + 1);
      const data = block.split(/\r?\n/).filter((l) => l.startsWith('data:'));
      if (data.length > 0 && !data[0]!.slice(5).trimStart().startsWith('[DONE]')) onEvent();
    }
  };
}

/** A request nobody is timing: passed through as it is. */
const UNTIMED: FetchHooks = { onSend: () => {}, onChunk: () => true, onEnd: () => undefined };

/**
 * fetch, timed: stamps the moment the request is issued and the arrival of each SSE event as its
 * bytes are read off the socket, passing every byte through unchanged. The SDK's own parsing and
 * async iteration come after and would otherwise count as latency (about a millisecond a chunk).
 */
function timedFetch(stamps: Map<string, Stamps>): typeof fetch {
  const send = nodeFetch();
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    const id = headers.get(ATTEMPT_HEADER);
    const stamp = id === null ? undefined : stamps.get(id);
    headers.delete(ATTEMPT_HEADER);
    return send(input, { ...init, headers }, stamp === undefined ? UNTIMED : hooksOf(stamp));
  };
}

/** The stamps of one attempt, taken as its bytes move; the body capped at MAX_BODY_BYTES. */
function hooksOf(stamp: Stamps): FetchHooks {
  const decoder = new TextDecoder();
  const count = sseEventCounter(() => stamp.events.push(now()));
  let passed = 0;
  return {
    onSend: () => void (stamp.sent = now()),
    onChunk(chunk) {
      // past the cap a body is drained and counted, never buffered: memory stays bounded
      // whatever is sent
      if (passed + chunk.byteLength > MAX_BODY_BYTES) {
        stamp.dropped += chunk.byteLength;
        return false;
      }
      passed += chunk.byteLength;
      count(decoder.decode(chunk, { stream: true }));
      return true;
    },
    onEnd() {
      stamp.body_done = now();
      return stamp.dropped > 0 ? new BodyTooLarge(passed + stamp.dropped) : undefined;
    },
  };
}

/** A response body past MAX_BODY_BYTES: the rest was drained and counted. */
class BodyTooLarge extends Error {
  constructor(readonly bytes: number) {
    super(
      `a response body of ${bytes} bytes, over the ${MAX_BODY_BYTES / 1024 / 1024} ` +
        `MB kept; the rest was read and dropped`,
    );
    this.name = 'BodyTooLarge';
  }
}

/**
 * The innermost error along a cause chain that is one of ours (the SDK wraps what the fetch body
 * raised).
 */
function ours<T>(err: unknown, type: new (...args: never[]) => T, depth = 0): T | undefined {
  if (err instanceof type) return err;
  if (err === null || typeof err !== 'object' || depth > 8) return undefined;
  return ours((err as { cause?: unknown }).cause, type, depth + 1);
}

/**
 * The SDK's error for an `error` event inside a stream: an APIError without a status that is not a
 * connection failure.
 */
function streamErrorEvent(err: unknown): err is APIError {
  return (
    err instanceof APIError && err.status === undefined && !(err instanceof APIConnectionError)
  );
}

/** Reads Retry-After in all three forms: retry-after-ms, seconds, or an HTTP date. */
export function retryAfterMs(
  headers: { get(name: string): string | null } | undefined,
  wallNow = Date.now(),
): number | undefined {
  if (headers === undefined) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && /^\d+(\.\d+)?$/.test(ms.trim())) return Number(ms);
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - wallNow);
}

function carriesToken(delta: Record<string, unknown> | undefined): boolean {
  if (delta === undefined || delta === null) return false;
  const text = (v: unknown) => typeof v === 'string' && v.length > 0;
  return (
    text(delta.content) ||
    text(delta.reasoning_content) ||
    text(delta.reasoning) ||
    text(delta.refusal) ||
    (Array.isArray(delta.tool_calls) && delta.tool_calls.length > 0)
  );
}

/** What an errno means, in a few words. */
const ERRNO_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed while sending',
  UND_ERR_SOCKET: 'connection closed by the other side',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
};

/**
 * The deepest errno along an error's cause chain (AggregateError included), with its address when
 * the system gave one.
 */
function errnoOf(
  err: unknown,
  depth = 0,
): { code: string; address: string | undefined } | undefined {
  if (err === null || typeof err !== 'object' || depth > 8) return undefined;
  const e = err as {
    code?: unknown;
    address?: unknown;
    port?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  const inner =
    errnoOf(e.cause, depth + 1) ??
    (Array.isArray(e.errors)
      ? e.errors.map((x) => errnoOf(x, depth + 1)).find((x) => x !== undefined)
      : undefined);
  if (inner !== undefined) return inner;
  if (typeof e.code !== 'string' || !/^[A-Z][A-Z0-9_]+$/.test(e.code)) return undefined;
  const address =
    typeof e.address === 'string'
      ? typeof e.port === 'number'
        ? `${e.address.includes(':') ? `[${e.address}]` : e.address}:${e.port}`
        : e.address
      : undefined;
  return { code: e.code, address };
}

/** host:port of a base URL, the port spelled out. */
function hostPort(baseURL: string): string {
  try {
    const u = new URL(baseURL);
    return `${u.hostname}:${u.port !== '' ? u.port : u.protocol === 'https:' ? '443' : '80'}`;
  } catch {
    return baseURL;
  }
}

/**
 * The provider's own message of an HTTP error: its JSON error.message, else the SDK's text without
 * the status it starts with.
 */
function providerMessage(err: APIError): string {
  const body = err.error as { message?: unknown; error?: { message?: unknown } } | undefined;
  const message =
    typeof body?.message === 'string'
      ? body.message
      : typeof body?.error?.message === 'string'
        ? body.error.message
        : err.message.replace(/^\d{3}\s*/, '');
  return message.trim() === '' ? '(no message)' : message;
}

/**
 * One line on why an attempt failed, in the terms of its cause: the deadline that ran out, the
 * HTTP status and the provider's message, or the errno at host:port. Secrets are removed by the
 * caller.
 */
export function describeFailure(
  err: unknown,
  why: ErrorClass | undefined,
  spec: AttemptSpec,
  result: AttemptResult,
): string {
  const d = spec.deadlines;
  const at = hostPort(spec.baseURL);
  switch (why) {
    case 'timeout_connect':
      return `no response headers from ${at} within ${d.connect_ms} ms`;
    case 'timeout_ttft':
      return `no first token within ${d.ttft_ms} ms of the headers`;
    case 'timeout_idle':
      return `no chunk for ${d.idle_ms} ms after ${result.token_times.length} tokens`;
    case 'timeout_total':
      return `the whole request passed ${d.total_ms} ms`;
    case 'interrupted':
      return 'cut by Ctrl-C';
    default:
      break;
  }
  if (err instanceof APIError && err.status !== undefined)
    return `HTTP ${err.status} from ${at}: ${providerMessage(err)}`;
  if (streamErrorEvent(err) || err instanceof ProviderError)
    return (
      `the provider sent an error with status 200 from ${at}: ` +
      `${err instanceof APIError ? providerMessage(err) : (err as Error).message}`
    );
  if (err instanceof Malformed) return err.message;
  const large = ours(err, BodyTooLarge);
  if (large !== undefined) return large.message;
  const errno = errnoOf(err);
  if (errno !== undefined)
    return (
      `${ERRNO_WORDS[errno.code] ?? 'network error'} (${errno.code}) at ` + `${errno.address ?? at}`
    );
  const message = err instanceof Error ? err.message : String(err);
  return result.error_class === 'network'
    ? `network error at ${at}: ${deepestMessage(err) ?? message}`
    : message;
}

/** The innermost cause's message ("bad port" under "fetch failed" under "Connection error."). */
function deepestMessage(err: unknown, depth = 0): string | undefined {
  const e = err as { message?: unknown; cause?: unknown } | null;
  if (e === null || typeof e !== 'object' || depth > 8) return undefined;
  return (
    deepestMessage(e.cause, depth + 1) ??
    (typeof e.message === 'string' && e.message !== '' ? e.message : undefined)
  );
}

function networkish(err: unknown): boolean {
  const e = err as { name?: string; message?: string; code?: string; cause?: unknown };
  if (e?.name === 'APIConnectionError' || e?.name === 'APIConnectionTimeoutError') return true;
  if (
    typeof e?.code === 'string' &&
    /^(ECONN|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|UND_ERR)/.test(e.code)
  )
    return true;
  if (e?.name === 'TypeError' && /terminated|fetch failed|other side closed/i.test(e.message ?? ''))
    return true;
  return e?.cause !== undefined && e.cause !== err && networkish(e.cause);
}

/** One deadline: it fires only once its time has passed on the probe's own clock. */
class Deadline {
  private timer: ReturnType<typeof setTimeout>;
  private readonly armed = now();

  constructor(
    private readonly ms: number,
    private readonly fire: () => void,
    private readonly since: () => number | undefined = () => undefined,
  ) {
    this.timer = setTimeout(this.check, ms);
  }

  // a timer can fire up to a millisecond early (libuv keeps whole-millisecond time), and a sample
  // timed out must have run its whole deadline by the clock its elapsed time is read on
  private readonly check = (): void => {
    const left = this.ms - (now() - (this.since() ?? this.armed));
    if (left > 0) this.timer = setTimeout(this.check, Math.ceil(left));
    else this.fire();
  };

  cancel(): void {
    clearTimeout(this.timer);
  }
}

/**
 * The probe's four deadlines for one attempt, on one AbortController; the first to fire names the
 * failure. The total one counts from when the request left (`sentAt`), as its elapsed time does.
 */
class AttemptDeadlines {
  readonly controller = new AbortController();
  why: ErrorClass | undefined;
  private readonly total: Deadline;
  private readonly connect: Deadline;
  private ttft: Deadline | undefined;
  private idle: Deadline | undefined;
  private readonly onStop = () => this.abort('interrupted');

  constructor(
    private readonly deadlines: Deadlines,
    private readonly stop: AbortSignal,
    sentAt: () => number | undefined,
  ) {
    if (stop.aborted) this.onStop();
    else stop.addEventListener('abort', this.onStop, { once: true });
    this.total = new Deadline(deadlines.total_ms, () => this.abort('timeout_total'), sentAt);
    this.connect = this.after(deadlines.connect_ms, 'timeout_connect');
  }

  private abort(cls: ErrorClass): void {
    if (this.why === undefined) {
      this.why = cls;
      this.controller.abort();
    }
  }

  private after(ms: number, cls: ErrorClass): Deadline {
    return new Deadline(ms, () => this.abort(cls));
  }

  /** The response headers came: the connect deadline ends and the first-token one starts. */
  headers(result: AttemptResult, response: Response): void {
    result.headers_at = now();
    result.status = response.status;
    result.request_id = response.headers.get('x-request-id') ?? undefined;
    result.ratelimit = readRateLimitHeaders(response.headers);
    this.connect.cancel();
    this.ttft = this.after(this.deadlines.ttft_ms, 'timeout_ttft');
  }

  /** A chunk came: the idle deadline starts again; a first token ends the first-token one. */
  chunk(firstToken: boolean): void {
    this.idle?.cancel();
    this.idle = this.after(this.deadlines.idle_ms, 'timeout_idle');
    if (firstToken) this.ttft?.cancel();
  }

  close(): void {
    for (const d of [this.total, this.connect, this.ttft, this.idle]) d?.cancel();
    this.stop.removeEventListener('abort', this.onStop);
  }
}

function emptyResult(): AttemptResult {
  return {
    t_send: 0,
    headers_at: undefined,
    token_times: [],
    end_at: 0,
    usage_tokens: undefined,
    usage_prompt_tokens: undefined,
    chunks: 0,
    finish_reason: undefined,
    status: undefined,
    error_class: undefined,
    error: undefined,
    request_id: undefined,
    retry_after_ms: undefined,
    ratelimit: undefined,
  };
}

type Body = {
  model: string;
  messages: Array<{ role: 'user'; content: string }>;
  max_tokens: number;
};
type Call = { signal: AbortSignal; headers: Record<string, string> };

/**
 * A chunk or body of valid JSON that is not what the chat completions API sends: a measured
 * outcome, not a crash.
 */
class Malformed extends Error {
  constructor(what: string, value: unknown) {
    const text = JSON.stringify(value) ?? String(value);
    const shown = text.length > 120 ? `${text.slice(0, 120)}... (${text.length} characters)` : text;
    super(`${what}: ${shown}`);
    this.name = 'Malformed';
  }
}

/** A provider's error sent with a 200: an `error` event of a stream, or an `error` body. */
class ProviderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderError';
  }
}

type Choice = {
  delta?: Record<string, unknown>;
  message?: Record<string, unknown>;
  finish_reason?: string | null;
};

/**
 * The first choice of a chunk or body, checked for shape: an object with a choices list whose first
 * item is an object (or no choices, a usage-only chunk).
 */
function firstChoice(
  value: unknown,
  what: string,
): { choice: Choice | undefined; usage: Record<string, unknown> | undefined } {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new Malformed(`a ${what} that is not an object`, value);
  const v = value as { choices?: unknown; usage?: unknown; error?: unknown };
  if (v.error !== undefined && v.error !== null) {
    const e = v.error as { message?: unknown };
    throw new ProviderError(
      typeof e?.message === 'string' ? e.message : (JSON.stringify(v.error) ?? 'an error'),
    );
  }
  if (v.choices !== undefined && !Array.isArray(v.choices))
    throw new Malformed(`a ${what} whose choices is not a list`, value);
  const choice = (v.choices as unknown[] | undefined)?.[0];
  if (choice !== undefined && (choice === null || typeof choice !== 'object'))
    throw new Malformed(`a ${what} whose first choice is not an object`, value);
  const usage =
    v.usage !== null && typeof v.usage === 'object'
      ? (v.usage as Record<string, unknown>)
      : undefined;
  return { choice: choice as Choice | undefined, usage };
}

const count = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined;

/** A streamed answer: each token-bearing chunk stamped at its arrival (from the fetch wrapper). */
async function readStream(
  client: OpenAI,
  body: Body,
  spec: AttemptSpec,
  call: Call,
  d: AttemptDeadlines,
  stamp: Stamps,
  result: AttemptResult,
): Promise<void> {
  const { data: stream, response } = await client.chat.completions
    .create(
      {
        ...body,
        stream: true,
        ...(spec.includeUsage ? { stream_options: { include_usage: true } } : {}),
      },
      call,
    )
    .withResponse();
  d.headers(result, response);
  let index = 0;
  for await (const chunk of stream as AsyncIterable<unknown>) {
    // the chunk's own arrival, stamped by the fetch wrapper; now() only if it could not be
    const t = stamp.events[index++] ?? now();
    const { choice, usage } = firstChoice(chunk, 'stream chunk');
    if (count(usage?.completion_tokens) !== undefined)
      result.usage_tokens = count(usage!.completion_tokens);
    if (count(usage?.prompt_tokens) !== undefined)
      result.usage_prompt_tokens = count(usage!.prompt_tokens);
    const token = choice !== undefined && carriesToken(choice.delta);
    d.chunk(token && result.token_times.length === 0);
    if (choice === undefined) continue;
    if (token) {
      result.token_times.push(t);
      result.chunks++;
    }
    if (typeof choice.finish_reason === 'string' && choice.finish_reason !== '')
      result.finish_reason = choice.finish_reason;
  }
  result.end_at = now();
  // the SDK ends a stream quietly when it is aborted, so our own reason decides
  if (d.why !== undefined) result.error_class = d.why;
  else if (result.finish_reason === undefined) result.error_class = 'truncated';
}

/** A whole answer: the first token arrives with the last, at the end of the body. */
async function readWhole(
  client: OpenAI,
  body: Body,
  call: Call,
  d: AttemptDeadlines,
  stamp: Stamps,
  result: AttemptResult,
): Promise<void> {
  const response = await client.chat.completions
    .create({ ...body, stream: false }, call)
    .asResponse();
  d.headers(result, response);
  const text = await response.text();
  result.end_at = stamp.body_done ?? now();
  const { choice, usage } = firstChoice(JSON.parse(text) as unknown, 'response body');
  if (carriesToken(choice?.message)) {
    result.token_times.push(result.end_at);
    result.chunks = 1;
  }
  result.usage_tokens = count(usage?.completion_tokens);
  result.usage_prompt_tokens = count(usage?.prompt_tokens);
  result.finish_reason =
    typeof choice?.finish_reason === 'string' && choice.finish_reason !== ''
      ? choice.finish_reason
      : undefined;
  if (result.finish_reason === undefined) result.error_class = 'truncated';
}

/**
 * The only importer of `openai`. The SDK's own retries are off (maxRetries: 0) and its timeout
 * is far beyond ours: our deadlines use an AbortController, because the SDK's timeout stops
 * at the headers and never ends a stream that stalls after them.
 */
export function createTransport(options: {
  apiKey: string;
  headers: Record<string, string>;
  redact: (text: string) => string;
}): Transport {
  const clients = new Map<string, OpenAI>();
  const stamps = new Map<string, Stamps>();
  let attempts = 0;
  const clientFor = (baseURL: string, timeout: number): OpenAI => {
    let client = clients.get(baseURL);
    if (client === undefined) {
      client = new OpenAI({
        apiKey: options.apiKey,
        baseURL,
        maxRetries: 0,
        timeout: timeout + 60_000,
        defaultHeaders: options.headers,
        logLevel: 'off',
        fetch: timedFetch(stamps),
      });
      clients.set(baseURL, client);
    }
    return client;
  };

  return {
    async attempt(spec, stop) {
      const client = clientFor(spec.baseURL, spec.deadlines.total_ms);
      const stamp: Stamps = { sent: undefined, events: [], body_done: undefined, dropped: 0 };
      const d = new AttemptDeadlines(spec.deadlines, stop, () => stamp.sent);
      const result = emptyResult();
      const id = String(++attempts);
      stamps.set(id, stamp);
      const call: Call = { signal: d.controller.signal, headers: { [ATTEMPT_HEADER]: id } };
      const body: Body = {
        model: spec.model,
        messages: [{ role: 'user', content: spec.prompt }],
        max_tokens: spec.maxTokens,
      };
      try {
        result.t_send = now();
        if (spec.stream) await readStream(client, body, spec, call, d, stamp, result);
        else await readWhole(client, body, call, d, stamp, result);
      } catch (err) {
        result.end_at = now();
        classify(err, d.why, spec.stream, result);
        result.error = clip(
          options.redact(describeFailure(err, d.why, spec, result)).split('\n')[0]!,
        );
      } finally {
        d.close();
        stamps.delete(id);
        // the request left when fetch was called, after the SDK had built it
        if (stamp.sent !== undefined) result.t_send = stamp.sent;
      }
      // a stream that ended short, or that our own deadline cut, raised nothing: say what happened
      if (result.error_class !== undefined && result.error === undefined) {
        result.error =
          result.error_class === 'truncated'
            ? `the ${spec.stream ? 'stream' : 'response'} ended after ` +
              `${result.token_times.length} tokens without a finish_reason`
            : describeFailure(undefined, result.error_class, spec, result);
      }
      return result;
    },
  };
}

function classify(
  err: unknown,
  why: ErrorClass | undefined,
  stream: boolean,
  result: AttemptResult,
): void {
  if (why !== undefined) {
    result.error_class = why;
    return;
  }
  if (err instanceof ProviderError || streamErrorEvent(err)) {
    // an error event mid-stream (the SDK raises it without a status), or an error body with a 200
    result.error_class = 'provider_error';
    return;
  }
  if (err instanceof Malformed || ours(err, BodyTooLarge) !== undefined) {
    result.error_class = 'malformed';
    return;
  }
  if (err instanceof APIError && err.status !== undefined) {
    result.status = err.status;
    result.request_id = err.headers?.get('x-request-id') ?? result.request_id;
    result.retry_after_ms = retryAfterMs(err.headers);
    result.ratelimit = readRateLimitHeaders(err.headers);
    result.error_class =
      err.status === 429 ? 'rate_limited' : err.status >= 500 ? 'server_5xx' : 'client_4xx';
    return;
  }
  if (err instanceof SyntaxError) {
    // a body cut short ends mid-JSON; anything else that does not parse is malformed
    result.error_class =
      !stream && /end of (JSON|data)|Unterminated/i.test(err.message) ? 'truncated' : 'malformed';
    return;
  }
  if (networkish(err)) {
    result.error_class = 'network';
    return;
  }
  // not something an endpoint did: a fault of the probe itself, which must surface as exit 1
  throw err;
}
