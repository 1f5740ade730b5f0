import {
  MAX_MONTHS,
  type Growth,
  type Scenario,
  type Setup,
  type Stage,
  type Tier,
  type TokenMix,
  type Traffic,
} from '../domain/scenario.js';
import { Dec, ONE, ZERO, type Big, sum } from '../units/decimal.js';
import { parseGrowthPct } from '../units/percent.js';
import { parseVolume } from '../units/volume.js';
import type { DataPath, IssueList } from './issues.js';
import { DocReader } from './read.js';

export const SCENARIO_SCHEMA = 'ai-route/scenario@1';

/** The article's convention when a scenario says nothing: every token is billed as output. */
export const ALL_OUTPUT_MIX: TokenMix = {
  input: ZERO,
  output: ONE,
  cache_hit_rate: ZERO,
  cache_write_rate: ZERO,
  cache_write_1h_share: ZERO,
  reasoning_share: ZERO,
  batch_share: ZERO,
  tokens_per_request: undefined,
  input_tokens_per_request: undefined,
};

const TOP_KEYS = [
  'schema',
  'name',
  'description',
  'setup',
  'endpoint',
  'breaker',
  'baseline',
  'token_mix',
  'stages',
  'growth',
  'traffic',
  'assumptions',
];
const SETUP_KEYS = ['label', 'tiers'];
const TIER_KEYS = ['model', 'share', 'fallback', 'base_url', 'notes', 'token_mix'];
const URL_PATTERN = /^https?:\/\/[^\s/]+(\/\S*)?$/;
const MIX_KEYS = [
  'input',
  'output',
  'cache_hit_rate',
  'cache_write_rate',
  'cache_write_1h_share',
  'reasoning_share',
  'batch_share',
  'tokens_per_request',
  'input_tokens_per_request',
];
const TIER_NAME = /^[a-z][a-z0-9_-]*$/;

/** Checks a parsed scenario document; every problem goes to `issues`, never thrown. */
export function validateScenario(
  doc: unknown,
  file: string,
  issues: IssueList,
): Scenario | undefined {
  const read = new DocReader(issues);
  const top = read.mapping(
    doc ?? null,
    [],
    'a scenario (a mapping with schema, setup and baseline)',
  );
  if (top === undefined) return undefined;
  read.onlyKeys(top, TOP_KEYS, []);
  if (top.schema !== SCENARIO_SCHEMA) {
    issues.add(
      ['schema'],
      `expected "${SCENARIO_SCHEMA}", got ${JSON.stringify(top.schema ?? null)}`,
    );
  }
  const name = read.text(
    read.required(top, 'name', [], 'a scenario name'),
    ['name'],
    'a scenario name',
  );
  const description =
    top.description === undefined ? undefined : read.text(top.description, ['description']);
  const tierPaths: Record<string, DataPath> = {};
  const setup = readSetup(
    read,
    read.required(top, 'setup', [], 'the routing setup (label and tiers)'),
    tierPaths,
  );
  const baseline = readBaseline(
    read,
    read.required(top, 'baseline', [], 'the baseline model, such as gpt-4o'),
  );
  const endpoint = readEndpoint(read, top.endpoint);
  const breaker = readBreaker(read, top.breaker);
  const mix =
    top.token_mix === undefined ? ALL_OUTPUT_MIX : readMix(read, top.token_mix, ['token_mix']);
  const stages = top.stages === undefined ? [] : readStages(read, top.stages);
  const growth = top.growth === undefined ? undefined : readGrowth(read, top.growth);
  const traffic = top.traffic === undefined ? undefined : readTraffic(read, top.traffic);
  if (top.stages === undefined && top.growth === undefined) {
    issues.add(
      [],
      'expected stages (named monthly volumes) or growth (a month-over-month curve), or both',
    );
  }
  const assumptions =
    top.assumptions === undefined
      ? []
      : (read.textList(top.assumptions, ['assumptions'], 'assumption notes') ?? []);
  if (name === undefined || setup === undefined || baseline === undefined || mix === undefined)
    return undefined;
  return {
    file,
    name,
    description,
    setup,
    endpoint,
    breaker,
    baseline,
    token_mix: mix,
    token_mix_defaulted: top.token_mix === undefined,
    stages: stages ?? [],
    growth,
    traffic,
    assumptions,
    paths: { tiers: tierPaths, baseline: ['baseline', 'model'] },
  };
}

