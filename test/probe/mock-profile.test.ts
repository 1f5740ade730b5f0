import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli } from '../helpers/run.js';

const dir = mkdtempSync(join(tmpdir(), 'ai-route-mock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (text: string) => {
  const path = join(dir, `profile-${n++}.yaml`);
  writeFileSync(path, text);
  return path;
};

describe('mock profiles', () => {
  it('lists every problem of a profile with line, column and path; does not start', async () => {
    const path = file(
      [
        'schema: ai-route/mock-profile@1',
        'defaults:',
        '  ttft: {dist: gamma, ms: 5}',
        '  per_token: {dist: uniform, min_ms: 20, max_ms: 10}',
        '  output_tokens: 0',
        'models:',
        '  m:',
        '    faults:',
        '      - {kind: explode, probability: 0.5}',
        '      - {kind: rate_limit, probability: 2, requests: [1]}',
        '      - {kind: rate_limit, requests: [1], retry_after: {minutes: 1}}',
      ].join('\n'),
    );
    const result = await runCli(['mock', '--profile', path]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr
      .trimEnd()
      .split('\n')
      .map((l) => l.replace(/^.*?\.yaml:/, ''));
    expect(lines).toEqual([
      expect.stringMatching(
        /^3:\d+: defaults\.ttft\.dist: expected one of constant, uniform, normal, lognormal, got "gamma"$/,
      ),
      expect.stringMatching(/^4:\d+: defaults\.per_token: min_ms must not exceed max_ms$/),
      expect.stringMatching(
        /^5:\d+: defaults\.output_tokens: expected output tokens \(a whole number from 1 to 100000\), got number 0$/,
      ),
      expect.stringMatching(
        /^9:\d+: models\.m\.faults\[0\]\.kind: expected one of rate_limit, .*, got "explode"$/,
      ),
      expect.stringMatching(
        /^10:\d+: models\.m\.faults\[1\]: expected exactly one of probability, requests or window_ms$/,
      ),
      expect.stringMatching(
        /^10:\d+: models\.m\.faults\[1\]\.probability: expected a probability from 0 to 1, got 2$/,
      ),
      expect.stringMatching(
        /^11:\d+: models\.m\.faults\[2\]\.retry_after\.minutes: unknown key "minutes"; allowed: seconds, ms, http_date_in_s$/,
      ),
    ]);
  });

  it('rejects garbage profiles with exit 2, naming the file, never a stack trace', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 120 }),
          fc.jsonValue({ maxDepth: 4 }).map((v) => stringify(v)),
        ),
        async (text) => {
          const path = file(text);
          const result = await runCli(['mock', '--profile', path]);
          expect(result.code).toBe(2);
          expect(result.stderr).toContain(path.slice(dir.length + 1));
          expect(result.stderr).not.toMatch(/\n\s+at /);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('a fault with an unknown retry_after unit', () => {
  it('is refused, not served with a made-up Retry-After', async () => {
    const { validateMockProfile } = await import('../../src/schema/mock-profile.js');
    const { IssueList } = await import('../../src/schema/issues.js');
    const issues = new IssueList();
    const profile = validateMockProfile(
      {
        schema: 'ai-route/mock-profile@1',
        defaults: { faults: [{ kind: 'rate_limit', requests: [1], retry_after: { minutes: 1 } }] },
      },
      issues,
    );
    expect(issues.items.map((i) => i.message)).toEqual([
      'unknown key "minutes"; allowed: seconds, ms, http_date_in_s',
    ]);
    expect(profile.defaults.faults[0]?.retry_after).toBeUndefined();
  });
});
