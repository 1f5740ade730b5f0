import {
  type Assertion,
  GOOD_METRICS,
  type GoodMetric,
  METRICS,
  type Metric,
  type Op,
  STATS,
  type Stat,
} from '../domain/probe.js';

const NUMBER = '[0-9]+(?:\\.[0-9]+)?';
const TARGET = '(?:\\{\\s*target\\s*=\\s*(?<target>[^}]+?)\\s*\\})?';
const OP = '(?<op><=|>=|<|>)';
const GRAMMAR = new RegExp(
  `^\\s*(?<metric>[a-z][a-z0-9_]*)(?:\\.(?<stat>[a-z0-9]+))?${TARGET}\\s*${OP}\\s*` +
    `(?:(?<baseline>baseline)(?:\\s*\\*\\s*(?<factor>${NUMBER}))?` +
    `|(?<value>${NUMBER})\\s*(?<unit>ms|s|%)?)\\s*$`,
);
const GOOD = new RegExp(
  `^\\s*good\\(\\s*(?<metric>[a-z][a-z0-9_]*)\\s*${OP}\\s*(?<value>${NUMBER})\\s*` +
    `(?<unit>ms|s)?\\s*\\)${TARGET}\\s*(?<share_op><=|>=|<|>)\\s*` +
    `(?<share>${NUMBER})\\s*(?<pct>%)?\\s*$`,
);

/** Explains the grammar in one line, for errors and --help. */
export const ASSERT_HELP =
  'METRIC.STAT[{target=NAME}] OP VALUE UNIT, e.g. ttft.p95<800ms, e2e.p99<2s, ' +
  'tokens_per_s.p50>20, error_rate<1%; ' +
  ('against a saved run, ttft.p95<baseline*1.2 (with --baseline); an SLO, good(ttft<800ms)>=99% ' +
    '(the share of all requests that succeeded within it); ') +
  (`metrics ${METRICS.join(', ')}; stats ${STATS.join(', ')}; ops < <= > >=; units ms ` +
    `or s for times, % for rates`);

export type ParsedAssertion = { ok: true; assertion: Assertion } | { ok: false; reason: string };

/** A time with its unit, in ms; a bare number is refused with the two readings it could have. */
function timeOf(
  text: string,
  value: string,
  unit: string | undefined,
  metric: string,
): { ok: true; ms: number } | { ok: false; reason: string } {
  if (unit === 'ms') return { ok: true, ms: Number(value) };
  if (unit === 's') return { ok: true, ms: Number(value) * 1000 };
  return {
    ok: false,
    reason:
      `"${text}": ${metric} is a time and needs its unit: did you mean ${value}ms or ` +
      `${value}s?`,
  };
}

function parseGood(text: string, g: Record<string, string | undefined>): ParsedAssertion {
  const metric = g.metric!;
  if (!(GOOD_METRICS as readonly string[]).includes(metric))
    return {
      ok: false,
      reason: `"${text}": good() takes one of ${GOOD_METRICS.join(', ')}, not "${metric}"`,
    };
  let threshold: number;
  if (metric === 'tokens_per_s') {
    if (g.unit !== undefined)
      return { ok: false, reason: `"${text}": tokens_per_s takes no unit, not ${g.unit}` };
    threshold = Number(g.value);
  } else {
    const t = timeOf(text, g.value!, g.unit, metric);
    if (!t.ok) return t;
    threshold = t.ms;
  }
  if (g.pct === undefined)
    return {
      ok: false,
      reason: `"${text}": a share of requests needs %: did you mean ${g.share}%?`,
    };
  const share = Number(g.share) / 100;
  if (share > 1) return { ok: false, reason: `"${text}": a share of requests is at most 100%` };
  return {
    ok: true,
    assertion: {
      text: text.trim(),
      metric: 'good',
      stat: undefined,
      target: g.target?.trim(),
      op: g.share_op as Op,
      threshold: share,
      relative: false,
      good: { metric: metric as GoodMetric, op: g.op as Op, threshold },
    },
  };
}

/**
 * k6-style thresholds with units: `ttft.p95<800ms`, `error_rate<1%`, `e2e.p99{target=premium}<2s`,
 * `ttft.p95<baseline*1.2`, `good(ttft<800ms)>=99%`.
 */
export function parseAssertion(text: string): ParsedAssertion {
  const good = GOOD.exec(text);
  if (good?.groups) return parseGood(text, good.groups);
  const m = GRAMMAR.exec(text);
  if (!m?.groups)
    return { ok: false, reason: `"${text}" is not an assertion; expected ${ASSERT_HELP}` };
  const { metric, stat, target, op, value, unit, baseline, factor } = m.groups;
  if (!(METRICS as readonly string[]).includes(metric!))
    return {
      ok: false,
      reason: `"${text}": unknown metric "${metric}"; metrics: ${METRICS.join(', ')}`,
    };
  const isRate = metric === 'error_rate';
  if (isRate && stat !== undefined)
    return { ok: false, reason: `"${text}": error_rate is one figure, it takes no .${stat}` };
  if (!isRate && stat === undefined)
    return { ok: false, reason: `"${text}": ${metric} needs a statistic such as ${metric}.p95` };
  if (stat !== undefined && !(STATS as readonly string[]).includes(stat))
    return {
      ok: false,
      reason: `"${text}": unknown statistic "${stat}"; statistics: ${STATS.join(', ')}`,
    };
  const base = {
    text: text.trim(),
    metric: metric as Metric,
    stat: stat as Stat | undefined,
    target: target?.trim(),
    op: op as Op,
    good: undefined,
  };
  if (baseline !== undefined)
    return {
      ok: true,
      assertion: { ...base, threshold: factor === undefined ? 1 : Number(factor), relative: true },
    };
  let threshold = Number(value);
  if (isRate) {
    if (unit !== '%')
      return { ok: false, reason: `"${text}": an error rate needs %: did you mean ${value}%?` };
    threshold /= 100;
    if (threshold > 1) return { ok: false, reason: `"${text}": an error rate is at most 100%` };
  } else if (metric === 'tokens_per_s') {
    if (unit !== undefined)
      return { ok: false, reason: `"${text}": tokens_per_s takes no unit, not ${unit}` };
  } else {
    if (unit === '%')
      return { ok: false, reason: `"${text}": ${metric} is a time: use ms or s, not %` };
    const t = timeOf(text, value!, unit, metric!);
    if (!t.ok) return t;
    threshold = t.ms;
  }
  return { ok: true, assertion: { ...base, threshold, relative: false } };
}
