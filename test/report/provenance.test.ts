import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run.js';

// Provenance a board can check: every price and claim named by its source and date (the article
// by its title and what is known of its publisher, a catalog by name, date and URL, a quote file
// by its name), "seed article" nowhere a user reads, and speaker notes that say how each slide's
// figures were made. Before, slides said "seed article" and never named it.
const dir = mkdtempSync(join(tmpdir(), 'ai-route-provenance-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const TITLE =
  'Enterprise vs Startup: Which AI API Architecture Actually Survives Contact With Production in ' +
  '2026?';
const SEED = /seed (article|table|setup)/i;

async function markdown(name: string, args: string[]): Promise<string> {
  const out = join(dir, name, 'report.md');
  const r = await runCli(['report', ...args, '--format', 'md', '--out', out]);
  expect(r.code, r.stderr).toBe(0);
  return readFileSync(out, 'utf8');
}

const sourcesOf = (md: string) => md.slice(md.indexOf('## Assumptions and sources'));

describe('sources by name and date', () => {
  it('the article by its title, and that our copy names no publisher', async () => {
    const md = await markdown('default', []);
    const sources = sourcesOf(md);
    expect(sources).toContain(`Prices of DeepSeek V4 Flash, GPT-4o: "${TITLE}"`);
    expect(sources).toContain('publisher not named in the copy ai-route holds');
    expect(sources).toMatch(
      /GPT-4o: Enterprise vs Startup \(2026\), cost table: .*effective 2026-11-24/,
    );
    expect(md).not.toMatch(SEED);
  });

  it('a decision: its SLA, DPA and support claims sourced, and its uptime figure', async () => {
    const md = await markdown('enterprise', ['--preset', 'enterprise']);
    const sources = sourcesOf(md);
    expect(sources).toContain('Decision factors, SLA, DPA and support claims: the same document');
    expect(sources).toMatch(
      /Availability of Global API Pro channel .*: Enterprise vs Startup \(2026\)/,
    );
    expect(md).not.toMatch(SEED);
    // a claim the article does not make is unknown, not "no" sourced to a shrug
    expect(md).not.toContain('a shrug');
    // every price behind a cost in the decision table is cited with its source and date, the
    // ones no cost slide shows included (the excluded setups' Qwen3-32B and Kimi K2.5)
    const json = JSON.parse(
      (await runCli(['decide', '--preset', 'enterprise', '--format', 'json'])).stdout,
    );
    const priced = json.options.filter(
      (o: { cost: { monthly_cost?: string | null } }) => typeof o.cost.monthly_cost === 'string',
    );
    const prices = priced.flatMap((o: { tiers: Array<{ price: unknown }> }) =>
      o.tiers.map((t) => t.price as { model: string; source: string; effective_from: string }),
    );
    expect(prices.length).toBeGreaterThan(2);
    for (const p of prices)
      expect(sources, p.model).toContain(`${p.source}, effective ${p.effective_from}.`);
    expect(sources).toContain("Qwen/Qwen3-32B (in the decision's costs)");
  });

  it('a catalog by its name, date and URL; a quote file by its name, never its path', async () => {
    const litellm = sourcesOf(
      await markdown('litellm', ['--pricing', 'litellm', '--model', 'deepseek/deepseek-chat']),
    );
    expect(litellm).toMatch(
      /Prices of deepseek\/deepseek-chat, openai\/gpt-4o: LiteLLM's model cost map of 2026-07-24, https:\/\//,
    );
    const quote = sourcesOf(
      await markdown('quote', [
        '--pricing',
        'test/fixtures/deck/long-names.yaml',
        '--model',
        'northwind/instruct-large-dedicated-capacity-provisioned-throughput-us-east-2026-q4',
      ]),
    );
    expect(quote).toContain('the quote file long-names.yaml');
    expect(quote).not.toContain('test/fixtures');
  });
});

describe('"seed article" is in no output a user reads', () => {
  it.each([
    ['cost', ['cost']],
    ['cost --help', ['cost', '--help']],
    ['report --help', ['report', '--help']],
    ['decide', ['decide', '--preset', 'startup']],
    ['decide --detail', ['decide', '--preset', 'enterprise', '--detail']],
    ['an unknown model', ['cost', '--model', 'no-such-model']],
  ])('%s', async (_, args) => {
    const r = await runCli(args);
    expect(r.stdout + r.stderr).not.toMatch(SEED);
    expect(r.stdout + r.stderr).not.toBe('');
  });
});

describe('speaker notes: how each slide was made', () => {
  it('every slide has notes; the cost one gives volume, shares, rates and formula', async () => {
    const out = join(dir, 'deck.pptx');
    const r = await runCli(['report', '--format', 'pptx', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const zip = await JSZip.loadAsync(readFileSync(out));
    const slides = Object.keys(zip.files).filter((f) => /^ppt\/slides\/slide\d+\.xml$/.test(f));
    const notes = await Promise.all(
      Object.keys(zip.files)
        .filter((f) => /^ppt\/notesSlides\/notesSlide\d+\.xml$/.test(f))
        .map(async (f) =>
          [...(await zip.file(f)!.async('string')).matchAll(/<a:t>([^<]*)<\/a:t>/g)]
            .map((m) => m[1])
            .join(''),
        ),
    );
    expect(notes.filter((n) => n.trim().length > 40)).toHaveLength(slides.length);
    const cost = notes.find((n) => n.includes('Each volume is tokens a month'));
    expect(cost).toContain('100% to DeepSeek V4 Flash');
    expect(cost).toContain('DeepSeek V4 Flash output $0.25');
    expect(cost).toContain('savings = 1 - cost / Direct GPT-4o cost');
    expect(notes.some((n) => n.includes('month n is month 1 x (1 + 0%)^(n - 1)'))).toBe(true);
  });
});
