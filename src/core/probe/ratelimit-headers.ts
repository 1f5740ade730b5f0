import type { RateLimitSeen } from '../../domain/probe.js';

/**
 * OpenAI writes a reset as a Go duration ("1s", "6m0s", "20ms", "1h2m3.5s"); some gateways send
 * bare seconds.
 */
export function readResetDuration(text: string): number | undefined {
  const value = text.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  if (!/^(\d+(\.\d+)?(h|ms|m|s))+$/.test(value)) return undefined;
  const scale: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  let ms = 0;
  for (const [, n, , u] of value.matchAll(/(\d+(\.\d+)?)(h|ms|m|s)/g)) ms += Number(n) * scale[u!]!;
  return ms;
}

const FIELDS = [
  ['limit_requests', 'x-ratelimit-limit-requests', 'count'],
  ['remaining_requests', 'x-ratelimit-remaining-requests', 'count'],
  ['reset_requests_ms', 'x-ratelimit-reset-requests', 'reset'],
  ['limit_tokens', 'x-ratelimit-limit-tokens', 'count'],
  ['remaining_tokens', 'x-ratelimit-remaining-tokens', 'count'],
  ['reset_tokens_ms', 'x-ratelimit-reset-tokens', 'reset'],
] as const;

/**
 * The x-ratelimit-* headers of an answer, or undefined when it sent none; a value that does not
 * read is left out, never guessed.
 */
export function readRateLimitHeaders(
  headers: { get(name: string): string | null } | undefined,
): RateLimitSeen | undefined {
  if (headers === undefined) return undefined;
  const seen: RateLimitSeen = {};
  let any = false;
  for (const [key, name, kind] of FIELDS) {
    const raw = headers.get(name);
    if (raw === null) continue;
    const value =
      kind === 'count'
        ? /^\s*\d{1,15}\s*$/.test(raw)
          ? Number(raw)
          : undefined
        : readResetDuration(raw);
    if (value === undefined || !Number.isFinite(value)) continue;
    seen[key] = value;
    any = true;
  }
  return any ? seen : undefined;
}
