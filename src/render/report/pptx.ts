import pptxgenjs from 'pptxgenjs';
import type { Table } from '../document.js';
import { type Chart, type Deck, LABELLED_SERIES } from './deck.js';
import { PAGE, type Placed, layoutSlide } from './layout.js';

// The deck as PowerPoint through pptxgenjs: 16:9, native charts and tables a presenter can edit,
// text no smaller than 14 pt, each part where layout.ts measured it would fit. This module (and
// pptxgenjs with it) loads only when `report --format pptx` runs.

// CommonJS whose module.exports is the class, while its types describe an ES default export
const PptxGenJS = pptxgenjs as unknown as typeof pptxgenjs.default;
type Pptx = InstanceType<typeof PptxGenJS>;
type PptxSlide = ReturnType<Pptx['addSlide']>;

const BLUE = '1D4ED8';
// money for people: cents under $100, whole dollars to $10,000, then thousands ("$48.8k")
const FORMAT: Record<Chart['unit'], string> = {
  usd: '[<100]$#,##0.00;[<10000]$#,##0;$#,##0.0,"k"',
  ms: '0.0 "ms"',
  count: '0',
};
/** An axis's ticks: whole dollars ("$0", not "$0.00"), thousands as "$48.8k"; cents when small. */
function axisFormat(c: Chart): string {
  if (c.unit !== 'usd') return FORMAT[c.unit];
  const max = Math.max(0, ...c.series.flatMap((s) => s.values));
  return max < 10 ? '$#,##0.00' : '[<10000]$#,##0;$#,##0.0,"k"';
}
const SIZE = 14;
/** Arial everywhere: every PowerPoint has it, and LibreOffice draws it with Liberation Sans, the
 * same widths, so the layout measured in layout.ts and checked in CI is the one people see. */
const FONT = 'Arial';

function addTable(slide: PptxSlide, t: Table, part: Extract<Placed, { kind: 'table' }>): void {
  const align = (i: number) => (t.align[i] === 'right' ? 'right' : 'left');
  const rows = [
    t.head.map((h, i) => ({
      text: h,
      options: { bold: true, fill: { color: 'F3F4F6' }, align: align(i) },
    })),
    ...t.rows.map((r) => r.map((c, i) => ({ text: c.text, options: { align: align(i) } }))),
  ];
  // @ts-expect-error: pptxgenjs's row type takes these cell objects; its union of align literals is
  // narrower than string
  slide.addTable(rows, {
    x: PAGE.x,
    y: part.y,
    w: PAGE.width,
    colW: part.colW,
    rowH: part.rowH,
    fontSize: part.size,
    valign: 'top',
    border: { type: 'solid', color: 'D1D5DB', pt: 0.75 },
  });
}

function addChart(pptx: Pptx, slide: PptxSlide, c: Chart, y: number, h: number): void {
  const data = c.series.map((s) => ({ name: s.name, labels: c.categories, values: s.values }));
  slide.addChart(c.kind === 'bar' ? pptx.ChartType.bar : pptx.ChartType.line, data, {
    x: PAGE.x,
    y,
    w: PAGE.width,
    h,
    barDir: 'col',
    barGrouping: 'clustered',
    showTitle: true,
    title: c.log ? `${c.title} (log scale)` : c.title,
    titleFontSize: 18,
    showLegend: true,
    legendPos: 'b',
    titleFontFace: FONT,
    legendFontFace: FONT,
    catAxisLabelFontFace: FONT,
    valAxisLabelFontFace: FONT,
    dataLabelFontFace: FONT,
    legendFontSize: SIZE,
    catAxisLabelFontSize: SIZE,
    valAxisLabelFontSize: SIZE,
    valAxisLabelFormatCode: axisFormat(c),
    ...(c.log ? { valAxisLogScaleBase: 10 } : {}),
    // the deck's colour per option, as the HTML and markdown charts draw it
    chartColors: c.series.map((s) => s.colour),
    showValue: c.kind === 'bar' && c.series.length <= LABELLED_SERIES,
    dataLabelFormatCode: FORMAT[c.unit],
    dataLabelFontSize: SIZE,
    lineSize: 3,
  });
}

function addPart(pptx: Pptx, slide: PptxSlide, part: Placed): void {
  const box = { x: PAGE.x, y: part.y, w: PAGE.width };
  if (part.kind === 'text')
    slide.addText(part.text, { ...box, h: part.h, fontSize: part.size, valign: 'top' });
  else if (part.kind === 'table') addTable(slide, part.table, part);
  else if (part.kind === 'chart') addChart(pptx, slide, part.chart, part.y, part.h);
  else
    slide.addText(
      part.bullets.map((b) => ({ text: b, options: { bullet: true, breakLine: true } })),
      { ...box, h: part.h, fontSize: part.size, valign: 'top' },
    );
}

/** The .pptx file's bytes. */
export async function deckPptx(deck: Deck): Promise<Buffer> {
  const pptx = new PptxGenJS();
  pptx.layout = 'LAYOUT_WIDE';
  pptx.title = deck.title;
  pptx.theme = { headFontFace: FONT, bodyFontFace: FONT };
  const cover = pptx.addSlide();
  const text = { x: 0.6, w: 12.1, valign: 'top' as const };
  cover.addText(deck.title, { ...text, y: 1.0, h: 1.9, fontSize: 36, bold: true });
  cover.addText(deck.headline, { ...text, y: 3.0, h: 2.6, fontSize: 24, bold: true, color: BLUE });
  cover.addText(`Prices in force on ${deck.date}. Made with ai-route.`, {
    ...text,
    y: 5.9,
    h: 0.6,
    fontSize: 16,
  });
  if (deck.notes !== undefined) cover.addNotes(deck.notes);
  for (const placed of deck.slides.flatMap(layoutSlide)) {
    const slide = pptx.addSlide();
    slide.addText(placed.title, {
      x: PAGE.x,
      y: 0.3,
      w: PAGE.width,
      h: placed.titleH,
      fontSize: 32,
      bold: true,
      valign: 'top',
    });
    for (const part of placed.parts) addPart(pptx, slide, part);
    if (placed.notes !== undefined) slide.addNotes(placed.notes);
  }
  return (await pptx.write({ outputType: 'nodebuffer' })) as Buffer;
}
