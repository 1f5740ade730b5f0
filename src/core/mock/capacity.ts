import type { Capacity } from '../../domain/mock.js';

/**
 * The slots a capacity has at `now`: its own, or the scaled-up count once `after_ms` has passed
 * since the first overflow.
 */
export function slotsAt(
  capacity: Capacity,
  firstOverflowAt: number | undefined,
  now: number,
): number {
  const up = capacity.scale_up;
  return up !== undefined && firstOverflowAt !== undefined && now - firstOverflowAt >= up.after_ms
    ? up.slots
    : capacity.slots;
}

/**
 * What happens to a request that arrives at a capacity: served now, queued, or shed with this
 * status.
 */
export type Placement = { kind: 'serve' } | { kind: 'queue' } | { kind: 'shed'; status: 429 | 503 };

/**
 * Where a request goes, given the slots in use and the queue's length: pure, so the mock's
 * behaviour is the one this states.
 */
export function place(capacity: Capacity, inUse: number, queued: number, slots: number): Placement {
  if (inUse < slots && queued === 0) return { kind: 'serve' };
  if (capacity.overflow === 'queue')
    return queued < capacity.queue_limit ? { kind: 'queue' } : { kind: 'shed', status: 503 };
  return { kind: 'shed', status: capacity.overflow === 'shed_429' ? 429 : 503 };
}
