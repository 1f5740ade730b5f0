import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Interrupted } from '../../src/domain/errors.js';
import { BACK, type Prompter } from '../../src/domain/context.js';
import { runCli } from '../helpers/run.js';

const dir = mkdtempSync(join(tmpdir(), 'ai-route-decide-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A prompter that answers by question name and fails on any question it was not given. */
function scripted(
  answers: Record<string, string>,
  asked: Array<{ name: string; default?: string }> = [],
): () => Promise<Prompter> {
  const answer = (q: { name: string; default?: string }) => {
    asked.push({ name: q.name, ...(q.default === undefined ? {} : { default: q.default }) });
    if (!(q.name in answers)) throw new Error(`unexpected question ${q.name}`);
    return Promise.resolve(answers[q.name]!);
  };
  return async () => ({ select: answer, input: answer });
}

const ALL = {
  preset: '',
  budget_band: 'mid',
  model_variety: 'experiment',
  integration_speed: 'fast',
  support: 'community',
  sla: 'best_effort',
  security: 'standard',
  billing: 'invoice',
  importance: 'equal',
  volume: '500M',
  monthly_budget: '',
  review: 'done',
  save: '',
};

describe('decide: the wizard, through an injected prompter', () => {
  it(
    'opens with what it does, numbers its steps, asks what matters, and ends ' +
      'with the command that repeats it',
    async () => {
      const asked: Array<{ name: string; default?: string }> = [];
      const messages: string[] = [];
      const prompter = async (): Promise<Prompter> => {
        const inner = await scripted(ALL, asked)();
        return {
          select: (q) => (messages.push(q.message), inner.select(q)),
          input: (q) => (messages.push(q.message), inner.input(q)),
        };
      };
      const r = await runCli(['decide', '--format', 'json'], { tty: true, prompter });
      expect(r.code, r.stderr).toBe(0);
      expect(asked.map((q) => q.name)).toEqual([
        'preset',
        'budget_band',
        'model_variety',
        'integration_speed',
        'support',
        'sla',
        'security',
        'billing',
        'importance',
        'volume',
        'monthly_budget',
        'review',
        'save',
      ]);
      expect(r.stderr.split('\n')[0]).toMatch(
        /^decide: 11 questions, about 2 minutes\. Your answers are scored against 4 setups \(Direct to one provider, Standard channel, Pro channel, /,
      );
      expect(messages[0]).toBe(
        'Step 1 of 11 · Start from a preset? Its answers become the suggestions',
      );
      expect(messages[10]).toBe(
        'Step 11 of 11 · Monthly ceiling in USD, a hard requirement (empty for none):',
      );
      // the ceiling is suggested from the budget band just answered
      expect(asked.find((q) => q.name === 'monthly_budget')).toEqual({
        name: 'monthly_budget',
        default: '5000',
      });
      const body = JSON.parse(r.stdout);
      expect(body.inputs).toMatchObject({
        answers: { budget_band: 'mid', billing: 'invoice' },
        importance: { budget_band: 3, billing: 3 },
        volume: 500_000_000,
        monthly_budget: null,
        preset: null,
      });
      expect(body.recommendation.option).toBe('standard');
      const replay = /the same decision without questions: (ai-route decide .*)$/m.exec(
        r.stderr,
      )![1]!;
      const again = await runCli([...replay.split(' ').slice(1), '--format', 'json']);
      expect(again.code).toBe(0);
      expect(again.stdout).toBe(r.stdout);
    },
  );

  it(
    'starts from a preset when asked, keeps its weights, and saves the decision where ' + 'told',
    async () => {
      const out = join(dir, 'wizard-decision.md');
      const asked: Array<{ name: string; default?: string }> = [];
      const answers = {
        ...ALL,
        preset: 'enterprise',
        budget_band: 'high',
        model_variety: 'stability',
        integration_speed: 'documented',
        support: 'paging',
        sla: 'in_writing',
        security: 'compliance',
        importance: 'preset',
        volume: '5B',
        save: 'adr',
        save_to: out,
      };
      const r = await runCli(['decide'], { tty: true, prompter: scripted(answers, asked) });
      expect(r.code, r.stderr).toBe(0);
      expect(asked.find((q) => q.name === 'budget_band')).toEqual({
        name: 'budget_band',
        default: 'high',
      });
      expect(asked.find((q) => q.name === 'monthly_budget')).toEqual({
        name: 'monthly_budget',
        default: '',
      });
      expect(readFileSync(out, 'utf8')).toContain('# Use the Pro channel setup for LLM API access');
      expect(r.stderr).toContain(`wrote ${out}`);
    },
  );

  it('never asks a question that flags, an answers file or a preset answered', async () => {
    for (const args of [
      ['--preset', 'startup', '--volume', '50M'],
      ['--preset', 'enterprise'],
    ]) {
      const r = await runCli(['decide', ...args], { tty: true, prompter: scripted({}) });
      expect(r.code, r.stderr).toBe(0);
    }
    const asked: Array<{ name: string; default?: string }> = [];
    const r = await runCli(
      [
        'decide',
        '--sla',
        'in_writing',
        '--security',
        'compliance',
        '--volume',
        '5B',
        '--importance',
        'sla=5',
        '--format',
        'json',
      ],
      {
        tty: true,
        prompter: scripted(
          {
            ...ALL,
            preset: 'enterprise',
            budget_band: 'high',
            model_variety: 'stability',
            integration_speed: 'documented',
            support: 'paging',
            billing: 'invoice',
          },
          asked,
        ),
      },
    );
    expect(r.code).toBe(0);
    expect(asked.map((q) => q.name)).toEqual([
      'preset',
      'budget_band',
      'model_variety',
      'integration_speed',
      'support',
      'billing',
      'monthly_budget',
      'review',
      'save',
    ]);
    expect(JSON.parse(r.stdout).recommendation).toMatchObject({ option: 'pro' });
  });

  it('goes back a question, and changes an answer at the review, keeping the rest', async () => {
    // each question's answers in the order given; BACK is Esc (or the back choice)
    const script: Record<string, string[]> = {
      ...Object.fromEntries(Object.entries(ALL).map(([k, v]) => [k, [v]])),
      budget_band: ['low', 'high'],
      integration_speed: ['fast', 'documented'],
      support: [BACK, 'community'],
      // step 2 is the budget band: change it, then show the result
      review: ['1', 'done'],
    };
    const asked: Array<{ name: string; default?: string; back?: boolean }> = [];
    const answer = (q: { name: string; default?: string; back?: boolean }) => {
      asked.push({ name: q.name, default: q.default, back: q.back });
      const next = script[q.name]?.shift();
      if (next === undefined) throw new Error(`unexpected question ${q.name}`);
      return Promise.resolve(next);
    };
    const prompter = async (): Promise<Prompter> => ({ select: answer, input: answer });
    const r = await runCli(['decide', '--format', 'json'], { tty: true, prompter });
    expect(r.code, r.stderr).toBe(0);
    expect(asked.map((q) => q.name)).toEqual([
      ...['preset', 'budget_band', 'model_variety', 'integration_speed', 'support'],
      ...['integration_speed', 'support', 'sla', 'security', 'billing', 'importance'],
      ...['volume', 'monthly_budget', 'review', 'budget_band', 'review', 'save'],
    ]);
    // the first question has nowhere to go back to; every later one has
    expect(asked[0]!.back).not.toBe(true);
    expect(asked.slice(1, 13).every((q) => q.back === true)).toBe(true);
    // a question asked again starts from the answer already given
    expect(asked[5]).toMatchObject({ name: 'integration_speed', default: 'fast' });
    expect(asked[14]).toMatchObject({ name: 'budget_band', default: 'low' });
    expect(JSON.parse(r.stdout).inputs.answers).toMatchObject({
      budget_band: 'high',
      integration_speed: 'documented',
      support: 'community',
      model_variety: 'experiment',
    });
  });

  it('exits 130 on Ctrl-C at a prompt, writing nothing', async () => {
    const out = join(dir, 'never.json');
    const prompter = async (): Promise<Prompter> => ({
      select: () => Promise.reject(new Interrupted()),
      input: () => Promise.reject(new Interrupted()),
    });
    const r = await runCli(['decide', '--format', 'json', '--out', out], { tty: true, prompter });
    expect(r).toMatchObject({ code: 130, stdout: '' });
    expect(r.stderr).toMatch(/ai-route: interrupted; nothing written\n$/);
    expect(existsSync(out)).toBe(false);
  });

  it('never asks under CI or with --no-input, even on a terminal', async () => {
    expect(
      (await runCli(['decide'], { tty: true, env: { CI: 'true' }, prompter: scripted({}) })).code,
    ).toBe(2);
    const r = await runCli(['decide', '--no-input'], { tty: true, prompter: scripted({}) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      '(--no-input: nothing is asked; --preset startup|enterprise answers everything ' +
        'it is not told)',
    );
  });
});

describe('decide without a terminal', () => {
  it(
    'exits 2 listing each missing answer with its flag and answers-file key; ' +
      'nothing on stdout',
    async () => {
      const r = await runCli(['decide', '--sla', 'best_effort']);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n')).toEqual([
        'ai-route: no answer for budget_band: pass --budget-band low|mid|high, or ' +
          'answers.budget_band in --answers FILE',
        'ai-route: no answer for model_variety: pass --model-variety experiment|stability, ' +
          'or answers.model_variety in --answers FILE',
        'ai-route: no answer for integration_speed: pass --integration-speed fast|documented, ' +
          'or answers.integration_speed in --answers FILE',
        'ai-route: no answer for support: pass --support community|paging, or answers.support ' +
          'in --answers FILE',
        'ai-route: no answer for security: pass --security standard|compliance, ' +
          'or answers.security in --answers FILE',
        'ai-route: no answer for billing: pass --billing card|invoice, or answers.billing ' +
          'in --answers FILE',
        'ai-route: no answer for volume: pass --volume 500M, or volume: in --answers FILE',
        'ai-route: (no terminal to ask on; --preset startup|enterprise answers everything ' +
          'it is not told)',
      ]);
    },
  );

  it('takes every answer from flags, a file, or a preset', async () => {
    const flags = [
      '--budget-band',
      'low',
      '--model-variety',
      'experiment',
      '--integration-speed',
      'fast',
      '--support',
      'community',
      '--sla',
      'best_effort',
      '--security',
      'standard',
      '--billing',
      'card',
      '--volume',
      '50M',
    ];
    expect((await runCli(['decide', ...flags])).code).toBe(0);
    // answered in full, so the budget ceiling and importance default: none, and 3 each
    const file = join(dir, 'answers.yaml');
    writeFileSync(
      file,
      'schema: ai-route/answers@1\npreset: startup\nanswers:\n  sla: in_writing\nimportance:\n ' +
        ' sla: 5\nvolume: 5B\nmonthly_budget: "2000"\nseed: 3\n',
    );
    const r = await runCli(['decide', '--answers', file, '--format', 'json']);
    // SLA in writing under a $2,000 ceiling: only Pro provides it, and it has no price
    expect(r.code).toBe(3);
    const body = JSON.parse(r.stdout);
    expect(body.inputs).toMatchObject({
      preset: 'startup',
      answers: { sla: 'in_writing', budget_band: 'low' },
      importance: { sla: 5, budget_band: 5 },
      volume: 5_000_000_000,
      monthly_budget: '2000',
      seed: 3,
    });
    // a flag wins over the file
    expect(
      JSON.parse(
        (await runCli(['decide', '--answers', file, '--sla', 'best_effort', '--format', 'json']))
          .stdout,
      ).inputs.answers.sla,
    ).toBe('best_effort');
  });

  it('reports every problem of an answers file with its path', async () => {
    const file = join(dir, 'bad-answers.json');
    writeFileSync(
      file,
      JSON.stringify({
        schema: 'ai-route/answers@1',
        answers: { sla: 'whenever', colour: 'blue', budget: 'low' },
        importance: { budget_band: 9 },
        volume: '-5M',
      }),
    );
    const r = await runCli(['decide', '--answers', file]);
    expect(r.code).toBe(2);
    expect(
      r.stderr
        .trimEnd()
        .split('\n')
        .map((l) => l.replace(/^.*?\.json:\d+:\d+: /, '')),
    ).toEqual([
      'answers.sla: expected one of best_effort, in_writing, got "whenever"',
      'answers.colour: no factor "colour"; factors: budget_band, model_variety, ' +
        'integration_speed, support, sla, security, billing',
      'answers.budget: renamed: "budget" is now "budget_band" (low, mid, high); ' +
        'the monthly ceiling in USD is --monthly-budget (cost --budget is the same ' +
        'ceiling for cost)',
      'importance.budget_band: expected an importance from 0 to 5',
      'volume: "-5M" is negative; a volume is a positive token count',
    ]);
  });

  it('replays a decision JSON fed back as --answers: the same result', async () => {
    const first = await runCli([
      'decide',
      '--preset',
      'enterprise',
      '--sla',
      'best_effort',
      '--importance',
      'budget_band=4',
      '--seed',
      '11',
      '--format',
      'json',
    ]);
    const file = join(dir, 'decision.json');
    writeFileSync(file, first.stdout);
    const again = await runCli(['decide', '--answers', file, '--format', 'json']);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(first.stdout);
  });

  it('replays a decision@2 file written before the budget factor was renamed', async () => {
    const file = join(dir, 'decision-v2.json');
    writeFileSync(
      file,
      JSON.stringify({
        schema: 'ai-route/decision@2',
        inputs: {
          preset: 'startup',
          answers: { budget: 'mid' },
          importance: { budget: 1 },
          volume: 50_000_000,
          monthly_budget: '500',
          seed: 1,
        },
      }),
    );
    const r = await runCli(['decide', '--answers', file, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).inputs).toMatchObject({
      answers: { budget_band: 'mid' },
      importance: { budget_band: 1 },
    });
  });

  it('exits 3 when no option is known to meet the requirements, naming each reason', async () => {
    const r = await runCli([
      'decide',
      '--preset',
      'startup',
      '--monthly-budget',
      '10',
      '--volume',
      '500M',
      '--format',
      'json',
    ]);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).recommendation).toBeNull();
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      'ai-route: excluded Direct to one provider: Monthly ceiling: projected $5,000.00 ' +
        'a month exceeds $10.00 by $4,990.00',
      'ai-route: excluded Standard channel: Monthly ceiling: projected $183.50 ' +
        'a month exceeds $10.00 by $173.50',
      'ai-route: excluded Pro channel: Monthly ceiling $10.00: cannot verify: ' +
        'no price for Pro/deepseek-ai/DeepSeek-V3.2 (no price in the catalog); add ' +
        'one with --pricing (or --allow-unverified)',
      'ai-route: excluded Self-hosted gateway over two providers: Monthly ceiling: ' +
        'projected $183.50 a month exceeds $10.00 by $173.50',
    ]);
  });

  it(
    'recommends an unpriced option only with --allow-unverified, and says so ' + 'in every format',
    async () => {
      const args = ['decide', '--preset', 'startup', '--sla', 'in_writing', '--volume', '500M'];
      expect((await runCli(args)).code).toBe(3);
      const table = await runCli([...args, '--allow-unverified']);
      expect(table.code).toBe(0);
      // the summary is wrapped at 80 columns: read it as one text
      expect(table.stdout.replace(/\s+/g, ' ')).toMatch(
        /^Recommendation: Pro channel .*\(UNVERIFIED: its cost against the \$500\.00 ceiling \(no price for Pro\/deepseek-ai\/DeepSeek-V3\.2/,
      );
      const json = JSON.parse(
        (await runCli([...args, '--allow-unverified', '--format', 'json'])).stdout,
      );
      expect(json.recommendation.unverified).toEqual([
        {
          option: 'pro',
          kind: 'budget',
          limit: '500',
          missing: [{ model: 'Pro/deepseek-ai/DeepSeek-V3.2', reason: 'not_in_catalog' }],
        },
      ]);
      expect((await runCli([...args, '--allow-unverified', '--format', 'adr'])).stdout).toContain(
        'Unverified (let through by --allow-unverified): its cost against the $500.00 ceiling',
      );
    },
  );

  it(
    'prices dedicated capacity with its monthly fee, and shows where it breaks ' +
      'even with pay-as-you-go',
    async () => {
      const pricing = join(dir, 'pro-fee.yaml');
      writeFileSync(
        pricing,
        'schema: ai-route/pricing@1\nmodels:\n  Pro/deepseek-ai/DeepSeek-V3.2:\n ' +
          '   provider: global-api\n    prices:\n      - {effective_from: 2026-01-01, ' +
          'source: test contract, output: "0.20", monthly_fee: "1500"}\n',
      );
      const r = await runCli([
        'decide',
        '--preset',
        'enterprise',
        '--pricing',
        pricing,
        '--detail',
      ]);
      expect(r.code).toBe(0);
      // 5B x $0.20/M + $1,500 = $2,500; against the standard channel's $0.367/M blend: 1500 /
      // (0.367
      // - 0.2) x 1e6 = 8,982,035,928.1
      expect(r.stdout.replace(/\s+/g, ' ')).toContain(
        'Pro channel (dedicated capacity, SLA and DPA in writing): $2,500.00 a month at 5B tokens',
      );
      const breakEven =
        'Break-even: Pro channel against Standard channel: Standard channel costs ' +
        'less from 0 tokens a month; Pro channel costs less from 8,982,035,929 tokens a month.';
      expect(r.stdout.replace(/\s+/g, ' ')).toContain(breakEven);
      // the one-screen summary gives the same cost and break-even
      const summary = await runCli(['decide', '--preset', 'enterprise', '--pricing', pricing]);
      const flat = summary.stdout.replace(/\s+/g, ' ');
      expect(flat).toContain('Monthly cost: $2,500.00 at 5B tokens');
      expect(flat).toContain(breakEven);
      const json = JSON.parse(
        (
          await runCli([
            'decide',
            '--preset',
            'enterprise',
            '--pricing',
            pricing,
            '--format',
            'json',
          ])
        ).stdout,
      );
      expect(json.break_even).toContainEqual({
        a: 'pro',
        b: 'standard',
        crossings: [
          { from_tokens: 0, cheaper: 'standard' },
          { from_tokens: 8982035929, cheaper: 'pro' },
        ],
      });
    },
  );

  it(
    'generates a flag per factor, with its answers, in --help; the renamed flag ' +
      'is an error naming the new one',
    async () => {
      const r = await runCli(['decide', '--help']);
      for (const flag of [
        '--budget-band <answer>',
        '--model-variety <answer>',
        '--integration-speed <answer>',
        '--support <answer>',
        '--sla <answer>',
        '--security <answer>',
        '--billing <answer>',
      ]) {
        expect(r.stdout).toContain(flag);
      }
      expect(r.stdout).not.toContain('--budget <');
      const help = r.stdout.replace(/\s+/g, ' ');
      expect(help).toContain('in_writing = 99.9% in writing');
      expect(help).toContain('(choices: best_effort, in_writing)');
      const old = await runCli(['decide', '--preset', 'startup', '--budget', 'low']);
      expect(old.code).toBe(2);
      expect(old.stderr).toContain(
        'renamed: --budget is now --budget-band low|mid|high; the monthly ceiling ' +
          'in USD is --monthly-budget',
      );
    },
  );
});

