import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run.js';

// One story: with a decision, the title, the headline and the cost slides are the recommended
// setup's, at the decision's volume; no two slides disagree. Before, the startup deck's headline
// was DeepSeek V4 Flash at 5B ($1,250) beside a decision priced at 50M for the Standard channel,
// and the enterprise deck said "DeepSeek V4 Flash saves $48,750" over a Pro channel recommendation.
const dir = mkdtempSync(join(tmpdir(), 'ai-route-story-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A markdown table's rows under a heading, as arrays of cells. */
function tableUnder(md: string, heading: string): string[][] {
  const section = md.slice(md.indexOf(`## ${heading}`));
  return section
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('|:'))
    .slice(1)
    .map((l) =>
      l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    )
    .filter((cells, i, all) => i === 0 || cells.length === all[0]!.length);
}

async function slidesOf(file: string): Promise<string> {
  const zip = await JSZip.loadAsync(readFileSync(file));
  const names = Object.keys(zip.files).filter((f) => /^ppt\/slides\/slide\d+\.xml$/.test(f));
  const xml = await Promise.all(names.map((n) => zip.file(n)!.async('string')));
  return xml
    .map((x) => [...x.matchAll(/<a:t>([^<]*)<\/a:t>/g)].map((m) => m[1]).join(' '))
    .join('\n');
}

describe('a deck with a decision tells one story', () => {
  it('startup: headline, stage table and decision slide agree on its cost', async () => {
    const md = join(dir, 'startup', 'report.md');
    const r = await runCli(['report', '--preset', 'startup', '--format', 'md', '--out', md]);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(md, 'utf8');
    const head =
      /^\*\*Recommended: Standard channel .*?, (\$[\d,.]+) a month at (\S+) tokens\/month/m.exec(
        text,
      );
    expect(head, text.slice(0, 400)).not.toBeNull();
    const [, cost, volume] = head!;
    // the stage table prices the same setup: its row at the decision's volume
    const stages = tableUnder(text, 'Cost by stage');
    const row = stages.find((cells) => cells[1] === `${volume} tokens/month`);
    expect(row?.[2]).toBe(cost);
    // and the decision slide gives the recommendation the same cost
    const decision = tableUnder(text, 'The decision');
    expect(decision.find((cells) => cells[0]!.startsWith('Standard channel'))?.[2]).toBe(cost);
    // the stage slide names the decision's option beside its scenario's own label
    expect(text).toContain('Monthly cost of the recommended Standard channel setup, Hybrid (80%');
    // no slide is about a setup the decision did not recommend
    expect(text).not.toMatch(/Routing through|DeepSeek V4 Flash \(via Global API\) saves/);
    const pptx = join(dir, 'startup.pptx');
    expect(
      (await runCli(['report', '--preset', 'startup', '--out', pptx, '--format', 'pptx'])).code,
    ).toBe(0);
    const slides = await slidesOf(pptx);
    expect(slides).toContain(`${cost} a month at ${volume} tokens/month`);
  });

  it('enterprise, unpriced: says so on the title slide and what a quote must beat', async () => {
    const md = join(dir, 'enterprise', 'report.md');
    const r = await runCli(['report', '--preset', 'enterprise', '--format', 'md', '--out', md]);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(md, 'utf8');
    expect(text).toContain(
      '**Recommended: Pro channel (dedicated capacity, SLA and DPA in writing). Its price is ' +
        'not in the catalog (Pro/deepseek-ai/DeepSeek-V3.2): to cost less than Direct GPT-4o, a ' +
        'quote must come under $50,000.00 a month at 5B tokens/month, $10.00 per 1M tokens.**',
    );
    // no cost slide prices something else as if it were the story
    expect(text).not.toContain('## Cost by stage');
    expect(text).not.toMatch(/saves \$/);
    // the quote table: Direct GPT-4o's $10/M at each stage
    const quote = tableUnder(text, 'What a quote must beat');
    expect(quote.map((c) => c[2])).toEqual([
      '$50.00 a month',
      '$500.00 a month',
      '$5,000.00 a month',
      '$50,000.00 a month',
    ]);
  });

  it('--scenario or --model chooses what the cost slides price, beside the decision', async () => {
    const md = join(dir, 'chosen', 'report.md');
    const r = await runCli([
      ...['report', '--preset', 'startup', '--scenario', 'growth-stages'],
      ...['--format', 'md', '--out', md],
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(md, 'utf8')).toMatch(/^# LLM API cost: DeepSeek V4 Flash/);
  });
});
