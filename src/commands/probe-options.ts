import { type Assertion, ASSERT_HELP, parseAssertion } from '../core/gates.js';
import { DEBUG_OPTION, type OptionSpec, SHARED, parser, repeatable } from './options.js';

export const PROBE_FORMATS = ['table', 'json', 'junit', 'markdown'] as const;

export interface ProbeOptionsCli {
  model: string[];
  baseUrl?: string;
  scenario?: string;
  mock?: boolean;
  mockProfile?: string;
  seed: number;
  requests: number;
  concurrency: number;
  warmup: number;
  maxTokens: number;
  prompt: string;
  stream: boolean;
  header: string[];
  apiKeyEnv?: string;
  connectTimeout: number;
  ttftTimeout: number;
  idleTimeout: number;
  timeout: number;
  retries: number;
  maxRetryWait: number;
  assert: Assertion[];
  format: (typeof PROBE_FORMATS)[number];
  out?: string;
  samples?: string;
  rate?: number;
  duration?: number;
  arrivals: 'constant' | 'poisson';
  maxInFlight?: number;
  failover?: boolean;
  breakerFailureShare?: number;
  breakerWindow?: number;
  breakerMinRequests?: number;
  breakerCooldown?: number;
  pricing: string[];
  asOf?: string;
  runsPerMonth: number;
  debug?: boolean;
}

/** "800ms", "2s", "1.5s" or plain milliseconds. */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(text);
  if (!m) return undefined;
  const value = Number(m[1]) * (m[2] === 's' ? 1000 : m[2] === 'm' ? 60_000 : 1);
  return value > 0 && value <= 3_600_000 ? value : undefined;
}

const count = (min: number, max: number) =>
  parser((text) => (/^\d+$/.test(text.trim()) && Number(text) >= min && Number(text) <= max ? Number(text) : { error: `expected a whole number from ${min} to ${max}` }));
const duration = parser((text) => parseDuration(text) ?? { error: 'expected a duration such as 800ms, 2s or 1.5s (up to 1 hour)' });
const rate = parser((text) => (/^\d+(\.\d+)?$/.test(text.trim()) && Number(text) > 0 && Number(text) <= 100_000 ? Number(text) : { error: 'expected requests per second, above 0 and at most 100000' }));
const share = parser((text) => (/^(0(\.\d+)?|1(\.0+)?)$/.test(text.trim()) && Number(text) > 0 ? Number(text) : { error: 'expected a share above 0 and at most 1, such as 0.5' }));
const header = parser((text) => (/^[A-Za-z0-9!#$%&'*+.^_`|~-]+\s*:\s*\S/.test(text) ? text : { error: "expected 'Name: value'" }));
const assertion = parser((text) => {
  const parsed = parseAssertion(text);
  return parsed.ok ? parsed.assertion : { error: parsed.reason };
});

export const PROBE_OPTIONS: readonly OptionSpec[] = [
  { flags: '--model <id>', description: 'a model to probe at --base-url; repeatable', parse: repeatable((v) => v), defaultValue: [] },
  { flags: '--base-url <url>', description: 'the OpenAI-compatible base URL, such as https://global-apis.com/v1' },
  { flags: '--scenario <file|name>', description: "probe each tier of a scenario (its endpoint, or --base-url)" },
  { flags: '--mock', description: 'start the built-in mock endpoint and probe it: a full run with no key and no network' },
  { flags: '--mock-profile <file>', description: 'with --mock: its latency and fault profile' },
  { flags: '--seed <n>', description: 'with --mock: the seed of its latency draws and faults', parse: count(0, 2 ** 31), defaultValue: 1 },
  { flags: '--requests <n>', description: 'measured requests per target', parse: count(1, 1_000_000), defaultValue: 20 },
  { flags: '--concurrency <n>', description: 'requests in flight at once per target', parse: count(1, 1024), defaultValue: 1 },
  { flags: '--warmup <n>', description: 'requests per target sent first and reported apart', parse: count(0, 10_000), defaultValue: 1 },
  { flags: '--max-tokens <n>', description: 'max_tokens of each request', parse: count(1, 1_000_000), defaultValue: 64 },
  { flags: '--prompt <text>', description: 'the user message of each request', defaultValue: 'Write one sentence about latency.' },
  { flags: '--stream', description: 'stream the responses (the default)', defaultValue: true },
  { flags: '--no-stream', description: 'ask for whole responses (TTFT is then the whole response)' },
  { flags: "--header <'Name: value'>", description: 'an extra request header, for gateways; repeatable', parse: repeatable(header), defaultValue: [] },
  { flags: '--api-key-env <name>', description: 'read the API key from this variable (default: AI_ROUTE_API_KEY, then OPENAI_API_KEY)' },
  { flags: '--connect-timeout <dur>', description: 'deadline until the response headers', parse: duration, defaultValue: 10_000 },
  { flags: '--ttft-timeout <dur>', description: 'deadline from the headers to the first token', parse: duration, defaultValue: 30_000 },
  { flags: '--idle-timeout <dur>', description: 'deadline between two chunks of a stream', parse: duration, defaultValue: 30_000 },
  { flags: '--timeout <dur>', description: 'deadline for the whole request; failed requests count as this long', parse: duration, defaultValue: 60_000 },
  { flags: '--retries <n>', description: "the probe's own retries of 429, 5xx, timeouts and network errors", parse: count(0, 10), defaultValue: 0 },
  { flags: '--max-retry-wait <dur>', description: 'cap on a Retry-After or backoff wait', parse: duration, defaultValue: 30_000 },
  { flags: '--rate <rps>', description: 'open loop: send at this many requests per second whatever the responses do', parse: rate },
  { flags: '--duration <dur>', description: 'open loop: send for this long (instead of --requests), such as 30s', parse: duration },
  { flags: '--arrivals <kind>', description: 'open loop: evenly spaced, or a seeded Poisson process (--seed)', choices: ['constant', 'poisson'], defaultValue: 'constant' },
  { flags: '--max-in-flight <n>', description: 'open loop: cap requests in flight; sends it delays are counted and reported', parse: count(1, 100_000) },
  { flags: '--failover', description: "the drill: each request starts at a tier of --scenario (by its share) and walks that tier's fallback chain through per-target circuit breakers" },
  { flags: '--breaker-failure-share <x>', description: 'drill: failure share of the rolling window that opens a breaker (default 0.5)', parse: share },
  { flags: '--breaker-window <dur>', description: 'drill: rolling window of the breaker (default 10s)', parse: duration },
  { flags: '--breaker-min-requests <n>', description: 'drill: attempts the window needs before it can open (default 5)', parse: count(1, 1_000_000) },
  { flags: '--breaker-cooldown <dur>', description: 'drill: time open before one trial (half-open) (default 5s)', parse: duration },
  SHARED.pricing,
  SHARED.asOf,
  { flags: '--runs-per-month <n>', description: 'for the cost of the run per month: how often this probe runs (default 720, hourly)', parse: count(1, 1_000_000), defaultValue: 720 },
  { flags: '--assert <expr>', description: `a gate; exit 3 when it fails; repeatable. ${ASSERT_HELP}`, parse: repeatable(assertion), defaultValue: [] },
  SHARED.format(PROBE_FORMATS, 'table'),
  SHARED.out,
  { flags: '--samples <file>', description: 'write one NDJSON line per attempt' },
  DEBUG_OPTION,
];
