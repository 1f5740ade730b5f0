/**
 * The report document every command renders from: a headline and blocks of titles, tables,
 * lists, paragraphs and code, each line with a tone. The terminal and markdown drawers
 * (render/terminal.ts, render/markdown.ts) turn one document into text; commands never do.
 */

export type Tone = 'plain' | 'muted' | 'good' | 'bad' | 'warn' | 'strong';
export type Align = 'left' | 'right';

/** A piece of text with the tone it is drawn in (colour in a terminal). */
export interface Text {
  text: string;
  tone?: Tone;
}

export interface Cell extends Text {
  /** Drawn bold in a terminal and **bold** in markdown (totals). */
  strong?: boolean;
}

export interface Table {
  head: string[];
  align: Align[];
  rows: Cell[][];
}

/**
 * Where a part is drawn: everywhere, or only in one medium (a terminal footnote, a markdown
 * heading).
 */
export type Medium = 'terminal' | 'markdown';

export type Part = (
  | { kind: 'title'; text: string }
  | { kind: 'table'; table: Table }
  | { kind: 'list'; items: Text[]; indent: boolean }
  | { kind: 'paragraphs'; items: Text[] }
  | { kind: 'code'; lines: string[] }
) & { only?: Medium };

/** Parts drawn together; blocks are set apart by a blank line. */
export interface Block {
  parts: Part[];
}

export interface ReportDocument {
  /** A markdown heading (`## title`); terminals show the headline alone. */
  title?: string;
  headline?: Text;
  blocks: Block[];
}

/** Plain cells from strings, for tables without tones. */
export function cells(row: readonly string[]): Cell[] {
  return row.map((text) => ({ text }));
}

/** Lines of one tone. */
export function texts(lines: readonly string[], tone: Tone = 'plain'): Text[] {
  return lines.map((text) => ({ text, tone }));
}
