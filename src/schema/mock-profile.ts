import {
  type Capacity,
  type Distribution,
  FAULT_KINDS,
  type Fault,
  type FaultKind,
  type MockProfile,
  type ModelProfile,
  RATE_LIMIT_KINDS,
  type RateLimit,
  type RetryAfter,
} from '../domain/mock.js';
import type { DataPath, IssueList } from './issues.js';
import { DocReader } from './read.js';

export const MOCK_PROFILE_SCHEMA = 'ai-route/mock-profile@1';

/** What `ai-route mock` serves when no profile is given: plausible latency, no faults. */
export const DEFAULT_MODEL_PROFILE: ModelProfile = {
  ttft: { dist: 'lognormal', median_ms: 120, sigma: 0.3 },
  per_token: { dist: 'uniform', min_ms: 4, max_ms: 12 },
  output_tokens: 24,
  tokens_per_chunk: 1,
  role_prelude: true,
  reasoning_tokens: 0,
  faults: [],
  rate_limits: [],
  capacity: undefined,
  latency_offset_ms: 0,
};

const PROFILE_KEYS = [
  'ttft',
  'per_token',
  'output_tokens',
  'tokens_per_chunk',
  'role_prelude',
  'reasoning_tokens',
  'faults',
  'rate_limit',
  'capacity',
  'latency_offset_ms',
];
const FAULT_KEYS = [
  'kind',
  'probability',
  'requests',
  'window_ms',
  'status',
  'retry_after',
  'ms',
  'after_tokens',
];
const DIST_KEYS: Record<Distribution['dist'], string[]> = {
  constant: ['ms'],
  uniform: ['min_ms', 'max_ms'],
  normal: ['mean_ms', 'sd_ms'],
  lognormal: ['median_ms', 'sigma'],
};

/** Checks a parsed mock profile; every problem goes to `issues`. */
export function validateMockProfile(doc: unknown, issues: IssueList): MockProfile {
  const read = new DocReader(issues);
  const top =
    read.mapping(doc ?? null, [], 'a mock profile (a mapping with schema, defaults and models)') ??
    {};
  read.onlyKeys(top, ['schema', 'seed', 'defaults', 'models', 'strict_models', 'regions'], []);
  if (top.schema !== MOCK_PROFILE_SCHEMA)
    issues.add(
      ['schema'],
      `expected "${MOCK_PROFILE_SCHEMA}", got ${JSON.stringify(top.schema ?? null)}`,
    );
  const defaults =
    top.defaults === undefined
      ? DEFAULT_MODEL_PROFILE
      : readModel(read, top.defaults, ['defaults'], DEFAULT_MODEL_PROFILE);
  const models: Record<string, ModelProfile> = {};
  const map = top.models === undefined ? {} : (read.mapping(top.models, ['models']) ?? {});
  for (const [name, raw] of Object.entries(map))
    models[name] = readModel(read, raw, ['models', name], defaults);
  const strict = top.strict_models === undefined ? false : top.strict_models === true;
  if (top.strict_models !== undefined && typeof top.strict_models !== 'boolean')
    issues.add(['strict_models'], 'expected true or false');
  const regions: MockProfile['regions'] = {};
  const regionMap =
    top.regions === undefined
      ? {}
      : (read.mapping(
          top.regions,
          ['regions'],
          'regions by name, such as {eu: {latency_offset_ms: 80}}',
        ) ?? {});
  for (const [name, raw] of Object.entries(regionMap)) {
    const path = ['regions', name];
    if (!/^[A-Za-z0-9_.-]{1,40}$/.test(name))
      read.issues.add(path, 'expected a region name of letters, digits, _ . or -');
    const region = read.mapping(raw, path, 'a region such as {latency_offset_ms: 80}');
    if (region === undefined) continue;
    read.onlyKeys(region, ['latency_offset_ms'], path);
    const offset = number(
      read,
      region.latency_offset_ms,
      [...path, 'latency_offset_ms'],
      0,
      600_000,
      'milliseconds',
    );
    if (offset !== undefined) regions[name] = { latency_offset_ms: offset };
  }
  return { defaults, models, strict_models: strict, regions };
}

