import { Agent as HttpAgent, type IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** Statuses whose response has no body: a Response refuses one. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** A connection cut before the body ended, as node:http reports it. */
function cutShort(): Error {
  return Object.assign(new Error('the connection closed before the body ended'), {
    code: 'ECONNRESET',
  });
}

/** What the caller sees of a request as bytes move. */
export interface FetchHooks {
  /** The request is being issued. */
  onSend(): void;
  /** A body chunk was read off the socket, before anything parsed it; false drops it. */
  onChunk(chunk: Uint8Array): boolean;
  /** The body ended; an error returned ends it with that error instead. */
  onEnd(): Error | undefined;
}

/** The response body as a web stream; each chunk handed over as node:http reads it. */
function bodyOf(res: IncomingMessage, hooks: FetchHooks) {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let settled = false;
      res.on('data', (d: Buffer) => {
        const chunk = new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
        if (hooks.onChunk(chunk)) controller.enqueue(chunk);
      });
      res.on('end', () => {
        settled = true;
        const failed = hooks.onEnd();
        if (failed === undefined) controller.close();
        else controller.error(failed);
      });
      res.on('error', (err) => {
        if (settled) return;
        settled = true;
        controller.error(err);
      });
      res.on('close', () => {
        if (settled || res.complete) return;
        settled = true;
        controller.error(cutShort());
      });
    },
    cancel: () => void res.destroy(),
  });
}

/**
 * fetch on node:http(s) with keep-alive agents of its own: what the SDK calls, at about half of
 * undici's CPU and a millisecond less latency a request (npm run bench -- overhead), so the probe
 * measures the endpoint, not its client.
 */
export function nodeFetch(): (
  input: string | URL | Request,
  init: RequestInit | undefined,
  hooks: FetchHooks,
) => Promise<Response> {
  const agents = {
    http: new HttpAgent({ keepAlive: true }),
    https: new HttpsAgent({ keepAlive: true }),
  };
  return (input, init, hooks) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
      const headers: Record<string, string> = {};
      new Headers(init?.headers).forEach((v, k) => (headers[k] = v));
      const body = init?.body;
      if (body !== undefined && body !== null && typeof body !== 'string')
        throw new TypeError('this fetch sends string bodies only');
      const secure = url.protocol === 'https:';
      const send = secure ? httpsRequest : httpRequest;
      hooks.onSend();
      const req = send(url, {
        method: init?.method ?? 'GET',
        headers,
        agent: secure ? agents.https : agents.http,
        ...(init?.signal ? { signal: init.signal } : {}),
      });
      req.on('error', reject);
      req.on('response', (res) => {
        const h = new Headers();
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2)
          h.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
        const status = res.statusCode ?? 0;
        if (NULL_BODY.has(status)) res.resume();
        resolve(
          new Response(NULL_BODY.has(status) ? null : bodyOf(res, hooks), {
            status,
            statusText: res.statusMessage ?? '',
            headers: h,
          }),
        );
      });
      req.end(body ?? undefined);
    });
}
