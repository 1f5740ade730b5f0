import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Big from 'big.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/run.js';

// `cost diff`: a throwaway git repository holds a scenario and a pricing file at one commit; the
// working copy changes a tier's share and a rate. Every cost is recomputed here from the two
// files' own numbers (volume x share x rate / 1M: the scenario bills every token at the output
// rate), and the base must be priced with the pricing file as the commit holds it.
const repo = mkdtempSync(join(tmpdir(), 'ai-route-cost-diff-'));
afterAll(() => rmSync(repo, { recursive: true, force: true }));
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });

const STAGES = [
  ['Small', 5_000_000],
  ['Large', 2_000_000_000],
] as const;
const scenario = (shares: readonly [string, string]) => `schema: ai-route/scenario@1
name: prod
setup:
  label: Two tiers
  tiers:
    cheap: { model: deepseek-ai/DeepSeek-V4-Flash, share: "${shares[0]}", fallback: [] }
    smart: { model: diff-test/smart, share: "${shares[1]}", fallback: [] }
baseline: { model: gpt-4o }
stages:
${STAGES.map(([name, v]) => `  - { name: ${name}, volume: ${v} }`).join('\n')}
`;
const prices = (rate: string) => `schema: ai-route/pricing@1
currency: USD
unit: usd_per_1m_tokens
models:
  diff-test/smart:
    provider: diff-test
    prices:
      - { effective_from: 2026-01-01, source: "a test's quote", output: "${rate}" }
`;
const BASE = { shares: ['0.9', '0.1'], smart: '3' } as const;
const HEAD = { shares: ['0.7', '0.3'], smart: '2.5' } as const;
const CHEAP = '0.25'; // pricing/global-api.yaml's DeepSeek V4 Flash, shipped

/** A tier's cost a month, from the files' numbers alone. */
const tierCost = (volume: number, share: string, rate: string) =>
  new Big(volume).times(share).times(rate).div(1_000_000);

beforeAll(() => {
  git('init', '-q');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'test');
  writeFileSync(join(repo, 'prod.yaml'), scenario(BASE.shares));
  writeFileSync(join(repo, 'prices.yaml'), prices(BASE.smart));
  git('add', '.');
  git('commit', '-qm', 'base');
  writeFileSync(join(repo, 'prod.yaml'), scenario(HEAD.shares));
  writeFileSync(join(repo, 'prices.yaml'), prices(HEAD.smart));
});

const diff = (args: string[]) =>
  runCli(['cost', 'diff', '--pricing', 'prices.yaml', ...args], { cwd: repo });

interface Json {
  schema: string;
  rows: Array<{ stage: string; tier: string | null } & Record<string, string | null>>;
  totals: Array<{ stage: string; base_tokens: number } & Record<string, unknown>>;
  gates: { failed: string[] };
}