function readModel(
  read: DocReader,
  raw: unknown,
  path: DataPath,
  base: ModelProfile,
): ModelProfile {
  const map = read.mapping(raw, path, 'a model profile') ?? {};
  read.onlyKeys(map, PROFILE_KEYS, path);
  const int = (key: string, min: number, max: number, fallback: number) =>
    map[key] === undefined
      ? fallback
      : (read.integer(map[key], [...path, key], min, max, key.replace(/_/g, ' ')) ?? fallback);
  const prelude = map.role_prelude;
  if (prelude !== undefined && typeof prelude !== 'boolean')
    read.issues.add([...path, 'role_prelude'], 'expected true or false');
  const faults =
    map.faults === undefined
      ? base.faults
      : (read.list(map.faults, [...path, 'faults']) ?? []).map((f, i) =>
          readFault(read, f, [...path, 'faults', i]),
        );
  return {
    ttft:
      map.ttft === undefined ? base.ttft : readDist(read, map.ttft, [...path, 'ttft'], base.ttft),
    per_token:
      map.per_token === undefined
        ? base.per_token
        : readDist(read, map.per_token, [...path, 'per_token'], base.per_token),
    output_tokens: int('output_tokens', 1, 100_000, base.output_tokens),
    tokens_per_chunk: int('tokens_per_chunk', 1, 1000, base.tokens_per_chunk),
    role_prelude: typeof prelude === 'boolean' ? prelude : base.role_prelude,
    reasoning_tokens: int('reasoning_tokens', 0, 100_000, base.reasoning_tokens),
    faults: faults.filter((f): f is Fault => f !== undefined),
    rate_limits:
      map.rate_limit === undefined
        ? base.rate_limits
        : readRateLimits(read, map.rate_limit, [...path, 'rate_limit']),
    capacity:
      map.capacity === undefined
        ? base.capacity
        : readCapacity(read, map.capacity, [...path, 'capacity']),
    latency_offset_ms:
      map.latency_offset_ms === undefined
        ? base.latency_offset_ms
        : (number(
            read,
            map.latency_offset_ms,
            [...path, 'latency_offset_ms'],
            0,
            600_000,
            'milliseconds',
          ) ?? 0),
  };
}

/**
 * One limit, or a list of them (requests and tokens, as OpenAI's); `null` turns off the defaults'
 * limit.
 */
function readRateLimits(read: DocReader, raw: unknown, path: DataPath): RateLimit[] {
  if (raw === null) return [];
  if (!Array.isArray(raw))
    return [readRateLimit(read, raw, path)].filter((l): l is RateLimit => l !== undefined);
  const limits = raw
    .map((r, i) => readRateLimit(read, r, [...path, i]))
    .filter((l): l is RateLimit => l !== undefined);
  const units = limits.map((l) => l.per);
  if (new Set(units).size !== units.length)
    read.issues.add(path, 'expected at most one limit per requests and one per tokens');
  return limits;
}

