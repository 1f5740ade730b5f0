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

/** LiteLLM's cooldown defaults (50% failures, 5 requests) over opossum's 10 s rolling window. */
export const DEFAULT_BREAKER: BreakerSettings = { failure_share: 0.5, window_ms: 10_000, min_requests: 5, cooldown_ms: 5_000 };

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface Transition {
  at_ms: number;
  from: BreakerState;
  to: BreakerState;
  /** Failures and attempts in the window when it opened, or the trial's outcome. */
  reason: string;
}

/**
 * A circuit breaker as a pure state machine over times the caller supplies: closed until the
 * failure share of a rolling window (with a minimum of attempts) reaches the threshold, then
 * open; after the cooldown, half-open for exactly one trial; the trial's success closes it,
 * its failure opens it again.
 */
export class Breaker {
  private state: BreakerState = 'closed';
  private openedAt = 0;
  private trialInFlight = false;
  private window: Array<{ at: number; ok: boolean }> = [];
  readonly transitions: Transition[] = [];

  constructor(readonly settings: BreakerSettings) {}

  current(now: number): BreakerState {
    if (this.state === 'open' && now - this.openedAt >= this.settings.cooldown_ms) {
      this.move(this.openedAt + this.settings.cooldown_ms, 'half_open', `cooldown of ${this.settings.cooldown_ms} ms over`);
    }
    return this.state;
  }

  /** May an attempt go to this target now? In half-open, only the one trial. */
  allow(now: number): boolean {
    const state = this.current(now);
    if (state === 'closed') return true;
    if (state === 'half_open' && !this.trialInFlight) {
      this.trialInFlight = true;
      return true;
    }
    return false;
  }

  /** The outcome of an attempt that `allow` let through. */
  record(now: number, ok: boolean): void {
    if (this.state === 'half_open' && this.trialInFlight) {
      this.trialInFlight = false;
      this.window = [];
      this.move(now, ok ? 'closed' : 'open', ok ? 'trial succeeded' : 'trial failed');
      return;
    }
    if (this.state !== 'closed') return; // a late answer from before it opened
    this.window.push({ at: now, ok });
    this.window = this.window.filter((e) => now - e.at < this.settings.window_ms);
    const failures = this.window.filter((e) => !e.ok).length;
    if (this.window.length >= this.settings.min_requests && failures / this.window.length >= this.settings.failure_share) {
      this.move(now, 'open', `${failures} of ${this.window.length} attempts failed in ${this.settings.window_ms} ms`);
    }
  }

  private move(now: number, to: BreakerState, reason: string): void {
    this.transitions.push({ at_ms: now, from: this.state, to, reason });
    this.state = to;
    if (to === 'open') {
      this.openedAt = now;
      this.window = [];
    }
  }
}
