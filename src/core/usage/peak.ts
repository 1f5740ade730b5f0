import { Dec, type Big } from '../../units/decimal.js';

// The peak of timed usage, for capacity: the busiest hour's tokens over the average hour's, from
// the first hour seen to the last (an hour with nothing counts as nothing). The busiest minute
// within that hour is not seen, so the factor is a floor of the minute's.

export interface FittedPeak {
  /** The busiest hour's tokens over the mean hour's, to 2 decimals, at least 1. */
  peak_factor: Big;
  /** The busiest hour, as YYYY-MM-DDTHH:00Z. */
  busiest_hour: string;
  /** Hours from the first to the last seen, both included. */
  hours: number;
}

const hourText = (h: number) => `${new Date(h * 3_600_000).toISOString().slice(0, 13)}:00Z`;

/** The fitted peak of hourly tokens, or undefined with fewer than 24 hours to compare. */
export function fitPeak(hourly: ReadonlyMap<number, number>): FittedPeak | undefined {
  if (hourly.size === 0) return undefined;
  let [first, last, total, busiest, most] = [Infinity, -Infinity, 0, 0, -1];
  for (const [hour, tokens] of hourly) {
    first = Math.min(first, hour);
    last = Math.max(last, hour);
    total += tokens;
    if (tokens > most || (tokens === most && hour < busiest)) [busiest, most] = [hour, tokens];
  }
  const hours = last - first + 1;
  if (hours < 24 || total === 0) return undefined;
  const factor = Math.max(1, Math.round(((most * hours) / total) * 100) / 100);
  return { peak_factor: Dec(factor.toFixed(2)), busiest_hour: hourText(busiest), hours };
}