describe('decide: golden output of each format', () => {
  for (const [format, ext] of [
    ['table', 'txt'],
    ['table --detail', 'detail.txt'],
    ['markdown', 'md'],
    ['json', 'json'],
    ['adr', 'md'],
  ] as const) {
    it(`renders ${format}`, async () => {
      for (const preset of ['startup', 'enterprise']) {
        const r = await runCli(['decide', '--preset', preset, '--format', ...format.split(' ')]);
        expect(r.code).toBe(0);
        await expect(r.stdout).toMatchFileSnapshot(
          `../golden/decide-${preset}.${format === 'adr' ? 'adr.' : ''}${ext}`,
        );
      }
    });
  }
});

describe('decide: golden record of each setup when it wins', () => {
  const zero = {
    budget_band: 0,
    model_variety: 0,
    integration_speed: 0,
    support: 0,
    sla: 0,
    security: 0,
    billing: 0,
  };
  const cases = {
    // one provider wins only on stability and documentation, with Pro out for want of a price under
    // a ceiling
    direct: {
      importance: { ...zero, model_variety: 5, integration_speed: 5 },
      answers: { model_variety: 'stability', integration_speed: 'documented' },
    },
    standard: { importance: {}, answers: {} },
    // several providers behind a gateway: variety and documentation
    gateway: {
      importance: { ...zero, model_variety: 5, integration_speed: 5 },
      answers: { model_variety: 'experiment', integration_speed: 'documented' },
    },
  } as const;
  for (const [setup, given] of Object.entries(cases)) {
    it(`${setup}: the ADR records its tiers, prices and why each alternative lost`, async () => {
      const file = join(dir, `wins-${setup}.json`);
      writeFileSync(
        file,
        JSON.stringify({
          schema: 'ai-route/answers@1',
          preset: 'startup',
          answers: given.answers,
          importance: given.importance,
        }),
      );
      const json = JSON.parse(
        (await runCli(['decide', '--answers', file, '--format', 'json'])).stdout,
      );
      expect(json.recommendation.option).toBe(setup);
      const adr = await runCli(['decide', '--answers', file, '--format', 'adr']);
      expect(adr.code).toBe(0);
      await expect(adr.stdout).toMatchFileSnapshot(`../golden/decide-wins-${setup}.adr.md`);
      for (const o of json.options.filter((x: any) => x.option !== setup))
        expect(adr.stdout).toMatch(
          new RegExp(`^\\* ${o.label.replace(/[()]/g, '\\$&')}: .*; lost: `, 'm'),
        );
    });
  }

  it('pro: the enterprise record lists its single Pro tier and no accepted conflicts', async () => {
    const adr = (await runCli(['decide', '--preset', 'enterprise', '--format', 'adr'])).stdout;
    expect(adr).toContain(
      '| default | Pro/deepseek-ai/DeepSeek-V3.2 | 100% | no fallback | Global ' +
        'API Pro channel (dedicated capacity) |',
    );
    expect(adr).toContain('Accepted conflicts: none.');
    expect(adr).toContain(
      'Monthly cost: not priced (Pro/deepseek-ai/DeepSeek-V3.2 (no price in the ' +
        'catalog)): add the price before adopting it.',
    );
  });
});

