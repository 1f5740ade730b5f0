import type { ChalkInstance } from 'chalk';
import type { Cell, Part, ReportDocument, Table, Text, Tone } from './document.js';
import { printable } from './format.js';
import tableUtils from 'cli-table3/src/utils.js';
import { drawTable, fitTable, wrapText, type TableSpec } from './table-kit.js';

/**
 * Every text is made printable before it is coloured: the colour codes are ours, anything else from
 * data is shown escaped.
 */
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

/**
 * A table too wide for the terminal even fitted (the decision matrix's eight columns at 80), as
 * one record per row: its first cell in bold, then each other cell after its header, wrapped at
 * words. A box the terminal breaks is harder to read than a list.
 */
function recordLines(chalk: ChalkInstance, t: Table, width: number): string[] {
  const heads = t.head.map((h) => printable(h).replace(/\s+/g, ' '));
  return t.rows.flatMap((row) => {
    const [first, ...rest] = row;
    const title = wrapped(printable(first?.text ?? ''), width, '  ').map((l) =>
      chalk.bold(paint(chalk, first?.tone, l)),
    );
    const fields = rest.flatMap((c, j) => {
      const text = printable(c.text).replace(/\s+/g, ' ');
      if (text === '') return [];
      return wrapped(`  ${heads[j + 1]}: ${text}`, width, '  ').map((l) => paint(chalk, c.tone, l));
    });
    return [...title, ...fields];
  });
}

/** The display width of a table as drawn: its widest line. */
function tableWidth(spec: TableSpec): number {
  return Math.max(
    ...drawTable(spec)
      .split('\n')
      .map((l) => tableUtils.strlen(l)),
  );
}

/**
 * Lines of prose at most `width` wide (when given); a list item's continuation lines keep its
 * indent.
 */
function wrapped(text: string, width: number | undefined, indent: string): string[] {
  if (width === undefined || text.length <= width) return [text];
  const lead = /^ */.exec(text)![0];
  return wrapText(text.slice(lead.length), width - lead.length - indent.length).map(
    (l, i) => (i === 0 ? lead : lead + indent) + l,
  );
}

function partLines(chalk: ChalkInstance, part: Part, width: number | undefined): string[] {
  const line = (t: Text, indent: boolean) =>
    wrapped(printable(indent ? `  ${t.text}` : t.text), width, '  ').map((l) =>
      paint(chalk, t.tone, l),
    );
  switch (part.kind) {
    case 'title':
      return wrapped(printable(part.text), width, '  ').map((l) => chalk.bold(l));
    case 'table': {
      const t = part.table;
      const plain = {
        head: t.head.map(printable),
        align: t.align,
        rows: t.rows.map((r) => r.map((c) => printable(c.text))),
      };
      const fit = width === undefined ? plain : fitTable(plain, width);
      if (width !== undefined && tableWidth(fit) > width) return recordLines(chalk, t, width);
      // colour goes on after the fitting, line by line, so no escape code is cut by a wrap
      const tone = (text: string, c: Cell) =>
        text
          .split('\n')
          .map((l) => cell(chalk, { ...c, text: l }))
          .join('\n');
      return [
        drawTable({
          head: fit.head.map((h) =>
            h
              .split('\n')
              .map((l) => chalk.bold(l))
              .join('\n'),
          ),
          align: t.align,
          rows: fit.rows.map((r, i) => r.map((text, j) => tone(text, t.rows[i]![j]!))),
        }),
      ];
    }
    case 'list':
      return part.items.flatMap((t) => line(t, part.indent));
    case 'paragraphs':
      return part.items.flatMap((t) => line(t, false));
    case 'code':
      return part.lines.map(printable);
  }
}

/**
 * A report document for a terminal: cli-table3 tables, tones as colour through the chalk the
 * command chose, fitted to `width` when given.
 */
export function drawTerminal(doc: ReportDocument, chalk: ChalkInstance, width?: number): string {
  const blocks = doc.blocks.map((b) =>
    b.parts
      .filter((p) => p.only !== 'markdown')
      .flatMap((p) => partLines(chalk, p, width))
      .join('\n'),
  );
  const head =
    doc.headline === undefined
      ? []
      : wrapped(printable(doc.headline.text), width, '').map((l) =>
          paint(chalk, doc.headline!.tone ?? 'strong', l),
        );
  const [first, ...rest] = blocks;
  const body = [...head, ...(first === undefined ? [] : [first])].join('\n');
  return `${[body, ...rest].join('\n\n')}\n`;
}
