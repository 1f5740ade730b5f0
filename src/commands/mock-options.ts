import { countSpec } from '../units/spec.js';
import { DEBUG_OPTION, type OptionsOf, SHARED, defineOptions, unit } from './options.js';

export const MOCK_OPTIONS = defineOptions({
  port: { flags: '--port <n>', description: 'port to listen on; 0 picks a free one', parse: unit(countSpec(0, 65535, 'a port')), default: 0 },
  host: { flags: '--host <address>', description: 'address to listen on (loopback by default; anything else exposes the mock)', default: '127.0.0.1' },
  profile: { flags: '--profile <file>', description: 'latency and fault profile (YAML, ai-route/mock-profile@1); default: plausible latency, no faults' },
  seed: SHARED.seed('seed for latency draws and probabilistic faults, so runs repeat'),
  records: { flags: '--records <file>', description: 'on exit, write what the mock did per request as NDJSON', output: true },
  quiet: { flags: '--quiet', description: 'no line per request on stderr' },
  debug: DEBUG_OPTION,
});
export type MockOptionsCli = OptionsOf<typeof MOCK_OPTIONS>;
