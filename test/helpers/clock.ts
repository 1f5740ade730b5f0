import type { Clock } from '../../src/core/probe/drive.js';

/**
 * Virtual time for the loop drivers: nothing waits for real, every timer fires in order of its
 * deadline, and the test reads exactly when each thing happened.
 */
export class VirtualClock implements Clock {
  t = 0;
  private waiting: Array<{ at: number; resolve: () => void }> = [];

  now(): number {
    return this.t;
  }

  until(deadline: number, stop: AbortSignal): Promise<void> {
    if (deadline <= this.t || stop.aborted) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ at: deadline, resolve }));
  }

  sleep(ms: number, stop: AbortSignal): Promise<void> {
    return this.until(this.t + ms, stop);
  }

  /**
   * Fires timers in deadline order, letting promise chains settle between them, until none is left
   * or `done` settles.
   */
  async run(done: Promise<unknown>): Promise<void> {
    let finished = false;
    void done.then(() => (finished = true));
    for (let steps = 0; steps < 100_000; steps++) {
      await new Promise((r) => setImmediate(r));
      if (finished) return;
      this.waiting.sort((a, b) => a.at - b.at);
      const next = this.waiting.shift();
      if (next === undefined) continue;
      this.t = Math.max(this.t, next.at);
      next.resolve();
    }
    throw new Error('virtual clock: the run never finished');
  }
}
