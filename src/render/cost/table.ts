import type { ChalkInstance } from 'chalk';
import { drawTable } from '../table-kit.js';
import { type CellKind, costGrid, explainLines, footnotes, type CostDocument } from './view.js';

function paint(chalk: ChalkInstance, kind: CellKind | undefined, text: string): string {
  if (kind === 'over' || kind === 'loss') return chalk.red(text);
  if (kind === 'savings') return chalk.green(text);
  return text;
}

/** The terminal table (cli-table3), coloured through the chalk instance the command chose. */
export function renderCostTable(doc: CostDocument, chalk: ChalkInstance): string {
  const grid = costGrid(doc);
  const table = drawTable({
    head: grid.head.map((h) => chalk.bold(h)),
    align: grid.align,
    rows: grid.rows.map((row) => row.cells.map((text, i) => {
      const out = paint(chalk, row.kind[i], text);
      return row.total ? chalk.bold(out) : out;
    })),
  });
  const { heading, prices, notes } = footnotes(doc);
  const under = [heading, ...prices.map((p) => `  ${p}`), ...notes].map((l) => chalk.dim(l));
  const explain = doc.explain ? ['', ...explainLines(doc)] : [];
  return `${table}\n${under.join('\n')}\n${explain.length > 0 ? `${explain.join('\n')}\n` : ''}`;
}
