import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { csvCell } from '../../src/render/csv.js';
import { htmlSafeMarkdown } from '../../src/render/markdown.js';
import { runCli } from '../helpers/run.js';

// Output valid for its reader whatever the names in the data: PowerPoint's XML parts, markdown
// that a renderer passes HTML through, CSV a spreadsheet opens.
const dir = mkdtempSync(join(tmpdir(), 'ai-route-readers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// ESC, NUL, a vertical tab, a lone surrogate, U+FFFF, and HTML that would run
const EVIL =
  'Evil \\e[2J \\0 \\v \\uD800 \\uFFFF <script>alert(1)</script> <img src=x onerror=alert(2)>';
const catalog = join(dir, 'evil.yaml');
writeFileSync(
  catalog,
  [
    'schema: ai-route/pricing@1',
    'currency: USD',
    'unit: usd_per_1m_tokens',
    'models:',
    '  evil-model:',
    '    provider: "prov <b onmouseover=alert(3)>"',
    `    display_name: "${EVIL}"`,
    '    prices:',
    '      - effective_from: 2026-01-01',
    `        source: "src ${EVIL}"`,
    '        output: "1"',
  ].join('\n'),
);
const report = (format: string, out: string) =>
  runCli([
    'report',
    '--pricing',
    catalog,
    '--model',
    'evil-model',
    '--volume',
    '1M',
    '--volume',
    '1B',
    '--format',
    format,
    '--out',
    out,
  ]);

/** HTML a markdown renderer would pass through as elements, outside code spans. */
const RAW_HTML = /<(script|img|b)\b/i;

describe('output valid for its reader, whatever the names in the data', () => {
  it('pptx: every XML part of a deck built from hostile names parses', async () => {
    const out = join(dir, 'deck.pptx');
    const r = await report('pptx', out);
    expect(r.code, r.stderr).toBe(0);
    const zip = await JSZip.loadAsync(readFileSync(out));
    const parts = Object.keys(zip.files).filter((f) => /\.(xml|rels)$/.test(f));
    expect(parts.length).toBeGreaterThan(10);
    let sawName = false;
    for (const part of parts) {
      const xml = await zip.file(part)!.async('string');
      expect(XMLValidator.validate(xml), part).toBe(true);
      // eslint-disable-next-line no-control-regex -- what XML 1.0 forbids
      expect(xml, part).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/);
      sawName ||= xml.includes('Evil \\u001b[2J');
    }
    // the name is shown, escaped, not dropped
    expect(sawName).toBe(true);
  });

  it('markdown: the deck and every markdown format escape HTML in every text', async () => {
    const out = join(dir, 'md', 'report.md');
    expect((await report('markdown', out)).code).toBe(0);
    const files = readdirSync(join(dir, 'md'));
    const read = (f: string) => readFileSync(join(dir, 'md', f), 'utf8');
    // the charts beside it are SVG: XML that parses
    for (const svg of files.filter((f) => f.endsWith('.svg')))
      expect(XMLValidator.validate(read(svg)), svg).toBe(true);
    const texts = files.filter((f) => f.endsWith('.md')).map(read);
    for (const argv of [
      ['cost', '--pricing', catalog, '--model', 'evil-model', '--volume', '1M'],
      ['pricing', 'list', '--pricing', catalog, '--model', 'evil-model'],
    ]) {
      const r = await runCli([...argv, '--format', 'markdown']);
      expect(r.code, r.stderr).toBe(0);
      texts.push(r.stdout);
    }
    for (const text of texts) {
      expect(text.replace(/`[^`]*`/g, '')).not.toMatch(RAW_HTML);
    }
    expect(texts.join('\n')).toContain('&lt;script>alert(1)&lt;/script>');
  });

  it('htmlSafeMarkdown: no raw tag outside code; code spans are left as written', () => {
    expect(htmlSafeMarkdown('a <b> &amp; & `x <y>` ``z ` <w>`` <i> p99<2s <$0.01')).toBe(
      'a &lt;b> &amp;amp; & `x <y>` ``z ` <w>`` &lt;i> p99<2s <$0.01',
    );
    expect(htmlSafeMarkdown('```text\n<kept>\n```\n<not>')).toBe('```text\n<kept>\n```\n&lt;not>');
    // an unclosed backtick is literal text: what follows is escaped
    expect(htmlSafeMarkdown('`open <img>')).toBe('`open &lt;img>');
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        const safe = htmlSafeMarkdown(text.replace(/\n/g, ' '));
        // a code span pairs equal runs of backticks; strip them, and no "<" is left raw
        expect(safe.replace(/(`+)(?:(?!\1)[\s\S])*?\1(?!`)/g, '')).not.toMatch(/<[A-Za-z/!?]/);
      }),
    );
  });

  it('CSV: any cell a spreadsheet could read as a formula is quoted as text', () => {
    for (const cell of [
      '=1+1',
      ' =1+1',
      '\n=1+1',
      ' \r\n@SUM(A1)',
      '\u3000=1',
      '\uff1d1+1',
      '\uff0b1',
      '\uff0d1',
      '\uff20x',
      '+x',
      '-x',
      '\tx',
    ])
      expect(csvCell(cell).replace(/^"/, ''), JSON.stringify(cell)).toMatch(/^'/);
    for (const cell of ['-1', '-1.25', '12', 'plain', 'a=b'])
      expect(csvCell(cell), cell).not.toMatch(/^"?'/);
  });
});
