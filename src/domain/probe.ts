/** Probe data shared by the transport, the runner and the pure summary (no SDK here). */

/** Every way an attempt can fail, as the probe reports it. */
export const ERROR_CLASSES = [
  'timeout_connect',
  'timeout_ttft',
  'timeout_idle',
  'timeout_total',
  'rate_limited',
  'server_5xx',
  'client_4xx',
  'network',
  'truncated',
  'malformed',
  'provider_error',
  'interrupted',
  'breaker_open',
] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];

/** Failures worth another try, at the same target or the next of a chain. */
export const RETRYABLE: ReadonlySet<ErrorClass> = new Set([
  'rate_limited',
  'server_5xx',
  'timeout_connect',
  'timeout_ttft',
  'timeout_idle',
  'timeout_total',
  'network',
]);

/** The probe's own deadlines (ms). Connect runs until the response headers arrive. */
export interface Deadlines {
  connect_ms: number;
  ttft_ms: number;
  idle_ms: number;
  total_ms: number;
}

export interface AttemptSpec {
  baseURL: string;
  model: string;
  prompt: string;
  maxTokens: number;
  stream: boolean;
  includeUsage: boolean;
  deadlines: Deadlines;
}

/** One HTTP attempt as the client saw it; times are performance.now() ms in this process. */
export interface AttemptResult {
  t_send: number;
  headers_at: number | undefined;
  /** Arrival of each chunk that carried a token (content, reasoning, refusal or tool call). */
  token_times: number[];
  end_at: number;
  /** Tokens reported by `usage`, when the endpoint sent it. */
  usage_tokens: number | undefined;
  /** Prompt tokens reported by `usage` (for the cost of the run). */
  usage_prompt_tokens: number | undefined;
  /** Token-bearing chunks, the estimate when there is no usage. */
  chunks: number;
  finish_reason: string | undefined;
  status: number | undefined;
  error_class: ErrorClass | undefined;
  error: string | undefined;
  request_id: string | undefined;
  /** The wait a 429 or 503 asked for, from Retry-After (seconds or HTTP date) or retry-after-ms. */
  retry_after_ms: number | undefined;
  /** What OpenAI-style x-ratelimit-* headers said on this answer, when it carried any. */
  ratelimit: RateLimitSeen | undefined;
}

/**
 * The x-ratelimit-* headers of one answer: limit, remaining and reset, for requests and tokens;
 * each absent when not sent.
 */
export interface RateLimitSeen {
  limit_requests?: number;
  remaining_requests?: number;
  reset_requests_ms?: number;
  limit_tokens?: number;
  remaining_tokens?: number;
  reset_tokens_ms?: number;
}

/** Sends one attempt; the only door to the network, so the runner can be driven without one. */
export interface Transport {
  attempt(spec: AttemptSpec, stop: AbortSignal): Promise<AttemptResult>;
}

export interface ProbeTarget {
  /** The tier name, or the model id when targets come from --model. */
  name: string;
  model: string;
  baseURL: string;
}

export type Arrivals = 'constant' | 'poisson';

/**
 * Open loop: sends at intended times whatever the responses do; a cap on requests in flight is
 * optional and reported.
 */
export interface OpenLoop {
  rate: number;
  arrivals: Arrivals;
  duration_ms: number | undefined;
  seed: number;
  max_in_flight: number | undefined;
  /** Where this schedule starts after the loop does (ms): parts of one run interleave. */
  offset_ms?: number;
}

/** When a target's breaker opens, how long it stays open, and how much evidence it needs. */
export interface BreakerSettings {
  /** Share of failed attempts in the window that opens the breaker (0-1). */
  failure_share: number;
  /** Rolling window of attempts considered, in ms. */
  window_ms: number;
  /** Attempts the window must hold before the share counts. */
  min_requests: number;
  /** Time open before one trial attempt is let through (half-open). */
  cooldown_ms: number;
}

export type BreakerState = 'closed' | 'open' | 'half_open';

/** Why a breaker moved: the window that opened it, the cooldown, or the trial's outcome. */
export type TransitionCause =
  | { kind: 'failures'; failures: number; attempts: number; window_ms: number }
  | { kind: 'cooldown_over'; cooldown_ms: number }
  | { kind: 'trial'; ok: boolean };

export interface Transition {
  at_ms: number;
  from: BreakerState;
  to: BreakerState;
  cause: TransitionCause;
}

/**
 * The failover drill: each request starts at a tier and walks its chain through per-target
 * breakers.
 */
export interface Failover {
  tiers: Array<{ name: string; share: number; chain: string[] }>;
  breaker: BreakerSettings;
  seed: number;
}

