import JSZip from 'jszip';
import pptxgenjs from 'pptxgenjs';
import type { Table } from '../document.js';
import {
  type BandChart,
  type Chart,
  LABELLED_SERIES,
  type SeriesChart,
  chartValues,
} from './chart.js';
import { daysBetween } from '../../units/date.js';
import type { Deck } from './deck.js';
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
  const max = Math.max(0, ...chartValues(c));
  return max < 10 ? '$#,##0.00' : '[<10000]$#,##0;$#,##0.0,"k"';
}
const SIZE = 14;
/** The range's shade, in percent opacity: the gridlines and lines stay visible through it. */
const BAND_OPACITY_PCT = 22;
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

/** What every chart shares: its box, title, legend, fonts and axis format. */
function chartFrame(c: Chart, y: number, h: number, title: string) {
  return {
    x: PAGE.x,
    y,
    w: PAGE.width,
    h,
    showTitle: true,
    title,
    titleFontSize: 18,
    showLegend: true,
    legendPos: 'b' as const,
    titleFontFace: FONT,
    legendFontFace: FONT,
    catAxisLabelFontFace: FONT,
    valAxisLabelFontFace: FONT,
    dataLabelFontFace: FONT,
    legendFontSize: SIZE,
    catAxisLabelFontSize: SIZE,
    valAxisLabelFontSize: SIZE,
    valAxisLabelFormatCode: axisFormat(c),
  };
}

function addChart(pptx: Pptx, slide: PptxSlide, c: SeriesChart, y: number, h: number): void {
  const data = c.series.map((s) => ({ name: s.name, labels: c.categories, values: s.values }));
  slide.addChart(c.kind === 'bar' ? pptx.ChartType.bar : pptx.ChartType.line, data, {
    ...chartFrame(c, y, h, c.log ? `${c.title} (log scale)` : c.title),
    barDir: 'col',
    barGrouping: 'clustered',
    ...(c.log ? { valAxisLogScaleBase: 10 } : {}),
    // the deck's colour per option, as the HTML and markdown charts draw it
    chartColors: c.series.map((s) => s.colour),
    showValue: c.kind === 'bar' && c.series.length <= LABELLED_SERIES,
    dataLabelFormatCode: FORMAT[c.unit],
    dataLabelFontSize: SIZE,
    lineSize: 3,
  });
}

/** The name of the band's unfilled floor; its legend entry is removed by `withoutFloorEntry`. */
const BAND_FLOOR = 'P10 floor';
/** Day 0 of a spreadsheet's date serials (1900 date system, as PowerPoint's charts count). */
const SERIAL_EPOCH = '1899-12-30';

/**
 * The deck with the band's floor left out of its chart's legend: the floor is unfilled, so its
 * entry would be a name beside nothing. pptxgenjs cannot delete a legend entry; the chart XML can.
 */
async function withoutFloorEntry(deck: Buffer): Promise<Buffer> {
  if (!deck.includes(BAND_FLOOR)) return deck;
  const zip = await JSZip.loadAsync(deck);
  const charts = zip.file(/^ppt\/charts\/chart\d+\.xml$/);
  for (const chart of charts) {
    const xml = await chart.async('string');
    if (!xml.includes(`<c:v>${BAND_FLOOR}</c:v>`)) continue;
    // the floor is the chart's first series; a legend entry goes right after the legend's position
    zip.file(
      chart.name,
      xml.replace(
        /(<c:legend><c:legendPos val="\w+"\/>)/,
        '$1<c:legendEntry><c:idx val="0"/><c:delete val="1"/></c:legendEntry>',
      ),
    );
  }
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/**
 * Observed vs projected as one native chart: the range as a stacked area (an unfilled floor at
 * P10, then P90 - P10 shaded), the lines over it; days outside a line are blanks, drawn as gaps.
 */
function addBandChart(pptx: Pptx, slide: PptxSlide, c: BandChart, y: number, h: number): void {
  const n = c.categories.length;
  // a date axis: its labels are spaced by days, not crowded or thinned by the viewer
  const labels = c.days.map((d) => String(daysBetween(SERIAL_EPOCH, d)));
  const spread = (start: number, values: readonly number[], outside: number | null) =>
    Array.from({ length: n }, (_, i) =>
      i >= start && i < start + values.length ? values[i - start]! : outside,
    );
  const b = c.band;
  const area =
    b === undefined
      ? []
      : [
          {
            type: pptx.ChartType.area,
            data: [
              { name: BAND_FLOOR, labels, values: spread(b.start, b.lo, 0) },
              {
                name: b.name,
                labels,
                values: spread(
                  b.start,
                  b.hi.map((v, i) => Math.round((v - b.lo[i]!) * 100) / 100),
                  0,
                ),
              },
            ],
            options: {
              barGrouping: 'stacked',
              chartColors: ['transparent', b.colour],
              chartColorsOpacity: BAND_OPACITY_PCT,
            },
          },
        ];
  const lines = {
    type: pptx.ChartType.line,
    data: c.lines.map((l) => ({ name: l.name, labels, values: spread(l.start, l.values, null) })),
    options: { chartColors: c.lines.map((l) => l.colour), lineSize: 3, lineDataSymbol: 'none' },
  };
  // @ts-expect-error: pptxgenjs types a combo's second argument as data; it is the options
  slide.addChart([...area, lines], {
    ...chartFrame(c, y, h, c.title),
    catLabelFormatCode: 'mmm d',
    catAxisBaseTimeUnit: 'days',
    catAxisMajorTimeUnit: 'days',
    catAxisMajorUnit: c.label_every,
    displayBlanksAs: 'gap',
  });
}

function addPart(pptx: Pptx, slide: PptxSlide, part: Placed): void {
  const box = { x: PAGE.x, y: part.y, w: PAGE.width };
  if (part.kind === 'text')
    slide.addText(part.text, { ...box, h: part.h, fontSize: part.size, valign: 'top' });
  else if (part.kind === 'table') addTable(slide, part.table, part);
  else if (part.kind === 'chart') {
    if (part.chart.kind === 'band') addBandChart(pptx, slide, part.chart, part.y, part.h);
    else addChart(pptx, slide, part.chart, part.y, part.h);
  } else
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
  return withoutFloorEntry((await pptx.write({ outputType: 'nodebuffer' })) as Buffer);
}
