/**
 * Growth fitted on daily volume: least squares of ln(volume) on the day number, so a constant
 * daily rate is a straight line. The slope b gives the monthly growth exp(b x days a month) - 1;
 * its 80% interval comes from the slope's standard error and Student's t with n - 2 degrees of
 * freedom. Days with no volume have no logarithm and are left out (counted).
 */

/** The average Gregorian month in days (365.2425 / 12). */
export const DAYS_PER_MONTH = 30.4375;
/** Fewer days than this give no fit: two points make a line with no error to estimate. */
export const MIN_FIT_DAYS = 3;

export interface GrowthFit {
  method: 'log-linear least squares on daily tokens';
  /** Days used, and days with no volume left out. */
  days: number;
  zero_days: number;
  /** Growth a month in percent, and its 80% interval. */
  monthly_pct: number;
  interval_80: [number, number];
  /** The fitted daily volume on the last day (what the next month starts from). */
  last_day_volume: number;
  /** The slope a day and its standard error, on the log scale. */
  slope: number;
  slope_se: number;
}

/** ln Γ(x), Lanczos approximation (g = 7, 9 terms): 15 significant digits for x > 0. */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The continued fraction of the regularized incomplete beta (modified Lentz). */
function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < tiny ? tiny : d);
  let h = d;
  for (let m = 1; m <= 300; m++) {
    for (const num of [
      (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)),
      (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1)),
    ]) {
      d = 1 + num * d;
      d = 1 / (Math.abs(d) < tiny ? tiny : d);
      c = 1 + num / c;
      if (Math.abs(c) < tiny) c = tiny;
      h *= d * c;
    }
    if (Math.abs(d * c - 1) < 1e-15) break;
  }
  return h;
}

/** The regularized incomplete beta I_x(a, b). */
function incompleteBeta(a: number, b: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(
    logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x),
  );
  return x < (a + 1) / (a + b + 2)
    ? (front * betaFraction(a, b, x)) / a
    : 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

/** P(T <= t) for Student's t with `df` degrees of freedom. */
export function studentCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / 2, 0.5, df / (df + t * t));
  return t >= 0 ? 1 - tail : tail;
}

/** The t with P(T <= t) = p, by bisection (p in (0.5, 1)). */
export function studentQuantile(p: number, df: number): number {
  let lo = 0;
  let hi = 1000;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (studentCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * A fitted growth percentage as it is written (to 2 decimals): the scenario file, the JSON and
 * the P10/P90 projections all use this one rounding, so they agree.
 */
export const roundPct = (v: number): string => `${Math.round(v * 100) / 100}`;

const monthly = (slope: number) => (Math.exp(slope * DAYS_PER_MONTH) - 1) * 100;

/**
 * The fit of daily volumes given as [day number, tokens] (day numbers need not be contiguous), or
 * why there is none.
 */
export function fitGrowth(
  points: ReadonlyArray<readonly [number, number]>,
): GrowthFit | { none: string } {
  const used = points.filter(([, v]) => v > 0);
  const zero = points.length - used.length;
  if (used.length < MIN_FIT_DAYS)
    return { none: `${used.length} days with usage; a fit needs ${MIN_FIT_DAYS} or more` };
  const n = used.length;
  const xs = used.map(([d]) => d);
  const ys = used.map(([, v]) => Math.log(v));
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - mx) ** 2;
    sxy += (xs[i]! - mx) * (ys[i]! - my);
  }
  if (sxx === 0) return { none: 'every usage is on one day' };
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (ys[i]! - intercept - slope * xs[i]!) ** 2;
  const se = Math.sqrt(sse / (n - 2) / sxx);
  const t = studentQuantile(0.9, n - 2);
  const last = Math.max(...xs);
  return {
    method: 'log-linear least squares on daily tokens',
    days: n,
    zero_days: zero,
    monthly_pct: monthly(slope),
    interval_80: [monthly(slope - t * se), monthly(slope + t * se)],
    last_day_volume: Math.exp(intercept + slope * last),
    slope,
    slope_se: se,
  };
}
