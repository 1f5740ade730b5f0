import type { EncodedHistogram } from '../domain/probe-summary.js';
import type { Percentiles } from '../domain/probe-summary.js';
import {
  type Counts,
  type FailureCause,
  METRIC_KEYS,
  type MetricKey,
  type TargetSummary,
} from '../domain/probe-summary.js';
import { type ClientVerdict, ERROR_CLASSES, type ErrorClass } from '../domain/probe.js';
import type { DataPath, IssueList } from './issues.js';
import { DocReader } from './read.js';

/**
 * The probe JSON this version writes, and the only one --baseline and merge read (they need its
 * histograms).
 */
export const PROBE_SCHEMA = 'ai-route/probe@2';

/** A saved probe run as --baseline and `probe merge` use it: its targets, and the cost of each. */
export interface SavedProbe {
  summaries: TargetSummary[];
  cost: SavedCost[];
  runs_per_month: number;
  /** How busy the run's own client was (absent in a file written before it was measured). */
  client?: ClientVerdict;
}

/** One target's cost as the run saved it (decimal strings, exact). */
export interface SavedCost {
  target: string;
  model: string;
  input_tokens: number;
  output_tokens: number;
  tokens_estimated: boolean;
  cost: string | null;
  note: string | null;
}

function readCost(read: DocReader, raw: unknown, path: DataPath): SavedCost | undefined {
  const c = read.mapping(raw, path, 'a target cost') ?? {};
  const target = read.text(c.target, [...path, 'target'], 'the target name');
  const cost =
    c.cost === null
      ? null
      : read.pattern(
          c.cost,
          [...path, 'cost'],
          /^\d+(\.\d+)?$/,
          'a decimal amount in USD, or null',
        );
  if (target === undefined || cost === undefined) return undefined;
  const int = (v: unknown, p: DataPath) => read.integer(v ?? 0, p, 0, MAX, 'a token count') ?? 0;
  return {
    target,
    model: typeof c.model === 'string' ? c.model : target,
    input_tokens: int(c.input_tokens, [...path, 'input_tokens']),
    output_tokens: int(c.output_tokens, [...path, 'output_tokens']),
    tokens_estimated: c.tokens_estimated === true,
    cost,
    note: typeof c.note === 'string' ? c.note : null,
  };
}

const MAX = Number.MAX_SAFE_INTEGER;

function counts(read: DocReader, raw: unknown, path: DataPath): Counts {
  const map = read.mapping(raw, path, 'counts by error class') ?? {};
  read.onlyKeys(map, ERROR_CLASSES, path);
  return Object.fromEntries(
    ERROR_CLASSES.map((c) => [
      c,
      map[c] === undefined ? 0 : (read.integer(map[c], [...path, c], 0, MAX, 'a count') ?? 0),
    ]),
  ) as Counts;
}

function cause(read: DocReader, raw: unknown, path: DataPath): FailureCause | undefined {
  if (raw === null || raw === undefined) return undefined;
  const map = read.mapping(raw, path, 'a failure cause (error_class, error)') ?? {};
  const cls = read.pattern(
    map.error_class,
    [...path, 'error_class'],
    new RegExp(`^(${ERROR_CLASSES.join('|')})$`),
    'an error class',
  );
  const error = read.text(map.error, [...path, 'error'], 'the error text');
  return cls === undefined || error === undefined
    ? undefined
    : { error_class: cls as ErrorClass, error };
}

