import {
  type BandChart,
  type Chart,
  LABELLED_SERIES,
  type SeriesChart,
  chartValues,
} from './chart.js';
import { formatMs, formatUsdLabel, formatUsdShort } from '../format.js';

// A chart as SVG, self-contained (no fonts or scripts fetched): the HTML report inlines it and
// the markdown report writes it beside itself.

const W = 760;
const H = 380;
const PAD = { left: 80, right: 20, top: 40, bottom: 70 };
/** Legend entries a row; more rows make the chart taller, never overlap the axis labels. */
const LEGEND_PER_ROW = 3;
/** The least distance between two lines' end labels: 11 px text and a little air. */
const END_LABEL_GAP = 13;
/** A shaded range: the gridlines and the lines over it stay visible. */
const BAND_OPACITY = 0.22;

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function label(value: number, unit: Chart['unit'], tick = false): string {
  if (unit === 'usd') return tick ? formatUsdShort(value) : formatUsdLabel(value);
  if (unit === 'ms') return formatMs(value);
  return String(Math.round(value));
}

/** The y scale: linear from 0, or log10 over the decades the values span. */
function scale(chart: Chart): { y: (v: number) => number; ticks: number[] } {
  const values = chartValues(chart);
  const plotH = H - PAD.top - PAD.bottom;
  if (chart.kind !== 'band' && chart.log) {
    const positive = values.filter((v) => v > 0);
    const lo = Math.floor(Math.log10(Math.min(...positive)));
    const hi = Math.ceil(Math.log10(Math.max(...positive)));
    const y = (v: number) =>
      PAD.top + plotH - ((Math.log10(Math.max(v, 10 ** lo)) - lo) / Math.max(hi - lo, 1)) * plotH;
    return { y, ticks: Array.from({ length: hi - lo + 1 }, (_, i) => 10 ** (lo + i)) };
  }
  const max = Math.max(...values, 0) || 1;
  const step = 10 ** Math.floor(Math.log10(max / 4));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => max / s <= 5) ?? step * 10;
  const top = Math.ceil(max / nice) * nice;
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  return { y, ticks: Array.from({ length: Math.round(top / nice) + 1 }, (_, i) => i * nice) };
}

interface Frame {
  y: (v: number) => number;
  /** The x of category i's centre. */
  x: (i: number) => number;
  band: number;
  parts: string[];
  /** Values written at the right end of the lines, pushed apart where they end close together. */
  ends: Array<{ y: number; text: string }>;
}

/** Legend entries: a swatch (faded for a shaded range) and a name, three to a row. */
type LegendEntry = { name: string; colour: string; faded?: boolean };
function legend(f: Frame, entries: readonly LegendEntry[]) {
  entries.forEach((e, k) => {
    const lx = PAD.left + (k % LEGEND_PER_ROW) * 220;
    const ly = H - 28 + Math.floor(k / LEGEND_PER_ROW) * 18;
    const name = e.name.length > 32 ? `${e.name.slice(0, 31)}…` : e.name;
    const fade = e.faded === true ? ` fill-opacity="${BAND_OPACITY}"` : '';
    f.parts.push(`<rect x="${lx}" y="${ly}" width="12" height="12" fill="#${e.colour}"${fade}/>`);
    f.parts.push(`<text x="${lx + 18}" y="${ly + 10}" font-size="12">${esc(name)}</text>`);
  });
}

const polyline = (points: string, colour: string) =>
  `<polyline points="${points}" fill="none" stroke="#${colour}" stroke-width="2.5"/>`;

function drawSeries(f: Frame, chart: SeriesChart): void {
  chart.series.forEach((s, k) => {
    if (chart.kind === 'bar') {
      const w = (f.band * 0.8) / chart.series.length;
      s.values.forEach((v, i) => {
        const x = PAD.left + f.band * i + f.band * 0.1 + w * k;
        const top = f.y(v);
        f.parts.push(
          `<rect x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${w.toFixed(1)}" ` +
            `height="${(H - PAD.bottom - top).toFixed(1)}" fill="#${s.colour}"/>`,
        );
        if (chart.series.length <= LABELLED_SERIES)
          f.parts.push(
            `<text x="${(x + w / 2).toFixed(1)}" y="${(top - 4).toFixed(1)}" ` +
              `text-anchor="middle" font-size="10">${esc(label(v, chart.unit))}</text>`,
          );
      });
    } else {
      const points = s.values.map((v, i) => `${f.x(i).toFixed(1)},${f.y(v).toFixed(1)}`);
      f.parts.push(polyline(points.join(' '), s.colour));
      const last = s.values.length - 1;
      if (last >= 0)
        f.ends.push({ y: f.y(s.values[last]!) - 6, text: label(s.values[last]!, chart.unit) });
    }
  });
  legend(f, chart.series);
}

