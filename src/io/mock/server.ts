import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  type Capacity,
  type Fault,
  MOCK_PROMPT_TOKENS,
  type MockProfile,
  type MockRecord,
  type ModelProfile,
} from '../../domain/mock.js';
import { type Admission, RateLimiter, rateLimitHeaders } from '../../core/mock/limiter.js';
import { place, slotsAt } from '../../core/mock/capacity.js';
import {
  chooseFault,
  chunkPlan,
  errorReply,
  holdEnd,
  midAnswerFault,
  tokenTimeline,
  words,
} from '../../core/mock/plan.js';

export type { MockRecord };

export interface MockServer {
  /** The OpenAI base URL, such as http://127.0.0.1:41233/v1. */
  url: string;
  port: number;
  /** The base URL of each region's listener, by region name. */
  regions: Record<string, string>;
  /** The last MAX_MOCK_RECORDS requests, oldest first. */
  records: MockRecord[];
  /** Older records dropped to keep memory bounded, since the start or the last reset. */
  droppedRecords(): number;
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
  /**
   * Records and their events kept before the oldest are dropped (MOCK_RECORD_LIMITS unless a test
   * says less).
   */
  keep?: { records: number; events: number };
  /** The wait for a request's headers (MOCK_HEADERS_TIMEOUT_MS unless a test says less). */
  headersTimeoutMs?: number;
}

const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/**
 * Waits until an absolute hrtime (ms): a timer to just before it, then a sub-millisecond finish.
 */
