import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfWords } from '../helpers/layout.js';
import { runCli } from '../helpers/run.js';

// `report --usage`: the observed days and the projection's range on one chart, checked against
// what `usage summary` and `cost --usage` print for the same file (each day's list cost, each
// month's P10, P50 and P90 cost), recomputed here day by day; the pptx as LibreOffice draws it.
const dir = mkdtempSync(join(tmpdir(), 'ai-route-usage-deck-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const USAGE = 'examples/usage-daily.csv';
const ARGS = ['--usage', USAGE, '--pricing', 'litellm'];
const DAYS_PER_MONTH = 30.4375;

interface Series {
  name: string;
  values: Map<number, number>;
}

/** The chart of a pptx that draws `name`: its categories and each series' values by index. */
async function chartOf(file: string, name: string) {
  const zip = await JSZip.loadAsync(readFileSync(file));
  for (const f of zip.file(/^ppt\/charts\/chart\d+\.xml$/)) {
    const xml = await f.async('string');
    if (!xml.includes(`<c:v>${name}</c:v>`)) continue;
    const points = (part: string) =>
      new Map(
        [...part.matchAll(/<c:pt idx="(\d+)"><c:v>([^<]*)<\/c:v><\/c:pt>/g)]
          .filter((m) => m[2] !== '')
          .map((m) => [Number(m[1]), Number(m[2])]),
      );
    const series: Series[] = xml
      .split('<c:ser>')
      .slice(1)
      .map((ser) => ({
        name: /<c:tx>[\s\S]*?<c:v>([^<]*)<\/c:v>/.exec(ser)![1]!,
        values: points(ser.slice(ser.indexOf('<c:val>'))),
      }));
    const cat = xml.slice(xml.indexOf('<c:cat>'), xml.indexOf('</c:cat>'));
    return { xml, series, categories: [...points(cat).values()] };
  }
  throw new Error(`no chart draws ${name}`);
}

const cents = (v: string | number) => Math.round(Number(v) * 100) / 100;
const serial = (day: string) => (Date.parse(`${day}T00:00:00Z`) - Date.UTC(1899, 11, 30)) / 864e5;
const usd = (v: string) =>
  `$${Number(v).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

let summary: { by_day: Array<{ day: string; list_cost: string }> };
let cost: {
  rows: Array<{ cost: string }>;
  bands: Record<'p10' | 'p90', { monthly_pct: string; rows: Array<{ cost: string }> }>;
};
beforeAll(async () => {
  const s = await runCli(['usage', 'summary', USAGE, '--pricing', 'litellm', '--format', 'json']);
  const c = await runCli(['cost', ...ARGS, '--format', 'json']);
  summary = JSON.parse(s.stdout);
  cost = JSON.parse(c.stdout);
}, 60_000);

/** Day d (0-based) after the last observed day at its month's cost over the month's days. */
const daily = (rows: Array<{ cost: string }>, d: number) =>
  cents(Number(rows[Math.floor(d / DAYS_PER_MONTH)]!.cost) / DAYS_PER_MONTH);

describe('report --usage: observed vs projected', () => {
  it('the pptx chart: each observed day as usage summary prices it, then P10/P50/P90', async () => {
    const pptx = join(dir, 'usage.pptx');
    expect((await runCli(['report', ...ARGS, '--format', 'pptx', '--out', pptx])).code).toBe(0);
    const { xml, series, categories } = await chartOf(pptx, 'Observed');
    const observed = summary.by_day;
    expect(observed).toHaveLength(28);
    // a date axis, one day a step, from the first day observed to 91 days after the last
    expect(xml).toContain('<c:dateAx>');
    expect(categories[0]).toBe(serial(observed[0]!.day));
    expect(categories).toHaveLength(28 + 91);
    categories.forEach((c, i) => expect(c).toBe(categories[0]! + i));
    const [floor, range, line, p50] = series;
    expect(line!.name).toBe('Observed');
    expect([...line!.values.entries()]).toEqual(observed.map((d, i) => [i, cents(d.list_cost)]));
    expect(p50!.name).toBe('Projected (P50)');
    expect(range!.name).toBe('P10 to P90 (80% range)');
    for (let d = 0; d < 91; d++) {
      expect(p50!.values.get(28 + d)).toBe(daily(cost.rows, d));
      const lo = daily(cost.bands.p10.rows, d);
      const hi = daily(cost.bands.p90.rows, d);
      expect(floor!.values.get(28 + d)).toBe(lo);
      expect(floor!.values.get(28 + d)! + range!.values.get(28 + d)!).toBeCloseTo(hi, 2);
    }
    // the floor is unfilled and out of the legend; the range is shaded
    expect(xml).toMatch(/<c:legendEntry><c:idx val="0"\/><c:delete val="1"\/><\/c:legendEntry>/);
    expect(xml).toContain('<a:noFill/>');
    expect(xml).toContain('<c:dispBlanksAs val="gap"/>');
  });

  it('drawn by LibreOffice: the legend names the lines and the range, not the floor', async () => {
    const pptx = join(dir, 'usage.pptx');
    await promisify(execFile)(
      'soffice',
      [
        '--headless',
        '--norestore',
        `-env:UserInstallation=file://${join(dir, '.lo')}`,
        '--convert-to',
        'pdf',
        '--outdir',
        dir,
        pptx,
      ],
      { timeout: 120_000 },
    );
    const pages = pdfWords(join(dir, 'usage.pdf'));
    const slide = pages.find((p) => p.words.some((w) => w.text === 'projected'))!;
    const text = slide.words.map((w) => w.text).join(' ');
    expect(text).toContain('Observed vs projected');
    expect(text).toContain('P10 to P90 (80% range) Observed Projected (P50)');
    expect(text).not.toContain('floor');
    // the date axis: "Nov 1" and a label three weeks on, none crowded
    expect(text).toContain('Nov 1 Nov 22');
  }, 150_000);

  it('the range table and the SVG agree with cost --usage', async () => {
    const md = join(dir, 'md', 'report.md');
    expect((await runCli(['report', ...ARGS, '--format', 'md', '--out', md])).code).toBe(0);
    const text = readFileSync(md, 'utf8');
    for (const [i, row] of cost.rows.entries()) {
      const cells = [cost.bands.p10.rows[i]!.cost, row.cost, cost.bands.p90.rows[i]!.cost];
      expect(text).toContain(`| ${cells.map(usd).join(' | ')} |`);
    }
    expect(text).toContain(`P10 (${cost.bands.p10.monthly_pct}%)`);
    const svg = readFileSync(join(dir, 'md', 'report-chart-1.svg'), 'utf8');
    const pts = (s: string) =>
      s.split(' ').map((p) => p.split(',').map(Number) as [number, number]);
    const band = pts(/<polygon points="([^"]+)"/.exec(svg)![1]!);
    const [hi, lo] = [band.slice(0, 91), band.slice(91).reverse()];
    const p50 = pts([...svg.matchAll(/<polyline points="([^"]+)"/g)][1]![1]!);
    expect(p50).toHaveLength(91);
    // SVG's y grows downwards: P90 above P50 above P10, at every day
    p50.forEach(([x, y], d) => {
      expect(hi[d]![0]).toBe(x);
      expect(lo[d]![0]).toBe(x);
      expect(hi[d]![1]).toBeLessThanOrEqual(y);
      expect(lo[d]![1]).toBeGreaterThanOrEqual(y);
    });
    // the fan widens: month 3's range is wider than month 2's, month 1's is none
    const width = (d: number) => lo[d]![1] - hi[d]![1];
    expect(width(0)).toBe(0);
    expect(width(75)).toBeGreaterThan(width(45));
  });

  it('too few days for a range: the chart has lines and no band, and says so', async () => {
    const lines = readFileSync(USAGE, 'utf8').split('\n');
    const csv = join(dir, 'two-days.csv');
    writeFileSync(csv, `${lines.slice(0, 5).join('\n')}\n`);
    const md = join(dir, 'two', 'report.md');
    const r = await runCli([
      'report',
      '--usage',
      csv,
      '--pricing',
      'litellm',
      '--format',
      'md',
      '--out',
      md,
    ]);
    expect(r.code).toBe(0);
    const text = readFileSync(md, 'utf8');
    expect(text).toContain('no range: too few days to fit one');
    expect(text).not.toContain('The range, month by month');
    expect(readFileSync(join(dir, 'two', 'report-chart-1.svg'), 'utf8')).not.toContain('polygon');
  });

  it('--usage with --scenario, --growth or --volume is refused', async () => {
    for (const extra of [
      ['--scenario', 'direct'],
      ['--growth', '5'],
      ['--volume', '5M'],
    ]) {
      const r = await runCli(['report', ...ARGS, ...extra, '--out', join(dir, 'x.html')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--usage');
    }
  });
});
