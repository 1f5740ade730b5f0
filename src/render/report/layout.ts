import type { Table } from '../document.js';
import type { Chart } from './chart.js';
import type { Slide } from './deck.js';

// Where each part of a slide goes on a 13.33 x 7.5 inch page, measured before it is drawn: text
// is wrapped at word boundaries with Arial's widths (Liberation Sans renders them the same), a
// table gets column widths and row heights, and what does not fit flows to a continuation slide
// rather than shrinking below 14 pt. Pure: pptx.ts draws the result.

/** The page's usable box, in inches. */
export const PAGE = { x: 0.5, width: 12.3, bottom: 7.2 };
const TITLE = { y: 0.3, size: 32 };
/** Line height as LibreOffice and PowerPoint set Arial: ascent plus descent, 1.15 em. */
const LINE = 1.2;
/** A text box's inner margins (pptxgenjs's defaults): 0.1 inch a side, 0.05 top and bottom. */
const INSET = { x: 0.1, y: 0.05 };
const CHART_MIN_HEIGHT = 4;
const GAP = 0.15;
/** Sizes tried in turn; below the last, content moves to the next slide instead. */
const TABLE_SIZES = [16, 14];
const BULLET_SIZES = [18, 16, 14];
const LEAD_SIZE = 20;

export type Placed =
  | { kind: 'text'; text: string; y: number; h: number; size: number }
  | {
      kind: 'table';
      table: Table;
      y: number;
      size: number;
      colW: number[];
      rowH: number[];
    }
  | { kind: 'chart'; chart: Chart; y: number; h: number }
  | { kind: 'bullets'; bullets: string[]; y: number; h: number; size: number };

export interface PlacedSlide {
  title: string;
  titleH: number;
  parts: Placed[];
  notes?: string | undefined;
}

