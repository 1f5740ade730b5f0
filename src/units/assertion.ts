import { type Assertion, METRICS, type Metric, type Op, STATS, type Stat } from '../domain/probe.js';

const GRAMMAR =
  /^\s*(?<metric>[a-z][a-z0-9_]*)(?:\.(?<stat>[a-z0-9]+))?(?:\{\s*target\s*=\s*(?<target>[^}]+?)\s*\})?\s*(?<op><=|>=|<|>)\s*(?<value>[0-9]+(?:\.[0-9]+)?)\s*(?<unit>ms|s|%)?\s*$/;

/** Explains the grammar in one line, for errors and --help. */
export const ASSERT_HELP =
  'METRIC[.STAT][{target=NAME}] OP VALUE[UNIT], e.g. ttft.p95<800ms, e2e.p99<2s, error_rate<1%, tokens_per_s.p50>20; ' +
  `metrics ${METRICS.join(', ')}; stats ${STATS.join(', ')}; ops < <= > >=; units ms, s (latency), % (error_rate)`;

export type ParsedAssertion = { ok: true; assertion: Assertion } | { ok: false; reason: string };

/** k6-style thresholds: `ttft.p95<800ms`, `error_rate<1%`, `e2e.p99{target=premium}<2s`. */
export function parseAssertion(text: string): ParsedAssertion {
  const m = GRAMMAR.exec(text);
  if (!m?.groups) return { ok: false, reason: `"${text}" is not an assertion; expected ${ASSERT_HELP}` };
  const { metric, stat, target, op, value, unit } = m.groups;
  if (!(METRICS as readonly string[]).includes(metric!)) return { ok: false, reason: `"${text}": unknown metric "${metric}"; metrics: ${METRICS.join(', ')}` };
  const isRate = metric === 'error_rate';
  if (isRate && stat !== undefined) return { ok: false, reason: `"${text}": error_rate is one figure, it takes no .${stat}` };
  if (!isRate && stat === undefined) return { ok: false, reason: `"${text}": ${metric} needs a statistic such as ${metric}.p95` };
  if (stat !== undefined && !(STATS as readonly string[]).includes(stat)) return { ok: false, reason: `"${text}": unknown statistic "${stat}"; statistics: ${STATS.join(', ')}` };
  const units = isRate ? ['%'] : metric === 'tokens_per_s' ? [] : ['ms', 's'];
  if (unit !== undefined && !units.includes(unit)) {
    return { ok: false, reason: `"${text}": ${metric} takes ${units.length === 0 ? 'no unit' : `a unit of ${units.join(' or ')}`}, not ${unit}` };
  }
  let threshold = Number(value);
  if (unit === 's') threshold *= 1000;
  if (unit === '%') threshold /= 100;
  if (isRate && threshold > 1) return { ok: false, reason: `"${text}": an error rate is at most 100% (write 1% or 0.01)` };
  return { ok: true, assertion: { text: text.trim(), metric: metric as Metric, stat: stat as Stat | undefined, target: target?.trim(), op: op as Op, threshold } };
}