describe('cost diff', () => {
  it('prices the commit with its own pricing, tier by tier, as the files say', async () => {
    const r = await diff(['--base', 'HEAD', '--head', 'prod.yaml', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Json;
    expect(out.schema).toBe('ai-route/cost-diff@1');
    for (const [stage, volume] of STAGES) {
      const base = {
        cheap: tierCost(volume, BASE.shares[0], CHEAP),
        smart: tierCost(volume, BASE.shares[1], BASE.smart),
      };
      const head = {
        cheap: tierCost(volume, HEAD.shares[0], CHEAP),
        smart: tierCost(volume, HEAD.shares[1], HEAD.smart),
      };
      for (const tier of ['cheap', 'smart'] as const) {
        const row = out.rows.find((x) => x.stage === stage && x.tier === tier)!;
        expect(new Big(row.base_cost!).eq(base[tier])).toBe(true);
        expect(new Big(row.head_cost!).eq(head[tier])).toBe(true);
        expect(new Big(row.delta!).eq(head[tier].minus(base[tier]))).toBe(true);
        const pct = head[tier].minus(base[tier]).div(base[tier]).times(100).round(6);
        expect(new Big(row.delta_pct!).eq(pct)).toBe(true);
      }
      const total = out.totals.find((t) => t.stage === stage)!;
      const [b, h] = [base.cheap.plus(base.smart), head.cheap.plus(head.smart)];
      expect(new Big(total.base_cost as string).eq(b)).toBe(true);
      expect(new Big(total.head_cost as string).eq(h)).toBe(true);
      expect(total.base_tokens).toBe(volume);
    }
  });

  it('gates: --fail-on-increase and --budget exit 3 naming the stage, else 0', async () => {
    // 0.9 x 0.25 + 0.1 x 3 = $0.525 per 1M before, 0.7 x 0.25 + 0.3 x 2.5 = $0.925 after: +76.19%
    const over = await diff([
      '--base',
      'HEAD:prod.yaml',
      '--head',
      'prod.yaml',
      '--fail-on-increase',
      '50',
    ]);
    expect(over.code).toBe(3);
    expect(over.stderr).toContain(
      'Large: +$800.00 (+76.2%), over the 50% --fail-on-increase limit',
    );
    expect(
      (await diff(['--base', 'HEAD', '--head', 'prod.yaml', '--fail-on-increase', '80'])).code,
    ).toBe(0);
    const budget = await diff(['--base', 'HEAD', '--head', 'prod.yaml', '--budget', '1000']);
    expect(budget.code).toBe(3);
    expect(budget.stderr).toContain('Large: $1,850.00 a month, over the $1,000.00 budget');
    expect(budget.stderr).not.toContain('Small');
  });

  it('saved cost --format json results are sides, with tiers when saved --explain', async () => {
    const saved = await runCli(
      [
        'cost',
        '--scenario',
        'prod.yaml',
        '--pricing',
        'prices.yaml',
        '--explain',
        '--format',
        'json',
        '--out',
        'head.json',
      ],
      { cwd: repo },
    );
    expect(saved.code).toBe(0);
    const r = await diff(['--base', 'HEAD:prod.yaml', '--head', 'head.json', '--format', 'json']);
    const fromFile = JSON.parse(r.stdout) as Json;
    const priced = JSON.parse(
      (await diff(['--base', 'HEAD', '--head', 'prod.yaml', '--format', 'json'])).stdout,
    ) as Json;
    expect(fromFile.rows).toEqual(priced.rows);
    // without --explain a saved result has no tiers: the diff is by stage
    await runCli(
      [
        'cost',
        '--scenario',
        'prod.yaml',
        '--pricing',
        'prices.yaml',
        '--format',
        'json',
        '--out',
        'flat.json',
      ],
      { cwd: repo },
    );
    const flat = JSON.parse(
      (await diff(['--base', 'HEAD:prod.yaml', '--head', 'flat.json', '--format', 'json'])).stdout,
    ) as Json;
    expect(flat.rows.map((x) => x.tier)).toEqual([null, null]);
    expect(flat.totals).toEqual(priced.totals);
  });

  it('markdown for a PR comment: the totals, each tier, what was compared', async () => {
    const r = await diff(['--base', 'HEAD', '--head', 'prod.yaml', '--format', 'markdown']);
    expect(r.stdout).toContain('| Stage | Tokens a month | Base | Head | Change | Change % |');
    expect(r.stdout).toContain('| Large | 2B | $1,050.00 | $1,850.00 | +$800.00 | +76.2% |');
    expect(r.stdout).toContain('| Large | smart | $600.00 | $1,500.00 | +$900.00 | +150.0% |');
    expect(r.stdout).toContain('- Base: Two tiers, from HEAD:./prod.yaml');
  });

  it('what it cannot compare is one line and exit 2', async () => {
    const cases: Array<[string[], string]> = [
      [
        ['--base', 'no-such-ref'],
        '--base no-such-ref: expected a scenario file, a saved cost --format json result, a ' +
          'git commit (main, a sha) or REF:path',
      ],
      [
        ['--base', 'HEAD:gone.yaml'],
        "--base HEAD:gone.yaml: fatal: path 'gone.yaml' does not exist in 'HEAD'",
      ],
    ];
    for (const [args, message] of cases) {
      const r = await diff([...args, '--head', 'prod.yaml']);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toEqual([`ai-route: ${message}`]);
    }
    // a commit alone with the shipped default scenario as the head: nothing to read at the commit
    const shipped = await diff(['--base', 'HEAD']);
    expect(shipped.code).toBe(2);
    expect(shipped.stderr).toContain('is not a file here: pass --head FILE');
    // a saved result of several setups
    await runCli(
      [
        'cost',
        '--model',
        'gpt-4o-mini',
        '--model',
        'deepseek-v4-flash',
        '--pricing',
        'litellm',
        '--format',
        'json',
        '--out',
        'two.json',
      ],
      { cwd: repo },
    );
    const two = await diff(['--base', 'two.json', '--head', 'prod.yaml']);
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('cost diff compares one setup');
    // a broken scenario at the commit is named as the commit's file
    writeFileSync(join(repo, 'bad.yaml'), scenario(['0.9', '0.2']));
    git('add', 'bad.yaml');
    git('commit', '-qm', 'bad');
    const bad = await diff(['--base', 'HEAD:bad.yaml', '--head', 'prod.yaml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('HEAD:bad.yaml');
    expect(bad.stderr).not.toContain(tmpdir());
  });
});
