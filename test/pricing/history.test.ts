import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LITELLM_2025, realText } from '../helpers/real.js';
import { runCli } from '../helpers/run.js';

// A real price history: LiteLLM's map of 2025-08-30 and of 2026-02-27, merged into one catalog.
// Between them Claude Sonnet 4 gained a >200k-token tier at twice the price.
const dir = mkdtempSync(join(tmpdir(), 'ai-route-history-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SONNET = 'anthropic/claude-sonnet-4-20250514';
const catalog = join(dir, 'catalog.json');
const [old, recent] = [join(dir, 'old.json'), join(dir, 'new.json')];
let mergeLog = '';

beforeAll(async () => {
  const [raw2025, raw2026] = [join(dir, 'litellm-2025.json'), join(dir, 'litellm-2026.json')];
  writeFileSync(raw2025, realText(LITELLM_2025));
  writeFileSync(raw2026, realText('litellm'));
  for (const [raw, day, out] of [
    [raw2025, '2025-08-30', catalog],
    [raw2025, '2025-08-30', old],
    [raw2026, '2026-02-27', recent],
  ] as const)
    expect(
      (
        await runCli([
          'pricing',
          'import',
          '--from',
          'litellm',
          raw,
          '--effective-from',
          day,
          '--out',
          out,
        ])
      ).code,
    ).toBe(0);
  const merged = await runCli([
    'pricing',
    'import',
    '--from',
    'litellm',
    raw2026,
    '--effective-from',
    '2026-02-27',
    '--into',
    catalog,
  ]);
  expect(merged.code, merged.stderr).toBe(0);
  mergeLog = merged.stderr;
});

const models = () => JSON.parse(readFileSync(catalog, 'utf8')).models;
const scenario = (model: string) => {
  const path = join(dir, `${model.replace(/\W/g, '_')}.yaml`);
  writeFileSync(
    path,
    `schema: ai-route/scenario@1\nname: long prompts\nsetup: {label: one model, ` +
      `tiers: {default: {model: ${model}, share: "1", fallback: []}}}\nbaseline: ${model}\n` +
      (`token_mix: {input: "0.75", output: "0.25", input_tokens_per_request: 300000}\nstages: ` +
        `[{name: one, volume: 4M}]\n`),
  );
  return path;
};

describe('pricing import --into: snapshots build a history', () => {
  it('adds a dated price only where a rate changed, and says how many', () => {
    const m = models();
    expect(
      m[SONNET].prices.map((p: any) => [p.effective_from, p.input, p.context_tiers?.[0]?.input]),
    ).toEqual([
      ['2025-08-30', '3', undefined],
      ['2026-02-27', '3', '6'],
    ]);
    const once = Object.values<any>(m).filter((x) => x.prices.length === 1).length;
    const twice = Object.values<any>(m).filter((x) => x.prices.length === 2).length;
    expect(once).toBeGreaterThan(1000);
    expect(twice).toBeGreaterThan(100);
    expect(mergeLog).toMatch(
      new RegExp(
        `as of 2026-02-27: [\\d,]+ new models, ${twice} new dated prices, [\\d,]+ unchanged`,
      ),
    );
    expect(
      JSON.parse(readFileSync(catalog, 'utf8')).generated_from.map((g: any) => g.imported_on),
    ).toEqual(['2025-08-30', '2026-02-27']);
  });

  it('adds nothing when the same snapshot comes again later', async () => {
    const before = models();
    const again = join(dir, 'again.json');
    writeFileSync(join(dir, 'same.json'), realText('litellm'));
    const r = await runCli([
      'pricing',
      'import',
      '--from',
      'litellm',
      join(dir, 'same.json'),
      '--effective-from',
      '2026-03-10',
      '--into',
      catalog,
      '--out',
      again,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/: 0 new models, 0 new dated prices, [\d,]+ unchanged/);
    expect(JSON.parse(readFileSync(again, 'utf8')).models).toEqual(before);
  });

  it('prices each day with the rates then in force: cost --as-of', async () => {
    const cost = async (asOf: string) => {
      const r = await runCli([
        'cost',
        '--pricing',
        catalog,
        '--scenario',
        scenario(SONNET),
        '--as-of',
        asOf,
        '--explain',
        '--format',
        'json',
      ]);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout).rows[0].parts.map((p: any) => [p.line, p.rate]);
    };
    // prompts of 300k tokens: before the tier, the base rates; after, the whole request at the
    // >200k rates
    expect(await cost('2025-12-01')).toEqual([
      ['input', '3'],
      ['output', '15'],
    ]);
    expect(await cost('2026-03-01')).toEqual([
      ['input', '6'],
      ['output', '22.5'],
    ]);
    const early = await runCli([
      'cost',
      '--pricing',
      catalog,
      '--scenario',
      scenario(SONNET),
      '--as-of',
      '2025-08-01',
    ]);
    expect(early.code).toBe(2);
    expect(early.stderr).toContain(
      `"${SONNET}" has no price in force on 2025-08-01 (earliest 2025-08-30`,
    );
  });
});

describe('pricing diff on real snapshots', () => {
  it(
    'lists the new tier and the new 1-hour cache rate as structure, the same ' +
      'from two files or one history',
    async () => {
      const twoFiles = JSON.parse(
        (await runCli(['pricing', 'diff', old, recent, '--format', 'json'])).stdout,
      );
      const history = JSON.parse(
        (
          await runCli([
            'pricing',
            'diff',
            catalog,
            '--since',
            '2025-09-01',
            '--as-of',
            '2026-03-01',
            '--format',
            'json',
          ])
        ).stdout,
      );
      const sonnet = (d: any) => d.changed.filter((c: any) => c.model === SONNET);
      expect(sonnet(twoFiles)).toEqual([
        { model: SONNET, kind: 'rate_added', price: 'cache_write_1h', old: null, new: '6' },
        {
          model: SONNET,
          kind: 'tier_added',
          above_input_tokens: 200000,
          rates: { input: '6', output: '22.5', cache_read: '0.6', cache_write: '7.5' },
        },
      ]);
      expect(sonnet(history)).toEqual(sonnet(twoFiles));
      expect(history).toMatchObject({ since: '2025-09-01', as_of: '2026-03-01' });
      // one history's diff sees the models the later snapshot added, and no model as removed
      // (history is kept)
      expect(history.added.length).toBe(twoFiles.added.length);
      expect(history.removed).toEqual([]);
    },
  );

  it('--fail-on-increase counts a new tier and a new rate as increases (exit 3)', async () => {
    const r = await runCli([
      'pricing',
      'diff',
      catalog,
      '--since',
      '2025-09-01',
      '--as-of',
      '2026-03-01',
      '--fail-on-increase',
      '10',
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      `ai-route: price increase over 10%: ${SONNET} a new long-context tier: requests ` +
        `over 200K input tokens billed at input $6.00, output $22.50, cache_read ` +
        `$0.60, cache_write $7.50`,
    );
    expect(r.stderr).toContain(
      `ai-route: price increase over 10%: ${SONNET} cache_write_1h new at $6 per ` +
        `1M (it had no such rate)`,
    );
    // a source's own fix of a unit slip shows as what it is: 100x
    expect(r.stderr).toContain(
      'ai-route: price increase over 10%: oci/xai.grok-3 output $0.15 -> $15 per 1M (+9900.0%)',
    );
  });

  it('sees no change between a day and itself, and refuses --since after --as-of', async () => {
    const same = JSON.parse(
      (
        await runCli([
          'pricing',
          'diff',
          catalog,
          '--since',
          '2026-03-01',
          '--as-of',
          '2026-03-01',
          '--format',
          'json',
        ])
      ).stdout,
    );
    expect([same.added.length, same.removed.length, same.changed.length]).toEqual([0, 0, 0]);
    const wrong = await runCli([
      'pricing',
      'diff',
      catalog,
      '--since',
      '2026-03-01',
      '--as-of',
      '2025-09-01',
    ]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr.trim()).toBe('ai-route: --since 2026-03-01 is after --as-of 2025-09-01');
    const alone = await runCli(['pricing', 'diff', catalog]);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('pricing diff needs two catalogs, or one and --since DATE');
  });
});
