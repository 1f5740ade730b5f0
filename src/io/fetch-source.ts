import { createHash } from 'node:crypto';
import { UsageError } from '../domain/errors.js';

/** A source catalog read from the web: its text, and what identifies what was read. */
export interface Fetched {
  text: string;
  url: string;
  sha256: string;
  fetched_at: string;
  bytes: number;
}

export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
}

/** LiteLLM's map is ~1.6 MB, models.dev's ~3 MB: 64 MB is room to grow, not room to exhaust memory. */
export const FETCH_LIMITS: FetchLimits = { timeoutMs: 30_000, maxBytes: 64 * 1024 * 1024 };

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

/** An https:// URL, or http:// to this machine only (a catalog served locally, tests). */
export function checkSourceUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`"${text}" is not a URL`);
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.test(url.hostname))) return url;
  throw new UsageError(`${url.protocol}//${url.host}: only https:// URLs are read (http:// only from this machine)`);
}

/**
 * Reads a catalog over HTTP(S) with Node's fetch: a deadline for the whole read, a size cap
 * (the rest is not read), and the sha256 and time of what was read for the provenance.
 */
export async function fetchSource(url: URL, now: Date, limits: FetchLimits = FETCH_LIMITS): Promise<Fetched> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, { signal, redirect: 'follow', headers: { accept: 'application/json' } });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    throw new UsageError(`${url.href}: cannot fetch (${cause === 'TimeoutError' ? `no answer within ${limits.timeoutMs / 1000} s` : cause})`);
  }
  if (!response.ok) throw new UsageError(`${url.href}: HTTP ${response.status} ${response.statusText}`.trim());
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  const reader = response.body?.getReader();
  try {
    for (;;) {
      const next = await reader?.read();
      if (next === undefined || next.done) break;
      bytes += next.value.byteLength;
      if (bytes > limits.maxBytes) throw new UsageError(`${url.href}: more than ${limits.maxBytes / 1024 / 1024} MB; not a price catalog`);
      chunks.push(next.value);
    }
  } catch (err) {
    await reader?.cancel().catch(() => undefined);
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${url.href}: the read stopped (${signal.aborted ? `no end within ${limits.timeoutMs / 1000} s` : (err as Error).message})`);
  }
  const body = Buffer.concat(chunks);
  return { text: body.toString('utf8'), url: url.href, sha256: createHash('sha256').update(body).digest('hex'), fetched_at: now.toISOString(), bytes };
}