function readEndpoint(read: DocReader, raw: unknown): Scenario['endpoint'] {
  if (raw === undefined) return { base_url: undefined };
  const map = read.mapping(raw, ['endpoint'], 'an endpoint (base_url)') ?? {};
  read.onlyKeys(map, ['base_url'], ['endpoint']);
  return {
    base_url:
      map.base_url === undefined
        ? undefined
        : read.pattern(
            map.base_url,
            ['endpoint', 'base_url'],
            URL_PATTERN,
            'an http(s) base URL such as https://global-apis.com/v1',
          ),
  };
}

function readBreaker(read: DocReader, raw: unknown): Scenario['breaker'] {
  const breaker: Scenario['breaker'] = {};
  if (raw === undefined) return breaker;
  const map =
    read.mapping(
      raw,
      ['breaker'],
      'breaker settings (failure_share, window_ms, min_requests, cooldown_ms)',
    ) ?? {};
  read.onlyKeys(map, ['failure_share', 'window_ms', 'min_requests', 'cooldown_ms'], ['breaker']);
  if (map.failure_share !== undefined) {
    if (typeof map.failure_share === 'number' && map.failure_share > 0 && map.failure_share <= 1)
      breaker.failure_share = map.failure_share;
    else read.issues.add(['breaker', 'failure_share'], 'expected a share above 0 and at most 1');
  }
  for (const [key, min, max] of [
    ['window_ms', 1, 3_600_000],
    ['min_requests', 1, 1_000_000],
    ['cooldown_ms', 1, 3_600_000],
  ] as const) {
    if (map[key] === undefined) continue;
    const v = read.integer(
      map[key],
      ['breaker', key],
      min,
      max,
      key === 'min_requests' ? 'a request count' : 'milliseconds',
    );
    if (v !== undefined) breaker[key] = v;
  }
  return breaker;
}

function readSetup(
  read: DocReader,
  raw: unknown,
  tierPaths: Record<string, DataPath>,
): Setup | undefined {
  if (raw === undefined) return undefined;
  const map = read.mapping(raw, ['setup'], 'a routing setup (label and tiers)');
  if (map === undefined) return undefined;
  read.onlyKeys(map, SETUP_KEYS, ['setup']);
  const label = read.text(
    read.required(map, 'label', ['setup'], 'a label for tables'),
    ['setup', 'label'],
    'a label',
  );
  const tierMap = read.mapping(
    read.required(map, 'tiers', ['setup'], 'a mapping of tier name to model, share and fallback'),
    ['setup', 'tiers'],
  );
  if (tierMap === undefined || label === undefined) return undefined;
  const tiers: Tier[] = [];
  for (const [tierName, tierRaw] of Object.entries(tierMap)) {
    const path = ['setup', 'tiers', tierName];
    tierPaths[tierName] = [...path, 'model'];
    if (!TIER_NAME.test(tierName))
      read.issues.add(path, `tier name "${tierName}" must be lower-case letters, digits, - or _`);
    const tier = read.mapping(tierRaw, path, 'a tier (model, share, fallback)');
    if (tier === undefined) continue;
    read.onlyKeys(tier, TIER_KEYS, path);
    const model = read.text(
      read.required(tier, 'model', path, 'a model id'),
      [...path, 'model'],
      'a model id',
    );
    const share = read.share(
      read.required(tier, 'share', path, 'the share of traffic, such as "0.8"'),
      [...path, 'share'],
    );
    const fallback = read.textList(
      read.required(
        tier,
        'fallback',
        path,
        'the fallback chain: a list of tier names, [] for none',
      ),
      [...path, 'fallback'],
      'tier names',
    );
    const baseUrl =
      tier.base_url === undefined
        ? undefined
        : read.pattern(tier.base_url, [...path, 'base_url'], URL_PATTERN, 'an http(s) base URL');
    const mix =
      tier.token_mix === undefined
        ? undefined
        : readMix(read, tier.token_mix, [...path, 'token_mix']);
    if (model !== undefined && share !== undefined && fallback !== undefined) {
      tiers.push({
        name: tierName,
        model,
        share,
        fallback,
        ...(baseUrl === undefined ? {} : { base_url: baseUrl }),
        ...(mix === undefined ? {} : { token_mix: mix }),
      });
    }
  }
  if (Object.keys(tierMap).length === 0)
    read.issues.add(['setup', 'tiers'], 'expected at least one tier');
  checkChains(read, tiers);
  if (tiers.length === Object.keys(tierMap).length && tiers.length > 0) {
    const total = sum(tiers.map((t) => t.share));
    if (!total.eq(ONE)) {
      read.issues.add(
        ['setup', 'tiers'],
        `tier shares must add up to exactly 1, they add up to ${total.toFixed()}`,
      );
    }
  }
  return { label, tiers };
}

