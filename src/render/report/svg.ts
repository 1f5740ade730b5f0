import { type Chart, LABELLED_SERIES } from './deck.js';
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

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function label(value: number, unit: Chart['unit'], tick = false): string {
  if (unit === 'usd') return tick ? formatUsdShort(value) : formatUsdLabel(value);
  if (unit === 'ms') return formatMs(value);
  return String(Math.round(value));
}

/** The y scale: linear from 0, or log10 over the decades the values span. */
function scale(chart: Chart): { y: (v: number) => number; ticks: number[] } {
  const values = chart.series.flatMap((s) => s.values);
  const plotH = H - PAD.top - PAD.bottom;
  if (chart.log) {
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

/** The chart as one <svg> element with a title, axes, labelled values and a legend. */
export function chartSvg(chart: Chart): string {
  const { y, ticks } = scale(chart);
  const plotW = W - PAD.left - PAD.right;
  const band = plotW / Math.max(chart.categories.length, 1);
  const height = H + (Math.ceil(chart.series.length / LEGEND_PER_ROW) - 1) * 18;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${height}" width="${W}" ` +
      `height="${height}" role="img" aria-label="${esc(chart.title)}" font-family="Helvetica, ` +
      `Arial, sans-serif">`,
    `<title>${esc(chart.title)}</title>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="16" ` +
      `font-weight="bold">${esc(chart.title)}${chart.log ? ' (log scale)' : ''}</text>`,
  ];
  for (const t of ticks) {
    parts.push(
      `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(t).toFixed(1)}" ` +
        `y2="${y(t).toFixed(1)}" ` +
        `stroke="#e5e7eb"/>`,
    );
    parts.push(
      `<text x="${PAD.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end" ` +
        `font-size="11">${esc(label(t, chart.unit, true))}</text>`,
    );
  }
  chart.categories.forEach((c, i) => {
    parts.push(
      `<text x="${(PAD.left + band * (i + 0.5)).toFixed(1)}" y="${H - PAD.bottom + 16}" ` +
        `text-anchor="middle" font-size="11">${esc(c)}</text>`,
    );
  });
  const ends: Array<{ y: number; text: string }> = [];
  chart.series.forEach((s, k) => {
    const colour = `#${s.colour}`;
    if (chart.kind === 'bar') {
      const w = (band * 0.8) / chart.series.length;
      s.values.forEach((v, i) => {
        const x = PAD.left + band * i + band * 0.1 + w * k;
        const top = y(v);
        parts.push(
          `<rect x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${w.toFixed(1)}" ` +
            `height="${(H - PAD.bottom - top).toFixed(1)}" fill="${colour}"/>`,
        );
        if (chart.series.length <= LABELLED_SERIES)
          parts.push(
            `<text x="${(x + w / 2).toFixed(1)}" y="${(top - 4).toFixed(1)}" ` +
              `text-anchor="middle" font-size="10">${esc(label(v, chart.unit))}</text>`,
          );
      });
    } else {
      const points = s.values
        .map((v, i) => `${(PAD.left + band * (i + 0.5)).toFixed(1)},${y(v).toFixed(1)}`)
        .join(' ');
      parts.push(
        `<polyline points="${points}" fill="none" stroke="${colour}" stroke-width="2.5"/>`,
      );
      const last = s.values.length - 1;
      if (last >= 0)
        ends.push({ y: y(s.values[last]!) - 6, text: label(s.values[last]!, chart.unit) });
    }
    const lx = PAD.left + (k % LEGEND_PER_ROW) * 220;
    const ly = H - 28 + Math.floor(k / LEGEND_PER_ROW) * 18;
    const name = s.name.length > 32 ? `${s.name.slice(0, 31)}…` : s.name;
    parts.push(`<rect x="${lx}" y="${ly}" width="12" height="12" fill="${colour}"/>`);
    parts.push(`<text x="${lx + 18}" y="${ly + 10}" font-size="12">${esc(name)}</text>`);
  });
  // the lines' last values, each by its line, pushed apart where lines end close together
  const endX = (PAD.left + band * (chart.categories.length - 0.5)).toFixed(1);
  for (const [i, e] of ends.sort((a, b) => a.y - b.y).entries()) {
    const above = ends[i - 1];
    if (above !== undefined && e.y - above.y < END_LABEL_GAP) e.y = above.y + END_LABEL_GAP;
    parts.push(
      `<text x="${endX}" y="${e.y.toFixed(1)}" text-anchor="end" font-size="11">` +
        `${esc(e.text)}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}
