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

/**
 * Past this many rows a table is drawn line by line (cli-table3's per-cell work would dominate
 * `cost --all-models`).
 */
const LARGE = 30;
const CHARS = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

function widthsOf(spec: TableSpec): number[] {
  return spec.head.map((h, i) => {
    let width = tableUtils.strlen(h);
    for (const row of spec.rows) width = Math.max(width, tableUtils.strlen(row[i] ?? ''));
    return width + 2;
  });
}

/**
 * One row the way cli-table3 draws it with our options: a space of padding each side, aligned by
 * display width.
 */
function line(
  cells: readonly string[],
  widths: readonly number[],
  align: readonly Align[],
): string {
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
 * re-reads its options for every cell. test/render/table.test.ts checks the two agree byte for
 * byte.
 */
export function drawTable(spec: TableSpec): string {
  const widths = widthsOf(spec);
  const multiline = spec.rows.some((r) => r.some((c) => c.includes('\n')));
  if (spec.rows.length <= LARGE || multiline) {
    const table = new Table({
      head: spec.head,
      colWidths: widths,
      colAligns: spec.align,
      style: { head: [], border: [], 'padding-left': 1, 'padding-right': 1 },
      chars: CHARS,
    });
    table.push(...spec.rows);
    return table.toString();
  }
  return drawLarge(spec, widths);
}

/**
 * The line-by-line drawing of a large table; exported for the test that compares it with
 * cli-table3.
 */
export function drawLarge(spec: TableSpec, widths = widthsOf(spec)): string {
  const rule = (left: string, mid: string, right: string) =>
    `${left}${widths.map((w) => '─'.repeat(w)).join(mid)}${right}`;
  return [
    rule('┌', '┬', '┐'),
    line(spec.head, widths, spec.align),
    ...spec.rows.map((r) => line(r, widths, spec.align)),
    rule('└', '┴', '┘'),
  ].join('\n');
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

/** Text wrapped at spaces to `width` display columns; a word longer than that is cut. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    let w = word;
    while (tableUtils.strlen(w) > width) {
      if (current !== '') lines.push(current);
      current = '';
      const cut =
        Math.max(w.lastIndexOf('/', width - 1), w.lastIndexOf('-', width - 1)) + 1 || width;
      lines.push(w.slice(0, cut));
      w = w.slice(cut);
    }
    const next = current === '' ? w : `${current} ${w}`;
    if (tableUtils.strlen(next) > width && current !== '') {
      lines.push(current);
      current = w;
    } else current = next;
  }
  lines.push(current);
  return lines;
}

/**
 * The narrowest a text column gets: a longer word (a model id) is broken, after a / or - where it
 * can be.
 */
const LONG_WORD = 12;

const longestWord = (text: string): number =>
  Math.max(0, ...text.split(' ').map((w) => tableUtils.strlen(w)));

/**
 * A table's plain text made to fit `width` columns: the column with the most room above its floor
 * gives up a character at a time; headers wrap at spaces, text columns wrap at spaces, numbers
 * (right-aligned columns) never. Past LARGE rows a table is left as it is (it is read by
 * scrolling).
 */
export function fitTable(spec: TableSpec, width: number): TableSpec {
  if (spec.rows.length > LARGE) return spec;
  const first = shrink(spec, width);
  if (first.total <= width) return first.fitted;
  // still too wide: a numeric column whose every cell ends in one unit ("5B tokens") says the unit
  // once, in its header
  const unitless = withUnitsInHeaders(spec);
  return unitless === spec ? first.fitted : shrink(unitless, width).fitted;
}

/** The columns narrowed to their floors, the widest room first, then the text wrapped. */
function shrink(spec: TableSpec, width: number): { fitted: TableSpec; total: number } {
  const widths = widthsOf(spec).map((w) => w - 2);
  const floor = spec.head.map((h, i) => {
    const cells = spec.rows.map((r) => r[i] ?? '');
    // numbers keep their width; text may break inside a long word (an id) down to LONG_WORD
    const body =
      spec.align[i] === 'right'
        ? Math.max(0, ...cells.map((c) => tableUtils.strlen(c)))
        : Math.min(LONG_WORD, Math.max(0, ...cells.map(longestWord)));
    return Math.max(body, Math.min(LONG_WORD, longestWord(h)), 3);
  });
  const total = () => widths.reduce((sum, w) => sum + w + 3, 1);
  while (total() > width) {
    let best = -1;
    widths.forEach((w, i) => {
      if (w > floor[i]! && (best < 0 || w - floor[i]! > widths[best]! - floor[best]!)) best = i;
    });
    if (best < 0) break;
    widths[best]!--;
  }
  const wrap = (text: string, i: number) =>
    tableUtils.strlen(text) > widths[i]! ? wrapText(text, widths[i]!).join('\n') : text;
  return {
    fitted: {
      head: spec.head.map(wrap),
      align: spec.align,
      rows: spec.rows.map((r) => r.map(wrap)),
    },
    total: total(),
  };
}

/**
 * The table with the unit of each right-aligned column that repeats it in every cell moved to the
 * header: "5B tokens" becomes "5B" under "Monthly Volume (tokens)". The same table when none does.
 */
function withUnitsInHeaders(spec: TableSpec): TableSpec {
  let changed = false;
  const units = spec.head.map((_, i) => {
    if (spec.align[i] !== 'right') return undefined;
    const cells = spec.rows.map((r) => r[i] ?? '').filter((c) => c !== '');
    const unit = / ([a-z]+)$/.exec(cells[0] ?? '')?.[1];
    if (unit === undefined || !cells.every((c) => c.endsWith(` ${unit}`))) return undefined;
    changed = true;
    return unit;
  });
  if (!changed) return spec;
  return {
    head: spec.head.map((h, i) => (units[i] === undefined ? h : `${h} (${units[i]})`)),
    align: spec.align,
    rows: spec.rows.map((r) =>
      r.map((c, i) => (units[i] === undefined || c === '' ? c : c.slice(0, -units[i]!.length - 1))),
    ),
  };
}
