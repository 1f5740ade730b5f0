import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { parse } from 'yaml';
import { type MockServer, startMock } from '../../src/io/mock/server.js';
import { IssueList } from '../../src/schema/issues.js';
import { validateMockProfile } from '../../src/schema/mock-profile.js';
import { type CliResult, runCli } from './run.js';

/**
 * A mock on 127.0.0.1 (a free port) from a profile written inline as YAML; the profile must be
 * valid.
 */
export async function mockFromYaml(yaml: string, seed = 1): Promise<MockServer> {
  const issues = new IssueList();
  const profile = validateMockProfile(parse(yaml), issues);
  expect(issues.items).toEqual([]);
  return startMock({ host: '127.0.0.1', port: 0, profile, seed });
}

/** Runs `body` against a mock of the profile, closing it whatever happens. */
export async function withMock<T>(
  yaml: string,
  body: (mock: MockServer) => Promise<T>,
  seed = 1,
): Promise<T> {
  const mock = await mockFromYaml(yaml, seed);
  try {
    return await body(mock);
  } finally {
    await mock.close();
  }
}

/**
 * A mock profile with the given TTFT distribution, 4 tokens 1 ms apart, and any extra YAML lines.
 */
export const probeProfile = (ttft: string, extra = '') =>
  `schema: ai-route/mock-profile@1\ndefaults:\n  ttft: ${ttft}\n  per_token: ` +
  `{dist: constant, ms: 1}\n  output_tokens: 4\n${extra}`;

/**
 * A 60-request probe of a fresh mock saved with --format json --out: what a baseline comparison
 * reads.
 */
export function savedRun(
  dir: string,
  yaml: string,
  seed: number,
  env: Record<string, string>,
  extra: string[] = [],
) {
  return withMock(
    yaml,
    async (mock) => {
      const out = join(dir, `run-${seed}-${Math.random().toString(36).slice(2)}.json`);
      const r = await runCli(
        [
          'probe',
          '--base-url',
          mock.url,
          '--model',
          'm',
          '--requests',
          '60',
          '--concurrency',
          '12',
          '--warmup',
          '0',
          '--format',
          'json',
          '--out',
          out,
          ...extra,
        ],
        { env },
      );
      return { ...r, file: out, body: JSON.parse(readFileSync(out, 'utf8')) };
    },
    seed,
  );
}

/**
 * `ai-route probe --format json --samples` in-process: the exit code, the parsed report and every
 * sample line.
 */
export async function probeWithSamples(
  dir: string,
  args: string[],
  env: Record<string, string>,
): Promise<CliResult & { body: any; samples: any[] }> {
  const samples = join(dir, `samples-${Math.random().toString(36).slice(2)}.ndjson`);
  const result = await runCli(['probe', '--format', 'json', '--samples', samples, ...args], {
    env,
  });
  const lines = readFileSync(samples, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  return { ...result, body: result.stdout ? JSON.parse(result.stdout) : undefined, samples: lines };
}
