import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from '@lydell/node-pty';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run.js';

// The wizard as a person meets it: the built binary in a real pseudo-terminal, answered with
// keystrokes (arrows, Enter, typing, Ctrl-C). Everything else tests the wizard through its
// pure core or an injected prompter.
const BIN = join(ROOT, 'bin', 'ai-route.cjs');
const dir = mkdtempSync(join(tmpdir(), 'ai-route-tty-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const DOWN = '\x1b[B';
const ENTER = '\r';
const ESC = '\x1b';
// eslint-disable-next-line no-control-regex -- terminal escape codes are what this strips
const strip = (s: string) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

/**
 * Starts the wizard in a pty and answers each prompt when it appears, like a person reading the
 * screen.
 */
function wizard(
  args: string[],
  // keys in a list are typed 700 ms apart: a lone Esc is told from an escape sequence by a pause
  script: Array<[prompt: string, keys: string | string[]]>,
): Promise<{ code: number; screen: string }> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    TERM: 'xterm-256color',
    HOME: dir,
  };
  const term = spawn(process.execPath, [BIN, 'decide', ...args], {
    cols: 120,
    rows: 40,
    cwd: ROOT,
    env,
  });
  let screen = '';
  let step = 0;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      term.kill();
      reject(new Error(`the wizard stalled at step ${step}:\n${strip(screen).slice(-800)}`));
    }, 30_000);
    term.onData((data) => {
      screen += data;
      const next = script[step];
      // answer once the prompt is on screen after the previous answer
      if (
        next !== undefined &&
        strip(screen).lastIndexOf(next[0]) >
          (step === 0 ? -1 : strip(screen).lastIndexOf(script[step - 1]![0]))
      ) {
        step++;
        const keys = typeof next[1] === 'string' ? [next[1]] : next[1];
        keys.forEach((k, i) => setTimeout(() => term.write(k), 50 + i * 700));
      }
    });
    term.onExit(({ exitCode }) => {
      clearTimeout(timer);
      resolve({ code: exitCode, screen: strip(screen) });
    });
  });
}

describe('the wizard in a real terminal', () => {
  it(
    'goes from its intro, step by step, to a saved decision and the command ' + 'that repeats it',
    async () => {
      const out = join(dir, 'decision.json');
      const { code, screen } = await wizard(
        ['--volume', '5B'],
        [
          ['Step 1 of 10 · Start from a preset?', ENTER],
          ['How much can you spend', ENTER],
          ['experiment across models', ENTER],
          ['fast, or documented', DOWN + ENTER],
          ['What support do you need', ENTER],
          ['What SLA do you need', DOWN + ENTER],
          ['security assurances', ENTER],
          ['How do you pay', ENTER],
          ['What matters most?', ENTER],
          ['Monthly ceiling in USD', '\x7f\x7f\x7f\x7f\x7f' + ENTER],
          ['Review: show the result', ENTER],
          ['Save it?', DOWN + ENTER],
          ['File:', '\x7f'.repeat(20) + out + ENTER],
        ],
      );
      expect(code, screen.slice(-600)).toBe(0);
      expect(screen).toMatch(
        /decide: 10 questions, about 2 minutes\. Your answers are scored against 4 setups/,
      );
      expect(screen).toContain('Step 6 of 10 · SLA: What SLA do you need? 99.9% in writing');
      expect(screen).toContain('Recommendation: Pro channel');
      const decision = JSON.parse(readFileSync(out, 'utf8'));
      expect(decision.inputs).toMatchObject({
        preset: 'startup',
        answers: { integration_speed: 'documented', sla: 'in_writing', budget_band: 'low' },
        volume: 5_000_000_000,
        monthly_budget: null,
      });
      // a written SLA is a hard requirement: only Pro keeps it on every route
      expect(decision.recommendation.option).toBe('pro');
      expect(screen).toMatch(
        /the same decision without questions: ai-route decide --budget-band low .*--volume 5B --monthly-budget none/,
      );
    },
  );

  it('Esc never changes an answer: it goes back a question; the review changes one', async () => {
    const out = join(dir, 'reviewed.json');
    const steps: Array<[string, string | string[]]> = [
      // on the first question Esc does nothing: Enter still takes the first preset
      ['Step 1 of 10 · Start from a preset?', [ESC, ENTER]],
      // moved, then Esc: back to step 1, and the budget band keeps the preset's answer
      ['Step 2 of 10 · Budget band', [DOWN, ESC]],
      ['Step 1 of 10 · Start from a preset?', ENTER],
      ['Step 2 of 10 · Budget band', ENTER],
      ...[3, 4, 5, 6, 7, 8, 9].map((n): [string, string] => [`Step ${n} of 10 ·`, ENTER]),
      ['Step 10 of 10 · Monthly ceiling', '\x7f'.repeat(5) + ENTER],
      // the review: show the result, change the preset, change Budget band, ...
      ['Review: show the result', [DOWN, DOWN, ENTER]],
      ['Step 2 of 10 · Budget band', [DOWN, DOWN, ENTER]],
      ['Review: show the result', ENTER],
      ['Save it?', DOWN + ENTER],
      ['File:', '\x7f'.repeat(20) + out + ENTER],
    ];
    const { code, screen } = await wizard(['--volume', '5B'], steps);
    expect(code, screen.slice(-600)).toBe(0);
    expect(screen).toContain('back to the previous question (Esc)');
    expect(screen).toContain('change Budget band: $10-500 a month');
    const decision = JSON.parse(readFileSync(out, 'utf8'));
    // the startup preset's answers, but for the budget band changed at the review
    expect(decision.inputs).toMatchObject({
      preset: 'startup',
      answers: { budget_band: 'high', model_variety: 'experiment', integration_speed: 'fast' },
      monthly_budget: null,
    });
  });

  it('exits 130 on Ctrl-C, with nothing written', async () => {
    const out = join(dir, 'never.json');
    const { code, screen } = await wizard(
      ['--format', 'json', '--out', out],
      [['Start from a preset?', '\x03']],
    );
    expect(code).toBe(130);
    expect(screen).toContain('interrupted; nothing written');
    expect(existsSync(out)).toBe(false);
  });
});
