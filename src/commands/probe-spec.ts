import { MAX_HEADER_BYTES, notHeaderValue } from '../core/header-value.js';
import { ASSERT_HELP, parseAssertion } from '../units/assertion.js';
import { PROBE_RENDERERS } from '../render/probe-formats.js';
import { formatsOf } from '../render/registry.js';
import { DURATION_SPEC } from '../units/duration.js';
import { RATE_SPEC } from '../units/rate.js';
import { countSpec } from '../units/spec.js';
import { PERCENT_SPEC } from '../units/percent.js';
import {
  BREAKER_OPTIONS,
  DEBUG_OPTION,
  needs,
  defineCommand,
  conflicts,
  type OptionsOf,
  SHARED,
  defineOptions,
  withDefault,
  parser,
  repeatable,
  unit,
} from './options.js';

const count = (min: number, max: number) => unit(countSpec(min, max));
const duration = unit(DURATION_SPEC);
const header = parser((text) => {
  if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+\s*:\s*\S/.test(text))
    return { error: "expected 'Name: value'" };
  if (text.length > MAX_HEADER_BYTES)
    return { error: `${text.length} characters, over the ${MAX_HEADER_BYTES} a header may be` };
  const bad = notHeaderValue(text.slice(text.indexOf(':') + 1).trim());
  return bad === undefined ? text : { error: `the value holds ${bad}` };
});
const assertion = parser((text) => {
  const parsed = parseAssertion(text);
  return parsed.ok ? parsed.assertion : { error: parsed.reason };
});

export const PROBE_OPTIONS = defineOptions({
  model: {
    flags: '--model <id>',
    description: 'a model to probe at --base-url; repeatable',
    parse: repeatable((v: string) => v),
    default: [] as string[],
  },
  baseUrl: {
    flags: '--base-url <url>',
    description: 'the OpenAI-compatible base URL, such as https://global-apis.com/v1',
  },
  scenario: SHARED.scenario('probe each tier of a scenario, at its endpoint or --base-url'),
  mock: {
    flags: '--mock',
    description:
      'start the built-in mock endpoint and probe it: a full run with no key and no network',
  },
  mockProfile: {
    flags: '--mock-profile <file>',
    description: 'with --mock: its latency and fault profile',
  },
  seed: SHARED.seed('with --mock: the seed of its latency draws and faults'),
  requests: {
    flags: '--requests <n>',
    description: 'measured requests per target',
    parse: count(1, 1_000_000),
    default: 20,
  },
  concurrency: {
    flags: '--concurrency <n>',
    description: 'requests in flight at once per target',
    parse: count(1, 1024),
    default: 1,
  },
  warmup: {
    flags: '--warmup <n>',
    description:
      'requests per target sent first and reported apart (an open loop sends them at its rate, ' +
      'so the measured window starts warm)',
    parse: count(0, 10_000),
    defaultText: 'the concurrency; in an open loop, half a second at the rate',
  },
  warmupMustPass: {
    flags: '--warmup-must-pass',
    description:
      "a failed warm-up request stops that target's run and fails the probe (exit " +
      '3), instead of being reported and passed over',
  },
  maxTokens: {
    flags: '--max-tokens <n>',
    description: 'max_tokens of each request',
    parse: count(1, 1_000_000),
    default: 64,
  },
  prompt: {
    flags: '--prompt <text>',
    description: 'the user message of each request',
    default: 'Write one sentence about latency.',
  },
  stream: {
    flags: '--stream',
    description: 'ask for streams: TTFT is the first token',
    default: true,
    negation: 'ask for whole responses instead of streams (TTFT is then the whole response)',
  },
  header: {
    flags: "--header <'Name: value'>",
    description: 'an extra request header, for gateways; repeatable',
    parse: repeatable(header),
    default: [] as string[],
  },
  apiKeyEnv: {
    flags: '--api-key-env <name>',
    description: 'read the API key from this variable',
    defaultText: 'AI_ROUTE_API_KEY, then OPENAI_API_KEY',
  },
  connectTimeout: withDefault(
    {
      flags: '--connect-timeout <dur>',
      description: 'deadline until the response headers',
      parse: duration,
    },
    '10s',
  ),
  ttftTimeout: withDefault(
    {
      flags: '--ttft-timeout <dur>',
      description: 'deadline from the headers to the first token',
      parse: duration,
    },
    '30s',
  ),
  idleTimeout: withDefault(
    {
      flags: '--idle-timeout <dur>',
      description: 'deadline between two chunks of a stream',
      parse: duration,
    },
    '30s',
  ),
  timeout: withDefault(
    {
      flags: '--timeout <dur>',
      description: 'deadline for the whole request',
      parse: duration,
    },
    '60s',
  ),
  retries: {
    flags: '--retries <n>',
    description: "the probe's own retries of 429, 5xx, timeouts and network errors",
    parse: count(0, 10),
    default: 0,
  },
  maxRetryWait: withDefault(
    {
      flags: '--max-retry-wait <dur>',
      description: 'cap on a Retry-After or backoff wait',
      parse: duration,
    },
    '30s',
  ),
  rate: {
    flags: '--rate <rps>',
    description: 'open loop: send at this many requests per second whatever the responses do',
    parse: unit(RATE_SPEC),
  },
  duration: {
    flags: '--duration <dur>',
    description: 'open loop: send for this long (instead of --requests), such as 30s',
    parse: duration,
  },
  arrivals: {
    flags: '--arrivals <kind>',
    description: 'open loop: evenly spaced, or a seeded Poisson process (--seed)',
    choices: ['constant', 'poisson'] as const,
    default: 'constant' as const,
  },
  maxInFlight: {
    flags: '--max-in-flight <n>',
    description: 'open loop: cap requests in flight; sends it delays are counted and reported',
    parse: count(1, 100_000),
  },
  failover: {
    flags: '--failover',
    description:
      'the drill: each request starts at a tier of --scenario (by its share) and ' +
      "walks that tier's fallback chain through per-target circuit breakers",
  },
  ...BREAKER_OPTIONS,
  pricing: SHARED.pricing,
  allowImplausible: SHARED.allowImplausible,
  asOf: SHARED.asOf,
  runsPerMonth: withDefault(
    {
      flags: '--runs-per-month <n>',
      description: 'for the cost of the run per month: how often this probe runs',
      parse: count(1, 1_000_000),
    },
    '720',
    'hourly',
  ),
  assert: {
    flags: '--assert <expr>',
    description: `a gate; exit 3 when it fails; repeatable. ${ASSERT_HELP}`,
    parse: repeatable(assertion),
    default: [],
  },
  baseline: {
    flags: '--baseline <file>',
    description:
      'a saved run (--format json) to compare with: each metric by a Mann-Whitney ' +
      'U test; a significant regression is exit 3; gates may read baseline*1.2',
  },
  minEffect: withDefault(
    {
      flags: '--min-effect <pct>',
      description:
        'with --baseline: the smallest change of the median or p95 that counts as a regression',
      parse: unit(PERCENT_SPEC),
    },
    '10%',
  ),
  strictClient: {
    flags: '--strict-client',
    description:
      'with --baseline: a regression left inconclusive because the probe itself was saturated ' +
      'fails the run (exit 3) instead of being reported',
  },
  workers: {
    flags: '--workers <n>',
    description:
      'run the load on this many worker threads, each with its own client and event loop, so ' +
      'the probe is not what saturates first; 1 runs it on the main thread',
    parse: count(1, 64),
    defaultText: 'the available cores',
  },
  format: SHARED.format(formatsOf(PROBE_RENDERERS), 'table'),
  out: SHARED.out,
  samples: {
    flags: '--samples <file>',
    description: 'write one NDJSON line per attempt',
    output: true,
  },
  debug: DEBUG_OPTION,
});
export type ProbeOptionsCli = OptionsOf<typeof PROBE_OPTIONS>;

