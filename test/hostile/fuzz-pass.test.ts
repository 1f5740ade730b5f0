import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SECRETS, hostilePass, judge } from '../../scripts/hostile-fuzz.mjs';

// npm run bench -- hostile: the fuzz pass that starts each round of hardening from zero. Its
// judge must see each kind of finding, and a short seeded pass over the built CLI finds none.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'ai-route-fuzz-pass-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const quiet = { code: 0, signal: null, killed: false, stdout: '', stderr: '' };
const kinds = async (c: object, r: object, files: Record<string, string> = {}) => {
  const runDir = mkdtempSync(join(dir, 'run-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(runDir, name)), { recursive: true });
    writeFileSync(join(runDir, name), text);
  }
  const found: Array<[string, string]> = await judge(
    { kind: 'flags', argv: [], ...c },
    { ...quiet, ...r },
    runDir,
    [],
  );
  return found.map(([kind]) => kind);
};

describe('the hostile fuzz pass', () => {
  it('its judge sees crashes, leaks, unbounded runs, unclear errors, broken outputs', async () => {
    expect(await kinds({}, {})).toEqual([]);
    expect(await kinds({}, { code: 1, stderr: 'ai-route: unexpected error' })).toEqual(['crash']);
    expect(await kinds({}, { code: 2, stderr: 'x\n    at f (/a.js:1:2)' })).toEqual(['crash']);
    // --debug prints the stack on purpose
    expect(await kinds({ argv: ['--debug'] }, { code: 2, stderr: '    at f (/a.js:1:2)' })).toEqual(
      [],
    );
    expect(await kinds({}, { code: null, killed: true })).toEqual(['unbounded']);
    expect(await kinds({}, { stderr: `token=${SECRETS.TOKEN}` })).toEqual(['leak']);
    expect(await kinds({}, {}, { 'out/p.json': `{"u":"${SECRETS.PASSWORD}"}` })).toEqual(['leak']);
    expect(await kinds({ names: 'data-1.yaml' }, { code: 2, stderr: 'bad file' })).toEqual([
      'unclear',
    ]);
    const md = join(dir, 'deck.md');
    writeFileSync(md, '# Cost\n\n<script>alert(1)</script>\n');
    expect(await kinds({ valid: 'markdown', out: md }, {})).toEqual(['broken']);
    const csv = join(dir, 'cost.csv');
    writeFileSync(csv, 'stage,cost\r\n =1+1,5\r\n');
    expect(await kinds({ valid: 'csv', out: csv }, {})).toEqual(['broken']);
  });

  it('a short seeded pass over the built CLI: every kind runs, nothing is found', async () => {
    const r = await hostilePass({
      root,
      bin: join(root, 'bin', 'ai-route.cjs'),
      runs: 60,
      seed: 20261207,
      seconds: 240,
      jobs: 2,
    });
    const lines = r.findings.flatMap((f: any) =>
      f.found.map(([kind, why]: string[]) => `${kind}: ${why} (${f.c.argv.join(' ')})`),
    );
    expect(lines).toEqual([]);
    expect(r.ran).toBe(60);
    for (const [kind, t] of r.tally) expect(t.runs, kind).toBeGreaterThan(0);
    expect(r.requests).toBeGreaterThan(0);
  }, 300_000);
});
