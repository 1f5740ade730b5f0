import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Big from 'big.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/cli.js';
import { realText } from './helpers/real.js';
import { ROOT, runCli } from './helpers/run.js';

// What a newcomer meets first: help that explains itself, errors that say what to type, a token
// mix without a scenario file, and footnotes fit for a slide.
const dir = mkdtempSync(join(tmpdir(), 'ai-route-first-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every command path: ['cost'], ['pricing', 'list'], ... */
const paths = COMMANDS.flatMap((c) => [
  [c.spec.name],
  ...(c.subcommands ?? []).map((s) => [c.spec.name, s.spec.name]),
]);

describe('help', () => {
  it('every flag shows one default, none for an empty list; required flags marked', async () => {
    for (const path of paths) {
      const r = await runCli([...path, '--help']);
      expect(r.code, path.join(' ')).toBe(0);
      const text = r.stdout.replace(/\s+/g, ' ');
      expect(text, path.join(' ')).not.toContain('(default: [])');
      expect(text, path.join(' ')).not.toMatch(/\(default[^)]*\)[^-]*\(default/);
      expect(text, path.join(' ')).not.toMatch(/default: \d+ms\b.*default: \d+\)/);
    }
    const imp = await runCli(['pricing', 'import', '--help']);
    expect(imp.stdout.replace(/\s+/g, ' ')).toMatch(/--from <source> .*required\)/);
    const probe = (await runCli(['probe', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(probe).toContain('(default: 720, hourly)');
    expect(probe).toContain('(default: 10s)');
  });

  it(
    'help <command> <subcommand> is the subcommand help; -v and --version print the ' + 'version',
    async () => {
      expect((await runCli(['help', 'pricing', 'import'])).stdout).toBe(
        (await runCli(['pricing', 'import', '--help'])).stdout,
      );
      const version = (await runCli(['--version'])).stdout;
      expect((await runCli(['-v'])).stdout).toBe(version);
      expect(version).toMatch(/^\d+\.\d+\.\d+\n$/);
    },
  );

  it('the top-level help has examples and lists groups as taking a command', async () => {
    const r = await runCli(['--help']);
    expect(r.stdout).toContain('Examples:\n  ai-route cost');
    expect(r.stdout).toMatch(/pricing <command>/);
    expect(r.stdout).toMatch(/decide \[options\]/);
  });

  it('a missing command is the same everywhere: help on stderr, exit 2', async () => {
    for (const argv of [[], ['pricing']]) {
      const r = await runCli(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('Usage: ai-route');
    }
  });
});

describe('errors that say what to type', () => {
  it('a volume with a space, or without its flag', async () => {
    const spaced = await runCli(['cost', '--volume', '5', 'billion']);
    expect(spaced.code).toBe(2);
    expect(spaced.stderr).toContain("ai-route: quote a value with a space: --volume '5 billion'");
    const bare = await runCli(['cost', '500M']);
    expect(bare.stderr).toContain('ai-route: did you mean --volume 500M?');
    const quoted = await runCli(['cost', '--volume', '5 billion', '--format', 'csv']);
    expect(quoted.code).toBe(0);
    expect(quoted.stdout).toContain(',5000000000,');
  });

  it('probe asks for the target before the key', async () => {
    const r = await runCli(['probe', '--model', 'm'], { env: {} });
    expect(r.stderr).toBe('ai-route: --model m: also pass --base-url URL (or --mock)\n');
  });

  it('every message of a bad flag starts with ai-route: and names the flag', async () => {
    for (const [flag, argv] of [
      ['--growth', ['cost', '--growth', 'x', '--months', '2']],
      ['--input-share', ['cost', '--input-share', '0.75']],
      ['--timeout', ['probe', '--mock', '--timeout', '30']],
      ['--preset', ['decide', '--preset', 'nope']],
      ['--port', ['mock', '--port', '99999']],
      ['--format', ['pricing', 'list', '--format', 'xml']],
    ] as const) {
      const r = await runCli([...argv]);
      expect(r.code, argv.join(' ')).toBe(2);
      for (const line of r.stderr.trimEnd().split('\n'))
        expect(line, argv.join(' ')).toMatch(/^ai-route: /);
      expect(r.stderr, argv.join(' ')).toContain(flag);
    }
  });
});

describe('the token mix without a scenario file', () => {
  let litellm: string;
  beforeAll(async () => {
    writeFileSync(join(dir, 'map.json'), realText('litellm'));
    litellm = join(dir, 'litellm.json');
    expect(
      (
        await runCli([
          'pricing',
          'import',
          '--from',
          'litellm',
          join(dir, 'map.json'),
          '--out',
          litellm,
        ])
      ).code,
    ).toBe(0);
  });

  it(
    "--input-share and --cache-hit-rate price direct GPT-4o from LiteLLM's own " +
      'per-token rates, exactly',
    async () => {
      const r = await runCli([
        'cost',
        '--pricing',
        litellm,
        '--model',
        'gpt-4o-mini',
        '--input-share',
        '75%',
        '--cache-hit-rate',
        '30%',
        '--volume',
        '5B',
        '--format',
        'json',
      ]);
      expect(r.code, r.stderr).toBe(0);
      const body = JSON.parse(r.stdout);
      // the expected figure straight from the real map's numbers, not from our import
      const map = JSON.parse(realText('litellm'));
      const rate = (model: string, key: string) => new Big(String(map[model][key]));
      const cost = (model: string) => {
        const input = new Big('5e9').times('0.75');
        const cached = input.times('0.3');
        return cached
          .times(rate(model, 'cache_read_input_token_cost'))
          .plus(input.minus(cached).times(rate(model, 'input_cost_per_token')))
          .plus(new Big('5e9').times('0.25').times(rate(model, 'output_cost_per_token')));
      };
      const row = body.rows[0];
      expect(new Big(row.baseline_cost).eq(cost('gpt-4o'))).toBe(true);
      expect(new Big(row.cost).eq(cost('gpt-4o-mini'))).toBe(true);
      expect(row.baseline_cost).toBe('20468.75');
    },
  );

  it('the first footnote says which convention the figures use', async () => {
    const plain = (await runCli(['cost'])).stdout.split('\n');
    const after = plain.findIndex((l) => l.startsWith('└'));
    expect(plain[after + 1]).toMatch(
      /^Convention: every token is billed at the output rate, as in the article Enterprise vs Startup \(2026\)/,
    );
    const mixed = (
      await runCli([
        'cost',
        '--pricing',
        litellm,
        '--model',
        'gpt-4o-mini',
        '--input-share',
        '75%',
        '--cache-hit-rate',
        '30%',
        '--volume',
        '5B',
      ])
    ).stdout.split('\n');
    expect(mixed[mixed.findIndex((l) => l.startsWith('└')) + 1]).toBe(
      'Convention: token mix of input 75%, output 25%; cache hits 30% of input.',
    );
  });

  it(
    'refuses a share without % (both readings offered) and a cache rate with ' + 'no input tokens',
    async () => {
      expect((await runCli(['cost', '--input-share', '0.75'])).stderr).toContain(
        'a share needs its %: did you mean 0.75% or 75%?',
      );
      expect((await runCli(['cost', '--cache-hit-rate', '30%'])).stderr).toContain(
        '--cache-hit-rate applies to input tokens',
      );
    },
  );

  it('on the shipped catalog, names each missing price and how to import one', async () => {
    const r = await runCli(['cost', '--input-share', '75%']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'deepseek-ai/DeepSeek-V4-Flash (tier default) has no input price in ' +
        'pricing/global-api.yaml, ' +
        'and the token mix of --input-share needs it',
    );
    expect(r.stderr).toContain(
      'ai-route pricing import --from litellm ' +
        'https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json',
    );
  });
});

describe('footnotes and wording fit for a slide', () => {
  it('a shipped file is named as the project names it, from any folder', async () => {
    const r = await runCli(['cost'], { cwd: dir });
    expect(r.stdout).toContain('; pricing/openai.yaml)');
    expect(r.stdout).not.toContain(ROOT);
  });

  it("a scenario's growth assumption only under figures its growth made", async () => {
    expect((await runCli(['cost', '--scenario', 'hybrid'])).stdout).not.toContain(
      'Growth of 25% a month',
    );
    expect((await runCli(['cost', '--scenario', 'hybrid', '--months', '3'])).stdout).toContain(
      'Assumption: Growth of 25% a month',
    );
    expect(
      (await runCli(['cost', '--scenario', 'hybrid', '--months', '3', '--growth', '10'])).stdout,
    ).not.toContain('Growth of 25% a month');
  });

  it(
    '--all-models never lists the baseline as a candidate of itself, under its ' +
      'id or a name a later file took over',
    async () => {
      const imported = join(dir, 'sample.json');
      expect(
        (
          await runCli([
            'pricing',
            'import',
            '--from',
            'litellm',
            join(ROOT, 'test/fixtures/import/litellm-sample.json'),
            '--out',
            imported,
          ])
        ).code,
      ).toBe(0);
      const all = await runCli([
        'cost',
        '--pricing',
        imported,
        '--all-models',
        '--volume',
        '5B',
        '--format',
        'json',
      ]);
      expect(all.code, all.stderr).toBe(0);
      const models = JSON.parse(all.stdout).rows.map((row: any) => row.model);
      expect(models).toContain('openai/gpt-4o-mini');
      // the baseline "gpt-4o" is openai/gpt-4o of the import; the shipped gpt-4o is that same name,
      // shadowed
      expect(models).not.toContain('openai/gpt-4o');
      expect(models).not.toContain('gpt-4o');
    },
  );

  it('a target named after its model is named once', async () => {
    const r = await runCli(['probe', '--mock', '--requests', '2', '--warmup', '0']);
    expect(r.stdout).toMatch(/^mock at http:\/\/127\.0\.0\.1:\d+\/v1$/m);
    expect(r.stdout).toContain('  mock: 16 input');
  });
});

describe('discovery', () => {
  it('pricing list shows the aliases people type', async () => {
    const r = await runCli(['pricing', 'list', '--format', 'markdown']);
    expect(r.stdout).toContain('| Model | Aliases |');
    expect(r.stdout).toMatch(/\| Qwen\/Qwen3-32B \| qwen3-32b \|/);
  });

  it(
    'the example answers file ships with the matrix, works from any folder, ' +
      'and decide --help names it',
    async () => {
      const r = await runCli(
        ['decide', '--answers', 'matrix/answers.example.yaml', '--format', 'json'],
        { cwd: dir },
      );
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).inputs.answers.budget_band).toBe('mid');
      expect((await runCli(['decide', '--help'])).stdout.replace(/\s+/g, ' ')).toContain(
        'matrix/answers.example.yaml',
      );
    },
  );
});