function checkChains(read: DocReader, tiers: Tier[]): void {
  const names = new Set(tiers.map((t) => t.name));
  for (const tier of tiers) {
    const seen = new Set<string>();
    tier.fallback.forEach((next, i) => {
      const path = ['setup', 'tiers', tier.name, 'fallback', i];
      if (next === tier.name)
        read.issues.add(path, `tier "${tier.name}" cannot fall back to itself`);
      else if (!names.has(next))
        read.issues.add(path, `no tier named "${next}"; tiers: ${[...names].join(', ')}`);
      if (seen.has(next)) read.issues.add(path, `"${next}" appears twice in the chain`);
      seen.add(next);
    });
  }
}

function readBaseline(read: DocReader, raw: unknown): Scenario['baseline'] | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw === 'string')
    return { model: read.text(raw, ['baseline'], 'a model id') ?? raw, label: undefined };
  const map = read.mapping(raw, ['baseline'], 'a model id or a mapping with model and label');
  if (map === undefined) return undefined;
  read.onlyKeys(map, ['model', 'label'], ['baseline']);
  const model = read.text(
    read.required(map, 'model', ['baseline'], 'a model id'),
    ['baseline', 'model'],
    'a model id',
  );
  const label =
    map.label === undefined ? undefined : read.text(map.label, ['baseline', 'label'], 'a label');
  return model === undefined ? undefined : { model, label };
}

function readMix(read: DocReader, raw: unknown, path: DataPath): TokenMix | undefined {
  const map = read.mapping(raw, path, 'a token mix (input and output shares, cache hit rate, ...)');
  if (map === undefined) return undefined;
  read.onlyKeys(map, MIX_KEYS, path);
  const optionalShare = (key: string): Big | undefined =>
    map[key] === undefined ? ZERO : read.share(map[key], [...path, key]);
  const input = optionalShare('input');
  const output = optionalShare('output');
  if (map.input === undefined && map.output === undefined) {
    read.issues.add(
      path,
      'expected input and output shares, such as input: "0.75" and output: "0.25"',
    );
  } else if (input !== undefined && output !== undefined && !input.plus(output).eq(ONE)) {
    read.issues.add(
      path,
      `input and output shares must add up to exactly 1, they add up to ` +
        `${input.plus(output).toFixed()}`,
    );
  }
  const cacheHit = optionalShare('cache_hit_rate');
  const cacheWrite = optionalShare('cache_write_rate');
  if (cacheHit !== undefined && cacheWrite !== undefined && cacheHit.plus(cacheWrite).gt(ONE)) {
    read.issues.add(
      [...path, 'cache_write_rate'],
      'cache_hit_rate and cache_write_rate together cannot exceed 1',
    );
  }
  const write1h = optionalShare('cache_write_1h_share');
  const reasoning = optionalShare('reasoning_share');
  const batch = optionalShare('batch_share');
  const perRequest = optionalInt(read, map, 'tokens_per_request', path);
  const inputPerRequest = optionalInt(read, map, 'input_tokens_per_request', path);
  if (perRequest !== undefined && inputPerRequest !== undefined && inputPerRequest > perRequest) {
    read.issues.add([...path, 'input_tokens_per_request'], 'cannot exceed tokens_per_request');
  }
  if ([input, output, cacheHit, cacheWrite, write1h, reasoning, batch].some((v) => v === undefined))
    return undefined;
  return {
    input: input ?? ZERO,
    output: output ?? ZERO,
    cache_hit_rate: cacheHit ?? ZERO,
    cache_write_rate: cacheWrite ?? ZERO,
    cache_write_1h_share: write1h ?? ZERO,
    reasoning_share: reasoning ?? ZERO,
    batch_share: batch ?? ZERO,
    tokens_per_request: perRequest,
    input_tokens_per_request: inputPerRequest,
  };
}