function readCapacity(read: DocReader, raw: unknown, path: DataPath): Capacity | undefined {
  const map = read.mapping(raw, path, 'a capacity such as {slots: 4, overflow: queue}');
  if (map === undefined) return undefined;
  read.onlyKeys(map, ['slots', 'overflow', 'queue_limit', 'scale_up'], path);
  const slots = read.integer(map.slots, [...path, 'slots'], 1, 100_000, 'concurrent slots');
  const overflow = OVERFLOWS.find((o) => o === (map.overflow ?? 'queue'));
  if (overflow === undefined)
    read.issues.add(
      [...path, 'overflow'],
      `expected one of ${OVERFLOWS.join(', ')}, got ${JSON.stringify(map.overflow)}`,
    );
  const queueLimit =
    map.queue_limit === undefined
      ? 10_000
      : read.integer(map.queue_limit, [...path, 'queue_limit'], 0, 100_000, 'requests queued');
  let scaleUp: Capacity['scale_up'];
  if (map.scale_up !== undefined) {
    const sp = [...path, 'scale_up'];
    const up =
      read.mapping(map.scale_up, sp, 'a scale-up such as {after_ms: 5000, slots: 16}') ?? {};
    read.onlyKeys(up, ['after_ms', 'slots'], sp);
    const after = number(read, up.after_ms, [...sp, 'after_ms'], 0, 3_600_000, 'milliseconds');
    const to = read.integer(up.slots, [...sp, 'slots'], 1, 100_000, 'concurrent slots');
    if (after !== undefined && to !== undefined) scaleUp = { after_ms: after, slots: to };
  }
  if (slots === undefined || overflow === undefined || queueLimit === undefined) return undefined;
  return { slots, overflow, queue_limit: queueLimit, scale_up: scaleUp };
}

const OVERFLOWS = ['queue', 'shed_429', 'shed_503'] as const;

function readRateLimit(read: DocReader, raw: unknown, path: DataPath): RateLimit | undefined {
  const map = read.mapping(
    raw,
    path,
    'a rate limit such as {kind: fixed, limit: 20, window_ms: 2000}',
  );
  if (map === undefined) return undefined;
  read.onlyKeys(map, ['kind', 'per', 'limit', 'window_ms', 'headers'], path);
  const kind = RATE_LIMIT_KINDS.find((k) => k === map.kind);
  const per = (['requests', 'tokens'] as const).find((p) => p === (map.per ?? 'requests'));
  if (per === undefined)
    read.issues.add(
      [...path, 'per'],
      `expected requests or tokens, got ${JSON.stringify(map.per)}`,
    );
  if (kind === undefined)
    read.issues.add(
      [...path, 'kind'],
      `expected one of ${RATE_LIMIT_KINDS.join(', ')}, got ${JSON.stringify(map.kind ?? null)}`,
    );
  const limit = read.integer(
    map.limit,
    [...path, 'limit'],
    1,
    1_000_000_000,
    `${per ?? 'requests'} per window`,
  );
  const window = read.integer(
    map.window_ms,
    [...path, 'window_ms'],
    1,
    3_600_000,
    'a window in milliseconds',
  );
  if (map.headers !== undefined && typeof map.headers !== 'boolean')
    read.issues.add([...path, 'headers'], 'expected true or false');
  if (kind === undefined || per === undefined || limit === undefined || window === undefined)
    return undefined;
  return { kind, per, limit, window_ms: window, headers: map.headers === true };
}

function number(
  read: DocReader,
  value: unknown,
  path: DataPath,
  min: number,
  max: number,
  what: string,
): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max)
    return value;
  read.issues.add(
    path,
    `expected ${what} from ${min} to ${max}, got ${JSON.stringify(value) ?? 'nothing'}`,
  );
  return undefined;
}

function readDist(
  read: DocReader,
  raw: unknown,
  path: DataPath,
  fallback: Distribution,
): Distribution {
  const map = read.mapping(raw, path, 'a distribution such as {dist: constant, ms: 100}');
  if (map === undefined) return fallback;
  const kind = map.dist as Distribution['dist'];
  const keys = DIST_KEYS[kind];
  if (keys === undefined) {
    read.issues.add(
      [...path, 'dist'],
      `expected one of ${Object.keys(DIST_KEYS).join(', ')}, got ` +
        `${JSON.stringify(map.dist ?? null)}`,
    );
    return fallback;
  }
  read.onlyKeys(map, ['dist', ...keys], path);
  const values: Record<string, number> = {};
  for (const key of keys) {
    const v = number(
      read,
      map[key],
      [...path, key],
      0,
      key === 'sigma' ? 5 : 600_000,
      key === 'sigma' ? 'a spread' : 'milliseconds',
    );
    if (v === undefined) return fallback;
    values[key] = v;
  }
  if (kind === 'uniform' && values.min_ms! > values.max_ms!) {
    read.issues.add(path, 'min_ms must not exceed max_ms');
    return fallback;
  }
  return { dist: kind, ...values } as Distribution;
}