/** Arial's advance widths in em, by kind of character (within a few percent of each glyph's). */
function charWidth(c: string): number {
  if (c === ' ') return 0.278;
  if (/[0-9$]/.test(c)) return 0.556;
  if (/[mwMW%@]/.test(c)) return 0.9;
  if (/[A-Z]/.test(c)) return 0.69;
  if (/[a-z]/.test(c)) return /[ijlft]/.test(c) ? 0.3 : 0.54;
  if (/[.,:;'|!()[\]/-]/.test(c)) return 0.33;
  return 0.6;
}

/** The width of a string set at `size` points, in inches, with 4% to spare. */
export function textWidth(text: string, size: number, bold = false): number {
  let em = 0;
  for (const c of text) em += charWidth(c);
  return ((em * size) / 72) * (bold ? 1.08 : 1) * 1.04;
}

/** How many lines the text takes in a box `width` inches wide, wrapped between words. */
export function lineCount(text: string, width: number, size: number, bold = false): number {
  let lines = 0;
  for (const paragraph of text.split('\n')) {
    let used = 0;
    lines += 1;
    for (const word of paragraph.split(' ')) {
      const w = textWidth(word, size, bold);
      const space = used === 0 ? 0 : textWidth(' ', size, bold);
      if (used > 0 && used + space + w > width) {
        lines += 1;
        used = 0;
      }
      // a word longer than the line (a model id) breaks where the line ends
      if (w > width) {
        lines += Math.ceil(w / width) - 1;
        used = w % width;
      } else used += (used === 0 ? 0 : space) + w;
    }
  }
  return lines;
}

const linesHeight = (lines: number, size: number) => (lines * size * LINE) / 72 + 2 * INSET.y;

/** A text box's height for this text across the page. */
function textHeight(text: string, size: number, bold = false): number {
  return linesHeight(lineCount(text, PAGE.width - 2 * INSET.x, size, bold), size);
}

/**
 * Column widths that fill the page: figures (right-aligned) at their widest value, so they never
 * wrap; headings on one line where the room allows, else the room shared by how much each wants;
 * when even that is too wide, the text columns share what the figures leave.
 */
function columnWidths(t: Table, size: number): number[] {
  const pad = 2 * INSET.x + 0.05;
  const body = (i: number) => Math.max(...t.rows.map((r) => textWidth(r[i]?.text ?? '', size)), 0);
  const longestWord = (s: string) =>
    Math.max(...s.split(' ').map((w) => textWidth(w, size, true)), 0);
  const need = t.head.map((h, i) => Math.max(longestWord(h), body(i)) + pad);
  const want = t.head.map((h, i) => Math.max(textWidth(h, size, true), body(i)) + pad);
  const spread = (base: number[], extra: number[], room: number) => {
    const total = sum(extra);
    return base.map((w, i) => w + (total === 0 ? room / base.length : (extra[i]! / total) * room));
  };
  if (sum(want) <= PAGE.width) return spread(want, want, PAGE.width - sum(want));
  if (sum(need) <= PAGE.width)
    return spread(
      need,
      want.map((w, i) => w - need[i]!),
      PAGE.width - sum(need),
    );
  // the text columns fill what the figures leave: the narrowest first, each at most its fair share
  const widths = [...need];
  const text = need.map((_, i) => i).filter((i) => t.align[i] !== 'right');
  let room = PAGE.width - sum(need.filter((_, i) => t.align[i] === 'right'));
  room = Math.max(room, 1.5 * text.length);
  for (const [k, i] of [...text].sort((x, y) => need[x]! - need[y]!).entries()) {
    widths[i] = Math.min(need[i]!, room / (text.length - k));
    room -= widths[i]!;
  }
  return widths.map((w) => (w * PAGE.width) / sum(widths));
}

function rowHeights(t: Table, colW: number[], size: number): number[] {
  const row = (cells: string[], bold: boolean) =>
    linesHeight(
      Math.max(...cells.map((c, i) => lineCount(c, colW[i]! - 2 * INSET.x - 0.05, size, bold))),
      size,
    );
  return [
    row(t.head, true),
    ...t.rows.map((r) =>
      row(
        r.map((c) => c.text),
        false,
      ),
    ),
  ];
}

/** The slide's title, its height, and where content starts below it. */
function titleOf(title: string): { h: number; top: number } {
  const h = textHeight(title, TITLE.size, true);
  return { h, top: TITLE.y + h + 0.1 };
}

interface Flow {
  slides: PlacedSlide[];
  current: PlacedSlide;
  y: number;
}

function newPage(flow: Flow, title: string, notes: string | undefined): void {
  const next = `${title} (continued)`;
  const t = titleOf(next);
  flow.current = { title: next, titleH: t.h, parts: [], notes };
  flow.slides.push(flow.current);
  flow.y = t.top;
}

/** A table at the first size whose rows fit the space left, else split over slides at 14 pt. */
function placeTable(flow: Flow, t: Table, title: string, notes: string | undefined): void {
  const room = () => PAGE.bottom - flow.y;
  const size =
    TABLE_SIZES.find((s) => sum(rowHeights(t, columnWidths(t, s), s)) <= room()) ??
    TABLE_SIZES[TABLE_SIZES.length - 1]!;
  const colW = columnWidths(t, size);
  const [headH, ...bodyH] = rowHeights(t, colW, size);
  const n = t.rows.length;
  let start = 0;
  do {
    let end = start;
    let h = headH!;
    while (end < n && h + bodyH[end]! <= room()) h += bodyH[end++]!;
    if (end === start && n > 0) {
      if (flow.current.parts.length > 0) {
        newPage(flow, title, notes);
        continue;
      }
      // a row taller than a whole slide still goes somewhere: alone, on its own slide
      h += bodyH[end++]!;
    }
    const rowH = [headH!, ...bodyH.slice(start, end)];
    const part = { table: { ...t, rows: t.rows.slice(start, end) }, y: flow.y, size, colW, rowH };
    flow.current.parts.push({ kind: 'table', ...part });
    flow.y += h + GAP;
    start = end;
    if (start < n) newPage(flow, title, notes);
  } while (start < n);
}

function placeBullets(flow: Flow, bullets: string[], title: string, notes?: string): void {
  const heights = (s: number) =>
    bullets.map((b) => linesHeight(lineCount(b, PAGE.width - 2 * INSET.x - 0.4, s), s));
  const size =
    BULLET_SIZES.find((s) => sum(heights(s)) <= PAGE.bottom - flow.y) ??
    BULLET_SIZES[BULLET_SIZES.length - 1]!;
  const hs = heights(size).map((h) => h - 2 * INSET.y);
  let start = 0;
  while (start < bullets.length) {
    let end = start;
    let h = 2 * INSET.y;
    while (end < bullets.length && h + hs[end]! <= PAGE.bottom - flow.y) h += hs[end++]!;
    if (end === start) {
      if (flow.current.parts.length === 0) h += hs[end++]!;
      else {
        newPage(flow, title, notes);
        continue;
      }
    }
    flow.current.parts.push({
      kind: 'bullets',
      bullets: bullets.slice(start, end),
      y: flow.y,
      h,
      size,
    });
    flow.y += h + GAP;
    start = end;
    if (start < bullets.length) newPage(flow, title, notes);
  }
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** One slide's parts placed top to bottom, on as many slides as they need. */
export function layoutSlide(s: Slide): PlacedSlide[] {
  const t = titleOf(s.title);
  const first: PlacedSlide = { title: s.title, titleH: t.h, parts: [], notes: s.notes };
  const flow: Flow = { slides: [first], current: first, y: t.top };
  if (s.lead !== undefined) {
    const h = textHeight(s.lead, LEAD_SIZE);
    flow.current.parts.push({ kind: 'text', text: s.lead, y: flow.y, h, size: LEAD_SIZE });
    flow.y += h + GAP;
  }
  if (s.table !== undefined) placeTable(flow, s.table, s.title, s.notes);
  if (s.chart !== undefined) {
    if (PAGE.bottom - flow.y < CHART_MIN_HEIGHT) newPage(flow, s.title, s.notes);
    flow.current.parts.push({ kind: 'chart', chart: s.chart, y: flow.y, h: PAGE.bottom - flow.y });
    flow.y = PAGE.bottom;
  }
  if (s.bullets !== undefined && s.bullets.length > 0) {
    if (PAGE.bottom - flow.y < 1) newPage(flow, s.title, s.notes);
    placeBullets(flow, s.bullets, s.title, s.notes);
  }
  return flow.slides;
}