/** `probe merge`: the gates and outputs of a probe, over saved runs. */
export const MERGE_OPTIONS = defineOptions({
  assert: PROBE_OPTIONS.assert,
  baseline: PROBE_OPTIONS.baseline,
  minEffect: PROBE_OPTIONS.minEffect,
  strictClient: PROBE_OPTIONS.strictClient,
  format: PROBE_OPTIONS.format,
  out: PROBE_OPTIONS.out,
  debug: DEBUG_OPTION,
});
export type MergeOptionsCli = OptionsOf<typeof MERGE_OPTIONS>;

const OPEN_LOOP = 'it shapes an open-loop run';

/** The `probe` command in one place: what it is for, examples, flags and their rules. */
export const PROBE_SPEC = defineCommand({
  name: 'probe',
  summary: 'live latency percentiles and error rates of OpenAI-compatible endpoints, with CI gates',
  examples: [
    'ai-route probe --mock                                            # a full ' +
      'run against the built-in mock, no key',
    'ai-route probe --base-url https://global-apis.com/v1 --model ' +
      'deepseek-ai/DeepSeek-V4-Flash --requests 100',
    'ai-route probe --scenario hybrid --base-url $URL --assert "ttft.p95<800ms" ' +
      '--assert "error_rate<1%"',
    'ai-route probe --mock --format junit --out probe.xml --samples samples.ndjson',
  ],
  options: PROBE_OPTIONS,
  rules: [
    needs('mockProfile', 'mock'),
    needs('duration', 'rate', OPEN_LOOP),
    needs('maxInFlight', 'rate', OPEN_LOOP),
    needs(['arrivals', 'poisson'], 'rate', OPEN_LOOP),
    needs('failover', 'scenario', 'the drill walks its tiers and their fallback chains'),
    conflicts('failover', 'model', 'takes its targets from --scenario'),
  ],
  keepsWorkOnInterrupt: true,
});

/** The `merge` command in one place: what it is for, examples, flags and their rules. */
export const MERGE_SPEC = defineCommand({
  name: 'merge',
  args: ['<runs...>'],
  summary:
    'runs of a probe saved with --format json (from several machines, say) as ' +
    'one report, with its gates',
  examples: [
    'ai-route probe merge runner-1.json runner-2.json runner-3.json --assert "ttft.p99<2s"',
    'ai-route probe merge probe-*.json --format json --out probe.json',
  ],
  options: MERGE_OPTIONS,
});
