import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run.js';

// One deck, three formats, the same figures: every dollar amount on the slides (titles, leads,
// tables, bullets) read out of the pptx XML, the HTML and the markdown, slide by slide, must be
// the same amounts in the same order. Charts are read apart (test/report/charts.test.ts) and
// speaker notes are not slides.
const dir = mkdtempSync(join(tmpdir(), 'ai-route-agree-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MONEY = /-?\$[\d,]+(?:\.\d+)?k?/g;

const unescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

async function pptxText(file: string): Promise<string> {
  const zip = await JSZip.loadAsync(readFileSync(file));
  const slides = Object.keys(zip.files)
    .map((f) => /^ppt\/slides\/slide(\d+)\.xml$/.exec(f))
    .filter((m) => m !== null)
    .sort((a, b) => Number(a[1]) - Number(b[1]));
  const xml = await Promise.all(slides.map((m) => zip.file(m[0])!.async('string')));
  return xml
    .map((x) => [...x.matchAll(/<a:t>([^<]*)<\/a:t>/g)].map((t) => unescape(t[1]!)))
    .join(' ');
}

const htmlText = (html: string) =>
  unescape(
    html
      .replace(/<svg[\s\S]*?<\/svg>/g, ' ')
      .replace(/<details[\s\S]*?<\/details>/g, ' ')
      .replace(/<title>[\s\S]*?<\/title>/g, ' ')
      .replace(/<style>[\s\S]*?<\/style>/g, ' ')
      .replace(/<[^>]+>/g, ' '),
  );

const markdownText = (md: string) =>
  md
    .split('\n')
    .filter((l) => !l.startsWith('![') && !l.startsWith('> How these figures were made'))
    .join('\n')
    .replace(/\\([\\`*_[\]|<>#])/g, '$1');

async function figures(name: string, args: string[]) {
  const out = (ext: string) => join(dir, name, `report.${ext}`);
  for (const [format, ext] of [
    ['pptx', 'pptx'],
    ['html', 'html'],
    ['md', 'md'],
  ] as const) {
    const r = await runCli(['report', ...args, '--format', format, '--out', out(ext)]);
    expect(r.code, r.stderr).toBe(0);
  }
  return {
    pptx: (await pptxText(out('pptx'))).match(MONEY) ?? [],
    html: htmlText(readFileSync(out('html'), 'utf8')).match(MONEY) ?? [],
    md: markdownText(readFileSync(out('md'), 'utf8')).match(MONEY) ?? [],
  };
}

describe('pptx, HTML and markdown show the same figures, in the same order', () => {
  it.each([
    ['the default deck', []],
    ['a 15% projection', ['--growth', '15']],
    ['startup decision', ['--preset', 'startup']],
    ['enterprise decision (unpriced)', ['--preset', 'enterprise']],
    ['three setups', ['--scenario', 'gateway', '--model', 'gpt-4o', '--model', 'Qwen/Qwen3-32B']],
    ['fitted from usage', ['--usage', 'examples/usage-daily.csv', '--pricing', 'litellm']],
  ])('%s', async (name, args) => {
    const f = await figures(name.replace(/\W+/g, '-'), args);
    expect(f.pptx.length).toBeGreaterThan(10);
    expect(f.html).toEqual(f.pptx);
    expect(f.md).toEqual(f.pptx);
  });
});
