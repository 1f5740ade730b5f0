import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/run.js';

// What a new user hit in their first hour, each kept fixed.
const width = (text: string) => Math.max(...text.split('\n').map((l) => [...l].length));

describe('the first hour', () => {
  it('a projection of three models over a year at 5B fits 80 columns', async () => {
    const args = ['cost', '--months', '12', '--growth', '15', '--volume', '5B'];
    const models = ['qwen3-32b', 'kimi-k2.5', 'deepseek-ai/DeepSeek-V4-Flash'];
    const r = await runCli([...args, ...models.flatMap((m) => ['--model', m])], {
      env: { COLUMNS: '80' },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(width(r.stdout)).toBeLessThanOrEqual(80);
    // the unit moved to the header, every amount still whole
    expect(r.stdout).toMatch(/\(tokens\)/);
    expect(r.stdout).toContain('$50,000.00');
  });

  it('a --model that is the baseline is shown once', async () => {
    const alone = await runCli(['cost', '--model', 'gpt-4o', '--volume', '5M']);
    expect(alone.code).toBe(0);
    expect(alone.stdout.split('\n')[1]).toMatch(/^│ Monthly Volume │ GPT-4o │$/);
    const two = await runCli([
      'cost',
      '--model',
      'gpt-4o',
      '--model',
      'qwen3-32b',
      '--volume',
      '5M',
    ]);
    expect(two.stdout.split('\n')[1]).toBe(
      '│ Monthly Volume │ Qwen3-32B │ Direct GPT-4o │ Savings │',
    );
    expect(two.stderr).toContain('--model gpt-4o is the baseline: listed once, as the baseline');
  });

  it('--stream is a flag beside --no-stream, and help reads right', async () => {
    const help = (await runCli(['probe', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(help).toContain('--stream ask for streams: TTFT is the first token (default: on)');
    expect(help).toContain('--no-stream ask for whole responses');
    const r = await runCli(['probe', '--mock', '--stream', '--requests', '1', '--warmup', '0']);
    expect(r.code, r.stderr).toBe(0);
  });

  it('md and markdown are the same format for every command', async () => {
    const cost = await runCli(['cost', '--format', 'md', '--volume', '5M']);
    expect(cost.stdout).toBe(
      (await runCli(['cost', '--format', 'markdown', '--volume', '5M'])).stdout,
    );
    const bad = await runCli(['cost', '--format', 'xlsx']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Allowed choices are table, markdown, csv, json.');
  });

  it('a whole-file problem starts with the tool name like every other message', async () => {
    const r = await runCli(['cost', '--pricing', 'no-such-file.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ai-route: .*no-such-file\.json: cannot read: no such file\n$/);
  });

  it('mock --port on a port fetch refuses is warned about', async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 300);
    const r = await runCli(['mock', '--port', '0'], { interrupted: stop.signal });
    expect(r.stderr).not.toContain('bad port');
    const { badPortReason } = await import('../src/units/port.js');
    expect(badPortReason(9)).toMatch(/Fetch standard blocks/);
    expect(badPortReason(8080)).toBeUndefined();
  });
});