async function until(deadline: number, gone: () => boolean): Promise<void> {
  for (;;) {
    if (gone()) return;
    const left = deadline - nowMs();
    if (left <= 0) return;
    await new Promise<void>((resolve) =>
      left > 1.5 ? setTimeout(resolve, Math.floor(left - 1)) : setImmediate(resolve),
    );
  }
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
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

type ChatBody = { model: string; stream?: unknown; stream_options?: { include_usage?: unknown } };

/** One request in flight: where to write, what to record, and whether the client is still there. */
interface Exchange {
  res: ServerResponse;
  record: MockRecord;
  profile: ModelProfile;
  gone: () => boolean;
}

/**
 * What the mock keeps: a mock left running under load must not grow without bound; `n` still counts
 * every request.
 */
export const MOCK_RECORD_LIMITS = { records: 100_000, events: 2_000_000 };

/**
 * The mock's state and its request handling; the plan of each answer comes from core/mock/plan.ts.
 */
class Mock {
  readonly records: MockRecord[] = [];
  dropped = 0;
  /**
   * Events of the finished records still kept; records are dropped oldest first, so every n up to
   * lastDropped is gone.
   */
  private keptEvents = 0;
  private lastDropped = 0;
  private readonly perModel = new Map<string, number>();
  private readonly limiters = new Map<string, RateLimiter[]>();
  private readonly capacities = new Map<string, Slots>();
  private total = 0;
  private started = nowMs();

  constructor(private readonly options: MockOptions) {}

  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    region: string | null = null,
  ): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/v1/models') {
      const ids = Object.keys(this.options.profile.models);
      return json(res, 200, {
        object: 'list',
        data: (ids.length > 0 ? ids : ['mock']).map((id) => ({
          id,
          object: 'model',
          created: 0,
          owned_by: 'ai-route-mock',
        })),
      });
    }
    if (req.method === 'GET' && path === '/_mock/records')
      return json(res, 200, this.records, { 'x-mock-records-dropped': String(this.dropped) });
    if (req.method === 'POST' && path === '/_mock/reset') {
      this.reset();
      return json(res, 200, { ok: true });
    }
    if (req.method !== 'POST' || path !== '/v1/chat/completions')
      return json(res, 404, errorBody(`no route ${req.method} ${path}`, 'invalid_request_error'));
    return this.chat(req, res, region);
  }

  private async chat(
    req: IncomingMessage,
    res: ServerResponse,
    region: string | null,
  ): Promise<void> {
    const arrived = nowMs();
    const body = parseChatBody(await readBody(req, 1_000_000));
    if (body === undefined)
      return json(
        res,
        400,
        errorBody('expected a JSON body with a model', 'invalid_request_error'),
      );
    const { profile: profiles } = this.options;
    const profile = Object.hasOwn(profiles.models, body.model)
      ? profiles.models[body.model]
      : profiles.strict_models
        ? undefined
        : profiles.defaults;
    if (profile === undefined)
      return json(
        res,
        404,
        errorBody(
          `The model ${body.model} does not exist`,
          'invalid_request_error',
          'model_not_found',
        ),
      );
    const record = this.newRecord(
      body,
      arrived,
      typeof req.headers.authorization === 'string' && req.headers.authorization.length > 0,
      region,
    );
    let closed = false;
    res.on('close', () => {
      if (!res.writableFinished) {
        closed = true;
        record.client_closed = true;
      }
    });
    let release: (() => void) | undefined;
    try {
      if (profile.rate_limits.length > 0 && !this.admitted(profile, record, res)) return;
      const fault = chooseFault(
        profile,
        this.options.seed,
        record.model,
        record.model_n,
        body.stream_options !== undefined,
        arrived - this.started,
      );
      record.fault = fault?.kind ?? null;
      if (profile.capacity !== undefined) {
        const slot = await this.slot(profile.capacity, record, res, () => closed);
        if (slot === undefined) return;
        release = slot;
      }
      const offset =
        profile.latency_offset_ms +
        (region === null ? 0 : (this.options.profile.regions[region]?.latency_offset_ms ?? 0));
      if (offset > 0) await until(nowMs() + offset, () => closed);
      await this.respond({ res, record, profile, gone: () => closed }, fault);
    } finally {
      release?.();
      record.done_ms = nowMs() - arrived;
      this.keep(record);
      this.options.onRecord?.(record);
    }
  }

  /**
   * The model's rate limits (one limiter each, per model, on the mock's clock): a request is let
   * through only when every limit has room, and only then charged (a request costs 1, or its
   * tokens). A refusal is answered here with 429, Retry-After and the x-ratelimit-* headers when
   * the profile asks for them; an admitted request carries those headers on its answer.
   */
  private admitted(profile: ModelProfile, record: MockRecord, res: ServerResponse): boolean {
    let limiters = this.limiters.get(record.model);
    if (limiters === undefined)
      this.limiters.set(
        record.model,
        (limiters = profile.rate_limits.map((spec) => new RateLimiter(spec))),
      );
    const now = record.arrived_ms - this.started;
    const cost = (l: RateLimiter) =>
      l.spec.per === 'tokens' ? MOCK_PROMPT_TOKENS + profile.output_tokens : 1;
    const checks = limiters.map((l) => ({ l, a: l.check(now, cost(l)) }));
    const refused = checks.find((c) => !c.a.allowed);
    if (refused === undefined) for (const { l } of checks) l.take(now, cost(l));
    const headers: Record<string, string> = {};
    for (const { l, a } of checks)
      if (l.spec.headers)
        Object.assign(
          headers,
          rateLimitHeaders(l.spec, refused === undefined ? a : uncharged(a, cost(l))),
        );
    if (refused === undefined) {
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
      return true;
    }
    const { spec } = refused.l;
    record.fault = 'rate_limit';
    record.status = 429;
    record.headers_ms = nowMs() - record.arrived_ms;
    const wait = Math.max(...checks.map((c) => c.a.retry_after_ms));
    json(
      res,
      429,
      errorBody(
        `Rate limit reached for ${spec.per}: ${spec.limit} per ${spec.window_ms} ms`,
        spec.per,
        'rate_limit_exceeded',
      ),
      {
        'x-request-id': record.request_id,
        'retry-after': String(Math.max(1, Math.ceil(wait / 1000))),
        'retry-after-ms': String(Math.ceil(wait)),
        ...headers,
      },
    );
    return false;
  }

  /**
   * A slot of the model's capacity: at once, after a wait in the queue (the time is recorded and
   * grows the TTFT), or none: the request is shed with 429 or 503 and answered here.
   */
  private async slot(
    capacity: Capacity,
    record: MockRecord,
    res: ServerResponse,
    gone: () => boolean,
  ): Promise<(() => void) | undefined> {
    let slots = this.capacities.get(record.model);
    if (slots === undefined)
      this.capacities.set(
        record.model,
        (slots = new Slots(capacity, () => nowMs() - this.started)),
      );
    const placed = place(capacity, slots.inUse, slots.waiting(), slots.count());
    if (placed.kind === 'shed') {
      slots.overflowed();
      record.fault = placed.status === 429 ? 'rate_limit' : 'server_error';
      record.status = placed.status;
      record.headers_ms = nowMs() - record.arrived_ms;
      json(
        res,
        placed.status,
        errorBody(
          placed.status === 429
            ? 'Too many requests in flight (ai-route mock capacity)'
            : 'Overloaded (ai-route mock capacity)',
          placed.status === 429 ? 'rate_limit_error' : 'server_error',
        ),
        {
          'x-request-id': record.request_id,
          ...(placed.status === 429 ? { 'retry-after': '1' } : {}),
        },
      );
      return undefined;
    }
    const from = nowMs();
    if (placed.kind === 'queue') {
      slots.overflowed();
      await slots.wait(res);
    } else slots.inUse++;
    record.queued_ms = nowMs() - from;
    if (gone()) {
      slots.release();
      return undefined;
    }
    return () => slots.release();
  }

  /**
   * Counts a finished record's events and drops the oldest records, a batch at a time, once either
   * limit is passed.
   */
  private keep(record: MockRecord): void {
    if (record.n > this.lastDropped) this.keptEvents += record.events.length;
    const limits = this.options.keep ?? MOCK_RECORD_LIMITS;
    if (this.records.length <= limits.records && this.keptEvents <= limits.events) return;
    const records = Math.floor(limits.records * 0.9);
    const events = Math.floor(limits.events * 0.9);
    let cut = 0;
    while (
      cut < this.records.length - 1 &&
      (this.records.length - cut > records || this.keptEvents > events)
    ) {
      const old = this.records[cut++]!;
      if (old.done_ms !== null) this.keptEvents -= old.events.length;
      this.lastDropped = old.n;
    }
    this.records.splice(0, cut);
    this.dropped += cut;
  }

  private newRecord(
    body: ChatBody,
    arrived: number,
    authorized: boolean,
    region: string | null,
  ): MockRecord {
    const modelN = (this.perModel.get(body.model) ?? 0) + 1;
    this.perModel.set(body.model, modelN);
    const n = ++this.total;
    const record: MockRecord = {
      n,
      model_n: modelN,
      model: body.model,
      request_id: `mock-${n}`,
      arrived_ms: arrived,
      stream: body.stream === true,
      include_usage: body.stream === true && body.stream_options?.include_usage === true,
      fault: null,
      queued_ms: 0,
      region,
      status: 0,
      headers_ms: null,
      events: [],
      output_tokens: 0,
      finish_reason_sent: false,
      done_ms: null,
      client_closed: false,
      authorized,
    };
    this.records.push(record);
    return record;
  }

  private async respond(x: Exchange, fault: Fault | undefined): Promise<void> {
    const { res, record } = x;
    if (fault?.kind === 'stall_before_headers' || fault?.kind === 'hold')
      await until(holdEnd(fault, record.arrived_ms, this.started), x.gone);
    if (x.gone()) return;
    if (fault?.kind === 'reset' && fault.after_tokens === 0) return void res.socket?.destroy();
    const reply = fault === undefined ? undefined : errorReply(fault);
    if (reply !== undefined) {
      record.status = reply.status;
      record.headers_ms = nowMs() - record.arrived_ms;
      return json(res, reply.status, errorBody(reply.message, reply.type), {
        'x-request-id': record.request_id,
        ...(fault!.kind === 'rate_limit' ? retryAfterHeaders(fault!) : {}),
      });
    }
    const at = tokenTimeline(x.profile, this.options.seed, record.model, record.model_n);
    const base = nowMs();
    record.status = 200;
    record.headers_ms = base - record.arrived_ms;
    const mid = midAnswerFault(fault);
    return record.stream ? streamAnswer(x, at, base, mid) : wholeAnswer(x, at, base, mid);
  }

  /**
   * Clears the scale-up timers, so a closed mock leaves nothing behind to keep the process alive.
   */
  stopTimers(): void {
    for (const slots of this.capacities.values()) slots.close();
  }

  reset(): void {
    this.records.length = 0;
    this.dropped = 0;
    this.keptEvents = 0;
    this.lastDropped = 0;
    this.perModel.clear();
    this.limiters.clear();
    for (const slots of this.capacities.values()) slots.close();
    this.capacities.clear();
    this.total = 0;
    this.started = nowMs();
  }
}

