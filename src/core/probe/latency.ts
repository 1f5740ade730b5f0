import type { Percentiles } from '../../domain/probe-summary.js';
/** Order statistics of raw samples; no histogram, no bucketing. */

/**
 * The q-quantile of sorted values by linear interpolation between closest ranks (numpy's default).
 */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Percentiles of raw samples, or undefined for none. */
export function percentiles(values: readonly number[]): Percentiles | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  let total = 0;
  for (const v of sorted) total += v;
  return {
    n: sorted.length,
    min: sorted[0]!,
    mean: total / sorted.length,
    p50: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
    max: sorted[sorted.length - 1]!,
    p99_reliable: sorted.length >= 100,
  };
}
