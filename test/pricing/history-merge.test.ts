import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LITELLM_2026_04, LITELLM_2026_07, realText } from '../helpers/real.js';
import { runCli } from '../helpers/run.js';

// Three real LiteLLM maps of 2026 (test/fixtures/real/README.md), merged one after the other into
// a catalog that does not exist yet. Between the first two, a model appeared under a name the first
// import held as an alias, and mistral-large-latest's price fell to a quarter.
const dir = mkdtempSync(join(tmpdir(), 'ai-route-history-merge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const catalog = join(dir, 'catalog.json');
const SNAPSHOTS = [
  ['litellm', '2026-02-27'],
  [LITELLM_2026_04, '2026-04-14'],
  [LITELLM_2026_07, '2026-07-24'],
] as const;
const logs: string[] = [];

const merge = (raw: string, day: string) =>
  runCli([
    'pricing',
    'import',
    '--from',
    'litellm',
    raw,
    '--effective-from',
    day,
    '--into',
    catalog,
  ]);

beforeAll(async () => {
  for (const [fixture, day] of SNAPSHOTS) {
    const raw = join(dir, `litellm-${day}.json`);
    writeFileSync(raw, realText(fixture));
    const r = await merge(raw, day);
    expect(r.code, r.stderr).toBe(0);
    logs.push(r.stderr);
  }
}, 60_000);

describe('a history built from real snapshots with --into', () => {
  it('starts the catalog when --into names a file that does not exist yet', () => {
    expect(logs[0]).not.toMatch(/merged into/);
    expect(logs[0]).toMatch(/imported 2,180 models/);
  });

  it('writes a catalog ai-route itself accepts after every merge', async () => {
    const v = await runCli(['pricing', 'validate', catalog]);
    expect(v.code, v.stderr).toBe(0);
  });

  it('gives a name that became a model to it: an exact id wins, the drop noted once', () => {
    const models = JSON.parse(readFileSync(catalog, 'utf8')).models;
    const id = 'gemini/gemini-2.5-flash-image';
    expect(models[id]).toBeDefined();
    const holders = Object.entries(models).filter(([, m]) =>
      ((m as { aliases?: string[] }).aliases ?? []).includes(id),
    );
    expect(holders).toEqual([]);
    const notes = logs.join('').match(/gemini\/gemini-2\.5-flash-image \(now the id/g) ?? [];
    expect(notes).toHaveLength(1);
    expect(logs[1]).toMatch(/1 alias dropped by the merge, an exact id winning over an alias/);
  });

  it('prices each day at the price then in force: both sides of a real price change', async () => {
    const cost = async (day: string) => {
      const r = await runCli([
        'cost',
        '--pricing',
        catalog,
        '--model',
        'mistral/mistral-large-latest',
        '--volume',
        '1M',
        '--input-share',
        '50%',
        '--as-of',
        day,
        '--format',
        'json',
      ]);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout).rows[0].cost;
    };
    // 0.5M input and 0.5M output tokens at $2/$6 before, $0.50/$1.50 after (the snapshots' rates)
    expect(await cost('2026-03-01')).toBe('4');
    expect(await cost('2026-04-14')).toBe('1');
    expect(await cost('2026-07-30')).toBe('1');
  });

  it('leaves the catalog as it was when the same snapshot is merged again', async () => {
    const before = readFileSync(catalog, 'utf8');
    const mtime = statSync(catalog).mtimeMs;
    const raw = join(dir, 'litellm-2026-07-24.json');
    const r = await merge(raw, '2026-07-24');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/already holds this import: left as it was/);
    expect(readFileSync(catalog, 'utf8')).toBe(before);
    expect(statSync(catalog).mtimeMs).toBe(mtime);
    expect(JSON.parse(before).generated_from).toHaveLength(3);
    // the same bytes under another name, on another day: the same snapshot, still nothing to do
    const copy = join(dir, 'renamed-copy.json');
    writeFileSync(copy, readFileSync(raw));
    const again = await runCli(
      [
        'pricing',
        'import',
        '--from',
        'litellm',
        copy,
        '--effective-from',
        '2026-07-24',
        '--into',
        catalog,
      ],
      { now: new Date('2026-12-01T09:00:00Z') },
    );
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/already holds this import: left as it was/);
    expect(statSync(catalog).mtimeMs).toBe(mtime);
    expect(JSON.parse(readFileSync(catalog, 'utf8')).generated_from).toHaveLength(3);
  });

  it('refuses an --into catalog ai-route would refuse, at its place; writes nothing', async () => {
    const bad = join(dir, 'clash.json');
    const text = JSON.stringify({
      schema: 'ai-route/pricing@1',
      models: {
        a: {
          provider: 'p',
          aliases: ['b'],
          prices: [{ effective_from: '2026-01-01', source: 's', output: '1' }],
        },
        b: { provider: 'p', prices: [{ effective_from: '2026-01-01', source: 's', output: '2' }] },
      },
    });
    writeFileSync(bad, text);
    const raw = join(dir, 'litellm-2026-07-24.json');
    const r = await runCli(['pricing', 'import', '--from', 'litellm', raw, '--into', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /clash\.json:\d+:\d+: models\.a\.aliases\[0\]: alias "b" already names model "b"/,
    );
    expect(readFileSync(bad, 'utf8')).toBe(text);
    expect(existsSync(`${bad}.tmp`)).toBe(false);
  });
});
