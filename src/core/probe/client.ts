import type { ClientLoad, ClientVerdict } from '../../domain/probe.js';

export type { ClientVerdict };
import type { TargetSummary } from '../../domain/probe-summary.js';

/**
 * The probe's stated accuracy: a TTFT p50 within 1 ms + 1% of the truth, a p99 within 2 ms + 2%
 * (what `npm run bench -- probe-ceiling` holds it to).
 */
export const STATED_ERROR = {
  p50: { ms: 1, pct: 1 },
  p99: { ms: 2, pct: 2 },
} as const;

const allowed = (e: { ms: number; pct: number }, value: number) => e.ms + (e.pct / 100) * value;

/**
 * Saturated when the loop's p50 delay passes the stated error of the smallest TTFT p50, or its p99
 * delay the stated error of the smallest TTFT p99: a delay that size moves those percentiles past
 * what the probe promises.
 */
export function clientVerdict(
  load: ClientLoad,
  summaries: readonly TargetSummary[],
): ClientVerdict {
  const ttft = summaries.flatMap((s) => (s.metrics.ttft === undefined ? [] : [s.metrics.ttft]));
  const p50 = Math.min(...ttft.map((t) => t.p50), Number.POSITIVE_INFINITY);
  const p99 = Math.min(...ttft.map((t) => t.p99), Number.POSITIVE_INFINITY);
  const limit50 = allowed(STATED_ERROR.p50, Number.isFinite(p50) ? p50 : 0);
  const limit99 = allowed(STATED_ERROR.p99, Number.isFinite(p99) ? p99 : 0);
  return {
    ...load,
    error_bound_ms: load.loop_delay_p99_ms,
    saturated: load.loop_delay_p50_ms > limit50 || load.loop_delay_p99_ms > limit99,
  };
}

/** A run measured on one loop only, or the load of none: what a merge of saved runs knows. */
export const NO_LOAD: ClientLoad = {
  workers: 0,
  loop_delay_p50_ms: 0,
  loop_delay_p99_ms: 0,
  loop_delay_max_ms: 0,
};

/** The worst of several runs' clients (a merge): saturated when any was; undefined for none. */
export function worstClient(
  clients: ReadonlyArray<ClientVerdict | undefined>,
): ClientVerdict | undefined {
  const known = clients.filter((c): c is ClientVerdict => c !== undefined);
  if (known.length === 0) return undefined;
  return {
    workers: Math.max(...known.map((c) => c.workers)),
    loop_delay_p50_ms: Math.max(...known.map((c) => c.loop_delay_p50_ms)),
    loop_delay_p99_ms: Math.max(...known.map((c) => c.loop_delay_p99_ms)),
    loop_delay_max_ms: Math.max(...known.map((c) => c.loop_delay_max_ms)),
    error_bound_ms: Math.max(...known.map((c) => c.error_bound_ms)),
    saturated: known.some((c) => c.saturated),
  };
}
