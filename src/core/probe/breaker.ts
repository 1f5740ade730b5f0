import type {
  BreakerSettings,
  BreakerState,
  Transition,
  TransitionCause,
} from '../../domain/probe.js';

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
      this.move(this.openedAt + this.settings.cooldown_ms, 'half_open', {
        kind: 'cooldown_over',
        cooldown_ms: this.settings.cooldown_ms,
      });
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
      this.move(now, ok ? 'closed' : 'open', { kind: 'trial', ok });
      return;
    }
    if (this.state !== 'closed') return; // a late answer from before it opened
    this.window.push({ at: now, ok });
    this.window = this.window.filter((e) => now - e.at < this.settings.window_ms);
    const failures = this.window.filter((e) => !e.ok).length;
    if (
      this.window.length >= this.settings.min_requests &&
      failures / this.window.length >= this.settings.failure_share
    ) {
      this.move(now, 'open', {
        kind: 'failures',
        failures,
        attempts: this.window.length,
        window_ms: this.settings.window_ms,
      });
    }
  }

  private move(now: number, to: BreakerState, cause: TransitionCause): void {
    this.transitions.push({ at_ms: now, from: this.state, to, cause });
    this.state = to;
    if (to === 'open') {
      this.openedAt = now;
      this.window = [];
    }
  }
}
