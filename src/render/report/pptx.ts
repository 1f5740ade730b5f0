import pptxgenjs from 'pptxgenjs';
import type { Table } from '../document.js';
import { type Chart, type Deck, LABELLED_SERIES } from './deck.js';

// The deck as PowerPoint through pptxgenjs: 16:9, native charts and tables a presenter can edit,
// text no smaller than 14 pt. This module (and pptxgenjs with it) loads only when `report --format
// pptx` runs.

// CommonJS whose module.exports is the class, while its types describe an ES default export
const PptxGenJS = pptxgenjs as unknown as typeof pptxgenjs.default;
type Pptx = InstanceType<typeof PptxGenJS>;
type PptxSlide = ReturnType<Pptx['addSlide']>;

const BLUE = '1D4ED8';
// cents under $100, whole dollars above: the same labels as the HTML charts
const FORMAT: Record<Chart['unit'], string> = {
  usd: '[<100]$#,##0.00;$#,##0',
  ms: '0.0 "ms"',
  count: '0',
};

function addTable(slide: PptxSlide, t: Table, y: number): void {
  const rows = [
    t.head.map((h, i) => ({
      text: h,
      options: {
        bold: true,
        fill: { color: 'F3F4F6' },
        align: t.align[i] === 'right' ? 'right' : 'left',
      },
    })),
    ...t.rows.map((r) =>
      r.map((c, i) => ({
        text: c.text,
        options: { align: t.align[i] === 'right' ? 'right' : 'left' },
      })),
    ),
  ];
  // @ts-expect-error: pptxgenjs's row type takes these cell objects; its union of align literals is
  // narrower than string
  slide.addTable(rows, {
    x: 0.5,
    y,
    w: 12.3,
    fontSize: rows.length > 8 ? 14 : 16,
    border: { type: 'solid', color: 'D1D5DB', pt: 0.75 },
  });
}

function addChart(pptx: Pptx, slide: PptxSlide, c: Chart, y: number): void {
  const data = c.series.map((s) => ({ name: s.name, labels: c.categories, values: s.values }));
  slide.addChart(c.kind === 'bar' ? pptx.ChartType.bar : pptx.ChartType.line, data, {
    x: 0.5,
    y,
    w: 12.3,
    h: 7.5 - y - 0.3,
    barDir: 'col',
    barGrouping: 'clustered',
    showTitle: true,
    title: c.log ? `${c.title} (log scale)` : c.title,
    titleFontSize: 18,
    showLegend: true,
    legendPos: 'b',
    legendFontSize: 14,
    catAxisLabelFontSize: 14,
    valAxisLabelFontSize: 14,
    valAxisLabelFormatCode: FORMAT[c.unit],
    ...(c.log ? { valAxisLogScaleBase: 10 } : {}),
    // the deck's colour per option, as the HTML and markdown charts draw it
    chartColors: c.series.map((s) => s.colour),
    showValue: c.kind === 'bar' && c.series.length <= LABELLED_SERIES,
    dataLabelFormatCode: FORMAT[c.unit],
    dataLabelFontSize: 12,
    lineSize: 3,
  });
}

/** The .pptx file's bytes. */
export async function deckPptx(deck: Deck): Promise<Buffer> {
  const pptx = new PptxGenJS();
  pptx.layout = 'LAYOUT_WIDE';
  pptx.title = deck.title;
  const cover = pptx.addSlide();
  cover.addText(deck.title, { x: 0.6, y: 1.4, w: 12.1, h: 1.4, fontSize: 36, bold: true });
  cover.addText(deck.headline, {
    x: 0.6,
    y: 3.0,
    w: 12.1,
    h: 1.8,
    fontSize: 28,
    bold: true,
    color: BLUE,
  });
  cover.addText(`Prices in force on ${deck.date}. Made with ai-route.`, {
    x: 0.6,
    y: 5.4,
    w: 12.1,
    h: 0.6,
    fontSize: 16,
  });
  for (const s of deck.slides) {
    const slide = pptx.addSlide();
    slide.addText(s.title, { x: 0.5, y: 0.3, w: 12.3, h: 0.8, fontSize: 32, bold: true });
    let y = 1.2;
    if (s.lead !== undefined) {
      slide.addText(s.lead, { x: 0.5, y, w: 12.3, h: 0.8, fontSize: 20 });
      y += 0.9;
    }
    if (s.table !== undefined) {
      addTable(slide, s.table, y);
      y += 0.5 * (s.table.rows.length + 1) + 0.2;
    }
    if (s.chart !== undefined) addChart(pptx, slide, s.chart, y);
    if (s.bullets !== undefined && s.bullets.length > 0) {
      const size = s.bullets.length > 6 ? 14 : 18;
      slide.addText(
        s.bullets.map((b) => ({ text: b, options: { bullet: true, breakLine: true } })),
        { x: 0.5, y, w: 12.3, h: 7.5 - y - 0.3, fontSize: size, valign: 'top' },
      );
    }
  }
  return (await pptx.write({ outputType: 'nodebuffer' })) as Buffer;
}
