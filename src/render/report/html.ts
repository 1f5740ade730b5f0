import type { Table } from '../document.js';
import type { Deck } from './deck.js';
import { chartSvg } from './svg.js';

// The deck as one self-contained HTML file: inline CSS and SVG, no script, no font or image
// fetched; each slide a section that prints on its own page (A4 or Letter, the browser's choice).

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const CSS = `
body { font-family: Helvetica, Arial, sans-serif; color: #111827; margin: 0 auto; max-width: 960px;
  padding: 24px; }
section { padding: 16px 0 32px; border-bottom: 1px solid #e5e7eb; }
h1 { font-size: 32px; margin: 0 0 12px; } h2 { font-size: 26px; margin: 0 0 8px; }
.headline { font-size: 22px; font-weight: bold; color: #1d4ed8; } .lead { font-size: 18px; }
table { border-collapse: collapse; font-size: 16px; margin: 12px 0; max-width: 100%; }
th, td { padding: 6px 12px; border-bottom: 1px solid #d1d5db; vertical-align: top;
  overflow-wrap: break-word; } th { background: #f3f4f6; text-align: left; }
@media (max-width: 900px) { table { font-size: 14px; } th, td { padding: 4px 6px; } }
td.r, th.r { text-align: right; } td.r { overflow-wrap: normal; white-space: nowrap; }
svg { max-width: 100%; height: auto; }
li { font-size: 16px; margin: 4px 0; }
.notes { font-size: 14px; color: #4b5563; margin-top: 12px; }
@media print { body { max-width: none; padding: 0; } section { break-after: page; border: none; }
  @page { margin: 15mm; } }
`;

/** A cell's text, a long id (a model's path) free to wrap after its slashes and underscores. */
const cellHtml = (text: string) =>
  esc(text).replace(/\S{21,}/g, (id) => id.replace(/([/_.])(?=.)/g, '$1<wbr>'));

function tableHtml(t: Table): string {
  const cls = (i: number) => (t.align[i] === 'right' ? ' class="r"' : '');
  const head = `<tr>${t.head.map((h, i) => `<th${cls(i)}>${esc(h)}</th>`).join('')}</tr>`;
  const rows = t.rows
    .map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${cellHtml(c.text)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table>\n${head}\n${rows}\n</table>`;
}

/** The whole report as one HTML document. */
export function deckHtml(deck: Deck): string {
  const slides = deck.slides.map((s) =>
    [
      '<section>',
      `<h2>${esc(s.title)}</h2>`,
      s.lead === undefined ? '' : `<p class="lead">${esc(s.lead)}</p>`,
      s.table === undefined ? '' : tableHtml(s.table),
      s.chart === undefined ? '' : chartSvg(s.chart),
      s.bullets === undefined || s.bullets.length === 0
        ? ''
        : `<ul>${s.bullets.map((b) => `<li>${esc(b)}</li>`).join('')}</ul>`,
      // the speaker notes: folded, so the page reads as the slide does
      s.notes === undefined
        ? ''
        : `<details class="notes"><summary>How these figures were made</summary>` +
          `<p>${esc(s.notes)}</p></details>`,
      '</section>',
    ]
      .filter(Boolean)
      .join('\n'),
  );
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    // nothing may be fetched: a report opened offline, or in a locked-down mail client, is whole
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; ` +
      `style-src 'unsafe-inline'; img-src data:">`,
    `<title>${esc(deck.title)}</title><style>${CSS}</style></head><body>`,
    `<section><h1>${esc(deck.title)}</h1><p class="headline">${esc(deck.headline)}</p><p>Prices ` +
      `in force on ${esc(deck.date)}. Made with ai-route.</p></section>`,
    ...slides,
    '</body></html>',
    '',
  ].join('\n');
}
