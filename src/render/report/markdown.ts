import type { Table } from '../document.js';
import { htmlSafeMarkdown, markdownCell, markdownTable } from '../markdown.js';
import type { Deck } from './deck.js';
import { chartSvg } from './svg.js';

/** The deck as markdown, and each chart as an SVG file to write beside it (linked by name). */
export function deckMarkdown(
  deck: Deck,
  stem: string,
): { text: string; files: Array<{ name: string; content: string }> } {
  const files: Array<{ name: string; content: string }> = [];
  const table = (t: Table) =>
    markdownTable(
      t.head,
      t.rows.map((r) => r.map((c) => c.text)),
      t.align,
    );
  const lines = [
    `# ${markdownCell(deck.title)}`,
    '',
    `**${markdownCell(deck.headline)}**`,
    '',
    `Prices in force on ${deck.date}.`,
  ];
  for (const s of deck.slides) {
    lines.push('', `## ${markdownCell(s.title)}`);
    if (s.lead !== undefined) lines.push('', s.lead);
    if (s.table !== undefined) lines.push('', ...table(s.table));
    if (s.chart !== undefined) {
      const name = `${stem}-chart-${files.length + 1}.svg`;
      files.push({ name, content: `${chartSvg(s.chart)}\n` });
      lines.push('', `![${markdownCell(s.chart.title).replace(/[[\]]/g, '\\$&')}](${name})`);
    }
    if (s.bullets !== undefined && s.bullets.length > 0)
      lines.push('', ...s.bullets.map((b) => `- ${b}`));
    if (s.notes !== undefined) lines.push('', `> How these figures were made: ${s.notes}`);
  }
  return { text: htmlSafeMarkdown(`${lines.join('\n')}\n`), files };
}
