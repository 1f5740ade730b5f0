import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { rngFor, sample } from '../core/random.js';
import type { Fault, FaultKind, MockProfile, ModelProfile } from '../schema/mock-profile.js';

/** What the mock actually did for one request: the truth a probe is checked against. */
export interface MockRecord {
  /** Arrival order over all models, from 1. */
  n: number;
  /** Arrival order for this model, from 1 (what `requests:` faults count). */
  model_n: number;
  model: string;
  request_id: string;
  /** process.hrtime in ms: one monotonic clock for every process on the machine. */
  arrived_ms: number;
  stream: boolean;
  include_usage: boolean;
  fault: FaultKind | null;
  /** HTTP status sent; 0 when the connection was reset before any. */
  status: number;
  /** Every time below is in ms after arrival. */
  headers_ms: number | null;
  events: Array<{ type: 'role' | 'reasoning' | 'content' | 'finish' | 'usage' | 'malformed'; tokens: number; at_ms: number }>;
  /** Tokens written (reasoning and content). */
  output_tokens: number;
  finish_reason_sent: boolean;
  done_ms: number | null;
  /** The client went away before the mock finished. */
  client_closed: boolean;
  /** Whether an Authorization header came (never its value). */
  authorized: boolean;
}

export interface MockServer {
  /** The OpenAI base URL, such as http://127.0.0.1:41233/v1. */
  url: string;
  port: number;
  records: MockRecord[];
  reset(): void;
  close(): Promise<void>;
}

export interface MockOptions {
  host: string;
  port: number;
  profile: MockProfile;
  seed: number;
  /** Called for every request that finishes, for a log line. */
  onRecord?: (record: MockRecord) => void;
}

