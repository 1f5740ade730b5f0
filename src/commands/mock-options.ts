import { DEBUG_OPTION, type OptionSpec, parser, seedParser } from './options.js';

export interface MockOptionsCli {
  port: number;
  host: string;
  profile?: string;
  seed: number;
  records?: string;
  quiet?: boolean;
}

const port = parser((text) => (/^\d{1,5}$/.test(text) && Number(text) <= 65535 ? Number(text) : { error: 'expected a port from 0 to 65535 (0 picks a free one)' }));

export const MOCK_OPTIONS: readonly OptionSpec[] = [
  { flags: '--port <n>', description: 'port to listen on; 0 picks a free one', parse: port, defaultValue: 0 },
  { flags: '--host <address>', description: 'address to listen on (loopback by default; anything else exposes the mock)', defaultValue: '127.0.0.1' },
  { flags: '--profile <file>', description: 'latency and fault profile (YAML, ai-route/mock-profile@1); default: plausible latency, no faults' },
  { flags: '--seed <n>', description: 'seed for latency draws and probabilistic faults, so runs repeat', parse: seedParser, defaultValue: 1 },
  { flags: '--records <file>', description: 'on exit, write what the mock did per request as NDJSON' },
  { flags: '--quiet', description: 'no line per request on stderr' },
  DEBUG_OPTION,
];
