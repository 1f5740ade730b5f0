import { ERROR_CLASSES } from '../../domain/probe.js';
import { histogramPercentiles, mergeHistograms } from './histogram.js';
import { type Counts, METRIC_KEYS, type TargetSummary } from '../../domain/probe-summary.js';

function addCounts(all: readonly Counts[]): Counts {
  return Object.fromEntries(
    ERROR_CLASSES.map((c) => [c, all.reduce((n, x) => n + x[c], 0)]),
  ) as Counts;
}

/**
 * One target's runs as one: counts add, histograms merge bucket by bucket, percentiles are read
 * from the merged histograms.
 */
function mergeTarget(runs: readonly TargetSummary[]): TargetSummary {
  const first = runs[0]!;
  const sum = (pick: (s: TargetSummary) => number) => runs.reduce((n, s) => n + pick(s), 0);
  const requests = sum((s) => s.requests);
  const ok = sum((s) => s.ok);
  const opens = runs.flatMap((s) => (s.open === undefined ? [] : [s.open]));
  const histograms = Object.fromEntries(
    METRIC_KEYS.map((k) => [
      k,
      mergeHistograms(
        runs.flatMap((s) => (s.histograms[k] === undefined ? [] : [s.histograms[k]!])),
      ),
    ]),
  ) as TargetSummary['histograms'];
  return {
    name: first.name,
    model: first.model,
    base_url: [...new Set(runs.map((s) => s.base_url))].join(', '),
    requests,
    ok,
    failed: requests - ok,
    interrupted: sum((s) => s.interrupted),
    attempts: sum((s) => s.attempts),
    warmup: {
      requests: sum((s) => s.warmup.requests),
      failed: sum((s) => s.warmup.failed),
      first_failure: runs.find((s) => s.warmup.first_failure)?.warmup.first_failure,
    },
    errors: addCounts(runs.map((s) => s.errors)),
    first_failure: runs.find((s) => s.first_failure !== undefined)?.first_failure,
    attempt_errors: addCounts(runs.map((s) => s.attempt_errors)),
    error_rate: requests === 0 ? 0 : (requests - ok) / requests,
    output_tokens: sum((s) => s.output_tokens),
    input_tokens: sum((s) => s.input_tokens),
    input_tokens_known: runs.every((s) => s.input_tokens_known),
    tokens_estimated: runs.some((s) => s.tokens_estimated),
    stream_options_rejected: runs.some((s) => s.stream_options_rejected),
    open:
      opens.length === 0
        ? undefined
        : {
            late: opens.reduce((n, o) => n + o.late, 0),
            blocked: opens.reduce((n, o) => n + o.blocked, 0),
          },
    metrics: Object.fromEntries(
      METRIC_KEYS.map((k) => [
        k,
        histograms[k] === undefined ? undefined : histogramPercentiles(histograms[k]!),
      ]),
    ) as TargetSummary['metrics'],
    histograms,
    series: undefined,
    approximate: true,
  };
}

/**
 * Runs of the same probe (from several machines, say) as one, target by target name, in first-seen
 * order.
 */
export function mergeSummaries(runs: ReadonlyArray<readonly TargetSummary[]>): TargetSummary[] {
  const names: string[] = [];
  for (const run of runs) for (const s of run) if (!names.includes(s.name)) names.push(s.name);
  return names.map((name) =>
    mergeTarget(runs.flatMap((run) => run.filter((s) => s.name === name))),
  );
}
