import { createHash } from 'node:crypto';
import { publicUrl } from '../core/redact.js';
import { Interrupted, UsageError } from '../domain/errors.js';

/** A source catalog read from the web: its text, and what identifies what was read. */
export interface Fetched {
  text: string;
  url: string;
  /** Where a redirect led, when it did. */
  read_from?: string;
  sha256: string;
  fetched_at: string;
  bytes: number;
}

export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
}

/**
 * LiteLLM's map is ~1.6 MB, models.dev's ~3 MB: 64 MB is room to grow, not room to exhaust memory.
 */
export const FETCH_LIMITS: FetchLimits = { timeoutMs: 30_000, maxBytes: 64 * 1024 * 1024 };

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

/** An https:// URL, or http:// to this machine only (a catalog served locally, tests). */
export function checkSourceUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`"${publicUrl(text)}" is not a URL`);
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.test(url.hostname)))
    return url;
  throw new UsageError(
    `${url.protocol}//${url.host}: only https:// URLs are read (http:// only from this machine)`,
  );
}

/** Redirects followed before giving up (GitHub raw and release URLs take one or two). */
const MAX_REDIRECTS = 5;

/**
 * Reads a catalog over HTTP(S) with Node's fetch: a deadline for the whole read, a size cap
 * (the rest is not read), every redirect checked like the URL given (https stays https), and
 * the sha256 and time of what was read for the provenance.
 */
export async function fetchSource(
  url: URL,
  now: Date,
  interrupted: AbortSignal,
  limits: FetchLimits = FETCH_LIMITS,
): Promise<Fetched> {
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  // Ctrl-C stops a read that hangs, like the deadline does
  const signal = AbortSignal.any([timeout, interrupted]);
  let response: Response;
  let current = url;
  for (let hop = 0; ; hop++) {
    response = await fetchOnce(current, signal, interrupted, limits);
    const location =
      response.status >= 300 && response.status < 400 ? response.headers.get('location') : null;
    if (location === null) break;
    await response.body?.cancel().catch(() => undefined);
    if (hop >= MAX_REDIRECTS)
      throw new UsageError(`${publicUrl(url.href)}: more than ${MAX_REDIRECTS} redirects`);
    current = redirectTarget(location, current);
  }
  const shown = publicUrl(current.href);
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > limits.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new UsageError(
      `${shown}: ${declared} bytes, more than ${limits.maxBytes / 1024 / 1024} ` +
        `MB; not a price catalog`,
    );
  }
  if (!response.ok)
    throw new UsageError(`${shown}: HTTP ${response.status} ${response.statusText}`.trim());
  let body: Buffer | undefined;
  try {
    body = await readAtMost(response, limits.maxBytes);
  } catch (err) {
    if (interrupted.aborted) throw new Interrupted();
    const why = timeout.aborted
      ? `no end within ${limits.timeoutMs / 1000} s`
      : (err as Error).message;
    throw new UsageError(`${shown}: the read stopped (${why})`);
  }
  if (body === undefined)
    throw new UsageError(
      `${shown}: more than ${limits.maxBytes / 1024 / 1024} MB; not a price catalog`,
    );
  const bytes = body.byteLength;
  return {
    text: body.toString('utf8'),
    // what is printed and written into a catalog's provenance: the URL without its secrets
    url: publicUrl(url.href),
    ...(current.href === url.href ? {} : { read_from: shown }),
    sha256: createHash('sha256').update(body).digest('hex'),
    fetched_at: now.toISOString(),
    bytes,
  };
}

/**
 * A response's body, read until its end or until it passes `maxBytes` (undefined then: the rest
 * is not read). A read that fails is cancelled and its error thrown.
 */
export async function readAtMost(
  response: Response,
  maxBytes: number,
): Promise<Buffer | undefined> {
  const reader = response.body?.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  try {
    for (;;) {
      const next = await reader?.read();
      if (next === undefined || next.done) return Buffer.concat(chunks);
      bytes += next.value.byteLength;
      if (bytes > maxBytes) {
        await reader?.cancel().catch(() => undefined);
        return undefined;
      }
      chunks.push(next.value);
    }
  } catch (err) {
    await reader?.cancel().catch(() => undefined);
    throw err;
  }
}

/**
 * One request, without following redirects. A user and password in the URL (which fetch refuses)
 * go as HTTP Basic credentials, as curl sends them; no message shows them.
 */
async function fetchOnce(
  url: URL,
  signal: AbortSignal,
  interrupted: AbortSignal,
  limits: FetchLimits,
): Promise<Response> {
  const bare = new URL(url.href);
  bare.username = '';
  bare.password = '';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (url.username !== '' || url.password !== '') {
    const user = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers.authorization = `Basic ${Buffer.from(user).toString('base64')}`;
  }
  try {
    return await fetch(bare, { signal, redirect: 'manual', headers });
  } catch (err) {
    if (interrupted.aborted) throw new Interrupted();
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    throw new UsageError(
      `${publicUrl(url.href)}: cannot fetch ` +
        `(${cause === 'TimeoutError' ? `no answer within ${limits.timeoutMs / 1000} s` : cause})`,
    );
  }
}

/** Where a redirect leads, checked like the URL given; a Location that is no URL is exit 2. */
function redirectTarget(location: string, from: URL): URL {
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw new UsageError(
      `${publicUrl(from.href)}: redirected to a malformed Location (${location.length} ` +
        `characters, not shown: it may carry a secret); not followed`,
    );
  }
  return checkSourceUrl(next.href);
}
