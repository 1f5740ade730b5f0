import { type CostInput, type CostReport, projectCosts, projectMonths } from '../cost.js';
import { Dec } from '../../units/decimal.js';
import type { UsageFit } from './fit.js';
import { roundPct } from './growth.js';

/**
 * A projection from fitted usage with a range: P50 at the fitted monthly growth, P10 and P90 at
 * the ends of its 80% interval, over the same months from the same start.
 */

/** A projection at one end of the growth interval. */
export interface Band {
  monthly_pct: string;
  report: CostReport;
}

export interface Bands {
  method: string;
  days: number;
  p10: Band;
  p50_pct: string;
  p90: Band;
}

/** P10 and P90 projections from the fitted growth's interval, over the same months as P50. */
export function bandsOf(
  fit: UsageFit,
  input: Omit<CostInput, 'points'>,
  start: number,
  months: number,
): Bands | undefined {
  const g = fit.growth;
  if ('none' in g) return undefined;
  const band = (pct: number): Band => {
    const monthly = roundPct(Math.max(pct, -99.99));
    return {
      monthly_pct: monthly,
      report: projectCosts({ ...input, points: projectMonths(start, Dec(monthly), months) }),
    };
  };
  return {
    method: g.method,
    days: g.days,
    p10: band(g.interval_80[0]),
    p50_pct: roundPct(g.monthly_pct),
    p90: band(g.interval_80[1]),
  };
}
