/** A latency distribution in milliseconds, as written in a mock profile. */
export type Distribution =
  | { dist: 'constant'; ms: number }
  | { dist: 'uniform'; min_ms: number; max_ms: number }
  | { dist: 'normal'; mean_ms: number; sd_ms: number }
  | { dist: 'lognormal'; median_ms: number; sigma: number };

export const FAULT_KINDS = [
  'rate_limit',
  'server_error',
  'stall_before_headers',
  'stall_mid_stream',
  'truncate',
  'malformed_chunk',
  'reset',
  'reject_stream_options',
  'hold',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export type RetryAfter = { seconds: number } | { ms: number } | { http_date_in_s: number };

/** A fault and when it strikes: by probability, by request number, or inside a time window. */
export interface Fault {
  kind: FaultKind;
  probability: number | undefined;
  /** 1-based request numbers of this model. */
  requests: number[] | undefined;
  /** [from, to) in ms since the mock started. */
  window_ms: [number, number] | undefined;
  status: number;
  retry_after: RetryAfter | undefined;
  /** Stall length (stalls), or how long a hold lasts past the request's arrival. */
  ms: number;
  after_tokens: number;
}

/** A limiter the mock applies to a model's requests, as providers do. */
export interface RateLimit {
  kind: 'fixed' | 'sliding' | 'token_bucket';
  /** What the limit counts: requests, or tokens (a request costs its prompt and output tokens). */
  per: 'requests' | 'tokens';
  /** Requests (or tokens) per window; a bucket's size, refilled at this many per window. */
  limit: number;
  window_ms: number;
  /** Send OpenAI-style x-ratelimit-* headers on every answer. */
  headers: boolean;
}

export const RATE_LIMIT_KINDS = ['fixed', 'sliding', 'token_bucket'] as const;

export interface ModelProfile {
  ttft: Distribution;
  per_token: Distribution;
  output_tokens: number;
  tokens_per_chunk: number;
  role_prelude: boolean;
  reasoning_tokens: number;
  faults: Fault[];
  /** Every limit a request must pass (say one per requests and one per tokens, as OpenAI's). */
  rate_limits: RateLimit[];
  capacity: Capacity | undefined;
  /** Added before the headers of every answer of this model (a farther region, a slower route). */
  latency_offset_ms: number;
}

/**
 * A server of N concurrent slots: a request past them waits in a queue (so its TTFT grows) or is
 * shed at once with 429 or 503; optionally the slots grow after a delay, as an autoscaler would.
 */
export interface Capacity {
  slots: number;
  overflow: 'queue' | 'shed_429' | 'shed_503';
  /** Requests the queue holds before shedding with 503 anyway. */
  queue_limit: number;
  /** After the first overflow, this many ms later the slots become `slots`. */
  scale_up: { after_ms: number; slots: number } | undefined;
}

/** Prompt tokens the mock's usage reports for every request (and a per-tokens limit charges). */
export const MOCK_PROMPT_TOKENS = 8;

export interface MockProfile {
  defaults: ModelProfile;
  models: Record<string, ModelProfile>;
  /** Unknown models get a 404 instead of the defaults. */
  strict_models: boolean;
  /** Extra listeners, one per region, each adding its latency offset to every answer. */
  regions: Record<string, { latency_offset_ms: number }>;
}

/** What the mock actually did for one request: the truth a probe is checked against. */
export interface MockRecord {
  /** Arrival order over all models, from 1. */
  n: number;
  /** Arrival order for this model, from 1 (what `requests:` faults count). */
  model_n: number;
  model: string;
  request_id: string;
  /** process.hrtime in ms: one monotonic clock for every process on the machine. */
  arrived_ms: number;
  stream: boolean;
  include_usage: boolean;
  fault: FaultKind | null;
  /** Time spent waiting for one of the capacity's slots before the answer began. */
  queued_ms: number;
  /** The region listener it came in on; null for the main one. */
  region: string | null;
  /** HTTP status sent; 0 when the connection was reset before any. */
  status: number;
  /** Every time below is in ms after arrival. */
  headers_ms: number | null;
  events: Array<{
    type: 'role' | 'reasoning' | 'content' | 'finish' | 'usage' | 'malformed';
    tokens: number;
    at_ms: number;
  }>;
  /** Tokens written (reasoning and content). */
  output_tokens: number;
  finish_reason_sent: boolean;
  done_ms: number | null;
  /** The client went away before the mock finished. */
  client_closed: boolean;
  /** Whether an Authorization header came (never its value). */
  authorized: boolean;
}