function readFault(read: DocReader, raw: unknown, path: DataPath): Fault | undefined {
  const map = read.mapping(raw, path, 'a fault (kind and when it strikes)');
  if (map === undefined) return undefined;
  read.onlyKeys(map, FAULT_KEYS, path);
  const kind = map.kind as FaultKind;
  if (!FAULT_KINDS.includes(kind)) {
    read.issues.add(
      [...path, 'kind'],
      `expected one of ${FAULT_KINDS.join(', ')}, got ${JSON.stringify(map.kind ?? null)}`,
    );
    return undefined;
  }
  const selectors = ['probability', 'requests', 'window_ms'].filter((k) => map[k] !== undefined);
  if (selectors.length !== 1)
    read.issues.add(path, 'expected exactly one of probability, requests or window_ms');
  const probability =
    map.probability === undefined
      ? undefined
      : number(read, map.probability, [...path, 'probability'], 0, 1, 'a probability');
  const requests =
    map.requests === undefined
      ? undefined
      : (read.list(map.requests, [...path, 'requests']) ?? []).flatMap(
          (n, i) => read.integer(n, [...path, 'requests', i], 1, 1e9, 'a request number') ?? [],
        );
  let window: [number, number] | undefined;
  if (map.window_ms !== undefined) {
    const list = read.list(map.window_ms, [...path, 'window_ms'], 'a list [from_ms, to_ms]') ?? [];
    const [from, to] = list.map((v, i) =>
      number(read, v, [...path, 'window_ms', i], 0, 86_400_000, 'milliseconds'),
    );
    if (list.length !== 2 || from === undefined || to === undefined || from >= to)
      read.issues.add([...path, 'window_ms'], 'expected [from_ms, to_ms] with from < to');
    else window = [from, to];
  }
  const status =
    map.status === undefined
      ? kind === 'rate_limit'
        ? 429
        : kind === 'reject_stream_options'
          ? 400
          : 500
      : read.integer(map.status, [...path, 'status'], 400, 599, 'an HTTP status');
  const retryAfter =
    map.retry_after === undefined
      ? undefined
      : readRetryAfter(read, map.retry_after, [...path, 'retry_after']);
  const ms =
    map.ms === undefined ? 1000 : number(read, map.ms, [...path, 'ms'], 0, 600_000, 'milliseconds');
  const after =
    map.after_tokens === undefined
      ? 0
      : read.integer(map.after_tokens, [...path, 'after_tokens'], 0, 100_000, 'a token count');
  if (status === undefined || ms === undefined || after === undefined) return undefined;
  return {
    kind,
    probability,
    requests,
    window_ms: window,
    status,
    retry_after: retryAfter,
    ms,
    after_tokens: after,
  };
}

function readRetryAfter(read: DocReader, raw: unknown, path: DataPath): RetryAfter | undefined {
  const map = read.mapping(raw, path, 'one of {seconds: N}, {ms: N}, {http_date_in_s: N}');
  if (map === undefined) return undefined;
  read.onlyKeys(map, ['seconds', 'ms', 'http_date_in_s'], path);
  const keys = Object.keys(map);
  const key = keys[0];
  if (keys.length !== 1 || key === undefined) {
    read.issues.add(path, 'expected exactly one of seconds, ms, http_date_in_s');
    return undefined;
  }
  if (!['seconds', 'ms', 'http_date_in_s'].includes(key)) return undefined; // reported by onlyKeys
  const value = number(
    read,
    map[key],
    [...path, key],
    0,
    3600 * (key === 'ms' ? 1000 : 1),
    key === 'ms' ? 'milliseconds' : 'seconds',
  );
  return value === undefined ? undefined : ({ [key]: value } as RetryAfter);
}
