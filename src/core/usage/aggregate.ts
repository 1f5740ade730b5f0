import type { BilledRecord, OtherOperation, UsageCounts, UsageRecord } from '../../domain/usage.js';
import { type Big, ZERO } from '../../units/decimal.js';

/**
 * Usage summed as it is read, by UTC day, model, provider and service tier: memory grows with
 * the days and models seen, never with the records. A record or bill seen twice (the same
 * bucket, request id or span id, in one file or two) is counted once.
 */

export interface UsageGroup extends UsageCounts {
  day: string;
  model: string;
  provider: string | undefined;
  service_tier: string;
  unpriceable: string | undefined;
  records: number;
}

export interface BilledGroup {
  day: string;
  model: string | undefined;
  amount: Big;
}

/** Ids remembered to count a record once; past this many, repeats are no longer caught. */
export const MAX_REMEMBERED_KEYS = 5_000_000;

const COUNT_FIELDS = [
  'input_tokens',
  'cached_input_tokens',
  'cache_write_tokens',
  'cache_write_1h_tokens',
  'output_tokens',
  'reasoning_tokens',
] as const;

/**
 * Input tokens per request, by model, from per-request sources (a span, a log row), in buckets of
 * 1,000 tokens: bucket k holds requests of more than (k-1) x 1,000 and at most k x 1,000 input
 * tokens, so the share over any threshold that is a multiple of 1,000 (every long-context tier
 * known) is exact, and memory is bounded by the largest request, not the count.
 */
export const INPUT_BUCKET = 1000;

/** Hours kept for the peak (ten years of them); past it, the hourly record stops growing. */
export const MAX_HOURS = 24 * 366 * 10;

export class UsageAccumulator {
  readonly groups = new Map<string, UsageGroup>();
  /** Hour since 1970 -> completion tokens, for records the source times (spans, spend logs). */
  readonly hourly = new Map<number, number>();
  /** model -> bucket -> requests. */
  readonly inputPerRequest = new Map<string, Map<number, number>>();
  readonly billed = new Map<string, BilledGroup>();
  readonly others = new Map<string, OtherOperation>();
  duplicates = 0;
  /** Past MAX_REMEMBERED_KEYS ids: repeats after that point are counted again. */
  forgetting = false;
  private readonly seen = new Set<string>();

  /** False when the record was seen before (and is not counted again). */
  private firstTime(key: string | undefined): boolean {
    if (key === undefined) return true;
    if (this.seen.has(key)) {
      this.duplicates++;
      return false;
    }
    if (this.seen.size < MAX_REMEMBERED_KEYS) this.seen.add(key);
    else this.forgetting = true;
    return true;
  }

  addRecord(r: UsageRecord): void {
    if (!this.firstTime(r.key)) return;
    if (r.billed !== undefined) this.bill(r.day, r.model, r.billed);
    if (r.hour !== undefined && (this.hourly.has(r.hour) || this.hourly.size < MAX_HOURS))
      this.hourly.set(r.hour, (this.hourly.get(r.hour) ?? 0) + r.input_tokens + r.output_tokens);
    if (r.requests === 1) {
      let buckets = this.inputPerRequest.get(r.model);
      if (buckets === undefined) this.inputPerRequest.set(r.model, (buckets = new Map()));
      const k = Math.ceil(r.input_tokens / INPUT_BUCKET);
      buckets.set(k, (buckets.get(k) ?? 0) + 1);
    }
    const id =
      `${r.day}\u0000${r.model}\u0000${r.provider ?? ''}\u0000` +
      `${r.service_tier}\u0000${r.unpriceable ?? ''}`;
    const g = this.groups.get(id);
    if (g === undefined) {
      const { key: _key, billed: _billed, hour: _hour, ...counts } = r;
      this.groups.set(id, { ...counts, records: 1 });
      return;
    }
    for (const f of COUNT_FIELDS) g[f] += r[f];
    g.requests = g.requests === null || r.requests === null ? null : g.requests + r.requests;
    g.records++;
  }

  addBilled(b: BilledRecord): void {
    if (this.firstTime(b.key)) this.bill(b.day, b.model, b.amount);
  }

  private bill(day: string, model: string | undefined, amount: Big): void {
    const id = `${day}\u0000${model ?? ''}`;
    const g = this.billed.get(id);
    if (g === undefined) this.billed.set(id, { day, model, amount });
    else g.amount = g.amount.plus(amount);
  }

  addOther(o: OtherOperation): void {
    const g = this.others.get(o.operation);
    if (g === undefined) this.others.set(o.operation, { ...o });
    else {
      g.records += o.records;
      g.input_tokens += o.input_tokens;
      g.output_tokens += o.output_tokens;
    }
  }

  /** The total billed, or zero. */
  billedTotal(): Big {
    let total = ZERO;
    for (const b of this.billed.values()) total = total.plus(b.amount);
    return total;
  }
}