/**
 * A refused request's view of a limit that had room: nothing was charged, so the headers say what
 * is left now.
 */
function uncharged(a: Admission, cost: number): Admission {
  return a.allowed ? { ...a, remaining: a.remaining + cost } : a;
}

/**
 * A model's concurrent slots and its FIFO queue; the slot count comes from slotsAt, so a scale-up
 * frees the queue when it lands.
 */
class Slots {
  inUse = 0;
  private readonly queue: Array<() => void> = [];
  private firstOverflow: number | undefined;
  private scaleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly capacity: Capacity,
    private readonly clock: () => number,
  ) {}

  count(): number {
    return slotsAt(this.capacity, this.firstOverflow, this.clock());
  }

  waiting(): number {
    return this.queue.length;
  }

  overflowed(): void {
    if (this.firstOverflow !== undefined) return;
    this.firstOverflow = this.clock();
    const up = this.capacity.scale_up;
    if (up !== undefined) this.scaleTimer = setTimeout(() => this.drain(), up.after_ms + 1);
  }

  /**
   * Resolves when this request holds a slot, or when its client leaves (it then holds one to give
   * back, like any other).
   */
  wait(res: ServerResponse): Promise<void> {
    return new Promise<void>((resolve) => {
      const left = () => {
        const i = this.queue.indexOf(entry);
        if (i < 0) return;
        this.queue.splice(i, 1);
        this.inUse++;
        resolve();
      };
      const entry = () => {
        res.off('close', left);
        resolve();
      };
      this.queue.push(entry);
      res.once('close', left);
    });
  }

  release(): void {
    this.inUse--;
    this.drain();
  }

  private drain(): void {
    while (this.queue.length > 0 && this.inUse < this.count()) {
      this.inUse++;
      this.queue.shift()!();
    }
  }

  close(): void {
    if (this.scaleTimer !== undefined) clearTimeout(this.scaleTimer);
  }
}

