import { countSpec } from '../units/spec.js';
import { InvalidArgumentError } from 'commander';
import {
  DEBUG_OPTION,
  type OptionsOf,
  SHARED,
  defineCommand,
  defineOptions,
  unit,
} from './options.js';

/**
 * A listen address: a name or IP with no spaces; an empty one would bind every interface without
 * saying so.
 */
export function listenHost(value: string): string {
  const host = value.trim().replace(/^\[(.*)\]$/, '$1');
  if (host === '' || /[\s/?#@]/.test(host))
    throw new InvalidArgumentError(
      `expected an address to listen on, such as 127.0.0.1, ::1 or 0.0.0.0, got "${value}"`,
    );
  return host;
}

/**
 * Addresses that listen on every interface: the mock is then reachable from the network, so the run
 * says so.
 */
export const EVERY_INTERFACE = new Set(['0.0.0.0', '::', '::0', '0:0:0:0:0:0:0:0']);

export const MOCK_OPTIONS = defineOptions({
  port: {
    flags: '--port <n>',
    description: 'port to listen on; 0 picks a free one',
    parse: unit(countSpec(0, 65535, 'a port')),
    default: 0,
  },
  host: {
    flags: '--host <address>',
    description: 'address to listen on (loopback by default; anything else exposes the mock)',
    parse: listenHost,
    default: '127.0.0.1',
  },
  profile: {
    flags: '--profile <file>',
    description:
      'latency and fault profile (YAML, ai-route/mock-profile@1); default: plausible ' +
      'latency, no faults',
  },
  seed: SHARED.seed('seed for latency draws and probabilistic faults, so runs repeat'),
  records: {
    flags: '--records <file>',
    description: 'on exit, write what the mock did per request as NDJSON',
    output: true,
  },
  quiet: { flags: '--quiet', description: 'no line per request on stderr' },
  debug: DEBUG_OPTION,
});
export type MockOptionsCli = OptionsOf<typeof MOCK_OPTIONS>;

/** The `mock` command in one place: what it is for, examples, flags and their rules. */
export const MOCK_SPEC = defineCommand({
  name: 'mock',
  summary: 'a local OpenAI-compatible endpoint with a known latency and fault profile',
  examples: [
    'ai-route mock                                   # prints http://127.0.0.1:PORT/v1, ' +
      'serves until Ctrl-C',
    'ai-route mock --port 8080 --profile faults.yaml --seed 7',
    'ai-route mock --records mock-records.ndjson     # keep what it did per request',
  ],
  options: MOCK_OPTIONS,
  keepsWorkOnInterrupt: true,
});
