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

/** cli-table3's layout pass grows faster than linearly (2,000 rows: 0.4 s), so big tables are drawn in slices. */
const SLICE = 30;
const CHARS = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

/**
 * Draws with cli-table3. Column widths are measured once over all rows and fixed, so slices of
 * rows line up exactly and are joined into one table, and the cost stays linear in the rows.
 */
export function drawTable(spec: TableSpec): string {
  const widths = spec.head.map((h, i) => {
    let width = tableUtils.strlen(h);
    for (const row of spec.rows) width = Math.max(width, tableUtils.strlen(row[i] ?? ''));
    return width + 2;
  });
  const slice = (rows: string[][], withHead: boolean): string[] => {
    const table = new Table({
      head: withHead ? spec.head : [],
      colWidths: widths,
      colAligns: spec.align,
      style: { head: [], border: [], 'padding-left': 1, 'padding-right': 1 },
      chars: CHARS,
    });
    table.push(...rows);
    return table.toString().split('\n');
  };
  if (spec.rows.length <= SLICE) return slice(spec.rows, true).join('\n');
  const lines: string[] = [];
  for (let start = 0; start < spec.rows.length; start += SLICE) {
    const drawn = slice(spec.rows.slice(start, start + SLICE), start === 0);
    const first = start === 0;
    const last = start + SLICE >= spec.rows.length;
    lines.push(...drawn.slice(first ? 0 : 1, last ? drawn.length : -1));
  }
  return lines.join('\n');
}
