import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run.js';

// Charts that tell the truth: linear from zero unless asked, one series and one colour per
// option (the same in the pptx and the SVG of HTML and markdown), the projection from the first
// stage. Read from the files as written: the pptx chart XML and the SVG.
const dir = mkdtempSync(join(tmpdir(), 'ai-route-charts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MODELS = ['Qwen/Qwen3-32B', 'deepseek-ai/DeepSeek-V4-Flash', 'moonshotai/Kimi-K2.5'];
const models = MODELS.flatMap((m) => ['--model', m]);

/** The series of the first chart of a deck: name and colour, in order. */
async function pptxSeries(file: string): Promise<{ xml: string; colours: string[] }> {
  const zip = await JSZip.loadAsync(readFileSync(file));
  // pptxgenjs numbers charts across the decks of a process: the first is the lowest number
  const first = Object.keys(zip.files)
    .filter((f) => /^ppt\/charts\/chart\d+\.xml$/.test(f))
    .sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]))[0]!;
  const xml = await zip.file(first)!.async('string');
  const colours = [...xml.matchAll(/<c:ser>[\s\S]*?<c:spPr>[\s\S]*?srgbClr val="([0-9A-F]{6})"/g)];
  return { xml, colours: colours.map((m) => m[1]!) };
}

/** The bars of an SVG chart (legend swatches left out) and its legend, in order. */
function svgChart(text: string) {
  const rects = [
    ...text.matchAll(
      /<rect x="[^"]+" y="[^"]+" width="([^"]+)" height="([^"]+)" fill="#([0-9A-F]{6})"\/>/g,
    ),
  ];
  const bars = rects
    .filter((m) => !(m[1] === '12' && m[2] === '12'))
    .map((m) => ({ height: Number(m[2]), colour: m[3]! }));
  const legend = rects.filter((m) => m[1] === '12' && m[2] === '12').map((m) => m[3]!);
  return { bars, legend };
}

describe('charts that tell the truth', () => {
  it('four series: a legend entry and a colour each, the same in pptx and SVG', async () => {
    const pptx = join(dir, 'four.pptx');
    expect((await runCli(['report', ...models, '--format', 'pptx', '--out', pptx])).code).toBe(0);
    const md = join(dir, 'four', 'report.md');
    expect((await runCli(['report', ...models, '--format', 'md', '--out', md])).code).toBe(0);
    const svg = svgChart(readFileSync(join(dir, 'four', 'report-chart-1.svg'), 'utf8'));
    // three setups and the baseline, four stages each
    expect(svg.legend).toHaveLength(4);
    expect(new Set(svg.legend).size).toBe(4);
    expect(svg.bars).toHaveLength(16);
    const { xml, colours } = await pptxSeries(pptx);
    expect(colours).toEqual(svg.legend);
    for (const name of ['Qwen3-32B', 'DeepSeek V4 Flash', 'Kimi K2.5', 'Direct GPT-4o'])
      expect(xml).toContain(name);
    // linear from zero: every bar's height over its cost is the same
    expect(xml).not.toContain('logBase');
    const text = readFileSync(md, 'utf8');
    expect(text).toContain('Linear from zero: bar length is cost.');
    // the projection starts at the first stage
    expect(text).toMatch(/Over 12 months from 5M tokens\/month/);
  });

  it('SVG bars are proportional to cost; --log-scale is asked for and said', async () => {
    const md = join(dir, 'one', 'report.md');
    expect((await runCli(['report', '--format', 'md', '--out', md])).code).toBe(0);
    const { bars } = svgChart(readFileSync(join(dir, 'one', 'report-chart-1.svg'), 'utf8'));
    // the shipped scenario: DeepSeek V4 Flash at $0.25/M against GPT-4o at $10/M, a 40x gap
    const [routed, direct] = [bars.slice(0, 4), bars.slice(4)];
    // (heights are written to 0.1 px: the two smallest stages' routed bars are under a pixel)
    for (const i of [2, 3]) expect(direct[i]!.height / routed[i]!.height).toBeGreaterThan(35);
    expect(direct[3]!.height / direct[2]!.height).toBeCloseTo(10, 0);
    const pptx = join(dir, 'log.pptx');
    const r = await runCli(['report', '--log-scale', '--format', 'pptx', '--out', pptx]);
    expect(r.code).toBe(0);
    const { xml } = await pptxSeries(pptx);
    expect(xml).toContain('logBase val="10"');
    expect(xml).toContain('(log scale)');
  });
});
