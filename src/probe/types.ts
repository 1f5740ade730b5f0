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
  'interrupted',
  'breaker_open',
] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];

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
}

export interface Transport {
  attempt(spec: AttemptSpec, stop: AbortSignal): Promise<AttemptResult>;
}

