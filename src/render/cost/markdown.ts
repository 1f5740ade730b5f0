import { markdownTableLines } from '../text.js';
import { costGrid, explainLines, footnotes, type CostDocument } from './view.js';

/** A GitHub table for a slide or a PR comment, then the prices, sources and as-of date under it. */
export function renderCostMarkdown(doc: CostDocument): string {
  const grid = costGrid(doc);
  const rows = grid.rows.map((row) => (row.total ? row.cells.map((c) => `**${c}**`) : row.cells));
  const lines = [...markdownTableLines({ head: grid.head, align: grid.align, rows }), ''];
  const notes = footnotes(doc);
  lines.push(notes.heading, '', ...notes.prices.map((p) => `- ${p}`), '');
  for (const note of notes.notes) lines.push(note, '');
  if (doc.explain) lines.push('```text', ...explainLines(doc), '```', '');
  return `${lines.join('\n').trimEnd()}\n`;
}