const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/** Waits until an absolute hrtime (ms): a timer to just before it, then a sub-millisecond finish. */
async function until(deadline: number, gone: () => boolean): Promise<void> {
  for (;;) {
    if (gone()) return;
    const left = deadline - nowMs();
    if (left <= 0) return;
    await new Promise<void>((resolve) => (left > 1.5 ? setTimeout(resolve, Math.floor(left - 1)) : setImmediate(resolve)));
  }
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function errorBody(message: string, type: string, code: string | null = null) {
  return { error: { message, type, code, param: null } };
}

function retryAfterHeaders(fault: Fault): Record<string, string> {
  const r = fault.retry_after;
  if (r === undefined) return {};
  if ('seconds' in r) return { 'retry-after': String(r.seconds) };
  if ('ms' in r) return { 'retry-after-ms': String(r.ms) };
  return { 'retry-after': new Date(Date.now() + r.http_date_in_s * 1000).toUTCString() };
}

async function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts the mock on host:port (0 picks a free port). */
export async function startMock(options: MockOptions): Promise<MockServer> {
  const records: MockRecord[] = [];
  const perModel = new Map<string, number>();
  let total = 0;
  let started = nowMs();
  const sockets = new Set<Socket>();

  const server: Server = createServer({ noDelay: true, keepAliveTimeout: 30_000 }, (req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) json(res, 500, errorBody('mock internal error', 'server_error'));
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/v1/models') {
      const ids = Object.keys(options.profile.models);
      json(res, 200, { object: 'list', data: (ids.length > 0 ? ids : ['mock']).map((id) => ({ id, object: 'model', created: 0, owned_by: 'ai-route-mock' })) });
      return;
    }
    if (req.method === 'GET' && path === '/_mock/records') return json(res, 200, records);
    if (req.method === 'POST' && path === '/_mock/reset') {
      reset();
      return json(res, 200, { ok: true });
    }
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      return json(res, 404, errorBody(`no route ${req.method} ${path}`, 'invalid_request_error'));
    }
    const arrived = nowMs();
    const text = await readBody(req, 1_000_000);
    let body: { model?: unknown; stream?: unknown; stream_options?: { include_usage?: unknown } } | undefined;
    try {
      body = text === undefined ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (body === undefined || typeof body !== 'object' || typeof body.model !== 'string') {
      return json(res, 400, errorBody('expected a JSON body with a model', 'invalid_request_error'));
    }
    const model = body.model;
    const profile = options.profile.models[model] ?? (options.profile.strict_models ? undefined : options.profile.defaults);
    if (profile === undefined) return json(res, 404, errorBody(`The model ${model} does not exist`, 'invalid_request_error', 'model_not_found'));
    const modelN = (perModel.get(model) ?? 0) + 1;
    perModel.set(model, modelN);
    const record: MockRecord = {
      n: ++total,
      model_n: modelN,
      model,
      request_id: `mock-${total}`,
      arrived_ms: arrived,
      stream: body.stream === true,
      include_usage: body.stream === true && body.stream_options?.include_usage === true,
      fault: null,
      status: 0,
      headers_ms: null,
      events: [],
      output_tokens: 0,
      finish_reason_sent: false,
      done_ms: null,
      client_closed: false,
      authorized: typeof req.headers.authorization === 'string' && req.headers.authorization.length > 0,
    };
    records.push(record);
    let closed = false;
    res.on('close', () => {
      if (!res.writableFinished) {
        closed = true;
        record.client_closed = true;
      }
    });
    const gone = () => closed;
    const fault = pickFault(profile, record, body.stream_options !== undefined, arrived - started);
    record.fault = fault?.kind ?? null;
    try {
      await respond(res, record, profile, fault, gone);
    } finally {
      record.done_ms = nowMs() - arrived;
      options.onRecord?.(record);
    }
  }

  function pickFault(profile: ModelProfile, record: MockRecord, sentStreamOptions: boolean, sinceStart: number): Fault | undefined {
    const rng = rngFor(options.seed, `${record.model}:faults`, record.model_n);
    for (const fault of profile.faults) {
      const roll = rng(); // drawn for every fault, so one fault's odds never shift another's
      if (fault.kind === 'reject_stream_options' && !sentStreamOptions) continue;
      if (fault.probability !== undefined && roll < fault.probability) return fault;
      if (fault.requests?.includes(record.model_n)) return fault;
      if (fault.window_ms && sinceStart >= fault.window_ms[0] && sinceStart < fault.window_ms[1]) return fault;
    }
    return undefined;
  }

  async function respond(res: ServerResponse, record: MockRecord, profile: ModelProfile, fault: Fault | undefined, gone: () => boolean): Promise<void> {
    const arrived = record.arrived_ms;
    const kind = fault?.kind;
    if (kind === 'stall_before_headers' || kind === 'hold') {
      // a hold over a window keeps the request until the window closes; otherwise it waits `ms`
      const end = kind === 'hold' && fault!.window_ms ? started + fault!.window_ms[1] : arrived + fault!.ms;
      await until(end, gone);
    }
    if (gone()) return;
    if (kind === 'reset' && fault!.after_tokens === 0) {
      res.socket?.destroy();
      return;
    }
    if (kind === 'rate_limit' || kind === 'server_error' || kind === 'reject_stream_options') {
      const message =
        kind === 'rate_limit' ? 'Rate limit reached (ai-route mock)' : kind === 'reject_stream_options' ? 'stream_options is not supported (ai-route mock)' : 'upstream failure (ai-route mock)';
      const type = kind === 'rate_limit' ? 'rate_limit_error' : kind === 'reject_stream_options' ? 'invalid_request_error' : 'server_error';
      record.status = fault!.status;
      record.headers_ms = nowMs() - arrived;
      return json(res, fault!.status, errorBody(message, type), { 'x-request-id': record.request_id, ...(kind === 'rate_limit' ? retryAfterHeaders(fault!) : {}) });
    }
    const rng = rngFor(options.seed, record.model, record.model_n);
    const n = profile.output_tokens;
    // token i is generated at ttft + the per-token gaps before it; a chunk goes out with its last token
    const at: number[] = [];
    let t = sample(profile.ttft, rng);
    for (let i = 0; i < n; i++) {
      if (i > 0) t += sample(profile.per_token, rng);
      at.push(t);
    }
    const base = nowMs();
    record.status = 200;
    record.headers_ms = base - arrived;
    const mid = kind === 'stall_mid_stream' || kind === 'truncate' || kind === 'malformed_chunk' || kind === 'reset' ? fault! : undefined;
    if (!record.stream) return respondWhole(res, record, profile, at, base, mid, gone);

    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-request-id': record.request_id });
    res.flushHeaders();
    const created = Math.floor(Date.now() / 1000);
    const send = (payload: unknown, type: MockRecord['events'][number]['type'], tokens: number) => {
      res.write(`data: ${JSON.stringify(payload)}\n\n`);
      record.events.push({ type, tokens, at_ms: nowMs() - arrived });
    };
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
      id: `chatcmpl-${record.request_id}`,
      object: 'chat.completion.chunk',
      created,
      model: record.model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    });
    if (profile.role_prelude) send(chunk({ role: 'assistant', content: '' }), 'role', 0);
    let shift = 0;
    let struck = false;
    for (let start = 0; start < n; start += profile.tokens_per_chunk) {
      const end = Math.min(n, start + profile.tokens_per_chunk);
      await until(base + at[end - 1]! + shift, gone);
      if (gone()) return;
      const reasoning = Math.max(0, Math.min(end, profile.reasoning_tokens) - start);
      const words = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `tok${from + i + 1} `).join('');
      if (reasoning > 0) send(chunk({ reasoning_content: words(start, start + reasoning) }), 'reasoning', reasoning);
      if (end - start - reasoning > 0) send(chunk({ content: words(start + reasoning, end) }), 'content', end - start - reasoning);
      record.output_tokens = end;
      if (mid !== undefined && !struck && end >= mid.after_tokens && end < n) {
        struck = true;
        if (mid.kind === 'stall_mid_stream') {
          shift += mid.ms;
        } else if (mid.kind === 'truncate') {
          res.end();
          return;
        } else if (mid.kind === 'malformed_chunk') {
          res.write('data: {"choices": [{"index": 0, "delta": {"content": "tok\n\n');
          record.events.push({ type: 'malformed', tokens: 0, at_ms: nowMs() - arrived });
          res.end();
          return;
        } else if (mid.kind === 'reset') {
          res.socket?.destroy();
          return;
        }
      }
    }
    send(chunk({}, 'stop'), 'finish', 0);
    record.finish_reason_sent = true;
    if (record.include_usage) {
      send({ ...chunk({}), choices: [], usage: { prompt_tokens: 8, completion_tokens: n, total_tokens: n + 8 } }, 'usage', 0);
    }
    res.end('data: [DONE]\n\n');
  }

  async function respondWhole(res: ServerResponse, record: MockRecord, profile: ModelProfile, at: number[], base: number, mid: Fault | undefined, gone: () => boolean): Promise<void> {
    const n = profile.output_tokens;
    const cut = mid !== undefined && mid.kind !== 'stall_mid_stream' ? Math.min(n, Math.max(1, mid.after_tokens)) : n;
    const stall = mid?.kind === 'stall_mid_stream' ? mid.ms : 0;
    await until(base + at[cut - 1]! + stall, gone);
    if (gone()) return;
    record.output_tokens = cut;
    if (mid?.kind === 'reset') return void res.socket?.destroy();
    const content = Array.from({ length: n - Math.min(n, profile.reasoning_tokens) }, (_, i) => `tok${i + 1 + profile.reasoning_tokens} `).join('');
    const body = JSON.stringify({
      id: `chatcmpl-${record.request_id}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: record.model,
      choices: [{ index: 0, message: { role: 'assistant', content }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 8, completion_tokens: n, total_tokens: n + 8 },
    });
    if (mid?.kind === 'truncate' || mid?.kind === 'malformed_chunk') {
      // truncate: the body ends cleanly halfway through its JSON; malformed: the body is not JSON
      const partial = mid.kind === 'truncate' ? body.slice(0, Math.floor(body.length / 2)) : '<html><body>502 Bad Gateway</body></html>';
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': record.request_id });
      res.end(partial);
      record.events.push({ type: mid.kind === 'truncate' ? 'content' : 'malformed', tokens: 0, at_ms: nowMs() - record.arrived_ms });
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-request-id': record.request_id });
    res.end(body);
    record.events.push({ type: 'content', tokens: n, at_ms: nowMs() - record.arrived_ms });
    record.finish_reason_sent = true;
  }

  function reset(): void {
    records.length = 0;
    perModel.clear();
    total = 0;
    started = nowMs();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}/v1`,
    port,
    records,
    reset,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
