import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DECK_CASES, renderDecks } from '../../scripts/deck-gallery.mjs';
import { layoutProblems, pdfWords } from '../helpers/layout.js';

// Layout that holds, as rendered: every deck of test/fixtures/deck/cases.json (the shipped
// scenarios, both presets, four long model ids, 80-character names, latency and a pre-mortem)
// opened by LibreOffice and read back as word boxes, and its HTML laid out by headless Chromium
// and measured element by element. Before, the decision slide's bullets printed over its table.
const dir = mkdtempSync(join(tmpdir(), 'ai-route-layout-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let decks: Array<{ name: string; pdf: string; html: string }> = [];
beforeAll(async () => {
  decks = await renderDecks(dir);
}, 300_000);

/** poppler boxes Liberation Sans at 1.3 times its size: 14 pt text is 18.2 pt high, 12 pt 15.6. */
const MIN_WORD_HEIGHT = 17.5;

describe('the pptx, rendered by LibreOffice', () => {
  it('renders every case', () => {
    expect(decks.map((d) => d.name)).toEqual(DECK_CASES.map((c: { name: string }) => c.name));
  });

  it.each(DECK_CASES.map((c: { name: string }) => c.name))(
    '%s: no word leaves its slide, none overlaps another, none under 14 pt',
    (name) => {
      const pages = pdfWords(decks.find((d) => d.name === name)!.pdf);
      expect(pages.length).toBeGreaterThanOrEqual(4);
      // a 16:9 slide: 13.33 x 7.5 inches
      for (const p of pages)
        expect([Math.round(p.width), Math.round(p.height)]).toEqual([960, 540]);
      expect(layoutProblems(pages, MIN_WORD_HEIGHT)).toEqual([]);
    },
  );
});

/** Run in the page by Chromium: what overflows its box or overlaps a neighbour, in words. */
const MEASURE = `
const problems = [];
const name = (el) => el.tagName.toLowerCase() + ' "' + el.textContent.trim().slice(0, 40) + '"';
const page = document.documentElement;
if (page.scrollWidth > innerWidth) problems.push('page is ' + page.scrollWidth + 'px wide');
for (const s of document.querySelectorAll('section')) {
  const box = s.getBoundingClientRect();
  for (const el of s.querySelectorAll('h1, h2, p, li, table, svg')) {
    const r = el.getBoundingClientRect();
    if (r.right > box.right + 1 || r.left < box.left - 1)
      problems.push(name(el) + ' leaves its slide');
  }
}
for (const cell of document.querySelectorAll('td, th'))
  if (cell.scrollWidth > cell.clientWidth + 1) problems.push(name(cell) + ' overflows its cell');
for (const svg of document.querySelectorAll('svg')) {
  const frame = svg.getBoundingClientRect();
  const texts = [...svg.querySelectorAll('text')].map((t) => [t, t.getBoundingClientRect()]);
  for (const [t, r] of texts)
    if (r.left < frame.left - 1 || r.right > frame.right + 1 || r.top < frame.top - 1 ||
        r.bottom > frame.bottom + 1) problems.push(name(t) + ' leaves its chart');
  for (const [i, [a, ra]] of texts.entries())
    for (const [b, rb] of texts.slice(i + 1)) {
      const across = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
      const down = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
      if (across > 1 && down > 1) problems.push(name(a) + ' overlaps ' + name(b));
    }
}
const out = document.createElement('pre');
out.id = 'layout-problems';
out.textContent = JSON.stringify(problems);
document.body.append(out);
`;

async function htmlProblems(html: string, width: number): Promise<string[]> {
  // the report forbids scripts (its CSP): the measuring copy drops that line and adds one
  const page = html.replace(/\.html$/, `.measure-${width}.html`);
  writeFileSync(
    page,
    readFileSync(html, 'utf8')
      .replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '')
      .replace('</body>', `<script>${MEASURE}</script></body>`),
  );
  const { stdout } = await promisify(execFile)(
    'chromium',
    [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      `--user-data-dir=${join(dir, 'chromium-profile')}`,
      `--window-size=${width},900`,
      '--virtual-time-budget=5000',
      '--dump-dom',
      `file://${page}`,
    ],
    { timeout: 90_000, maxBuffer: 1 << 26 },
  );
  const found = /<pre id="layout-problems">([^<]*)<\/pre>/.exec(stdout);
  expect(found, 'the measuring script ran').not.toBeNull();
  return JSON.parse(found![1]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as string[];
}

describe('the HTML, laid out by headless Chromium', () => {
  it.each(DECK_CASES.map((c: { name: string }) => c.name))(
    '%s: at a laptop and a narrow window, nothing overflows or overlaps',
    async (name) => {
      const html = decks.find((d) => d.name === name)!.html;
      for (const width of [1280, 800])
        expect(await htmlProblems(html, width), `${width}px`).toEqual([]);
    },
    120_000,
  );
});
