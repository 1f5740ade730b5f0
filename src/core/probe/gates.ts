import type { Assertion } from '../../domain/probe.js';

/** Whether `measured` satisfies the assertion. */
export function holds(assertion: Assertion, measured: number): boolean {
  switch (assertion.op) {
    case '<':
      return measured < assertion.threshold;
    case '<=':
      return measured <= assertion.threshold;
    case '>':
      return measured > assertion.threshold;
    case '>=':
      return measured >= assertion.threshold;
  }
}
