import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Interrupted } from '../../src/domain/errors.js';
import type { Prompter } from '../../src/domain/context.js';
import { runCli } from '../helpers/run.js';

const dir = mkdtempSync(join(tmpdir(), 'ai-route-decide-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A prompter that answers by question name and fails on any question it was not given. */
function scripted(answers: Record<string, string>, asked: Array<{ name: string; default?: string }> = []): () => Promise<Prompter> {
  const answer = (q: { name: string; default?: string }) => {
    asked.push({ name: q.name, ...(q.default === undefined ? {} : { default: q.default }) });
    if (!(q.name in answers)) throw new Error(`unexpected question ${q.name}`);
    return Promise.resolve(answers[q.name]!);
  };
  return async () => ({ select: answer, input: answer });
}

const ALL = {
  budget: 'mid',
  model_variety: 'experiment',
  integration_speed: 'fast',
  support: 'community',
  sla: 'best_effort',
  security: 'standard',
  billing: 'invoice',
  volume: '500M',
  monthly_budget: '',
};

describe('decide: the wizard, through an injected prompter', () => {
  it('asks one question per factor, then volume and budget, on a terminal', async () => {
    const asked: Array<{ name: string; default?: string }> = [];
    const r = await runCli(['decide', '--format', 'json'], { tty: true, prompter: scripted(ALL, asked) });
    expect(r.code).toBe(0);
    expect(asked.map((q) => q.name)).toEqual(['budget', 'model_variety', 'integration_speed', 'support', 'sla', 'security', 'billing', 'volume', 'monthly_budget']);
    const body = JSON.parse(r.stdout);
    expect(body.inputs).toMatchObject({ answers: { budget: 'mid', billing: 'invoice' }, volume: 500_000_000, monthly_budget: null, preset: null });
    expect(body.recommendation.channel).toBe('standard');
  });

  it('skips what flags answer, and takes defaults from --preset', async () => {
    const asked: Array<{ name: string; default?: string }> = [];
    const r = await runCli(['decide', '--preset', 'enterprise', '--sla', 'in_writing', '--security', 'compliance', '--volume', '5B', '--format', 'json'], {
      tty: true,
      prompter: scripted({ budget: 'high', model_variety: 'stability', integration_speed: 'documented', support: 'paging', billing: 'invoice', monthly_budget: '50000' }, asked),
    });
    expect(r.code).toBe(0);
    expect(asked).toEqual([
      { name: 'budget', default: 'high' },
      { name: 'model_variety', default: 'stability' },
      { name: 'integration_speed', default: 'documented' },
      { name: 'support', default: 'paging' },
      { name: 'billing', default: 'invoice' },
      { name: 'monthly_budget', default: '50000' },
    ]);
    expect(JSON.parse(r.stdout).recommendation).toMatchObject({ posture: 'enterprise', channel: 'pro' });
  });

  it('exits 130 on Ctrl-C at a prompt, writing nothing', async () => {
    const out = join(dir, 'never.json');
    const prompter = async (): Promise<Prompter> => ({ select: () => Promise.reject(new Interrupted()), input: () => Promise.reject(new Interrupted()) });
    const r = await runCli(['decide', '--format', 'json', '--out', out], { tty: true, prompter });
    expect(r).toMatchObject({ code: 130, stdout: '' });
    expect(r.stderr).toBe('ai-route: interrupted; nothing written\n');
    expect(existsSync(out)).toBe(false);
  });

  it('never asks under CI, even on a terminal', async () => {
    const r = await runCli(['decide'], { tty: true, env: { CI: 'true' }, prompter: scripted({}) });
    expect(r.code).toBe(2);
  });
});

describe('decide without a terminal', () => {
  it('exits 2 listing each missing answer with its flag and answers-file key; nothing on stdout', async () => {
    const r = await runCli(['decide', '--sla', 'best_effort']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      'ai-route: no answer for budget: pass --budget low|mid|high, or answers.budget in --answers FILE',
      'ai-route: no answer for model_variety: pass --model-variety experiment|stability, or answers.model_variety in --answers FILE',
      'ai-route: no answer for integration_speed: pass --integration-speed fast|documented, or answers.integration_speed in --answers FILE',
      'ai-route: no answer for support: pass --support community|paging, or answers.support in --answers FILE',
      'ai-route: no answer for security: pass --security standard|compliance, or answers.security in --answers FILE',
      'ai-route: no answer for billing: pass --billing card|invoice, or answers.billing in --answers FILE',
      'ai-route: no answer for volume: pass --volume 500M, or volume: in --answers FILE',
      'ai-route: (no terminal to ask on; --preset startup|enterprise answers everything it is not told)',
    ]);
  });

  it('takes every answer from flags, a file, or a preset', async () => {
    const flags = [
      '--budget',
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
    const file = join(dir, 'answers.yaml');
    writeFileSync(file, 'schema: ai-route/answers@1\npreset: startup\nanswers:\n  sla: in_writing\nimportance:\n  sla: 5\nvolume: 5B\nmonthly_budget: "2000"\nseed: 3\n');
    const r = await runCli(['decide', '--answers', file, '--format', 'json']);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body.inputs).toMatchObject({
      preset: 'startup',
      answers: { sla: 'in_writing', budget: 'low' },
      importance: { sla: 5, budget: 5 },
      volume: 5_000_000_000,
      monthly_budget: '2000',
      seed: 3,
    });
    // a flag wins over the file
    expect(JSON.parse((await runCli(['decide', '--answers', file, '--sla', 'best_effort', '--format', 'json'])).stdout).inputs.answers.sla).toBe('best_effort');
  });

  it('reports every problem of an answers file with its path', async () => {
    const file = join(dir, 'bad-answers.json');
    writeFileSync(file, JSON.stringify({ schema: 'ai-route/answers@1', answers: { sla: 'whenever', colour: 'blue' }, importance: { budget: 9 }, volume: '-5M' }));
    const r = await runCli(['decide', '--answers', file]);
    expect(r.code).toBe(2);
    expect(
      r.stderr
        .trimEnd()
        .split('\n')
        .map((l) => l.replace(/^.*?\.json:\d+:\d+: /, '')),
    ).toEqual([
      'answers.sla: expected one of best_effort, in_writing, got "whenever"',
      'answers.colour: no factor "colour"; factors: budget, model_variety, integration_speed, support, sla, security, billing',
      'importance.budget: expected an importance from 0 to 5',
      'volume: "-5M" is negative; a volume is a positive token count',
    ]);
  });

  it('replays a decision JSON fed back as --answers: the same result', async () => {
    const first = await runCli(['decide', '--preset', 'enterprise', '--sla', 'best_effort', '--importance', 'budget=4', '--seed', '11', '--format', 'json']);
    const file = join(dir, 'decision.json');
    writeFileSync(file, first.stdout);
    const again = await runCli(['decide', '--answers', file, '--format', 'json']);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(first.stdout);
  });

  it('exits 3 when no option meets the hard requirements', async () => {
    const pricing = join(dir, 'pro-price.yaml');
    writeFileSync(
      pricing,
      'schema: ai-route/pricing@1\nmodels:\n  Pro/deepseek-ai/DeepSeek-V3.2:\n    provider: global-api\n    prices:\n      - {effective_from: 2026-01-01, source: test contract, output: "4"}\n',
    );
    const r = await runCli(['decide', '--preset', 'enterprise', '--pricing', pricing, '--monthly-budget', '100', '--format', 'json']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).recommendation).toBeNull();
    // 5B tokens x (0.8 x $4 + 0.15 x $0.25 + 0.05 x $2.50) per million = $16,812.50
    expect(r.stderr).toContain('ai-route: excluded pro: Budget: projected $16,812.50 a month exceeds the $100.00 ceiling by $16,712.50');
  });

  it('generates a flag per factor, with its answers, in --help', async () => {
    const r = await runCli(['decide', '--help']);
    for (const flag of [
      '--budget <answer>',
      '--model-variety <answer>',
      '--integration-speed <answer>',
      '--support <answer>',
      '--sla <answer>',
      '--security <answer>',
      '--billing <answer>',
    ]) {
      expect(r.stdout).toContain(flag);
    }
    const help = r.stdout.replace(/\s+/g, ' ');
    expect(help).toContain('in_writing = 99.9% in writing');
    expect(help).toContain('(choices: "best_effort", "in_writing")');
  });
});