export interface ProbePlan {
  targets: ProbeTarget[];
  requests: number;
  concurrency: number;
  warmup: number;
  /**
   * A failed warm-up request stops the target's run (and fails the probe) instead of being reported
   * and passed over.
   */
  warmupMustPass: boolean;
  retries: number;
  maxRetryWaitMs: number;
  prompt: string;
  maxTokens: number;
  stream: boolean;
  deadlines: Deadlines;
  open?: OpenLoop | undefined;
  failover?: Failover | undefined;
}

export type Phase = 'warmup' | 'measure';

export interface AttemptRecord extends AttemptResult {
  target: string;
  model: string;
  phase: Phase;
  request: number;
  attempt: number;
  /** 0 for the request's starting target, 1 for the first fallback, ... */
  chain_position: number;
  stream_options: boolean;
  /** A 400 to stream_options, answered by asking again without it; not an endpoint failure. */
  negotiation: boolean;
  /** The wait before this attempt (a retry's backoff or Retry-After). */
  waited_ms: number;
}

export interface RequestOutcome {
  /** The target it was sent to, or in a drill the tier it started at. */
  target: string;
  phase: Phase;
  request: number;
  /** Intended send time (performance.now() ms) in an open loop. */
  t_sched: number | undefined;
  /** Time spent waiting for a free slot under --max-in-flight. */
  blocked_ms: number;
  attempts: AttemptRecord[];
  /** The target whose answer the caller got; undefined when the request failed. */
  served_by: string | undefined;
  /** Targets passed over because their breaker was open. */
  skipped: string[];
}

export interface TargetRun {
  target: ProbeTarget;
  requests: RequestOutcome[];
  /** The endpoint refused stream_options: output tokens are counted chunks, marked estimated. */
  stream_options_rejected: boolean;
}

export interface ProbeRun {
  /** performance.now() when the run began; offsets in samples count from here. */
  t0: number;
  /** One per target; in a drill, one holding every logical request. */
  runs: TargetRun[];
  interrupted: boolean;
  /** Sends that had to wait for a slot under --max-in-flight, and the longest wait. */
  cap: { hits: number; longest_ms: number; missed: number };
  /** Breaker transitions per target (drill only), times in ms since t0. */
  transitions: Record<string, Transition[]>;
  /** How busy the probe's own event loops were while it measured. */
  client: ClientLoad;
}

/**
 * The delay of the probe's own event loop over the run (the worst of its workers): a timestamp is
 * taken when the loop gets to it, so this bounds how late one can be.
 */
export interface ClientLoad {
  workers: number;
  loop_delay_p50_ms: number;
  loop_delay_p99_ms: number;
  loop_delay_max_ms: number;
}

/** The client's load judged: how late a timestamp can be, and whether that voids the figures. */
export interface ClientVerdict extends ClientLoad {
  /** How late a timestamp can be: the loop's delay at p99. */
  error_bound_ms: number;
  /**
   * The loop's delay could move a reported percentile by more than the stated error: the figures
   * may be the client's own queueing, not the endpoint's latency.
   */
  saturated: boolean;
}

/** Statistics a latency distribution is summarised by. */
export const STATS = ['p50', 'p90', 'p95', 'p99', 'max', 'min', 'mean'] as const;
export type Stat = (typeof STATS)[number];

/**
 * Metrics an assertion can name: distributions, and error_rate, a single figure (the *_corrected
 * and schedule_lag exist in open-loop runs).
 */
export const METRICS = [
  'ttft',
  'e2e',
  'itl',
  'tpot',
  'tokens_per_s',
  'ttft_corrected',
  'e2e_corrected',
  'schedule_lag',
  'error_rate',
] as const;
export type Metric = (typeof METRICS)[number];
export type Op = '<' | '<=' | '>' | '>=';

/**
 * Per-request figures an SLO can count: `good(ttft<800ms)` is a request that succeeded with a TTFT
 * under 800 ms.
 */
export const GOOD_METRICS = [
  'ttft',
  'e2e',
  'ttft_corrected',
  'e2e_corrected',
  'tokens_per_s',
] as const;
export type GoodMetric = (typeof GOOD_METRICS)[number];

/**
 * A parsed `--assert`: metric, statistic, comparison and threshold in base units (ms, fraction,
 * tokens/s).
 */
export interface Assertion {
  text: string;
  metric: Metric | 'good';
  stat: Stat | undefined;
  target: string | undefined;
  op: Op;
  /**
   * The threshold; with `relative`, the factor applied to the baseline's figure. For good(), the
   * share of requests (0-1).
   */
  threshold: number;
  relative: boolean;
  /** good(METRIC OP VALUE): what counts as a good request. */
  good: { metric: GoodMetric; op: Op; threshold: number } | undefined;
}