function parseChatBody(text: string | undefined): ChatBody | undefined {
  let body: unknown;
  try {
    body = text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
  if (
    body === null ||
    typeof body !== 'object' ||
    typeof (body as { model?: unknown }).model !== 'string'
  )
    return undefined;
  return body as ChatBody;
}

/**
 * An SSE answer: role prelude, token chunks at their planned times, finish, usage, [DONE]; a
 * mid-answer fault strikes once.
 */
async function streamAnswer(
  { res, record, profile, gone }: Exchange,
  at: number[],
  base: number,
  mid: Fault | undefined,
): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-request-id': record.request_id,
  });
  res.flushHeaders();
  const created = Math.floor(Date.now() / 1000);
  const send = (payload: unknown, type: MockRecord['events'][number]['type'], tokens: number) => {
    res.write(`data: ${JSON.stringify(payload)}\n\n`);
    record.events.push({ type, tokens, at_ms: nowMs() - record.arrived_ms });
  };
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
    id: `chatcmpl-${record.request_id}`,
    object: 'chat.completion.chunk',
    created,
    model: record.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
  if (profile.role_prelude) send(chunk({ role: 'assistant', content: '' }), 'role', 0);
  const n = at.length;
  let shift = 0;
  let struck = false;
  for (const c of chunkPlan(profile, at)) {
    await until(base + c.at_ms + shift, gone);
    if (gone()) return;
    if (c.reasoning > 0)
      send(
        chunk({ reasoning_content: words(c.start, c.start + c.reasoning) }),
        'reasoning',
        c.reasoning,
      );
    if (c.content > 0)
      send(chunk({ content: words(c.start + c.reasoning, c.end) }), 'content', c.content);
    record.output_tokens = c.end;
    if (mid === undefined || struck || c.end < mid.after_tokens || c.end >= n) continue;
    struck = true;
    if (mid.kind === 'stall_mid_stream') {
      shift += mid.ms;
      continue;
    }
    if (mid.kind === 'truncate') res.end();
    else if (mid.kind === 'malformed_chunk') {
      res.write('data: {"choices": [{"index": 0, "delta": {"content": "tok\n\n');
      record.events.push({ type: 'malformed', tokens: 0, at_ms: nowMs() - record.arrived_ms });
      res.end();
    } else res.socket?.destroy();
    return;
  }
  send(chunk({}, 'stop'), 'finish', 0);
  record.finish_reason_sent = true;
  if (record.include_usage)
    send(
      {
        ...chunk({}),
        choices: [],
        usage: { prompt_tokens: 8, completion_tokens: n, total_tokens: n + 8 },
      },
      'usage',
      0,
    );
  res.end('data: [DONE]\n\n');
}

