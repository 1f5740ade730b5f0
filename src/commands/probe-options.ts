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
  { flags: '--assert <expr>', description: `a gate; exit 3 when it fails; repeatable. ${ASSERT_HELP}`, parse: repeatable(assertion), defaultValue: [] },
  SHARED.format(PROBE_FORMATS, 'table'),
  SHARED.out,
  { flags: '--samples <file>', description: 'write one NDJSON line per attempt' },
  DEBUG_OPTION,
];
