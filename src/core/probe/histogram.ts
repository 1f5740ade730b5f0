import type { EncodedHistogram, HistogramUnit } from '../../domain/probe-summary.js';
import * as hdr from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';
import recordedValues from 'hdr-histogram-js/dist/RecordedValuesIterator.js';
import type { Percentiles } from '../../domain/probe-summary.js';

/**
 * Mergeable latency distributions: HdrHistogram at 3 significant digits, so a recorded value is
 * known to within 0.1% of itself. Times are recorded in whole microseconds, rates in thousandths
 * (tokens/s x 1000): the histogram holds integers.
 */
export const SIGNIFICANT_DIGITS = 3;
/** The relative error of a value read back from a histogram. */
export const HISTOGRAM_RELATIVE_ERROR = 10 ** -SIGNIFICANT_DIGITS;

const SCALE: Record<HistogramUnit, number> = { us: 1000, milli: 1000 };

/**
 * The library's iterator over recorded values; a CommonJS default export, reached the same way
 * under every loader.
 */
interface ValuesIterator {
  hasNext(): boolean;
  next(): { valueIteratedTo: number; countAtValueIteratedTo: number };
}
const ValuesIteratorOf = ((m: unknown) =>
  typeof m === 'function' ? m : (m as { default: unknown }).default)(recordedValues) as new (
  h: Histogram,
) => ValuesIterator;

function empty(): Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 2,
    numberOfSignificantValueDigits: SIGNIFICANT_DIGITS,
    autoResize: true,
    useWebAssembly: false,
    bitBucketSize: 'packed',
  });
}

/** The histogram of raw values (ms, or per second), encoded for JSON. */
export function encodeHistogram(values: readonly number[], unit: HistogramUnit): EncodedHistogram {
  const h = empty();
  for (const v of values) h.recordValue(Math.max(0, Math.round(v * SCALE[unit])));
  const out = {
    unit,
    significant_digits: SIGNIFICANT_DIGITS,
    count: values.length,
    encoded: hdr.encodeIntoCompressedBase64(h),
  };
  h.destroy();
  return out;
}

function decode(e: EncodedHistogram): Histogram {
  return hdr.decodeFromCompressedBase64(e.encoded, 'packed', false);
}

/** The samples a histogram holds, added from its counts (not the count it declares). */
export function histogramTotal(e: EncodedHistogram): number {
  const h = decode(e);
  try {
    return h.totalCount;
  } finally {
    h.destroy();
  }
}

/** Several runs' histograms of one metric as one: counts add bucket by bucket. */
export function mergeHistograms(parts: readonly EncodedHistogram[]): EncodedHistogram | undefined {
  if (parts.length === 0) return undefined;
  const total = empty();
  for (const p of parts) {
    const h = decode(p);
    total.add(h);
    h.destroy();
  }
  const out = {
    unit: parts[0]!.unit,
    significant_digits: SIGNIFICANT_DIGITS,
    count: parts.reduce((n, p) => n + p.count, 0),
    encoded: hdr.encodeIntoCompressedBase64(total),
  };
  total.destroy();
  return out;
}

/** Each distinct recorded value (bucket, in the metric's own unit) with its count, ascending. */
export function bucketsOf(e: EncodedHistogram): Array<{ value: number; count: number }> {
  const h = decode(e);
  const it = new ValuesIteratorOf(h);
  const median = (v: number) =>
    (h as unknown as { medianEquivalentValue(v: number): number }).medianEquivalentValue(v);
  const out: Array<{ value: number; count: number }> = [];
  while (it.hasNext()) {
    const v = it.next();
    out.push({ value: median(v.valueIteratedTo) / SCALE[e.unit], count: v.countAtValueIteratedTo });
  }
  h.destroy();
  return out;
}

/**
 * Percentiles read from a histogram: nearest rank (the smallest value with at least q of the
 * samples at or below it), each within 0.1% of the raw sample at that rank.
 */
export function histogramPercentiles(e: EncodedHistogram): Percentiles | undefined {
  if (e.count === 0) return undefined;
  const buckets = bucketsOf(e);
  const n = buckets.reduce((s, b) => s + b.count, 0);
  const at = (q: number) => {
    const rank = Math.max(1, Math.ceil(q * n));
    let seen = 0;
    for (const b of buckets) {
      seen += b.count;
      if (seen >= rank) return b.value;
    }
    return buckets[buckets.length - 1]!.value;
  };
  const mean = buckets.reduce((s, b) => s + b.value * b.count, 0) / n;
  return {
    n,
    min: buckets[0]!.value,
    mean,
    p50: at(0.5),
    p90: at(0.9),
    p95: at(0.95),
    p99: at(0.99),
    max: buckets[buckets.length - 1]!.value,
    p99_reliable: n >= 100,
  };
}

/**
 * How many recorded values satisfy `value OP threshold` (for good() on merged runs), to the
 * histogram's precision.
 */
export function countWhere(e: EncodedHistogram, holds: (value: number) => boolean): number {
  return bucketsOf(e).reduce((n, b) => n + (holds(b.value) ? b.count : 0), 0);
}