/**
 * A whole JSON answer, sent when its last token is generated; a fault cuts it short, garbles it or
 * resets it.
 */
async function wholeAnswer(
  { res, record, profile, gone }: Exchange,
  at: number[],
  base: number,
  mid: Fault | undefined,
): Promise<void> {
  const n = at.length;
  const cut =
    mid !== undefined && mid.kind !== 'stall_mid_stream'
      ? Math.min(n, Math.max(1, mid.after_tokens))
      : n;
  const stall = mid?.kind === 'stall_mid_stream' ? mid.ms : 0;
  await until(base + at[cut - 1]! + stall, gone);
  if (gone()) return;
  record.output_tokens = cut;
  if (mid?.kind === 'reset') return void res.socket?.destroy();
  const body = JSON.stringify({
    id: `chatcmpl-${record.request_id}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: record.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: words(Math.min(n, profile.reasoning_tokens), n) },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: { prompt_tokens: 8, completion_tokens: n, total_tokens: n + 8 },
  });
  if (mid?.kind === 'truncate' || mid?.kind === 'malformed_chunk') {
    // truncate: the body ends cleanly halfway through its JSON; malformed: the body is not JSON
    const partial =
      mid.kind === 'truncate'
        ? body.slice(0, Math.floor(body.length / 2))
        : '<html><body>502 Bad Gateway</body></html>';
    res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': record.request_id });
    res.end(partial);
    record.events.push({
      type: mid.kind === 'truncate' ? 'content' : 'malformed',
      tokens: 0,
      at_ms: nowMs() - record.arrived_ms,
    });
    return;
  }
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-request-id': record.request_id,
  });
  res.end(body);
  record.events.push({ type: 'content', tokens: n, at_ms: nowMs() - record.arrived_ms });
  record.finish_reason_sent = true;
}

/**
 * How long the mock waits for a request's headers, from the connection on: a slowloris (a socket
 * that sends nothing, or a header a byte at a time) is closed then, so it cannot hold sockets.
 */
export const MOCK_HEADERS_TIMEOUT_MS = 10_000;

/**
 * One listener of the mock: the main one, or a region's, whose answers carry that region's latency
 * offset.
 */
async function listen(
  mock: Mock,
  host: string,
  port: number,
  region: string | null,
  sockets: Set<Socket>,
  headersTimeoutMs: number,
): Promise<Server> {
  const options = {
    noDelay: true,
    keepAliveTimeout: 30_000,
    headersTimeout: headersTimeoutMs,
    // how often Node checks the header deadline (30 s by default: a slowloris outlives it)
    connectionsCheckingInterval: Math.min(1_000, headersTimeoutMs),
  };
  const server: Server = createServer(options, (req, res) => {
    void mock.handle(req, res, region).catch(() => {
      if (!res.headersSent) json(res, 500, errorBody('mock internal error', 'server_error'));
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    // Node's header deadline starts with the first byte: a connection that sends nothing is
    // closed at the same deadline
    const silent = setTimeout(() => socket.destroy(), headersTimeoutMs);
    silent.unref();
    socket.once('data', () => clearTimeout(silent));
    socket.on('close', () => {
      clearTimeout(silent);
      sockets.delete(socket);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

/**
 * Starts the mock on host:port (0 picks a free port), and one more listener per region of its
 * profile on a free port.
 */
export async function startMock(options: MockOptions): Promise<MockServer> {
  const mock = new Mock(options);
  const sockets = new Set<Socket>();
  const servers: Server[] = [];
  const urlOf = (server: Server) =>
    `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${(server.address() as AddressInfo).port}/v1`;
  const close = () =>
    Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => resolve());
          }),
      ),
    ).then(() => mock.stopTimers());
  const regions: Record<string, string> = {};
  try {
    const wait = options.headersTimeoutMs ?? MOCK_HEADERS_TIMEOUT_MS;
    servers.push(await listen(mock, options.host, options.port, null, sockets, wait));
    for (const name of Object.keys(options.profile.regions)) {
      const server = await listen(mock, options.host, 0, name, sockets, wait);
      servers.push(server);
      regions[name] = urlOf(server);
    }
  } catch (err) {
    await close();
    throw err;
  }
  return {
    url: urlOf(servers[0]!),
    port: (servers[0]!.address() as AddressInfo).port,
    regions,
    records: mock.records,
    droppedRecords: () => mock.dropped,
    reset: () => mock.reset(),
    close,
  };
}