function optionalInt(
  read: DocReader,
  map: Record<string, unknown>,
  key: string,
  path: DataPath,
): number | undefined {
  return map[key] === undefined
    ? undefined
    : read.integer(map[key], [...path, key], 1, 1e9, 'a token count');
}

function readStages(read: DocReader, raw: unknown): Stage[] | undefined {
  const list = read.list(raw, ['stages'], 'a list of stages (name and volume)');
  if (list === undefined) return undefined;
  if (list.length === 0) read.issues.add(['stages'], 'expected at least one stage');
  const stages: Stage[] = [];
  list.forEach((item, i) => {
    const path = ['stages', i];
    const map = read.mapping(item, path, 'a stage (name and volume)');
    if (map === undefined) return;
    read.onlyKeys(map, ['name', 'volume'], path);
    const name = read.text(
      read.required(map, 'name', path, 'a stage name'),
      [...path, 'name'],
      'a stage name',
    );
    const tokens = readVolume(
      read,
      read.required(map, 'volume', path, 'a monthly volume such as 5M'),
      [...path, 'volume'],
    );
    if (name !== undefined && tokens !== undefined) stages.push({ name, tokens });
  });
  return stages;
}

/** `traffic: {peak_factor, tokens_per_request, days_per_month}`, each optional. */
function readTraffic(read: DocReader, raw: unknown): Traffic | undefined {
  const map = read.mapping(raw, ['traffic'], 'traffic (peak_factor, tokens_per_request)');
  if (map === undefined) return undefined;
  read.onlyKeys(map, ['peak_factor', 'tokens_per_request', 'days_per_month'], ['traffic']);
  const peak = read.decimal(map.peak_factor, ['traffic', 'peak_factor'], '3');
  if (peak !== undefined && (peak.lt(ONE) || peak.gt(Dec('1000'))))
    read.issues.add(
      ['traffic', 'peak_factor'],
      `expected the peak minute's rate over the average's, from "1" to "1000", got ` +
        `"${peak.toFixed()}"`,
    );
  const perRequest = read.integer(
    map.tokens_per_request,
    ['traffic', 'tokens_per_request'],
    1,
    10_000_000,
    'tokens a request',
  );
  const days = read.decimal(map.days_per_month, ['traffic', 'days_per_month'], '30.4375');
  if (days !== undefined && (days.lt(Dec('28')) || days.gt(Dec('31'))))
    read.issues.add(
      ['traffic', 'days_per_month'],
      `expected the days of a month, from "28" to "31", got "${days.toFixed()}"`,
    );
  return { peak_factor: peak, tokens_per_request: perRequest, days_per_month: days };
}

function readGrowth(read: DocReader, raw: unknown): Growth | undefined {
  const map = read.mapping(raw, ['growth'], 'a growth curve (start, monthly_pct, months)');
  if (map === undefined) return undefined;
  read.onlyKeys(map, ['start', 'monthly_pct', 'months', 'assumption'], ['growth']);
  const start = readVolume(
    read,
    read.required(map, 'start', ['growth'], 'the first month volume'),
    ['growth', 'start'],
  );
  const pct = readGrowthPct(
    read,
    read.required(map, 'monthly_pct', ['growth'], 'month-over-month growth in percent'),
  );
  const months = read.integer(
    read.required(map, 'months', ['growth'], 'how many months'),
    ['growth', 'months'],
    1,
    MAX_MONTHS,
    'a month count',
  );
  const assumption =
    map.assumption === undefined
      ? undefined
      : read.text(map.assumption, ['growth', 'assumption'], 'what the growth curve rests on');
  if (start === undefined || pct === undefined || months === undefined) return undefined;
  return { start, monthly_pct: pct, months, assumption };
}

function readGrowthPct(read: DocReader, raw: unknown): Big | undefined {
  if (raw === undefined) return undefined;
  const parsed = typeof raw === 'string' ? parseGrowthPct(raw) : undefined;
  if (parsed === undefined) {
    read.issues.add(
      ['growth', 'monthly_pct'],
      `expected a percentage string above -100 such as "15", got ${JSON.stringify(raw)}`,
    );
  }
  return parsed;
}

function readVolume(read: DocReader, raw: unknown, path: DataPath): number | undefined {
  if (raw === undefined) return undefined;
  const result = parseVolume(raw);
  if (result.ok) return result.tokens;
  read.issues.add(path, result.reason);
  return undefined;
}