function percentilesOf(read: DocReader, raw: unknown, path: DataPath): Percentiles | undefined {
  if (raw === null || raw === undefined) return undefined;
  const map = read.mapping(raw, path, 'percentiles (n, min, mean, p50, p90, p95, p99, max)') ?? {};
  const num = (k: string) => {
    const v = map[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      read.issues.add([...path, k], 'expected a non-negative number');
    return typeof v === 'number' ? v : 0;
  };
  const n = read.integer(map.n, [...path, 'n'], 1, MAX, 'a sample count') ?? 0;
  return {
    n,
    min: num('min'),
    mean: num('mean'),
    p50: num('p50'),
    p90: num('p90'),
    p95: num('p95'),
    p99: num('p99'),
    max: num('max'),
    p99_reliable: n >= 100,
  };
}

function histogramOf(read: DocReader, raw: unknown, path: DataPath): EncodedHistogram | undefined {
  if (raw === null || raw === undefined) return undefined;
  const map =
    read.mapping(raw, path, 'a histogram (unit, significant_digits, count, encoded)') ?? {};
  read.onlyKeys(map, ['unit', 'significant_digits', 'count', 'encoded'], path);
  const unit = read.pattern(map.unit, [...path, 'unit'], /^(us|milli)$/, 'us or milli');
  const digits = read.integer(
    map.significant_digits,
    [...path, 'significant_digits'],
    1,
    5,
    'significant digits',
  );
  const count = read.integer(map.count, [...path, 'count'], 0, MAX, 'a count');
  const encoded = read.pattern(
    map.encoded,
    [...path, 'encoded'],
    /^[A-Za-z0-9+/=]{1,10000000}$/,
    'a base64 HdrHistogram',
  );
  if (unit === undefined || digits === undefined || count === undefined || encoded === undefined)
    return undefined;
  return { unit: unit as EncodedHistogram['unit'], significant_digits: digits, count, encoded };
}

function readTarget(read: DocReader, raw: unknown, path: DataPath): TargetSummary | undefined {
  const t = read.mapping(raw, path, 'a target') ?? {};
  const name = read.text(t.name, [...path, 'name'], 'the target name');
  const c = read.mapping(t.counts, [...path, 'counts'], 'counts') ?? {};
  const int = (v: unknown, p: DataPath) => read.integer(v ?? 0, p, 0, MAX, 'a count') ?? 0;
  const requests = int(c.requests, [...path, 'counts', 'requests']);
  const ok = int(c.ok, [...path, 'counts', 'ok']);
  const metrics = read.mapping(t.metrics, [...path, 'metrics'], 'metrics') ?? {};
  const hists =
    read.mapping(
      t.histograms,
      [...path, 'histograms'],
      'histograms (written by ai-route probe 0.2 and later)',
    ) ?? {};
  const warm = read.mapping(t.warmup ?? {}, [...path, 'warmup'], 'warm-up') ?? {};
  const open =
    t.open === null || t.open === undefined
      ? undefined
      : (read.mapping(t.open, [...path, 'open'], 'open-loop counts') ?? {});
  if (ok > requests)
    read.issues.add([...path, 'counts', 'ok'], `${ok} ok, more than the ${requests} requests`);
  const errors = counts(read, t.errors, [...path, 'errors']);
  const failures = Object.values(errors).reduce((n, c) => n + c, 0);
  if (ok <= requests && failures !== requests - ok)
    read.issues.add(
      [...path, 'errors'],
      `${failures} failures by class, but ${requests} requests with ${ok} ok leave ` +
        `${requests - ok}`,
    );
  if (name === undefined) return undefined;
  return {
    name,
    model: typeof t.model === 'string' ? t.model : name,
    base_url: typeof t.base_url === 'string' ? t.base_url : '',
    requests,
    ok,
    failed: requests - ok,
    interrupted: int(c.interrupted, [...path, 'counts', 'interrupted']),
    attempts: int(c.attempts, [...path, 'counts', 'attempts']),
    warmup: {
      requests: int(warm.requests, [...path, 'warmup', 'requests']),
      failed: int(warm.failed, [...path, 'warmup', 'failed']),
      first_failure: cause(read, warm.first_failure, [...path, 'warmup', 'first_failure']),
    },
    errors,
    first_failure: cause(read, t.first_failure, [...path, 'first_failure']),
    attempt_errors: counts(read, t.attempt_errors ?? {}, [...path, 'attempt_errors']),
    error_rate: requests === 0 ? 0 : (requests - ok) / requests,
    output_tokens: int(t.output_tokens, [...path, 'output_tokens']),
    input_tokens: int(t.input_tokens, [...path, 'input_tokens']),
    input_tokens_known: t.input_tokens_known !== false,
    tokens_estimated: t.tokens_estimated === true,
    stream_options_rejected: t.stream_options_rejected === true,
    open:
      open === undefined
        ? undefined
        : {
            late: int(open.late_sends, [...path, 'open', 'late_sends']),
            blocked: int(open.held_by_cap, [...path, 'open', 'held_by_cap']),
          },
    metrics: Object.fromEntries(
      METRIC_KEYS.map((k) => [k, percentilesOf(read, metrics[k], [...path, 'metrics', k])]),
    ) as Record<MetricKey, Percentiles | undefined>,
    histograms: Object.fromEntries(
      METRIC_KEYS.map((k) => [k, histogramOf(read, hists[k], [...path, 'histograms', k])]),
    ) as Record<MetricKey, EncodedHistogram | undefined>,
    series: undefined,
    approximate: t.approximate === true,
    ...(typeof t.itl_coalesced === 'number' ? { itl_coalesced: t.itl_coalesced } : {}),
  };
}

/**
 * A probe JSON written by this version (`ai-route/probe@2`): its targets as summaries, their
 * histograms intact.
 */
export function readSavedProbe(doc: unknown, issues: IssueList): SavedProbe {
  const read = new DocReader(issues);
  const top =
    read.mapping(
      doc ?? null,
      [],
      `a probe report (${PROBE_SCHEMA}, from ai-route probe --format json)`,
    ) ?? {};
  if (top.schema !== PROBE_SCHEMA) {
    issues.add(
      ['schema'],
      `expected "${PROBE_SCHEMA}" (ai-route probe --format json of this version: ` +
        `it carries the histograms), got ${JSON.stringify(top.schema ?? null)}`,
    );
    return { summaries: [], cost: [], runs_per_month: 1 };
  }
  const summaries = (read.list(top.targets, ['targets'], 'the targets') ?? []).flatMap(
    (raw, i) => readTarget(read, raw, ['targets', i]) ?? [],
  );
  const cost = read.mapping(top.cost ?? {}, ['cost'], 'the cost of the run') ?? {};
  const targets = (
    read.list(cost.targets ?? [], ['cost', 'targets'], 'the cost per target') ?? []
  ).flatMap((raw, i) => readCost(read, raw, ['cost', 'targets', i]) ?? []);
  const perMonth =
    read.integer(
      cost.runs_per_month ?? 720,
      ['cost', 'runs_per_month'],
      1,
      1_000_000,
      'runs a month',
    ) ?? 720;
  const client = readClient(read, top.client);
  return { summaries, cost: targets, runs_per_month: perMonth, ...(client ? { client } : {}) };
}

/** The `client` of a saved run: loop delays in ms, workers, and whether it was saturated. */
function readClient(read: DocReader, raw: unknown): ClientVerdict | undefined {
  if (raw === undefined || raw === null) return undefined;
  const map = read.mapping(raw, ['client'], 'the client load (loop delays, saturated)') ?? {};
  const ms = (key: string) => {
    const v = map[key];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
    read.issues.add(['client', key], 'expected a non-negative number of ms');
    return 0;
  };
  return {
    workers: read.integer(map.workers ?? 1, ['client', 'workers'], 0, 1024, 'a worker count') ?? 1,
    loop_delay_p50_ms: ms('loop_delay_p50_ms'),
    loop_delay_p99_ms: ms('loop_delay_p99_ms'),
    loop_delay_max_ms: ms('loop_delay_max_ms'),
    error_bound_ms: ms('error_bound_ms'),
    saturated: map.saturated === true,
  };
}
