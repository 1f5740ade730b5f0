/** The architect's pre-mortem checklist as data: what each check measured and what it concluded. */

export const CHECK_IDS = ['p99', 'regions', 'burst', 'failover', 'rate_limit', 'sla'] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export const VERDICTS = ['pass', 'warn', 'fail', 'unknown'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** Latency of one probed endpoint, in ms, over its successful requests. */
export interface LatencyFigures {
  requests: number;
  ok: number;
  error_rate: number;
  ttft_p50_ms: number | null;
  ttft_p99_ms: number | null;
  e2e_p50_ms: number | null;
  e2e_p99_ms: number | null;
}

export interface P99Evidence extends LatencyFigures {
  /** The p99 needs this many successful requests; fewer make it unknown. */
  min_requests: number;
  ttft_budget_ms: number;
  e2e_budget_ms: number | null;
}

export interface RegionsEvidence {
  regions: Array<LatencyFigures & { name: string; base_url: string }>;
  /** The region with the lowest TTFT p99, over regions with enough successes. */
  best: string | null;
  ttft_budget_ms: number;
}

export const BURST_CLASSES = ['holds', 'throttles', 'queues', 'degrades'] as const;
export type BurstClass = (typeof BURST_CLASSES)[number];

export interface BurstPhase {
  rate_per_s: number;
  duration_s: number;
  requests: number;
  ok: number;
  /** TTFT measured from each request's intended send time (open loop): queueing shows here. */
  ttft_p50_ms: number | null;
  ttft_p99_ms: number | null;
  share_429: number;
  share_5xx: number;
  share_timeout: number;
  /** Sends the client could not make on time: the offered rate was not reached. */
  missed: number;
}

export interface BurstEvidence {
  baseline: BurstPhase;
  burst: BurstPhase;
  multiplier: number;
  classification: BurstClass | null;
  /** The burst's TTFT p50 over the baseline's. */
  ttft_growth: number | null;
  /** The thresholds the classification used, so it can be argued with. */
  thresholds: { error_share: number; ttft_growth: number; ttft_growth_floor_ms: number };
}

/** The time a request loses on a dead target before its chain moves on: one chain link. */
export interface FailoverLink {
  tier: string;
  dead: string;
  next: string | null;
  worst_ms: number;
}

export interface FailoverDrill {
  fail_target: string;
  requests: number;
  /** Requests that met the dead target and were served by a later one. */
  rerouted: number;
  failed: number;
  /**
   * From a request's first send to its send to the next target (0 when the breaker skipped the dead
   * one).
   */
  reroute_max_ms: number | null;
  reroute_p50_ms: number | null;
  breaker_opened_after_ms: number | null;
}

export interface FailoverEvidence {
  budget_ms: number;
  deadlines: { connect_ms: number; total_ms: number };
  retries: number;
  breaker: { failure_share: number; window_ms: number; min_requests: number; cooldown_ms: number };
  links: FailoverLink[];
  /** The worst link: what one request can lose before it is routed around a dead target. */
  computed_worst_ms: number | null;
  /**
   * Requests that pay that worst case before the breaker opens (then one per cooldown, the
   * half-open trial).
   */
  exposed_requests: number;
  drill: FailoverDrill | null;
}

export const WINDOW_KINDS = ['fixed', 'sliding', 'token_bucket', 'unknown'] as const;
export type WindowKind = (typeof WINDOW_KINDS)[number];

export interface RateLimitHeadersSeen {
  answers_with_headers: number;
  limit_requests: number | null;
  remaining_requests_min: number | null;
  reset_requests_ms_max: number | null;
  limit_tokens: number | null;
  remaining_tokens_min: number | null;
  reset_tokens_ms_max: number | null;
}

export interface RampStep {
  rate_per_s: number;
  sent: number;
  rate_limited: number;
}

export interface RateLimitEvidence {
  source: 'headers' | 'ramp' | 'headers+ramp' | 'none';
  headers: RateLimitHeadersSeen | null;
  ramp: RampStep[];
  /** The ramp step whose requests met the first 429. */
  first_429_rate_per_s: number | null;
  limit_requests: number | null;
  window_s: number | null;
  /** Requests per second the limit lets through when saturated: limit_requests / window_s. */
  rate_per_s: number | null;
  window_kind: WindowKind;
  /** How room came back after the first 429: all at once (a reset), or gradually. */
  recovery: 'resets' | 'gradual' | null;
  retry_after_s: { min: number; median: number; max: number } | null;
  not_learned: string[];
}

export interface SlaRoute {
  tier: string;
  model: string;
  channel: string | null;
  uptime_pct: string | null;
  basis: 'in_writing' | 'published' | 'unknown';
  source: string;
  sla_in_writing: boolean | null;
  sla_source: string | null;
  credits: string | null;
  credits_source: string;
}

export interface SlaEvidence {
  routes: SlaRoute[];
  matrix: string;
}

/** A check asked for that did not run: the run was stopped (Ctrl-C or a budget) before it. */
export interface NotRun {
  id: CheckId;
  verdict: 'unknown';
  evidence: null;
  not_run: StopReason;
}

export type StopReason = 'interrupted' | 'max_requests' | 'max_duration' | 'max_cost';

export type CheckResult = MeasuredCheck | NotRun;

export type MeasuredCheck =
  | { id: 'p99'; verdict: Verdict; evidence: P99Evidence }
  | { id: 'regions'; verdict: Verdict; evidence: RegionsEvidence }
  | { id: 'burst'; verdict: Verdict; evidence: BurstEvidence }
  | { id: 'failover'; verdict: Verdict; evidence: FailoverEvidence }
  | { id: 'rate_limit'; verdict: Verdict; evidence: RateLimitEvidence }
  | { id: 'sla'; verdict: Verdict; evidence: SlaEvidence };

/** What a check was about to cost before it ran: the plan printed first. */
export interface PlannedCheck {
  id: CheckId;
  /** At most this many requests (the rate-limit ramp stops at its first 429, so usually fewer). */
  requests: number;
  duration_s: number;
}

export interface PremortemPlan {
  checks: PlannedCheck[];
  requests: number;
  duration_s: number;
  /** Dollars at the catalog's prices for the model, or null with the reason. */
  cost_usd: string | null;
  cost_note: string | null;
  limits: { max_requests: number; max_duration_s: number; max_cost_usd: string | null };
}

export interface PremortemReport {
  target: { base_url: string; model: string; scenario: string | null };
  plan: PremortemPlan;
  checks: CheckResult[];
  /** Checks asked for that did not run to the end (Ctrl-C or a budget), with why. */
  stopped: { reason: StopReason; at_check: CheckId } | null;
  requests_sent: number;
  /**
   * Under --max-cost: the bound, and the dollars spent by the usage the answers reported (those
   * that reported none priced at their plan, and counted).
   */
  spend: { bound_usd: string; spent_usd: string; estimated_answers: number } | null;
  fail_on: 'fail' | 'warn';
}
