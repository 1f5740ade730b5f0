import type { ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import { costGrid, explainLines, footnotes, type CostDocument } from './view.js';

/** The terminal table (cli-table3), coloured through the chalk instance the command chose. */
export function renderCostTable(doc: CostDocument, chalk: ChalkInstance): string {
  const grid = costGrid(doc);
  const table = new Table({
    head: grid.head.map((h) => chalk.bold(h)),
    colAligns: grid.align,
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const row of grid.rows) {
    table.push(
      row.cells.map((text, i) => {
        const kind = row.kind[i];
        let out = text;
        if (kind === 'over') out = chalk.red(text);
        else if (kind === 'savings') out = chalk.green(text);
        else if (kind === 'loss') out = chalk.red(text);
        return row.total ? chalk.bold(out) : out;
      }),
    );
  }
  const { heading, prices, notes } = footnotes(doc);
  const under = [heading, ...prices.map((p) => `  ${p}`), ...notes].map((l) => chalk.dim(l));
  const explain = doc.explain ? ['', ...explainLines(doc)] : [];
  return `${table.toString()}\n${under.join('\n')}\n${explain.length > 0 ? `${explain.join('\n')}\n` : ''}`;
}
