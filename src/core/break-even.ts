import { type Big, Dec, ZERO, sum } from '../units/decimal.js';

/**
 * A month's cost as a function of volume v: fixed + linear x v + the sum over committed models of
 * max(rate x v, floor). Every setup priced by the token, by the request and by the month has this
 * shape: per-request fees are per token once the request size is known.
 */
export interface CostCurve {
  fixed: Big;
  linear: Big;
  floors: Array<{ rate: Big; floor: Big }>;
}

/** From this volume on, which of two setups costs less a month (a, b, or the same). */
export interface Crossing {
  from_tokens: number;
  cheaper: 'a' | 'b' | 'same';
}

export function costAt(c: CostCurve, v: Big): Big {
  return sum([
    c.fixed,
    c.linear.times(v),
    ...c.floors.map((f) => (f.rate.times(v).gt(f.floor) ? f.rate.times(v) : f.floor)),
  ]);
}

/**
 * The curve as fixed + slope x v on the stretch of volumes from `at` on, until the next floor is
 * passed.
 */
function lineFrom(c: CostCurve, at: Big): { alpha: Big; beta: Big } {
  let alpha = c.fixed;
  let beta = c.linear;
  for (const f of c.floors) {
    // the same division as bends(): a floor is passed exactly at the point the segments start from
    if (f.rate.gt(ZERO) && f.floor.div(f.rate).lte(at)) beta = beta.plus(f.rate);
    else alpha = alpha.plus(f.floor);
  }
  return { alpha, beta };
}

/** Where a committed model's usage reaches its floor: the volumes at which a curve bends. */
function bends(c: CostCurve): Big[] {
  return c.floors.filter((f) => f.rate.gt(ZERO)).map((f) => f.floor.div(f.rate));
}

const signOf = (v: Big): 'a' | 'b' | 'same' => (v.gt(ZERO) ? 'b' : v.lt(ZERO) ? 'a' : 'same');

/**
 * Which setup costs less at every monthly volume, as the volumes where that changes (break-even
 * points, rounded up to whole tokens). Exact but for the division that places a crossing.
 */
export function compareCurves(a: CostCurve, b: CostCurve): Crossing[] {
  const points = [ZERO, ...bends(a), ...bends(b)]
    .sort((x, y) => x.cmp(y))
    .filter((p, i, all) => i === 0 || !p.eq(all[i - 1]!));
  const out: Crossing[] = [];
  const push = (v: Big, cheaper: Crossing['cheaper']) => {
    if (out.at(-1)?.cheaper === cheaper) return;
    out.push({ from_tokens: Number(v.round(0, Dec.roundUp).toFixed(0)), cheaper });
  };
  points.forEach((start, i) => {
    const end = points[i + 1];
    const la = lineFrom(a, start);
    const lb = lineFrom(b, start);
    const alpha = la.alpha.minus(lb.alpha);
    const beta = la.beta.minus(lb.beta);
    const atStart = alpha.plus(beta.times(start));
    // just after `start`: the sign there, or the slope's when the two are equal at `start`
    push(start, atStart.eq(ZERO) ? signOf(beta) : signOf(atStart));
    if (beta.eq(ZERO)) return;
    const cross = ZERO.minus(alpha).div(beta);
    if (cross.gt(start) && (end === undefined || cross.lt(end))) push(cross, signOf(beta));
  });
  return out;
}
