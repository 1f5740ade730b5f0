import { execFileSync } from 'node:child_process';

// Layout as rendered: the word boxes poppler reads from a PDF (pdftotext -bbox-layout), and what
// is wrong with them: a word off its page, two words on top of each other, text set too small.

export interface Word {
  page: number;
  text: string;
  /** The line it belongs to, unique in the document: words of one line may touch. */
  line: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface Page {
  width: number;
  height: number;
  words: Word[];
}

const num = (attrs: string, name: string) =>
  Number(new RegExp(`${name}="([\\d.]+)"`).exec(attrs)![1]);
const unescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** Every page of a PDF with its words, in points. */
export function pdfWords(pdf: string): Page[] {
  const xml = execFileSync('pdftotext', ['-bbox-layout', pdf, '-'], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const pages: Page[] = [];
  let line = 0;
  for (const [, attrs, body] of xml.matchAll(/<page ([^>]*)>([\s\S]*?)<\/page>/g)) {
    const words: Word[] = [];
    for (const [, lineBody] of body!.matchAll(/<line [^>]*>([\s\S]*?)<\/line>/g)) {
      line += 1;
      for (const [, w, text] of lineBody!.matchAll(/<word ([^>]*)>([^<]*)<\/word>/g))
        words.push({
          page: pages.length + 1,
          text: unescape(text!),
          line,
          x0: num(w!, 'xMin'),
          y0: num(w!, 'yMin'),
          x1: num(w!, 'xMax'),
          y1: num(w!, 'yMax'),
        });
    }
    pages.push({ width: num(attrs!, 'width'), height: num(attrs!, 'height'), words });
  }
  return pages;
}

/** How far two spans overlap, 0 when apart. */
const overlap = (a0: number, a1: number, b0: number, b1: number) =>
  Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));

/**
 * What a reader would see as broken: words past the page's edge, words of different lines
 * overlapping (by more than a quarter of the smaller one's height and 1 pt across), and words
 * shorter than `minHeight` points (the box of 14 pt text is about 16 pt high).
 */
export function layoutProblems(pages: readonly Page[], minHeight: number): string[] {
  const problems: string[] = [];
  const at = (w: Word) => `page ${w.page} "${w.text}"`;
  for (const p of pages) {
    for (const w of p.words) {
      if (w.x0 < 0 || w.y0 < 0 || w.x1 > p.width + 0.5 || w.y1 > p.height + 0.5)
        problems.push(`${at(w)} leaves the page`);
      if (w.y1 - w.y0 < minHeight)
        problems.push(`${at(w)} is ${(w.y1 - w.y0).toFixed(1)} pt high, under ${minHeight}`);
    }
    const byTop = [...p.words].sort((a, b) => a.y0 - b.y0);
    for (const [i, a] of byTop.entries()) {
      for (const b of byTop.slice(i + 1)) {
        if (b.y0 >= a.y1) break;
        if (a.line === b.line) continue;
        const down = overlap(a.y0, a.y1, b.y0, b.y1);
        const across = overlap(a.x0, a.x1, b.x0, b.x1);
        if (across > 1 && down > Math.min(a.y1 - a.y0, b.y1 - b.y0) / 4)
          problems.push(`${at(a)} and "${b.text}" overlap`);
      }
    }
  }
  return problems;
}