/** The range as one shaded polygon (along P90, back along P10), then the lines over it. */
function drawBand(f: Frame, chart: BandChart): void {
  const at = (start: number, values: readonly number[]) =>
    values.map((v, i) => `${f.x(start + i).toFixed(1)},${f.y(v).toFixed(1)}`);
  const b = chart.band;
  if (b !== undefined && b.hi.length > 0) {
    const outline = [...at(b.start, b.hi), ...at(b.start, b.lo).reverse()].join(' ');
    f.parts.push(
      `<polygon points="${outline}" fill="#${b.colour}" fill-opacity="${BAND_OPACITY}" ` +
        'stroke="none"/>',
    );
    for (const v of [b.hi[b.hi.length - 1]!, b.lo[b.lo.length - 1]!])
      f.ends.push({ y: f.y(v) - 6, text: label(v, chart.unit) });
  }
  for (const l of chart.lines) {
    if (l.values.length > 0) f.parts.push(polyline(at(l.start, l.values).join(' '), l.colour));
    // the projection's end is labelled at the right edge; the observed line ends mid-chart
    const last = l.values[l.values.length - 1];
    if (last !== undefined && l.start + l.values.length === chart.categories.length)
      f.ends.push({ y: f.y(last) - 6, text: label(last, chart.unit) });
  }
  legend(f, [...chart.lines, ...(b === undefined ? [] : [{ ...b, faded: true }])]);
}

/** The chart as one <svg> element with a title, axes, labelled values and a legend. */
export function chartSvg(chart: Chart): string {
  const { y, ticks } = scale(chart);
  const plotW = W - PAD.left - PAD.right;
  const band = plotW / Math.max(chart.categories.length, 1);
  const entries = chart.kind === 'band' ? chart.lines.length + 1 : chart.series.length;
  const height = H + (Math.ceil(entries / LEGEND_PER_ROW) - 1) * 18;
  const log = chart.kind !== 'band' && chart.log;
  const f: Frame = { y, band, x: (i) => PAD.left + band * (i + 0.5), parts: [], ends: [] };
  f.parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${height}" width="${W}" ` +
      `height="${height}" role="img" aria-label="${esc(chart.title)}" font-family="Helvetica, ` +
      `Arial, sans-serif">`,
    `<title>${esc(chart.title)}</title>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="16" ` +
      `font-weight="bold">${esc(chart.title)}${log ? ' (log scale)' : ''}</text>`,
  );
  for (const t of ticks) {
    f.parts.push(
      `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(t).toFixed(1)}" ` +
        `y2="${y(t).toFixed(1)}" stroke="#e5e7eb"/>`,
      `<text x="${PAD.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end" ` +
        `font-size="11">${esc(label(t, chart.unit, true))}</text>`,
    );
  }
  const every = chart.kind === 'band' ? chart.label_every : 1;
  chart.categories.forEach((c, i) => {
    if (i % every === 0)
      f.parts.push(
        `<text x="${f.x(i).toFixed(1)}" y="${H - PAD.bottom + 16}" ` +
          `text-anchor="middle" font-size="11">${esc(c)}</text>`,
      );
  });
  if (chart.kind === 'band') drawBand(f, chart);
  else drawSeries(f, chart);
  const endX = f.x(chart.categories.length - 1).toFixed(1);
  for (const [i, e] of f.ends.sort((a, b) => a.y - b.y).entries()) {
    const above = f.ends[i - 1];
    if (above !== undefined && e.y - above.y < END_LABEL_GAP) e.y = above.y + END_LABEL_GAP;
    f.parts.push(
      `<text x="${endX}" y="${e.y.toFixed(1)}" text-anchor="end" font-size="11">` +
        `${esc(e.text)}</text>`,
    );
  }
  f.parts.push('</svg>');
  return f.parts.join('\n');
}
