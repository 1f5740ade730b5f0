import { inflateSync } from 'node:zlib';
import { histogramTotal } from '../core/probe/histogram.js';
import type { EncodedHistogram } from '../domain/probe-summary.js';

// A saved histogram is compressed HdrHistogram V2: a cookie, the compressed length, then zlib of a
// 40-byte header and the counts (ZigZag LEB128, at most 9 bytes each). Before the library decodes
// one, it is inflated here inside the most a histogram of its precision can take: a 1 MB zlib bomb
// would otherwise inflate to a gigabyte.

const COMPRESSED_COOKIE = 0x1c849304;
const COOKIE = 0x1c849303;
const HEADER_BYTES = 40;
const WORD_BYTES = 9;
/** The largest value a histogram may track: integers past 2^53 lose their units. */
const HIGHEST = 2 ** 53;

/**
 * The most bytes the counts of a histogram with `digits` significant digits can take, for values
 * from 1 to 2^53: the number of its counts (HdrHistogram's bucket layout) times 9 bytes.
 */
export function maxInflatedBytes(digits: number): number {
  const subBuckets = 2 ** Math.ceil(Math.log2(2 * 10 ** digits));
  let buckets = 1;
  for (let smallest = subBuckets; smallest <= HIGHEST; smallest *= 2) buckets++;
  return HEADER_BYTES + (buckets + 1) * (subBuckets / 2) * WORD_BYTES;
}

/**
 * Why an encoded histogram cannot be merged, or undefined when it decodes inside its size cap and
 * holds exactly the `count` it declares.
 */
export function histogramProblem(h: EncodedHistogram): string | undefined {
  const raw = Buffer.from(h.encoded, 'base64');
  if (raw.length < 8 || (raw.readInt32BE(0) & ~0xf0) !== COMPRESSED_COOKIE)
    return 'not a compressed HdrHistogram (V2) in base64';
  if (raw.readInt32BE(4) !== raw.length - 8)
    return `its header says ${raw.readInt32BE(4)} compressed bytes, it holds ${raw.length - 8}`;
  const cap = maxInflatedBytes(h.significant_digits);
  let inner: Buffer;
  try {
    inner = inflateSync(raw.subarray(8), { maxOutputLength: cap });
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE'
      ? `inflates past ${cap} bytes, the most a histogram of ${h.significant_digits} ` +
          `significant digits takes`
      : 'its compressed data is damaged';
  }
  const headerProblem = innerHeaderProblem(inner, h.significant_digits);
  if (headerProblem !== undefined) return headerProblem;
  let total: number;
  try {
    total = histogramTotal(h);
  } catch {
    return 'its counts cannot be decoded';
  }
  if (!Number.isSafeInteger(total)) return 'its counts add up past 2^53';
  if (total !== h.count)
    return `it holds ${total} samples, not the count of ${h.count} it declares`;
  return undefined;
}

function innerHeaderProblem(inner: Buffer, digits: number): string | undefined {
  if (inner.length < HEADER_BYTES || (inner.readInt32BE(0) & ~0xf0) !== COOKIE)
    return 'its inflated data is not an HdrHistogram';
  if (inner.readInt32BE(4) !== inner.length - HEADER_BYTES)
    return 'its inflated payload is not the length its header says';
  if (inner.readInt32BE(12) !== digits)
    return `it has ${inner.readInt32BE(12)} significant digits, not the ${digits} declared`;
  const lowest = inner.readBigInt64BE(16);
  const highest = inner.readBigInt64BE(24);
  if (lowest < 1n || highest < 2n * lowest || highest > BigInt(HIGHEST))
    return `its range (${lowest} to ${highest}) is not one a latency histogram has`;
  return undefined;
}
