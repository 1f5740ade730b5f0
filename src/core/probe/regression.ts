import { bucketsOf } from './histogram.js';
import { type EncodedHistogram } from '../../domain/probe-summary.js';
import type { MetricKey, TargetSummary } from '../../domain/probe-summary.js';

/**
 * A change counts as a regression only when it is both significant and large: a two-sided
 * Mann–Whitney U test at ALPHA on the whole distribution, and a worsening of the median or the
 * p95 by at least the minimum effect. Two runs of one unchanged system then raise an alarm in
 * far fewer than ALPHA of comparisons (test/probe/regression.test.ts measures it).
 */
export const ALPHA = 0.001;
/**
 * The minimum effect, as a relative change of the median or p95, unless --min-effect says
 * otherwise.
 */
export const DEFAULT_MIN_EFFECT_PCT = 10;

/** Metrics compared with a baseline, and which way is worse. */
export const COMPARED: ReadonlyArray<{ metric: MetricKey; worse: 'higher' | 'lower' }> = [
  { metric: 'ttft', worse: 'higher' },
  { metric: 'e2e', worse: 'higher' },
  { metric: 'itl', worse: 'higher' },
  { metric: 'tpot', worse: 'higher' },
  { metric: 'tokens_per_s', worse: 'lower' },
  { metric: 'ttft_corrected', worse: 'higher' },
  { metric: 'e2e_corrected', worse: 'higher' },
];

/**
 * `inconclusive`: it would be a regression, but the client was saturated, so the change may be the
 * client's own queueing (a gate only with --strict-client).
 */
export type Verdict = 'regressed' | 'improved' | 'no_change' | 'not_compared' | 'inconclusive';

/**
 * The smallest change of a metric that can count, whatever the percentage: the probe's stated
 * error at the median (1 ms for times; 1 token/s for throughput). A change smaller than what the
 * probe can measure is never a regression.
 */
export const MIN_ABSOLUTE_EFFECT: Readonly<Record<MetricKey, number>> = {
  ttft: 1,
  e2e: 1,
  itl: 1,
  tpot: 1,
  tokens_per_s: 1,
  ttft_corrected: 1,
  e2e_corrected: 1,
  schedule_lag: 1,
};

export interface Comparison {
  target: string;
  metric: MetricKey | 'error_rate';
  /**
   * The statistic whose change decided (the worse of p50 and p95; for error_rate, the rate itself).
   */
  stat: 'p50' | 'p95' | 'rate';
  baseline: number | undefined;
  current: number | undefined;
  change_pct: number | undefined;
  p_value: number | undefined;
  test: 'mann_whitney_u' | 'two_proportion_z' | 'none';
  verdict: Verdict;
  /** Why a metric was not compared (no data on one side). */
  note: string | undefined;
}

/**
 * 1 - Φ(z) for z >= 0: the upper tail of the standard normal, from erfc (Numerical Recipes' erfcc,
 * relative error < 1.2e-7).
 */
export function upperTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc =
    t *
    Math.exp(
      -x * x -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t *
                              (-1.13520398 +
                                t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/**
 * Mann–Whitney U on two binned samples (value, count), ties given mid-ranks, normal approximation
 * with tie and continuity corrections. Returns the two-sided p-value.
 */
export function mannWhitney(
  a: ReadonlyArray<{ value: number; count: number }>,
  b: ReadonlyArray<{ value: number; count: number }>,
): { u: number; p: number } {
  const na = a.reduce((s, x) => s + x.count, 0);
  const nb = b.reduce((s, x) => s + x.count, 0);
  if (na === 0 || nb === 0) return { u: Number.NaN, p: 1 };
  const values = new Map<number, { a: number; b: number }>();
  for (const x of a)
    values.set(x.value, {
      a: (values.get(x.value)?.a ?? 0) + x.count,
      b: values.get(x.value)?.b ?? 0,
    });
  for (const x of b)
    values.set(x.value, {
      a: values.get(x.value)?.a ?? 0,
      b: (values.get(x.value)?.b ?? 0) + x.count,
    });
  let rank = 0;
  let rankSumA = 0;
  let ties = 0;
  for (const [, c] of [...values].sort(([x], [y]) => x - y)) {
    const t = c.a + c.b;
    rankSumA += c.a * (rank + (t + 1) / 2);
    ties += t * t * t - t;
    rank += t;
  }
  const n = na + nb;
  const u = rankSumA - (na * (na + 1)) / 2;
  const mean = (na * nb) / 2;
  const variance = ((na * nb) / 12) * (n + 1 - ties / (n * (n - 1)));
  if (variance <= 0) return { u, p: 1 };
  const z = (Math.abs(u - mean) - 0.5) / Math.sqrt(variance);
  return { u, p: Math.min(1, 2 * upperTail(Math.max(0, z))) };
}

/** Two error rates: a one-figure comparison by the two-proportion z test (pooled), two-sided. */
export function twoProportions(failedA: number, nA: number, failedB: number, nB: number): number {
  if (nA === 0 || nB === 0) return 1;
  const pooled = (failedA + failedB) / (nA + nB);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / nA + 1 / nB));
  if (se === 0) return failedA / nA === failedB / nB ? 1 : 0;
  return Math.min(1, 2 * upperTail(Math.abs(failedA / nA - failedB / nB) / se));
}

function change(before: number, after: number): number | undefined {
  return before === 0 ? undefined : ((after - before) / before) * 100;
}

