import type { ErrorClass } from './probe.js';

// A probe run's summary as the JSON carries it and `probe merge` and --baseline read it back.

export type Counts = Record<ErrorClass, number>;
export const METRIC_KEYS = [
  'ttft',
  'e2e',
  'itl',
  'tpot',
  'tokens_per_s',
  'ttft_corrected',
  'e2e_corrected',
  'schedule_lag',
] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];

export interface TargetSummary {
  name: string;
  model: string;
  base_url: string;
  /** Measured requests that ran to an outcome (interrupted ones are left out). */
  requests: number;
  ok: number;
  failed: number;
  interrupted: number;
  attempts: number;
  warmup: { requests: number; failed: number; first_failure: FailureCause | undefined };
  /** Final outcome of each failed request, by class. */
  errors: Counts;
  /**
   * The first failed request's cause (the error of its last attempt), as the endpoint or the
   * network gave it.
   */
  first_failure: FailureCause | undefined;
  /** Every failed attempt, retries included, by class. */
  attempt_errors: Counts;
  error_rate: number;
  output_tokens: number;
  /** Prompt tokens from usage (what the run's cost needs), and whether some are missing. */
  input_tokens: number;
  input_tokens_known: boolean;
  /** True when some counts are chunks, not the endpoint's usage. */
  tokens_estimated: boolean;
  stream_options_rejected: boolean;
  /**
   * Open loop only: sends later than LATE_MS after their intended time, and sends the cap held
   * back.
   */
  open: { late: number; blocked: number } | undefined;
  /**
   * Latency and throughput over the requests that succeeded; failures are in the error rate, never
   * here.
   */
  metrics: Record<MetricKey, Percentiles | undefined>;
  /** The same distributions, mergeable across runs (HdrHistogram, 3 significant digits). */
  histograms: Record<MetricKey, EncodedHistogram | undefined>;
  /**
   * The raw values behind `metrics` when this run measured them (absent in a merge): good() counts
   * them exactly.
   */
  series: Record<MetricKey, number[]> | undefined;
  /** Percentiles read from merged histograms (within 0.1%), not from raw samples. */
  approximate: boolean;
  /**
   * When ITL cannot be measured because the chunks were read together (gaps under
   * COALESCED_GAP_MS, as a client too busy to read them as they came sees them): the share of
   * such gaps. ITL is then left out, never reported as 0.
   */
  itl_coalesced?: number;
}

/**
 * Why a request failed, as the samples keep it: its class and the endpoint's or the network's own
 * words.
 */
export interface FailureCause {
  error_class: ErrorClass;
  error: string;
}

/** How a metric's values become the histogram's integers. */
/** How a metric's values become the histogram's integers. */
export type HistogramUnit = 'us' | 'milli';

/** A histogram as JSON carries it: its unit and the compressed HdrHistogram encoding. */
export interface EncodedHistogram {
  unit: HistogramUnit;
  significant_digits: number;
  count: number;
  encoded: string;
}

/** Latency percentiles of one metric over the successful requests. */
export interface Percentiles {
  n: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  /** A p99 from fewer than 100 samples is little more than the maximum. */
  p99_reliable: boolean;
}
