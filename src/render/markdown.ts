import type { Part, ReportDocument, Table } from './document.js';
import { printable } from './format.js';

/**
 * A markdown table cell: pipes escaped, line breaks flattened, control characters shown escaped.
 */
export function markdownCell(text: string): string {
  return printable(text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' '));
}

/** How a column is aligned in a markdown table; `none` leaves it to the reader. */
export type ColumnAlign = 'left' | 'right' | 'none';

const ALIGN_ROW: Record<ColumnAlign, string> = { left: ':---', right: '---:', none: '---' };

/**
 * The one markdown table writer: head, alignment row, then the rows, every cell escaped (pipes,
 * line breaks, control characters).
 */
export function markdownTable(
  head: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  align: readonly ColumnAlign[] = head.map(() => 'none'),
): string[] {
  return [
    `| ${head.map(markdownCell).join(' | ')} |`,
    `|${align.map((a) => ALIGN_ROW[a]).join('|')}|`,
    ...rows.map((r) => `| ${r.map(markdownCell).join(' | ')} |`),
  ];
}

/** A document's table in GitHub markdown; strong cells in bold. */
export function markdownTableLines(table: Table): string[] {
  return markdownTable(
    table.head,
    table.rows.map((r) => r.map((c) => (c.strong && c.text !== '' ? `**${c.text}**` : c.text))),
    table.align,
  );
}

function partLines(part: Part): string[] {
  switch (part.kind) {
    case 'title':
      return [`### ${markdownCell(part.text)}`, ''];
    case 'table':
      return [...markdownTableLines(part.table), ''];
    case 'list':
      return [...part.items.map((t) => `- ${printable(t.text)}`), ''];
    case 'paragraphs':
      return part.items.flatMap((t) => [printable(t.text), '']);
    case 'code':
      return ['```text', ...part.lines.map(printable), '```', ''];
  }
}

/**
 * Markdown whose text can hold no HTML: outside code spans and fenced blocks (where markdown shows
 * HTML as written) every `<` that could open a tag and `&` that could open an entity is written
 * as an entity, so a model named `<img onerror=...>` is shown,
 * never run, by GitHub, a wiki or any renderer that passes HTML through. Every markdown ai-route
 * writes goes through it.
 */
export function htmlSafeMarkdown(markdown: string): string {
  let fenced = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        fenced = !fenced;
        return line;
      }
      return fenced ? line : escapedOutsideCode(line);
    })
    .join('\n');
}

// a tag needs "<" and a letter, "/", "!" or "?"; an entity "&" and a letter or "#" ("p99<2s" and
// "<$0.01" stay as written)
const entities = (text: string): string =>
  text.replace(/&(?=[A-Za-z#])/g, '&amp;').replace(/<(?=[A-Za-z/!?])/g, '&lt;');

/** A line escaped outside its code spans (a run of n backticks to the next run of n). */
function escapedOutsideCode(line: string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    const open = line.indexOf('`', i);
    if (open < 0) return out + entities(line.slice(i));
    let end = open;
    while (line[end] === '`') end++;
    const close = closingRun(line, end, end - open);
    out += entities(line.slice(i, open));
    if (close < 0) {
      // no closing run: the backticks are literal text
      out += line.slice(open, end);
      i = end;
    } else {
      out += line.slice(open, close + end - open);
      i = close + end - open;
    }
  }
  return out;
}

/** Where a run of exactly `length` backticks starts at or after `from`, or -1. */
function closingRun(line: string, from: number, length: number): number {
  for (let j = line.indexOf('`', from); j >= 0;) {
    let end = j;
    while (line[end] === '`') end++;
    if (end - j === length) return j;
    j = line.indexOf('`', end);
  }
  return -1;
}

/** GitHub-flavoured markdown of a report document, for a PR comment, a job summary or a slide. */
export function drawMarkdown(doc: ReportDocument): string {
  const lines: string[] = [];
  if (doc.title !== undefined) lines.push(`## ${markdownCell(doc.title)}`, '');
  if (doc.headline !== undefined) lines.push(printable(doc.headline.text), '');
  for (const block of doc.blocks) {
    for (const part of block.parts) if (part.only !== 'terminal') lines.push(...partLines(part));
  }
  return htmlSafeMarkdown(`${lines.join('\n').trimEnd()}\n`);
}
