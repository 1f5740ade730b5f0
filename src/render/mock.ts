import type { MockRecord } from '../domain/mock.js';
import { formatFixed } from './format.js';

/** The mock's line per request on stderr: what it did, its first-token time and its tokens. */
export function mockLogLine(r: MockRecord): string {
  const first = r.events.find((e) => e.type === 'reasoning' || e.type === 'content');
  const ttft = first === undefined ? '-' : `${formatFixed(first.at_ms, 1)} ms`;
  return (
    `mock: #${r.n} ${r.model} ${r.stream ? 'stream' : 'whole'} status ` +
    `${r.status}${r.fault ? ` fault ${r.fault}` : ''} ttft ${ttft} tokens ` +
    `${r.output_tokens}${r.client_closed ? ' (client closed)' : ''}`
  );
}
