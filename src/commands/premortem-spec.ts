import { CHECK_IDS, type CheckId } from '../domain/premortem.js';
import { PREMORTEM_RENDERERS } from '../render/premortem-formats.js';
import { formatsOf } from '../render/registry.js';
import { DURATION_SPEC } from '../units/duration.js';
import { USD_SPEC } from '../units/money.js';
import { RATE_SPEC } from '../units/rate.js';
import { countSpec } from '../units/spec.js';
import {
  BREAKER_OPTIONS,
  DEBUG_OPTION,
  worded,
  needs,
  defineCommand,
  type OptionsOf,
  SHARED,
  defineOptions,
  withDefault,
  parser,
  repeatable,
  unit,
} from './options.js';
import { PROBE_OPTIONS } from './probe-spec.js';

const count = (min: number, max: number) => unit(countSpec(min, max));
const duration = unit(DURATION_SPEC);

/** "eu=https://eu.example.com/v1": a region's name and its base URL. */
const region = parser((text): { name: string; url: string } | { error: string } => {
  const m = /^([A-Za-z0-9_.-]{1,40})=(\S+)$/.exec(text);
  return m
    ? { name: m[1]!, url: m[2]! }
    : { error: 'expected NAME=URL, such as eu=https://eu.example.com/v1' };
});

/** "p99,burst": checks by id, each known, none twice. */
const checkList = parser((text): CheckId[] | { error: string } => {
  const ids = text.split(',').map((s) => s.trim());
  const bad = ids.filter((id) => !(CHECK_IDS as readonly string[]).includes(id));
  if (bad.length > 0 || ids.length === 0)
    return {
      error:
        `expected a comma-separated list of ${CHECK_IDS.join(', ')}; got ` +
        `"${bad.join(', ') || text}"`,
    };
  return [...new Set(ids)] as CheckId[];
});

