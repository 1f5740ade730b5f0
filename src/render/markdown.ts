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

/** GitHub-flavoured markdown of a report document, for a PR comment, a job summary or a slide. */
export function drawMarkdown(doc: ReportDocument): string {
  const lines: string[] = [];
  if (doc.title !== undefined) lines.push(`## ${markdownCell(doc.title)}`, '');
  if (doc.headline !== undefined) lines.push(printable(doc.headline.text), '');
  for (const block of doc.blocks) {
    for (const part of block.parts) if (part.only !== 'terminal') lines.push(...partLines(part));
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
