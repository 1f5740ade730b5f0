import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_SEED } from '../../src/units/seed.js';
import { runCli } from '../helpers/run.js';

// Every value accepted on input is accepted again when replayed: a decision's recorded inputs,
// written back as an answers file, give the same decision; the flags of probe, mock and decide
// take the same seeds.
const dir = mkdtempSync(join(tmpdir(), 'ai-route-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const withoutDay = (json: string) => {
  const { as_of: _day, ...rest } = JSON.parse(json);
  return rest;
};

describe('replay', () => {
  it(
    'decide: the inputs a decision records replay to the same decision, at the ' +
      'edges of every range',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('startup', 'enterprise'),
          fc.oneof(fc.constantFrom(0, MAX_SEED), fc.integer({ min: 0, max: MAX_SEED })),
          fc.oneof(
            fc.constantFrom('1', '999999999999999', '5B', '1.5M'),
            fc.integer({ min: 1, max: 10 ** 12 }).map(String),
          ),
          fc.oneof(
            fc.constant(undefined),
            fc.constantFrom('0.01', '999999999999999.99', '50k'),
            fc.integer({ min: 1, max: 10 ** 9 }).map(String),
          ),
          async (preset, seed, volume, budget) => {
            const argv = [
              'decide',
              '--preset',
              preset,
              '--seed',
              String(seed),
              '--volume',
              volume,
              '--format',
              'json',
              ...(budget === undefined ? [] : ['--monthly-budget', budget]),
            ];
            const first = await runCli(argv);
            expect([0, 3], first.stderr).toContain(first.code);
            const recorded = JSON.parse(first.stdout).inputs;
            const answers = join(dir, 'answers.json');
            writeFileSync(answers, JSON.stringify({ schema: 'ai-route/answers@1', ...recorded }));
            const again = await runCli(['decide', '--answers', answers, '--format', 'json']);
            expect(again.code, again.stderr).toBe(first.code);
            expect(withoutDay(again.stdout)).toEqual(withoutDay(first.stdout));
          },
        ),
        { numRuns: 12 },
      );
    },
  );

  it('one seed range for every command and file: the largest taken, one more refused', async () => {
    for (const argv of [
      ['decide', '--preset', 'startup', '--format', 'json'],
      ['probe', '--mock', '--requests', '1', '--warmup', '0'],
    ]) {
      expect((await runCli([...argv, '--seed', String(MAX_SEED)])).code, argv[0]).toBe(0);
      const over = await runCli([...argv, '--seed', String(MAX_SEED + 1)]);
      expect(over.code, argv[0]).toBe(2);
      expect(over.stderr).toContain(`expected a whole number from 0 to ${MAX_SEED}`);
    }
    const mock = await runCli(['mock', '--seed', String(MAX_SEED + 1)]);
    expect(mock.code).toBe(2);
    const file = join(dir, 'seed.json');
    writeFileSync(
      file,
      JSON.stringify({ schema: 'ai-route/answers@1', preset: 'startup', seed: MAX_SEED + 1 }),
    );
    const fromFile = await runCli(['decide', '--answers', file]);
    expect(fromFile.code).toBe(2);
    expect(fromFile.stderr).toContain('seed');
  });
});