export const PREMORTEM_OPTIONS = defineOptions({
  baseUrl: {
    flags: '--base-url <url>',
    description: 'the OpenAI-compatible endpoint to review, such as https://global-apis.com/v1',
  },
  model: {
    flags: '--model <id>',
    description: 'the model to call there; with --scenario, its first tier when left out',
  },
  scenario: SHARED.scenario(
    'its tiers and fallback chains (failover), production base URLs (sla) and first model',
  ),
  region: {
    flags: '--region <name=url>',
    description: 'another region of the endpoint to run the same probe against; repeatable',
    parse: repeatable(region),
    default: [],
  },
  checks: {
    flags: '--checks <list>',
    description: `the checks to run, comma-separated: ${CHECK_IDS.join(', ')}`,
    parse: checkList,
    default: [...CHECK_IDS],
    defaultText: 'all six',
  },
  mock: {
    flags: '--mock',
    description: 'start the built-in mock and review it: every check with no key and no network',
  },
  mockProfile: {
    flags: '--mock-profile <file>',
    description:
      'with --mock: its latency, fault, limit, capacity and region profile (its ' +
      'regions become --region)',
  },
  requests: {
    flags: '--requests <n>',
    description: 'measured requests of the p99 check and of each region (a p99 needs 100)',
    parse: count(1, 100_000),
    default: 100,
  },
  concurrency: PROBE_OPTIONS.concurrency,
  p99Budget: withDefault(
    {
      flags: '--p99-budget <dur>',
      description: 'the TTFT p99 the endpoint must meet',
      parse: duration,
    },
    '2s',
  ),
  e2eP99Budget: {
    flags: '--e2e-p99-budget <dur>',
    description: 'the end-to-end p99 it must meet too',
    parse: duration,
  },
  baseRate: {
    flags: '--base-rate <rps>',
    description:
      "burst: the baseline's requests per second (the burst is 10 times it); also " +
      'where the rate-limit ramp starts',
    parse: unit(RATE_SPEC),
    default: 2,
  },
  baselineDuration: withDefault(
    {
      flags: '--baseline-duration <dur>',
      description: 'burst: how long the baseline runs',
      parse: duration,
    },
    '5s',
  ),
  burstDuration: withDefault(
    {
      flags: '--burst-duration <dur>',
      description: 'burst: how long the 10x burst runs (open loop)',
      parse: duration,
    },
    '5s',
  ),
  failTarget: {
    flags: '--fail-target <tier>',
    description:
      'failover: make this tier of --scenario dead (a local listener that never ' +
      'answers) and drill its chain',
  },
  failoverBudget: withDefault(
    {
      flags: '--failover-budget <dur>',
      description: 'failover: the most a request may lose before it is routed around a dead target',
      parse: duration,
    },
    '1s',
  ),
  drillRequests: {
    flags: '--drill-requests <n>',
    description: 'failover: requests of the drill',
    parse: count(1, 10_000),
    default: 20,
  },
  rampMaxRate: {
    flags: '--ramp-max-rate <rps>',
    description:
      'rate_limit: the ramp doubles from --base-rate up to this rate, stopping at the first 429',
    parse: unit(RATE_SPEC),
    default: 64,
  },
  rampStep: withDefault(
    {
      flags: '--ramp-step <dur>',
      description: 'rate_limit: how long each rate of the ramp is held',
      parse: duration,
    },
    '1s',
  ),
  saturate: withDefault(
    {
      flags: '--saturate <dur>',
      description:
        'rate_limit: how long twice the first-429 rate is held to see the window ' +
        '(longer when Retry-After says so)',
      parse: duration,
    },
    '5s',
  ),
  connectTimeout: PROBE_OPTIONS.connectTimeout,
  ttftTimeout: PROBE_OPTIONS.ttftTimeout,
  idleTimeout: PROBE_OPTIONS.idleTimeout,
  timeout: PROBE_OPTIONS.timeout,
  retries: {
    ...PROBE_OPTIONS.retries,
    description: "failover: your gateway's retries of a failed target before its chain moves on",
  },
  maxRetryWait: PROBE_OPTIONS.maxRetryWait,
  ...BREAKER_OPTIONS,
  maxRequests: {
    flags: '--max-requests <n>',
    description: 'never send more requests than this; the run stops there with what it has',
    parse: count(1, 1_000_000),
    default: 2000,
  },
  maxDuration: withDefault(
    {
      flags: '--max-duration <dur>',
      description: 'never run longer than this',
      parse: duration,
    },
    '10m',
  ),
  maxCost: {
    flags: '--max-cost <usd>',
    description:
      "never spend more than this at the catalog's price of the model (a model " +
      'without a price is refused)',
    parse: unit(USD_SPEC),
  },
  yes: {
    flags: '--yes',
    description: 'start without asking (it asks only in a terminal, never under CI)',
  },
  failOn: {
    flags: '--fail-on <verdict>',
    description: 'exit 3 on a failed check, or on a warning too',
    choices: ['fail', 'warn'] as const,
    default: 'fail' as const,
  },
  prompt: PROBE_OPTIONS.prompt,
  maxTokens: { ...PROBE_OPTIONS.maxTokens, default: 32 },
  stream: PROBE_OPTIONS.stream,
  header: PROBE_OPTIONS.header,
  apiKeyEnv: PROBE_OPTIONS.apiKeyEnv,
  seed: PROBE_OPTIONS.seed,
  pricing: SHARED.pricing,
  allowImplausible: SHARED.allowImplausible,
  asOf: SHARED.asOf,
  format: SHARED.format(formatsOf(PREMORTEM_RENDERERS), 'table'),
  out: SHARED.out,
  debug: DEBUG_OPTION,
});
export type PremortemOptionsCli = OptionsOf<typeof PREMORTEM_OPTIONS>;

/** The `premortem` command in one place: what it is for, examples, flags and their rules. */
export const PREMORTEM_SPEC = defineCommand({
  name: 'premortem',
  summary:
    "the architect's six checks against a live endpoint: p99, regions, a 10x " +
    "burst, failover, the rate limit's shape, the SLA",
  examples: [
    'ai-route premortem --mock --yes                                   # every ' +
      'check against the built-in mock, no key',
    'ai-route premortem --base-url https://global-apis.com/v1 --model ' +
      'deepseek-ai/DeepSeek-V4-Flash ' +
      '--max-requests 500',
    'ai-route premortem --scenario hybrid --base-url $URL --fail-target fast ' +
      '--connect-timeout 300ms --checks failover,sla',
    'ai-route premortem --mock --format json --out premortem.json     # then: ' +
      'ai-route report --premortem premortem.json',
  ],
  options: PREMORTEM_OPTIONS,
  rules: [
    needs('mockProfile', 'mock'),
    needs('failTarget', 'scenario', 'the drill walks its fallback chains'),
    worded(
      needs('failTarget', ['checks', 'failover']),
      '--fail-target drills failover: add failover to --checks',
    ),
  ],
  keepsWorkOnInterrupt: true,
});
