import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run.js';

// The decision slide in words for people: no raw JSON, no internal ids, no conflicts of the
// options that lost (before: 31 JSON bullets on the enterprise deck's decision slide).
const dir = mkdtempSync(join(tmpdir(), 'ai-route-decision-words-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** snake_case ids (sla_in_writing, global_api_standard, not_in_catalog) and JSON. */
const INTERNAL = /\b[a-z]+_[a-z_]+\b|[{}]|"\w+":/;

/** The text of every slide of a deck, a line per paragraph. */
async function slideText(file: string): Promise<string> {
  const zip = await JSZip.loadAsync(readFileSync(file));
  const slides = Object.keys(zip.files).filter((f) => /^ppt\/slides\/slide\d+\.xml$/.test(f));
  const texts = await Promise.all(slides.map((f) => zip.file(f)!.async('string')));
  return texts
    .map((x) => x.replace(/<\/a:p>/g, '\n').replace(/<[^>]+>/g, ''))
    .join('\n')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'");
}

describe('the decision slide says it in words', () => {
  it('enterprise: the reasons, and each excluded option in one line', async () => {
    const md = join(dir, 'enterprise', 'report.md');
    const r = await runCli(['report', '--preset', 'enterprise', '--format', 'md', '--out', md]);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(md, 'utf8');
    const decision = text.slice(text.indexOf('## The decision'), text.indexOf('## Assumptions'));
    expect(decision).not.toMatch(INTERNAL);
    const bullets = decision.split('\n').filter((l) => l.startsWith('- '));
    expect(bullets).toEqual([
      '- Why: SLA: 99.9% SLA in writing',
      '- Why: Security: custom DPA through the Pro Channel',
      '- Why: Support: 24/7 support through the Pro Channel',
      '- Excluded: Direct to one provider: cannot be shown to meet SLA: 99.9% in writing',
      '- Excluded: Standard channel: does not meet SLA: 99.9% in writing',
      '- Excluded: Self-hosted gateway over two providers: does not meet SLA: 99.9% in writing',
    ]);
  });

  it('pptx: no slide holds JSON or an internal id, for either preset', async () => {
    for (const preset of ['startup', 'enterprise']) {
      const out = join(dir, `${preset}.pptx`);
      const r = await runCli(['report', '--preset', preset, '--format', 'pptx', '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      const text = await slideText(out);
      expect(text).toContain('The decision');
      for (const line of text.split('\n')) expect(line, `${preset}: ${line}`).not.toMatch(INTERNAL);
    }
  });
});
