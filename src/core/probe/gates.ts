import type { Op } from '../../domain/probe.js';

/** Whether `measured OP limit` holds. */
export function holds(op: Op, measured: number, limit: number): boolean {
  switch (op) {
    case '<':
      return measured < limit;
    case '<=':
      return measured <= limit;
    case '>':
      return measured > limit;
    case '>=':
      return measured >= limit;
  }
}
