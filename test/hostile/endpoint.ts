import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A hostile OpenAI-compatible endpoint on 127.0.0.1: every behaviour a real provider or a broken
// proxy has shown, each echoing the caller's key in some form. The n-th chat request (1-based)
// gets BEHAVIOURS[(n - 1) % length], so a closed-loop run of BEHAVIOURS.length requests at
// concurrency 1 meets each once.

/**
 * The key the tests send; it holds '/' and '+' so its URL-encoded echo differs from the raw one.
 */
export const HOSTILE_KEY = 'sk-hostile/Zq9+Xw7Lm3Np5Rt8Vb2';

type Behaviour = (res: ServerResponse, req: IncomingMessage, port: number) => void;

const json = (
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

const chunk = (content: string, finish: string | null = null) =>
  JSON.stringify({
    id: 'c',
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta: { content }, finish_reason: finish }],
  });

/** An SSE stream of the given `data:` payloads, ended by [DONE] unless the last one is an error. */
const sse = (res: ServerResponse, datas: string[], headers: Record<string, string> = {}) => {
  res.writeHead(200, { 'content-type': 'text/event-stream', ...headers });
  for (const d of datas) res.write(`data: ${d}\n\n`);
  res.end('data: [DONE]\n\n');
};

/** Writes until the reader hangs up; never ends by itself. */
const endless = (res: ServerResponse) => {
  res.writeHead(500, { 'content-type': 'application/json' });
  const block = Buffer.alloc(64 * 1024, 'x');
  const pump = () => {
    while (!res.destroyed && res.write(block));
    if (!res.destroyed) res.once('drain', pump);
  };
  res.on('close', () => res.removeAllListeners('drain'));
  pump();
};

const partial = `${HOSTILE_KEY.slice(0, 6)}********${HOSTILE_KEY.slice(-4)}`;

/**
 * Named so a failing test says which behaviour leaked, with the error class the probe must give it
 * (null: a success).
 */
export const BEHAVIOURS: Array<[label: string, outcome: string | null, respond: Behaviour]> = [
  [
    '401 echoing the raw key',
    'client_4xx',
    (res) =>
      json(res, 401, {
        error: {
          message: `Incorrect API key provided: ${HOSTILE_KEY}`,
          type: 'invalid_request_error',
        },
      }),
  ],
  [
    '413 echoing the URL-encoded key',
    'client_4xx',
    (res) =>
      json(res, 413, {
        error: { message: `bad request for ?key=${encodeURIComponent(HOSTILE_KEY)}` },
      }),
  ],
  [
    '403 echoing a masked key',
    'client_4xx',
    (res) => json(res, 403, { error: { message: `key ${partial} is not allowed` } }),
  ],
  [
    'an SSE error event echoing the key',
    'provider_error',
    (res) =>
      sse(res, [
        chunk('Hi'),
        JSON.stringify({ error: { message: `quota exceeded for ${HOSTILE_KEY}`, code: 429 } }),
      ]),
  ],
  [
    'x-request-id echoing the key',
    null,
    (res) =>
      sse(res, [chunk('Hello'), chunk(' there', 'stop')], { 'x-request-id': `req-${HOSTILE_KEY}` }),
  ],
  [
    'a redirect carrying the key',
    'client_4xx',
    (res, _req, port) => {
      res.writeHead(307, {
        location: `http://127.0.0.1:${port}/v1/echo?key=${encodeURIComponent(HOSTILE_KEY)}`,
      });
      res.end();
    },
  ],
  ['data: null', 'malformed', (res) => sse(res, ['null'])],
  ['choices: [null]', 'malformed', (res) => sse(res, ['{"choices":[null]}'])],
  ['a chunk with no fields', 'truncated', (res) => sse(res, ['{}', '{"choices":[{}]}'])],
  [
    'a 10 MB error body with the key at both ends',
    'server_5xx',
    (res) =>
      json(res, 500, {
        error: { message: `${HOSTILE_KEY} ${'y'.repeat(10 * 1024 * 1024)} ${HOSTILE_KEY}` },
      }),
  ],
  ['an endless error body', 'timeout_total', (res) => endless(res)],
  [
    'control characters and bidi overrides in the message',
    'server_5xx',
    (res) =>
      json(res, 502, {
        error: { message: `\u001b[2J\u001b[31mred\u0007 \u202eevil\u202c \u0000 ${HOSTILE_KEY}` },
      }),
  ],
  [
    'JSON cut mid-object',
    'truncated',
    (res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('data: {"choices":[{"delta":{"content":"a');
    },
  ],
  [
    'a stream of plain text',
    'truncated',
    (res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`not sse at all ${HOSTILE_KEY}\n`);
    },
  ],
];

export interface HostileEndpoint {
  url: string;
  /** Chat requests seen, and the Authorization headers they carried (to prove the key was sent). */
  requests: number;
  authorizations: Set<string>;
  close(): Promise<void>;
}

export async function startHostileEndpoint(): Promise<HostileEndpoint> {
  const state = { requests: 0, authorizations: new Set<string>() };
  const server: Server = createServer((req, res) => {
    req.resume();
    const port = (server.address() as AddressInfo).port;
    if (req.url?.startsWith('/v1/echo'))
      return json(res, 404, { error: { message: `no route ${req.url}` } });
    state.authorizations.add(String(req.headers.authorization));
    const [, , behave] = BEHAVIOURS[state.requests++ % BEHAVIOURS.length]!;
    behave(res, req, port);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    get requests() {
      return state.requests;
    },
    authorizations: state.authorizations,
    close: async () => {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
  };
}