function compareMetric(
  target: string,
  metric: MetricKey,
  worse: 'higher' | 'lower',
  before: TargetSummary,
  now: TargetSummary,
  minEffectPct: number,
): Comparison {
  const hb: EncodedHistogram | undefined = before.histograms[metric];
  const hn: EncodedHistogram | undefined = now.histograms[metric];
  const pb = before.metrics[metric];
  const pn = now.metrics[metric];
  const base = { target, metric, test: 'mann_whitney_u' as const };
  const unmeasurable = notMeasurable(metric, before, now, pb);
  if (unmeasurable !== undefined)
    return {
      ...base,
      stat: 'p50',
      baseline: pb?.p50,
      current: pn?.p50,
      change_pct: undefined,
      p_value: undefined,
      test: 'none',
      verdict: 'not_compared',
      note: unmeasurable,
    };
  if (hb === undefined || hn === undefined || pb === undefined || pn === undefined) {
    return {
      ...base,
      stat: 'p95',
      baseline: pb?.p95,
      current: pn?.p95,
      change_pct: undefined,
      p_value: undefined,
      test: 'none',
      verdict: 'not_compared',
      note: 'no data on one side',
    };
  }
  const { p } = mannWhitney(bucketsOf(hb), bucketsOf(hn));
  const sign = worse === 'higher' ? 1 : -1;
  // the statistic that moved most in the bad direction decides, and is the one reported
  const moves = (['p50', 'p95'] as const).map((stat) => ({
    stat,
    pct: change(pb[stat], pn[stat]),
  }));
  const worst = moves.reduce((w, m) => ((m.pct ?? 0) * sign > (w.pct ?? 0) * sign ? m : w));
  const best = moves.reduce((w, m) => ((m.pct ?? 0) * sign < (w.pct ?? 0) * sign ? m : w));
  const significant = p < ALPHA;
  const floor = MIN_ABSOLUTE_EFFECT[metric];
  const moved = (m: (typeof moves)[number]) => Math.abs(pn[m.stat] - pb[m.stat]) >= floor;
  const verdict: Verdict =
    significant && (worst.pct ?? 0) * sign >= minEffectPct && moved(worst)
      ? 'regressed'
      : significant && (best.pct ?? 0) * sign <= -minEffectPct && moved(best)
        ? 'improved'
        : 'no_change';
  const shown = verdict === 'improved' ? best : worst;
  return {
    ...base,
    stat: shown.stat,
    baseline: pb[shown.stat],
    current: pn[shown.stat],
    change_pct: shown.pct,
    p_value: p,
    verdict,
    note: undefined,
  };
}

/**
 * Why a metric cannot be compared at all: chunks read together on either side (ITL), or a
 * baseline figure of 0, against which no change is a percentage.
 */
function notMeasurable(
  metric: MetricKey,
  before: TargetSummary,
  now: TargetSummary,
  pb: TargetSummary['metrics'][MetricKey],
): string | undefined {
  if (metric === 'itl' && (before.itl_coalesced !== undefined || now.itl_coalesced !== undefined))
    return 'not measurable: the chunks of one run were read together';
  if (pb !== undefined && (pb.p50 === 0 || pb.p95 === 0))
    return "the baseline's figure is 0: no change can be measured against it";
  return undefined;
}

/**
 * The error rate against the baseline's: a regression when significantly higher by at least a
 * percentage point and the minimum effect.
 */
function compareErrorRate(
  target: string,
  before: TargetSummary,
  now: TargetSummary,
  minEffectPct: number,
): Comparison {
  const p = twoProportions(before.failed, before.requests, now.failed, now.requests);
  const delta = now.error_rate - before.error_rate;
  const rel = change(before.error_rate, now.error_rate);
  const large = Math.abs(delta) >= 0.01 && (rel === undefined || Math.abs(rel) >= minEffectPct);
  const verdict: Verdict =
    p < ALPHA && large ? (delta > 0 ? 'regressed' : 'improved') : 'no_change';
  return {
    target,
    metric: 'error_rate',
    stat: 'rate',
    baseline: before.error_rate,
    current: now.error_rate,
    change_pct: rel,
    p_value: p,
    test: 'two_proportion_z',
    verdict,
    note: undefined,
  };
}

/** Every target against the baseline's target of the same name, metric by metric. */
export function compareWithBaseline(
  baseline: readonly TargetSummary[],
  current: readonly TargetSummary[],
  minEffectPct = DEFAULT_MIN_EFFECT_PCT,
  clientSaturated = false,
): Comparison[] {
  const out = compareAll(baseline, current, minEffectPct);
  // a regression measured by a saturated client may be the client's: said, not gated
  return clientSaturated
    ? out.map((c) => (c.verdict === 'regressed' ? { ...c, verdict: 'inconclusive' } : c))
    : out;
}

function compareAll(
  baseline: readonly TargetSummary[],
  current: readonly TargetSummary[],
  minEffectPct: number,
): Comparison[] {
  const out: Comparison[] = [];
  for (const now of current) {
    const before = baseline.find((b) => b.name === now.name);
    if (before === undefined) {
      out.push({
        target: now.name,
        metric: 'error_rate',
        stat: 'rate',
        baseline: undefined,
        current: now.error_rate,
        change_pct: undefined,
        p_value: undefined,
        test: 'none',
        verdict: 'not_compared',
        note: 'no target of this name in the baseline',
      });
      continue;
    }
    out.push(compareErrorRate(now.name, before, now, minEffectPct));
    for (const { metric, worse } of COMPARED) {
      if (before.histograms[metric] === undefined && now.histograms[metric] === undefined) continue;
      out.push(compareMetric(now.name, metric, worse, before, now, minEffectPct));
    }
  }
  return out;
}
