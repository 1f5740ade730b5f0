import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/run.js';

// The README's terminal excerpts are what the commands print today: each ```text block that
// starts with "$ npx ai-route ..." is run, and its words must equal the output's (line breaks
// aside: the README wraps at 100 columns, a pipe does not). Before, the README still quoted
// "seed article" after the output had changed.
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const blocks = [...README.matchAll(/```text\n\$ npx ai-route ([^\n]*)\n([\s\S]*?)```/g)].map(
  (m) => ({ args: m[1]!.split(' '), shown: m[2]! }),
);
const words = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('the README shows what the commands print', () => {
  it('has a cost table and a decide summary to check', () => {
    expect(blocks.map((b) => b.args[0])).toEqual(['cost', 'decide']);
  });

  it.each(blocks.map((b) => [b.args.join(' '), b] as const))('ai-route %s', async (_, b) => {
    const r = await runCli(b.args);
    expect(r.code, r.stderr).toBe(0);
    expect(words(b.shown)).toBe(words(r.stdout));
  });
});
