import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { parse } from 'yaml';
import { type MockServer, startMock } from '../../src/io/mock/server.js';
import { IssueList } from '../../src/schema/issues.js';
import { validateMockProfile } from '../../src/schema/mock-profile.js';
import { type CliResult, runCli } from './run.js';

/** A mock on 127.0.0.1 (a free port) from a profile written inline as YAML; the profile must be valid. */
export async function mockFromYaml(yaml: string, seed = 1): Promise<MockServer> {
  const issues = new IssueList();
  const profile = validateMockProfile(parse(yaml), issues);
  expect(issues.items).toEqual([]);
  return startMock({ host: '127.0.0.1', port: 0, profile, seed });
}

/** `ai-route probe --format json --samples` in-process: the exit code, the parsed report and every sample line. */
export async function probeWithSamples(dir: string, args: string[], env: Record<string, string>): Promise<CliResult & { body: any; samples: any[] }> {
  const samples = join(dir, `samples-${Math.random().toString(36).slice(2)}.ndjson`);
  const result = await runCli(['probe', '--format', 'json', '--samples', samples, ...args], { env });
  const lines = readFileSync(samples, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  return { ...result, body: result.stdout ? JSON.parse(result.stdout) : undefined, samples: lines };
}
