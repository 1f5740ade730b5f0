import { describe, expect, it } from 'vitest';
import { ANSI, runCli } from '../helpers/run.js';

// Terminal output that fits: 80 columns unless the terminal or COLUMNS says otherwise; a file or
// a pipe gets every line whole.
const widest = (text: string) =>
  Math.max(...text.split('\n').map((l) => [...l.replace(new RegExp(ANSI.source, 'g'), '')].length));

describe('terminal output that fits', () => {
  it('cost (and pricing list) fit 80 columns when COLUMNS=80', async () => {
    for (const argv of [
      ['cost'],
      ['cost', '--scenario', 'hybrid', '--explain'],
      [
        'cost',
        '--months',
        '12',
        '--growth',
        '15',
        '--model',
        'qwen3-32b',
        '--model',
        'kimi-k2.5',
        '--volume',
        '500M',
      ],
      ['cost', '--chart'],
      ['pricing', 'list'],
    ]) {
      const r = await runCli(argv, { env: { COLUMNS: '80' } });
      expect([0, 3], `${argv.join(' ')}: ${r.stderr}`).toContain(r.code);
      // --explain's worked figures are code, shown as they are; everything above them fits
      const shown = argv.includes('--explain')
        ? r.stdout.split('\n```')[0]!.split('\nHow each figure')[0]!
        : r.stdout;
      expect(widest(shown), argv.join(' ')).toBeLessThanOrEqual(80);
    }
  });

  it(
    "a terminal that doesn't say its width is taken as 80; a pipe or a file is not " + 'wrapped',
    async () => {
      const tty = await runCli(['cost'], { stdoutIsTTY: true, env: { NO_COLOR: '1' } });
      expect(widest(tty.stdout)).toBeLessThanOrEqual(80);
      const pipe = await runCli(['cost']);
      expect(widest(pipe.stdout)).toBeGreaterThan(80);
      expect(pipe.stdout).toContain('│ DeepSeek V4 Flash (via Global API) │');
    },
  );

  it('wraps headers and labels, never an amount; colour survives the wrap', async () => {
    const r = await runCli(['cost'], {
      stdoutIsTTY: true,
      env: { COLUMNS: '70', FORCE_COLOR: '1' },
    });
    const plain = r.stdout.replace(new RegExp(ANSI.source, 'g'), '');
    expect(widest(plain)).toBeLessThanOrEqual(70);
    for (const amount of [
      '$1.25',
      '$12.50',
      '$125.00',
      '$1,250.00',
      '$50.00',
      '$500.00',
      '$5,000.00',
      '$50,000.00',
    ])
      expect(plain).toContain(` ${amount} │`);
    expect(r.stdout).toMatch(ANSI);
  });

  it(
    'a projection of several models has months as rows, in one volume format, ' +
      'with totals and savings',
    async () => {
      const r = await runCli([
        'cost',
        '--months',
        '12',
        '--growth',
        '15',
        '--model',
        'qwen3-32b',
        '--model',
        'kimi-k2.5',
        '--volume',
        '500M',
        '--format',
        'markdown',
      ]);
      const months = r.stdout.split('\n').filter((l) => /^\| Month \d/.test(l));
      expect(months).toHaveLength(12);
      for (const row of months)
        expect(row.split(' | ')[1]).toMatch(/^\d+(\.\d{1,2})?[kMBT] tokens$/);
      expect(r.stdout).toContain(
        '| Month | Monthly Volume | Qwen3-32B | Kimi K2.5 | Direct GPT-4o |',
      );
      expect(r.stdout).toMatch(/\| \*\*Total \(12 months\)\*\* \|/);
      expect(r.stdout).toContain('| **Savings** |  | **97.2%** | **75.0%** |  |');
    },
  );

  it('--chart: a bar per row, linear from zero; a log axis only with --log-scale', async () => {
    const r = await runCli(['cost', '--chart']);
    const lines = r.stdout.split('\n');
    const start = lines.indexOf('Cost a month:');
    expect(start).toBeGreaterThan(0);
    const bars = lines.slice(start + 1).filter((l) => l.includes('█'));
    expect(bars).toHaveLength(8);
    const length = (l: string) => (l.match(/█/g) ?? []).length;
    const dollars = (l: string) => Number(/\$([\d,.]+)$/.exec(l)![1]!.replace(/,/g, ''));
    // bar length is cost: 28 columns for the largest, at least one for any cost above zero
    for (const bar of bars)
      expect(length(bar), bar).toBe(Math.max(1, Math.round((dollars(bar) / 50_000) * 28)));
    const log = await runCli(['cost', '--chart', '--log-scale']);
    const logLines = log.stdout.split('\n');
    const logStart = logLines.indexOf('Cost a month (log scale: each decade the same length):');
    expect(logStart).toBeGreaterThan(0);
    const logBars = logLines.slice(logStart + 1).filter((l) => l.includes('█'));
    // each stage's routed bar is shorter than its baseline's
    for (let i = 0; i < logBars.length; i += 2)
      expect(length(logBars[i]!)).toBeLessThan(length(logBars[i + 1]!));
    const linear = await runCli([
      'cost',
      '--chart',
      '--months',
      '3',
      '--growth',
      '10',
      '--volume',
      '500M',
    ]);
    expect(linear.stdout).toContain('Cost a month:\nMonth 1, 500M tokens');
  });
});
