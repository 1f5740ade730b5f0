import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ANSI, ROOT, runCli } from './helpers/run.js';

const dir = mkdtempSync(join(tmpdir(), 'ai-route-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function json(argv: string[]) {
  const result = await runCli([...argv, '--format', 'json']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
}

describe('golden output of the default scenario', () => {
  for (const [format, ext] of [
    ['table', 'txt'],
    ['markdown', 'md'],
    ['csv', 'csv'],
    ['json', 'json'],
  ] as const) {
    it(`renders ${format}`, async () => {
      const result = await runCli(['cost', '--format', format]);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      await expect(result.stdout).toMatchFileSnapshot(`./golden/cost-default.${ext}`);
    });
  }

  it('renders the hybrid scenario with --explain', async () => {
    const result = await runCli([
      'cost',
      '--scenario',
      'hybrid',
      '--volume',
      '500M',
      '--explain',
      '--format',
      'markdown',
    ]);
    expect(result.code).toBe(0);
    await expect(result.stdout).toMatchFileSnapshot('./golden/cost-hybrid-explain.md');
  });

  it('renders a monthly projection with its cumulative total', async () => {
    const result = await runCli(['cost', '--months', '12', '--growth', '15', '--volume', '50M']);
    expect(result.code).toBe(0);
    await expect(result.stdout).toMatchFileSnapshot('./golden/cost-months.txt');
  });
});

describe('ai-route cost', () => {
  it('reproduces the seed article table to the cent', async () => {
    const body = await json(['cost']);
    expect(body.schema).toBe('ai-route/cost@1');
    expect(body.currency).toBe('USD');
    expect(body.baseline).toBe('gpt-4o');
    expect(
      body.rows.map((r: any) => [
        r.stage,
        r.tokens,
        r.model,
        r.cost,
        r.baseline_cost,
        r.savings_pct,
      ]),
    ).toEqual([
      ['MVP (100 users)', 5_000_000, 'deepseek-ai/DeepSeek-V4-Flash', '1.25', '50', '97.5'],
      ['Beta (1K users)', 50_000_000, 'deepseek-ai/DeepSeek-V4-Flash', '12.5', '500', '97.5'],
      ['Launch (10K)', 500_000_000, 'deepseek-ai/DeepSeek-V4-Flash', '125', '5000', '97.5'],
      ['Growth (100K)', 5_000_000_000, 'deepseek-ai/DeepSeek-V4-Flash', '1250', '50000', '97.5'],
    ]);
  });

  it('prices each --volume for each --model against --baseline, by id or alias', async () => {
    const body = await json([
      'cost',
      '--volume',
      '1.5k',
      '--volume',
      '2.5e9',
      '--model',
      'qwen3-32b',
      '--model',
      'moonshotai/Kimi-K2.5',
      '--baseline',
      'openai/gpt-4o',
    ]);
    expect(body.baseline).toBe('gpt-4o');
    expect(
      body.rows.map((r: any) => [r.stage, r.tokens, r.model, r.cost, r.baseline_cost]),
    ).toEqual([
      [null, 1_500, 'Qwen/Qwen3-32B', '0.00042', '0.015'],
      [null, 1_500, 'moonshotai/Kimi-K2.5', '0.00375', '0.015'],
      [null, 2_500_000_000, 'Qwen/Qwen3-32B', '700', '25000'],
      [null, 2_500_000_000, 'moonshotai/Kimi-K2.5', '6250', '25000'],
    ]);
  });

  it('never matches a model by substring, and suggests the closest ids', async () => {
    for (const ref of ['gpt', 'gpt-4', 'GPT-4O', 'DeepSeek-V4-Flash']) {
      const result = await runCli(['cost', '--model', ref]);
      expect(result.code, ref).toBe(2);
      expect(result.stderr).toMatch(/^ai-route: --model: unknown model ".*"; did you mean .*\n$/);
    }
    const result = await runCli(['cost', '--model', 'GPT-4O']);
    expect(result.stderr).toContain('did you mean "gpt-4o"');
  });

  it('shows a non-zero amount under a cent as <$0.01; totals from unrounded parts', async () => {
    const result = await runCli(['cost', '--volume', '10k', '--format', 'markdown']);
    expect(result.stdout).toContain('| 10K tokens | <$0.01 | $0.10 | 97.5% |');
  });

  it('projects months with a cumulative total, and needs a growth rate', async () => {
    const body = await json(['cost', '--volume', '5M', '--months', '3', '--growth', '100']);
    expect(body.rows.map((r: any) => [r.stage, r.month, r.tokens, r.cost])).toEqual([
      ['Month 1', 1, 5_000_000, '1.25'],
      ['Month 2', 2, 10_000_000, '2.5'],
      ['Month 3', 3, 20_000_000, '5'],
    ]);
    expect(body.totals).toEqual([
      {
        model: 'deepseek-ai/DeepSeek-V4-Flash',
        candidate: 'DeepSeek V4 Flash (via Global API)',
        tokens: 35_000_000,
        cost: '8.75',
        baseline_cost: '350',
        savings_pct: '97.5',
      },
    ]);
    expect((await runCli(['cost', '--months', '3'])).code).toBe(2);
    expect(
      (await runCli(['cost', '--months', '3', '--growth', '5', '--volume', '1M', '--volume', '2M']))
        .code,
    ).toBe(2);
    const huge = await runCli(['cost', '--volume', '1T', '--months', '120', '--growth', '100']);
    expect(huge.code).toBe(2);
    expect(huge.stderr).toContain('over 1e15 tokens');
  });

  it('uses the growth curve of a scenario that has one', async () => {
    const body = await json(['cost', '--scenario', 'hybrid', '--months', '2']);
    expect(body.rows.map((r: any) => [r.month, r.tokens, r.cost])).toEqual([
      [1, 5_000_000, '1.835'],
      [2, 6_250_000, '2.29375'],
    ]);
  });

  it('reprices the past with --as-of, from effective-dated prices', async () => {
    const path = join(dir, 'history.yaml');
    writeFileSync(
      path,
      [
        'schema: ai-route/pricing@1',
        'models:',
        '  gpt-4o:',
        '    provider: openai',
        '    prices:',
        '      - {effective_from: 2025-01-01, source: old sheet, output: "15"}',
        '      - {effective_from: 2026-06-01, source: new sheet, output: "10.00"}',
      ].join('\n'),
    );
    const cost = async (asOf: string) =>
      (
        await json([
          'cost',
          '--pricing',
          path,
          '--model',
          'gpt-4o',
          '--volume',
          '1M',
          '--as-of',
          asOf,
        ])
      ).rows[0].cost;
    expect(await cost('2025-12-31')).toBe('15');
    expect(await cost('2026-06-01')).toBe('10');
    const before = await runCli([
      'cost',
      '--pricing',
      path,
      '--model',
      'gpt-4o',
      '--as-of',
      '2024-12-31',
    ]);
    expect(before.code).toBe(2);
    expect(before.stderr).toContain('no price in force on 2024-12-31 (earliest 2025-01-01');
  });

  it('lets --pricing override a shipped price, and cites the file it came from', async () => {
    const overrides = join(dir, 'overrides');
    mkdirSync(overrides);
    const path = join(overrides, 'openai.yaml');
    writeFileSync(
      path,
      readFileSync(join(ROOT, 'pricing/openai.yaml'), 'utf8')
        .replace('"10.00"', '"12.50"')
        .replace(/source: .*/, 'source: our 2027 contract'),
    );
    const body = await json(['cost', '--pricing', overrides, '--volume', '2M']);
    expect(body.rows[0].baseline_cost).toBe('25');
    expect(body.prices.find((p: any) => p.model === 'gpt-4o')).toMatchObject({
      source: 'our 2027 contract',
      file: path,
    });
  });

  it(
    'fails, naming model and component, when the token mix needs a price the catalog ' + 'lacks',
    async () => {
      const path = join(dir, 'mix.yaml');
      writeFileSync(
        path,
        readFileSync(join(ROOT, 'scenarios/growth-stages.yaml'), 'utf8') +
          'token_mix: {input: "0.75", output: "0.25"}\n',
      );
      const result = await runCli(['cost', '--scenario', path]);
      expect(result.code).toBe(2);
      expect(result.stderr.trimEnd().split('\n')).toEqual([
        expect.stringMatching(
          /^ai-route: deepseek-ai\/DeepSeek-V4-Flash \(tier default\) has no input price in pricing\/global-api\.yaml, and token_mix\.input in .*mix\.yaml needs it/,
        ),
        expect.stringMatching(/^ai-route: gpt-4o has no input price in pricing\/openai\.yaml/),
        expect.stringMatching(
          /^ai-route: add them with --pricing FILE .*; the default prices are only those the article Enterprise vs Startup \(2026\) gives; pass --pricing litellm .*pricing import --from litellm https:/,
        ),
      ]);
    },
  );

  it('reports an unknown model of a scenario at its line', async () => {
    const path = join(dir, 'typo.yaml');
    writeFileSync(
      path,
      readFileSync(join(ROOT, 'scenarios/hybrid.yaml'), 'utf8').replace(
        'model: Qwen/Qwen3-32B',
        'model: Qwen/Qwen3-32b',
      ),
    );
    const result = await runCli(['cost', '--scenario', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /typo\.yaml:\d+:\d+: setup\.tiers\.fallback\.model: unknown model "Qwen\/Qwen3-32b"; did you mean "Qwen\/Qwen3-32B"/,
    );
  });
});

describe('budget gate', () => {
  it('exits 3 naming each stage over budget and by how much, after the result', async () => {
    const result = await runCli(['cost', '--budget', '$100', '--format', 'json']);
    expect(result.code).toBe(3);
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      'ai-route: budget exceeded: Launch (10K), 500M tokens with DeepSeek V4 Flash ' +
        '(via Global API) costs $125.00, $25.00 over the $100.00 budget',
      'ai-route: budget exceeded: Growth (100K), 5B tokens with DeepSeek V4 Flash ' +
        '(via Global API) costs $1,250.00, $1,150.00 over the $100.00 budget',
    ]);
    const body = JSON.parse(result.stdout);
    expect(body.budget).toEqual({
      limit: '100',
      exceeded: [
        {
          stage: 'Launch (10K)',
          month: null,
          tokens: 500_000_000,
          model: 'deepseek-ai/DeepSeek-V4-Flash',
          cost: '125',
          over: '25',
        },
        {
          stage: 'Growth (100K)',
          month: null,
          tokens: 5_000_000_000,
          model: 'deepseek-ai/DeepSeek-V4-Flash',
          cost: '1250',
          over: '1150',
        },
      ],
    });
  });

  it('checks projected months too, and passes at exactly the budget', async () => {
    const months = await runCli([
      'cost',
      '--volume',
      '1M',
      '--months',
      '3',
      '--growth',
      '100',
      '--budget',
      '0.75',
    ]);
    expect(months.code).toBe(3);
    expect(months.stderr).toContain('Month 3, 4M tokens');
    expect((await runCli(['cost', '--budget', '1250'])).code).toBe(0);
  });
});

describe('output', () => {
  it('writes --out atomically, leaving no temp file and nothing on stdout', async () => {
    const out = join(dir, 'cost.md');
    const result = await runCli(['cost', '--format', 'markdown', '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`wrote ${out}\n`);
    expect(readFileSync(out, 'utf8')).toContain(
      '| MVP (100 users) | 5M tokens | $1.25 | $50.00 | 97.5% |',
    );
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('refuses to overwrite an input of the same run', async () => {
    const scenario = join(dir, 'input.yaml');
    const text = readFileSync(join(ROOT, 'scenarios/growth-stages.yaml'), 'utf8');
    writeFileSync(scenario, text);
    const result = await runCli(['cost', '--scenario', scenario, '--out', scenario]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('that file is an input of this run');
    expect(readFileSync(scenario, 'utf8')).toBe(text);
    const shipped = await runCli(['cost', '--out', join(ROOT, 'pricing/openai.yaml')]);
    expect(shipped.code).toBe(2);
  });

  it(
    'makes missing folders for --out, and refuses a folder or a path through ' +
      'a file, before any work',
    async () => {
      const made = await runCli(['cost', '--out', join(dir, 'new/folder/x.md')]);
      expect(made.code, made.stderr).toBe(0);
      expect(existsSync(join(dir, 'new/folder/x.md'))).toBe(true);
      const folder = await runCli(['cost', '--out', dir]);
      expect(folder).toMatchObject({ code: 2, stdout: '' });
      expect(folder.stderr).toBe(`ai-route: --out ${dir}: is a folder\n`);
      writeFileSync(join(dir, 'plain.txt'), 'x');
      const through = await runCli(['cost', '--out', join(dir, 'plain.txt/x.md')]);
      expect(through.code).toBe(2);
      expect(through.stderr).toMatch(
        /^ai-route: --out .*plain\.txt\/x\.md: .*plain\.txt is not a folder\n$/,
      );
    },
  );

  it('colours the table only for a terminal, honouring NO_COLOR and FORCE_COLOR', async () => {
    expect((await runCli(['cost'])).stdout).not.toMatch(ANSI);
    expect((await runCli(['cost'], { stdoutIsTTY: true })).stdout).toMatch(ANSI);
    expect(
      (await runCli(['cost'], { stdoutIsTTY: true, env: { NO_COLOR: '1' } })).stdout,
    ).not.toMatch(ANSI);
    expect((await runCli(['cost'], { env: { FORCE_COLOR: '1' } })).stdout).toMatch(ANSI);
    for (const format of ['json', 'csv', 'markdown']) {
      expect(
        (
          await runCli(['cost', '--format', format], {
            stdoutIsTTY: true,
            env: { FORCE_COLOR: '3' },
          })
        ).stdout,
      ).not.toMatch(ANSI);
    }
  });

  it('explains each figure: tokens per tier and component, times the rate, sourced', async () => {
    const result = await runCli(['cost', '--scenario', 'hybrid', '--volume', '5M', '--explain']);
    expect(result.stdout).toContain(
      'tier premium: 5% of the volume = 250,000 tokens to moonshotai/Kimi-K2.5',
    );
    expect(result.stdout).toContain(
      'output: 250,000 tokens x $2.50/M = $0.625  [output price from pricing/global-api.yaml, ' +
        'effective 2026-11-24: Enterprise vs Startup (2026), hybrid setup: ' +
        "'Kimi K2.5 (or DeepSeek R1) at $2.50/M output']",
    );
    const body = await json(['cost', '--scenario', 'hybrid', '--volume', '5M', '--explain']);
    expect(body.rows[0].parts.map((p: any) => [p.tier, p.quantity, p.rate, p.cost])).toEqual([
      ['default', '4000000', '0.25', '1'],
      ['fallback', '750000', '0.28', '0.21'],
      ['premium', '250000', '2.5', '0.625'],
    ]);
    expect((await runCli(['cost', '--explain', '--format', 'csv'])).code).toBe(2);
  });
});

describe('command line', () => {
  it('lists the commands and exit codes in --help, and prints the version', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: ai-route/);
    expect(help.stdout).toMatch(/cost \[options\] \[command\]\s+what a routing setup costs/);
    expect(help.stdout).toContain(
      'Exit codes: 0 ok, 1 unexpected failure, 2 usage or input error, 3 a gate ' +
        'failed, 130 interrupted.',
    );
    // no command at all: the same help, as a usage error on stderr
    expect(await runCli([])).toEqual({ code: 2, stdout: '', stderr: help.stdout });
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(await runCli(['--version'])).toEqual({
      code: 0,
      stdout: `${pkg.version}\n`,
      stderr: '',
    });
    const costHelp = await runCli(['cost', '--help']);
    for (const flag of [
      '--volume',
      '--scenario',
      '--pricing',
      '--model',
      '--baseline',
      '--months',
      '--growth',
      '--as-of',
      '--budget',
      '--format',
      '--out',
      '--explain',
    ]) {
      expect(costHelp.stdout).toContain(flag);
    }
  });

  it.each([
    [['nope'], "unknown command 'nope'"],
    [['cost', '--nope'], "unknown option '--nope'"],
    [['cost', '--volume'], "option '--volume <tokens>' argument missing"],
    [['cost', '--volume', '-5M'], 'is negative'],
    [['cost', '--format', 'xml'], 'Allowed choices are table, markdown, csv, json'],
    [['cost', '--as-of', '2026-02-30'], 'expected a date written YYYY-MM-DD'],
    [['cost', '--months', '0', '--growth', '5'], 'from 1 to 120'],
    [['cost', '--growth', '-100'], 'above -100'],
    [['cost', '--budget', 'lots'], 'expected an amount in USD'],
    [
      ['cost', '--scenario', 'nope'],
      'shipped: direct, enterprise-pro, gateway, growth-stages, hybrid',
    ],
  ])('%j is a usage error: %s', async (argv, message) => {
    const result = await runCli(argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
