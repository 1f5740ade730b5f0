import { markdownCell as cell } from '../text.js';
import { costGrid, explainLines, footnotes, type CostDocument } from './view.js';

/** A GitHub table for a slide or a PR comment, then the prices, sources and as-of date under it. */
export function renderCostMarkdown(doc: CostDocument): string {
  const grid = costGrid(doc);
  const lines = [
    `| ${grid.head.map(cell).join(' | ')} |`,
    `|${grid.align.map((a) => (a === 'right' ? '---:' : ':---')).join('|')}|`,
    ...grid.rows.map((row) => `| ${row.cells.map((c) => (row.total ? `**${cell(c)}**` : cell(c))).join(' | ')} |`),
    '',
  ];
  const notes = footnotes(doc);
  lines.push(notes.heading, '', ...notes.prices.map((p) => `- ${p}`), '');
  for (const note of notes.notes) lines.push(note, '');
  if (doc.explain) lines.push('```text', ...explainLines(doc), '```', '');
  return `${lines.join('\n').trimEnd()}\n`;
}
