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

/** What makes two runs' targets one: the same name, model and base URL. */
export const targetIdentity = (s: Pick<TargetSummary, 'name' | 'model' | 'base_url'>): string =>
  JSON.stringify([s.name, s.model, s.base_url]);

/**
 * Each target of the runs by its identity, in first-seen order, with the name it is merged under:
 * its own, or, when two targets share a name but not the rest, the name with its model and URL.
 */
export function mergedNames(runs: ReadonlyArray<readonly TargetSummary[]>): Map<string, string> {
  const firsts = new Map<string, TargetSummary>();
  for (const run of runs)
    for (const s of run) if (!firsts.has(targetIdentity(s))) firsts.set(targetIdentity(s), s);
  const uses = new Map<string, number>();
  for (const s of firsts.values()) uses.set(s.name, (uses.get(s.name) ?? 0) + 1);
  return new Map(
    [...firsts].map(([id, s]) => [
      id,
      uses.get(s.name)! > 1 ? `${s.name} (${s.model} at ${s.base_url})` : s.name,
    ]),
  );
}

/**
 * Runs of the same probe (from several machines, say) as one, target by target in first-seen
 * order. Targets that share a name but not a model or base URL are kept apart (see mergedNames).
 */
export function mergeSummaries(runs: ReadonlyArray<readonly TargetSummary[]>): TargetSummary[] {
  return [...mergedNames(runs)].map(([id, name]) => ({
    ...mergeTarget(runs.flatMap((run) => run.filter((s) => targetIdentity(s) === id))),
    name,
  }));
}
