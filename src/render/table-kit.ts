import Table from 'cli-table3';
import tableUtils from 'cli-table3/src/utils.js';

import type { Align } from './document.js';

export type { Align };

/** A table to draw: cells may already carry colour; widths are measured without it. */
export interface TableSpec {
  head: string[];
  align: Align[];
  rows: string[][];
}

/** Past this many rows a table is drawn line by line (cli-table3's per-cell work would dominate `cost --all-models`). */
const LARGE = 30;
const CHARS = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

function widthsOf(spec: TableSpec): number[] {
  return spec.head.map((h, i) => {
    let width = tableUtils.strlen(h);
    for (const row of spec.rows) width = Math.max(width, tableUtils.strlen(row[i] ?? ''));
    return width + 2;
  });
}

/** One row the way cli-table3 draws it with our options: a space of padding each side, aligned by display width. */
function line(cells: readonly string[], widths: readonly number[], align: readonly Align[]): string {
  const drawn = widths.map((w, i) => {
    const text = cells[i] ?? '';
    const fill = ' '.repeat(Math.max(0, w - 2 - tableUtils.strlen(text)));
    return ` ${align[i] === 'right' ? fill + text : text + fill} `;
  });
  return `│${drawn.join('│')}│`;
}

/**
 * Draws a table with cli-table3's look: box borders, one space of padding, no row separators.
 * Small tables go through cli-table3 itself; a large one (thousands of rows under `cost
 * --all-models`) is drawn line by line with the same widths and characters, because cli-table3
 * re-reads its options for every cell. test/render/table.test.ts checks the two agree byte for byte.
 */
export function drawTable(spec: TableSpec): string {
  const widths = widthsOf(spec);
  const multiline = spec.rows.some((r) => r.some((c) => c.includes('\n')));
  if (spec.rows.length <= LARGE || multiline) {
    const table = new Table({ head: spec.head, colWidths: widths, colAligns: spec.align, style: { head: [], border: [], 'padding-left': 1, 'padding-right': 1 }, chars: CHARS });
    table.push(...spec.rows);
    return table.toString();
  }
  return drawLarge(spec, widths);
}

/** The line-by-line drawing of a large table; exported for the test that compares it with cli-table3. */
export function drawLarge(spec: TableSpec, widths = widthsOf(spec)): string {
  const rule = (left: string, mid: string, right: string) => `${left}${widths.map((w) => '─'.repeat(w)).join(mid)}${right}`;
  return [rule('┌', '┬', '┐'), line(spec.head, widths, spec.align), ...spec.rows.map((r) => line(r, widths, spec.align)), rule('└', '┴', '┘')].join('\n');
}

/** cli-table3's own drawing of any table, for that test. */
export function drawWithCliTable3(spec: TableSpec): string {
  const table = new Table({
    head: spec.head,
    colWidths: widthsOf(spec),
    colAligns: spec.align,
    style: { head: [], border: [], 'padding-left': 1, 'padding-right': 1 },
    chars: CHARS,
  });
  table.push(...spec.rows);
  return table.toString();
}