describe('decide: golden output of each format', () => {
  for (const [format, ext] of [
    ['table', 'txt'],
    ['markdown', 'md'],
    ['json', 'json'],
    ['adr', 'md'],
  ] as const) {
    it(`renders ${format}`, async () => {
      for (const preset of ['startup', 'enterprise']) {
        const r = await runCli(['decide', '--preset', preset, '--format', format]);
        expect(r.code).toBe(0);
        await expect(r.stdout).toMatchFileSnapshot(`../golden/decide-${preset}.${format === 'adr' ? 'adr.' : ''}${ext}`);
      }
    });
  }
});

describe('decide --emit', () => {
  it('writes a scenario that cost and probe accept', async () => {
    const out = join(dir, 'decided.yaml');
    expect((await runCli(['decide', '--preset', 'startup', '--volume', '500M', '--emit', 'scenario', '--out', out])).code).toBe(0);
    const cost = await runCli(['cost', '--scenario', out, '--format', 'json']);
    expect(cost.code).toBe(0);
    expect(JSON.parse(cost.stdout).rows[0]).toMatchObject({ stage: 'Stated volume', tokens: 500_000_000, cost: '183.5' });
    const probe = await runCli(['probe', '--scenario', out, '--mock', '--requests', '2', '--warmup', '0', '--format', 'json']);
    expect(probe.code).toBe(0);
    expect(JSON.parse(probe.stdout).targets.map((t: any) => [t.name, t.model])).toEqual([
      ['default', 'deepseek-ai/DeepSeek-V4-Flash'],
      ['fallback', 'Qwen/Qwen3-32B'],
      ['premium', 'moonshotai/Kimi-K2.5'],
    ]);
  });

  it('writes a LiteLLM proxy config: a group per tier, the chains as fallbacks, keys as env references', async () => {
    const out = join(dir, 'litellm.yaml');
    expect((await runCli(['decide', '--preset', 'startup', '--emit', 'litellm', '--out', out])).code).toBe(0);
    const text = readFileSync(out, 'utf8');
    const config = parse(text);
    expect(config.model_list.map((m: any) => [m.model_name, m.litellm_params.model, m.litellm_params.api_key, m.model_info.output_cost_per_token])).toEqual([
      ['default', 'openai/deepseek-ai/DeepSeek-V4-Flash', 'os.environ/AI_ROUTE_API_KEY', 2.5e-7],
      ['fallback', 'openai/Qwen/Qwen3-32B', 'os.environ/AI_ROUTE_API_KEY', 2.8e-7],
      ['premium', 'openai/moonshotai/Kimi-K2.5', 'os.environ/AI_ROUTE_API_KEY', 2.5e-6],
    ]);
    expect(config.router_settings).toMatchObject({
      num_retries: 2,
      timeout: 10,
      cooldown_time: 30,
      fallbacks: [{ default: ['fallback'] }, { fallback: ['default'] }, { premium: ['fallback', 'default'] }],
    });
    expect(text).toMatch(/^# Set AI_ROUTE_BASE_URL=https:\/\/global-apis\.com\/v1 and AI_ROUTE_API_KEY/m);
    await expect(text).toMatchFileSnapshot('../golden/decide-startup.litellm.yaml');
  });

  it('writes a Portkey config that the real gateway accepts and falls back through', async () => {
    const out = join(dir, 'portkey.json');
    expect((await runCli(['decide', '--preset', 'startup', '--emit', 'portkey', '--out', out])).code).toBe(0);
    const config = JSON.parse(readFileSync(out, 'utf8'));
    await expect(`${JSON.stringify(config, null, 2)}\n`).toMatchFileSnapshot('../golden/decide-startup.portkey.json');
    expect(JSON.stringify(config)).not.toMatch(/api_key|sk-|ga_live/);
    expect(config.targets[0].strategy).toEqual({ mode: 'fallback', on_status_codes: [408, 429, 500, 502, 503, 504] });
    const { gatewayFallback } = await import('./portkey-gateway.js');
    await gatewayFallback(config);
  });
});
