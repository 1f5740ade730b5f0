import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run.js';

// `decide` fits a screen: at most 30 lines of at most 80 columns, in words for people; the full
// matrix is behind --detail. The three reasons are checked against the decision's own JSON: the
// factors where the winner leads the runner-up most, weight times the difference of scores.
const PRESETS = [
  ['--preset', 'startup'],
  ['--preset', 'enterprise'],
  ['--preset', 'startup', '--sla', 'in_writing', '--allow-unverified'],
  ['--preset', 'enterprise', '--volume', '50M', '--monthly-budget', 'none'],
];

/** Internal ids a person should not have to read: snake_case words and JSON. */
const INTERNAL = /\b[a-z]+_[a-z_]+\b|[{}]|"\w+":/;

interface JsonDecision {
  recommendation: { option: string } | null;
  factors: Array<{ label: string; weight: number; scores: Record<string, { score: number }> }>;
  options: Array<{ option: string; total: number | null; excluded: unknown[] }>;
}

/** The factors the winner leads by most, computed here from the JSON. */
function expectedReasons(j: JsonDecision): string[] {
  const winner = j.recommendation!.option;
  const runnerUp = j.options
    .filter((o) => o.option !== winner && o.excluded.length === 0 && o.total !== null)
    .sort((a, b) => b.total! - a.total!)[0]?.option;
  const lead = (f: JsonDecision['factors'][number]) =>
    f.weight * (f.scores[winner]!.score - (runnerUp ? f.scores[runnerUp]!.score : 0));
  return j.factors
    .filter((f) => lead(f) > 0)
    .sort((a, b) => lead(b) - lead(a))
    .slice(0, 3)
    .map((f) => f.label);
}

describe('decide fits a screen', () => {
  for (const args of PRESETS)
    it(`${args.join(' ')}: at most 30 lines of 80 columns, its reasons the strongest`, async () => {
      const r = await runCli(['decide', ...args]);
      expect(r.code, r.stderr).toBe(0);
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines.length).toBeLessThanOrEqual(30);
      for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
      expect(r.stdout).not.toMatch(INTERNAL);
      expect(r.stdout).not.toContain('seed article');
      for (const part of ['Recommendation:', 'Why', 'What it gives up', 'Runner-up:', 'Next:'])
        expect(r.stdout).toContain(part);
      const json = JSON.parse((await runCli(['decide', ...args, '--format', 'json'])).stdout);
      const why = r.stdout.slice(r.stdout.indexOf('\nWhy\n'), r.stdout.indexOf('What it gives'));
      const shown = [...why.matchAll(/^ {2}(\S[^(\n]*?) \(/gm)].map((m) => m[1]);
      expect(shown).toEqual(expectedReasons(json));
    });

  it('--detail gives the whole matrix; with another format it is refused', async () => {
    const detail = await runCli(['decide', '--preset', 'startup', '--detail']);
    expect(detail.code).toBe(0);
    expect(detail.stdout).toContain('How firm it is');
    expect(detail.stdout).toContain('Suggested alerts');
    const labels = JSON.parse(
      (await runCli(['decide', '--preset', 'startup', '--format', 'json'])).stdout,
    ).factors.map((f: { label: string }) => f.label);
    // fitted to the width: the eight-column matrix as a box when it fits, as records when not
    for (const [columns, box] of [
      [60, false],
      [80, false],
      [140, true],
    ] as const) {
      const r = await runCli(['decide', '--preset', 'startup', '--detail'], {
        env: { COLUMNS: String(columns) },
      });
      const lines = r.stdout.trimEnd().split('\n');
      for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(columns);
      expect(r.stdout.includes('│ Factor'), `box at ${columns}`).toBe(box);
      for (const label of labels) expect(r.stdout.replace(/\s+/g, ' ')).toContain(label);
      // wrapped at words: the reason's words whole, whatever the line they land on
      if (!box)
        expect(r.stdout.replace(/\s+/g, ' ')).toContain(
          "Why (Standard channel): pay-as-you-go: the article's MVP stage costs $1.25 a month",
        );
    }
    const json = await runCli(['decide', '--preset', 'startup', '--detail', '--format', 'json']);
    expect(json.code).toBe(2);
    expect(json.stderr).toMatch(/--detail is for --format table/);
  });
});
