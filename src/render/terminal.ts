import type { ChalkInstance } from 'chalk';
import type { Cell, Part, ReportDocument, Text, Tone } from './document.js';
import { printable } from './format.js';
import { drawTable } from './table-kit.js';

/** Every text is made printable before it is coloured: the colour codes are ours, anything else from data is shown escaped. */
function paint(chalk: ChalkInstance, tone: Tone | undefined, raw: string): string {
  const text = printable(raw);
  switch (tone) {
    case 'muted':
      return chalk.dim(text);
    case 'good':
      return chalk.green(text);
    case 'bad':
      return chalk.red(text);
    case 'warn':
      return chalk.yellow(text);
    case 'strong':
      return chalk.bold(text);
    default:
      return text;
  }
}

function cell(chalk: ChalkInstance, c: Cell): string {
  const text = paint(chalk, c.tone, c.text);
  return c.strong ? chalk.bold(text) : text;
}

function partLines(chalk: ChalkInstance, part: Part): string[] {
  const line = (t: Text, indent: boolean) => paint(chalk, t.tone, indent ? `  ${t.text}` : t.text);
  switch (part.kind) {
    case 'title':
      return [chalk.bold(printable(part.text))];
    case 'table': {
      const t = part.table;
      return [drawTable({ head: t.head.map((h) => chalk.bold(printable(h))), align: t.align, rows: t.rows.map((r) => r.map((c) => cell(chalk, c))) })];
    }
    case 'list':
      return part.items.map((t) => line(t, part.indent));
    case 'paragraphs':
      return part.items.map((t) => line(t, false));
    case 'code':
      return part.lines.map(printable);
  }
}

/** A report document for a terminal: cli-table3 tables, tones as colour through the chalk the command chose. */
export function drawTerminal(doc: ReportDocument, chalk: ChalkInstance): string {
  const blocks = doc.blocks.map((b) =>
    b.parts
      .filter((p) => p.only !== 'markdown')
      .flatMap((p) => partLines(chalk, p))
      .join('\n'),
  );
  const head = doc.headline === undefined ? [] : [paint(chalk, doc.headline.tone ?? 'strong', doc.headline.text)];
  const [first, ...rest] = blocks;
  const body = [...head, ...(first === undefined ? [] : [first])].join('\n');
  return `${[body, ...rest].join('\n\n')}\n`;
}