describe('decide --emit', () => {
  it('writes a scenario that cost and probe accept', async () => {
    const out = join(dir, 'decided.yaml');
    expect(
      (
        await runCli([
          'decide',
          '--preset',
          'startup',
          '--volume',
          '500M',
          '--emit',
          'scenario',
          '--out',
          out,
        ])
      ).code,
    ).toBe(0);
    const cost = await runCli(['cost', '--scenario', out, '--format', 'json']);
    expect(cost.code).toBe(0);
    expect(JSON.parse(cost.stdout).rows[0]).toMatchObject({
      stage: 'Stated volume',
      tokens: 500_000_000,
      cost: '183.5',
    });
    const probe = await runCli([
      'probe',
      '--scenario',
      out,
      '--mock',
      '--requests',
      '2',
      '--warmup',
      '0',
      '--format',
      'json',
    ]);
    expect(probe.code).toBe(0);
    expect(JSON.parse(probe.stdout).targets.map((t: any) => [t.name, t.model])).toEqual([
      ['default', 'deepseek-ai/DeepSeek-V4-Flash'],
      ['fallback', 'Qwen/Qwen3-32B'],
      ['premium', 'moonshotai/Kimi-K2.5'],
    ]);
  });

  it(
    'writes a LiteLLM proxy config: a group per tier, the chains as fallbacks, ' +
      'keys as env references',
    async () => {
      const out = join(dir, 'litellm-config.yaml');
      const KEY = 'AI_ROUTE_GLOBAL_API_API_KEY';
      expect(
        (await runCli(['decide', '--preset', 'startup', '--emit', 'litellm', '--out', out])).code,
      ).toBe(0);
      const text = readFileSync(out, 'utf8');
      const config = parse(text);
      expect(
        config.model_list.map((m: any) => [
          m.model_name,
          m.litellm_params.model,
          m.litellm_params.api_key,
          m.model_info.output_cost_per_token,
        ]),
      ).toEqual([
        ['default', 'openai/deepseek-ai/DeepSeek-V4-Flash', `os.environ/${KEY}`, 2.5e-7],
        ['fallback', 'openai/Qwen/Qwen3-32B', `os.environ/${KEY}`, 2.8e-7],
        ['premium', 'openai/moonshotai/Kimi-K2.5', `os.environ/${KEY}`, 2.5e-6],
      ]);
      expect(config.router_settings).toMatchObject({
        num_retries: 2,
        timeout: 10,
        cooldown_time: 30,
        fallbacks: [
          { default: ['fallback'] },
          { fallback: ['default'] },
          { premium: ['fallback', 'default'] },
        ],
      });
      expect(text).toMatch(
        /^# Set AI_ROUTE_GLOBAL_API_BASE_URL=https:\/\/global-apis\.com\/v1 and AI_ROUTE_GLOBAL_API_API_KEY .*litellm --config litellm-config\.yaml$/m,
      );
      await expect(text).toMatchFileSnapshot('../golden/decide-startup.litellm.yaml');
    },
  );

  it(
    'writes a LiteLLM config for the gateway setup with a base URL and key per ' +
      'provider, and refuses a Portkey one that would need keys written in it',
    async () => {
      const file = join(dir, 'wins-gateway-emit.json');
      writeFileSync(
        file,
        JSON.stringify({
          schema: 'ai-route/answers@1',
          preset: 'startup',
          answers: { model_variety: 'experiment', integration_speed: 'documented' },
          importance: {
            budget_band: 0,
            model_variety: 5,
            integration_speed: 5,
            support: 0,
            sla: 0,
            security: 0,
            billing: 0,
          },
        }),
      );
      const out = join(dir, 'gateway-litellm.yaml');
      expect(
        (await runCli(['decide', '--answers', file, '--emit', 'litellm', '--out', out])).code,
      ).toBe(0);
      const text = readFileSync(out, 'utf8');
      const config = parse(text);
      // one pair per provider: the fallback to OpenAI reaches OpenAI with its own key
      const [G, O] = ['AI_ROUTE_GLOBAL_API', 'AI_ROUTE_OPENAI'];
      expect(
        config.model_list.map((m: any) => [
          m.model_name,
          m.litellm_params.api_base,
          m.litellm_params.api_key,
        ]),
      ).toEqual([
        ['default', `os.environ/${G}_BASE_URL`, `os.environ/${G}_API_KEY`],
        ['fallback', `os.environ/${G}_BASE_URL`, `os.environ/${G}_API_KEY`],
        ['premium', `os.environ/${G}_BASE_URL`, `os.environ/${G}_API_KEY`],
        ['direct', `os.environ/${O}_BASE_URL`, `os.environ/${O}_API_KEY`],
      ]);
      expect(config.router_settings.fallbacks).toEqual([
        { default: ['fallback', 'direct'] },
        { fallback: ['default', 'direct'] },
        { premium: ['fallback', 'direct'] },
      ]);
      expect(text).toContain(
        '# Set AI_ROUTE_GLOBAL_API_BASE_URL=https://global-apis.com/v1, ' +
          'AI_ROUTE_OPENAI_BASE_URL=https://api.openai.com/v1 ' +
          'and AI_ROUTE_GLOBAL_API_API_KEY, AI_ROUTE_OPENAI_API_KEY',
      );
      const portkey = await runCli(['decide', '--answers', file, '--emit', 'portkey']);
      expect(portkey.code).toBe(2);
      expect(portkey.stderr).toContain(
        "spans 2 providers, and a Portkey inline config needs each one's key written " +
          'in it; use --emit litellm',
      );
    },
  );

  it('writes a Portkey config that the real gateway accepts and falls back through', async () => {
    const out = join(dir, 'portkey.json');
    expect(
      (await runCli(['decide', '--preset', 'startup', '--emit', 'portkey', '--out', out])).code,
    ).toBe(0);
    const config = JSON.parse(readFileSync(out, 'utf8'));
    await expect(`${JSON.stringify(config, null, 2)}\n`).toMatchFileSnapshot(
      '../golden/decide-startup.portkey.json',
    );
    expect(JSON.stringify(config)).not.toMatch(/api_key|sk-|ga_live/);
    expect(config.targets[0].strategy).toEqual({
      mode: 'fallback',
      on_status_codes: [408, 429, 500, 502, 503, 504],
    });
    const { gatewayFallback } = await import('./portkey-gateway.js');
    await gatewayFallback(config);
  });
});
