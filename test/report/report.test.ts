import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMs } from '../../src/render/format.js';
import { probeProfile, withMock } from '../helpers/mock.js';
import { ROOT, runCli } from '../helpers/run.js';

// The exec deck, opened by the programs executives use: LibreOffice converts the pptx to PDF,
// headless Chromium loads the HTML with every request caught. Every figure is read back out of
// the files and compared with the JSON of cost, decide and probe for the same inputs.
const dir = mkdtempSync(join(tmpdir(), 'ai-route-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string) => join(dir, name);

/** The seed article's growth-stage table (facts.md): routed cost, direct GPT-4o, savings. */
const SEED_TABLE = [
  '$1.25',
  '$12.50',
  '$125.00',
  '$1,250.00',
  '$50.00',
  '$500.00',
  '$5,000.00',
  '$50,000.00',
  '97.5%',
];

let costJson: any;
let decideJson: any;
let probeJson: any;
beforeAll(async () => {
  costJson = JSON.parse((await runCli(['cost', '--format', 'json'])).stdout);
  const decided = await runCli([
    'decide',
    '--preset',
    'startup',
    '--volume',
    '5B',
    '--monthly-budget',
    'none',
    '--format',
    'json',
    '--out',
    at('decision.json'),
  ]);
  expect(decided.code, decided.stderr).toBe(0);
  decideJson = JSON.parse(readFileSync(at('decision.json'), 'utf8'));
  await withMock(probeProfile('{dist: lognormal, median_ms: 20, sigma: 0.3}'), async (mock) => {
    const r = await runCli(
      [
        'probe',
        '--base-url',
        mock.url,
        '--model',
        'm',
        '--requests',
        '40',
        '--warmup',
        '0',
        '--format',
        'json',
        '--out',
        at('probe.json'),
      ],
      {
        env: { AI_ROUTE_API_KEY: 'k' },
      },
    );
    expect(r.code, r.stderr).toBe(0);
  });
  probeJson = JSON.parse(readFileSync(at('probe.json'), 'utf8'));
  // --scenario named: the deck prices the seed table's setup beside the decision (without it, the
  // recommended setup's; test/report/story.test.ts)
  const args = [
    ...['--scenario', 'growth-stages'],
    ...['--decision', at('decision.json'), '--probe', at('probe.json')],
  ];
  for (const [format, out] of [
    ['pptx', ['--out', at('deck.pptx')]],
    ['html', ['--out', at('deck.html')]],
    ['md', ['--out-dir', at('md')]],
  ] as const) {
    const r = await runCli(['report', ...args, '--format', format, ...out]);
    expect(r.code, r.stderr).toBe(0);
  }
}, 60_000);

/** Every text run of every slide, and every number of every chart, from the pptx's XML. */
async function pptxContent(file: string): Promise<{ slides: string[]; charts: string[] }> {
  const zip = await JSZip.loadAsync(readFileSync(file));
  const read = async (re: RegExp) =>
    Promise.all(
      Object.keys(zip.files)
        .filter((n) => re.test(n))
        .sort((a, b) => Number(/(\d+)\.xml$/.exec(a)![1]) - Number(/(\d+)\.xml$/.exec(b)![1]))
        .map((n) => zip.file(n)!.async('string')),
    );
  const text = (xml: string) =>
    [...xml.matchAll(/<a:t>([^<]*)<\/a:t>/g)].map((m) => m[1]!.replace(/&amp;/g, '&')).join('\n');
  return {
    slides: (await read(/^ppt\/slides\/slide\d+\.xml$/)).map(text),
    charts: await read(/^ppt\/charts\/chart\d+\.xml$/),
  };
}

const htmlText = (html: string) =>
  html
    .replace(/<[^>]+>/g, '\n')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');

describe('ai-route report: the same numbers everywhere', () => {
  it(
    'the cost figures of every stage, in the pptx tables, its charts and the ' +
      'HTML, are those of cost --format json',
    async () => {
      const { slides, charts } = await pptxContent(at('deck.pptx'));
      const html = htmlText(readFileSync(at('deck.html'), 'utf8'));
      const usd = (v: string) =>
        '$' +
        Number(v).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
      for (const row of costJson.rows) {
        for (const figure of [
          usd(row.cost),
          usd(row.baseline_cost),
          `${Number(row.savings_pct).toFixed(1)}%`,
        ]) {
          expect(slides.join('\n'), figure).toContain(figure);
          expect(html, figure).toContain(figure);
        }
        // the charts carry the same amounts as numbers
        expect(charts.join('\n')).toContain(`<c:v>${Number(row.cost)}</c:v>`);
        expect(charts.join('\n')).toContain(`<c:v>${Number(row.baseline_cost)}</c:v>`);
      }
      expect(slides[0]).toContain(
        'Routing through DeepSeek V4 Flash (via Global API) saves $48,750.00 a month ' +
          'at 5B tokens/month: 97.5% below Direct GPT-4o.',
      );
    },
  );

  it(
    'the decision: the recommendation and each setup with the score and monthly ' +
      'cost of decide --format json',
    async () => {
      const { slides } = await pptxContent(at('deck.pptx'));
      const html = htmlText(readFileSync(at('deck.html'), 'utf8'));
      const slide = slides.find((s) => s.includes('The decision'))!;
      const winner = decideJson.options.find(
        (o: any) => o.option === decideJson.recommendation.option,
      );
      expect(slide).toContain(
        `Recommended: ${winner.label}, each setup priced at 5B tokens/month.`,
      );
      for (const o of decideJson.options) {
        expect(slide).toContain(o.label);
        if (o.total !== null) expect(slide).toContain(o.total.toFixed(2));
        if (o.cost?.monthly_cost) {
          const money =
            '$' + Number(o.cost.monthly_cost).toLocaleString('en-US', { minimumFractionDigits: 2 });
          expect(slide).toContain(money);
          expect(html).toContain(money);
        }
      }
    },
  );

  it('probe latency: p50, p95 and p99 per target as probe --format json has them', async () => {
    const { slides } = await pptxContent(at('deck.pptx'));
    const slide = slides.find((s) => s.includes('Latency, measured'))!;
    for (const t of probeJson.targets) {
      for (const stat of ['p50', 'p95', 'p99'])
        expect(slide).toContain(formatMs(t.metrics.ttft[stat]));
      expect(slide).toContain(String(t.counts.requests));
    }
  });

  it('markdown: the document as text, each chart an SVG file beside it', () => {
    const files = readdirSync(at('md')).sort();
    expect(files).toEqual([
      'report-chart-1.svg',
      'report-chart-2.svg',
      'report-chart-3.svg',
      'report-chart-4.svg',
      'report-chart-5.svg',
      'report.md',
    ]);
    const md = readFileSync(at('md/report.md'), 'utf8');
    for (const figure of SEED_TABLE) expect(md).toContain(figure);
    expect(md).toContain('![Cost a month by stage (USD)](report-chart-1.svg)');
    // the savings chart: the baseline's cost minus the setup's, stage by stage
    expect(md).toContain('![Saved a month against Direct GPT-4o (USD)](report-chart-2.svg)');
    const saved = readFileSync(at('md/report-chart-2.svg'), 'utf8');
    for (const label of ['$48.75', '$488', '$4,875', '$48.8k']) expect(saved).toContain(label);
    // and over the projection: the saving summed month by month, the last month's total labelled
    expect(md).toContain('![Saved against Direct GPT-4o, cumulative (USD)](report-chart-4.svg)');
    expect(md).toContain('$585.00 saved by month 12 with DeepSeek V4 Flash (via Global API).');
    expect(readFileSync(at('md/report-chart-4.svg'), 'utf8')).toContain('>$585</text>');
    expect(readFileSync(at('md/report-chart-1.svg'), 'utf8')).toMatch(
      /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/,
    );
  });

  it('the report document is golden (markdown of the default deck)', async () => {
    const r = await runCli(['report', '--format', 'md', '--out-dir', at('golden')]);
    expect(r.code).toBe(0);
    await expect(readFileSync(at('golden/report.md'), 'utf8')).toMatchFileSnapshot(
      join(ROOT, 'test/golden/report-default.md'),
    );
  });
});

describe('opened by real clients', () => {
  it('LibreOffice converts the deck to PDF, and the PDF holds the seed table', () => {
    execFileSync(
      'soffice',
      [
        '--headless',
        '--norestore',
        `-env:UserInstallation=file://${at('lo-profile')}`,
        '--convert-to',
        'pdf',
        '--outdir',
        at('pdf'),
        at('deck.pptx'),
      ],
      {
        timeout: 120_000,
        stdio: 'ignore',
      },
    );
    const text = execFileSync('pdftotext', ['-layout', at('pdf/deck.pdf'), '-'], {
      encoding: 'utf8',
    });
    for (const figure of SEED_TABLE) expect(text, figure).toContain(figure);
    // linear from zero unless --log-scale: a CFO reads bar length
    expect(text).toContain('Linear from zero: bar length is cost.');
    expect(text).not.toContain('(log scale)');
  }, 150_000);

  it('Chromium loads the HTML without a single request, and draws it', async () => {
    const requests: string[] = [];
    // Chromium's own housekeeping (clock, component updates, sign-in) asks these hosts whatever the
    // page; anything else is the page's
    const browserOwn =
      /^(clients2\.google\.com|update\.googleapis\.com|redirector\.gvt1\.com|accounts\.google\.com)(:443)?$/;
    const count = (host: string) => void (browserOwn.test(host) || requests.push(host));
    const proxy = createServer((req, res) => {
      count(new URL(req.url ?? '/', 'http://unknown').host);
      res.writeHead(502).end();
    });
    // https goes through CONNECT: counted and refused too
    proxy.on('connect', (req, socket) => {
      count(req.url ?? '');
      socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
    });
    await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done));
    try {
      const port = (proxy.address() as AddressInfo).port;
      const shot = at('shot.png');
      // async: the proxy above runs in this process and must answer while Chromium loads
      await promisify(execFile)(
        'chromium',
        [
          '--headless=new',
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          '--disable-dev-shm-usage',
          '--disable-background-networking',
          '--disable-component-update',
          `--user-data-dir=${at('chromium-profile')}`,
          // every request a page makes, to any host, would come here
          `--proxy-server=http://127.0.0.1:${port}`,
          '--proxy-bypass-list=<-loopback>',
          `--screenshot=${shot}`,
          '--window-size=1200,1600',
          `file://${at('deck.html')}`,
        ],
        { timeout: 60_000 },
      );
      expect(requests).toEqual([]);
      // a blank 1200x1600 page compresses to a few KB; the deck's text, tables and charts do not
      expect(statSync(shot).size).toBeGreaterThan(40_000);
      // printed on A4 and on Letter: every section, and the widest table's last column, on the page
      for (const size of ['A4', 'Letter'] as const) {
        const page = at(`print-${size}.html`);
        writeFileSync(
          page,
          readFileSync(at('deck.html'), 'utf8').replace(
            '</head>',
            `<style>@page { size: ${size}; }</style></head>`,
          ),
        );
        const pdf = at(`print-${size}.pdf`);
        await promisify(execFile)(
          'chromium',
          [
            '--headless=new',
            '--no-sandbox',
            '--disable-gpu',
            `--user-data-dir=${at('chromium-profile')}`,
            `--print-to-pdf=${pdf}`,
            '--no-pdf-header-footer',
            `file://${page}`,
          ],
          { timeout: 60_000 },
        );
        const printed = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
        for (const figure of [...SEED_TABLE, '$585,000.00'])
          expect(printed, `${size}: ${figure}`).toContain(figure);
        const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
        expect(info, size).toMatch(new RegExp(`Page size:.*\\(${size}\\)`, 'i'));
        // each section starts a page: the title page, the two cost pages, the projection, the
        // decision, latency twice, sources
        expect(Number(/Pages:\s+(\d+)/.exec(info)![1]), size).toBeGreaterThanOrEqual(8);
      }
    } finally {
      proxy.close();
    }
  }, 150_000);
});

describe('a decision made by the report itself', () => {
  it(
    '--preset decides through decide itself: the same slide as a saved decide ' +
      '--format json of that preset',
    async () => {
      const saved = at('startup.json');
      expect(
        (await runCli(['decide', '--preset', 'startup', '--format', 'json', '--out', saved])).code,
      ).toBe(0);
      const [now, fromFile] = await Promise.all([
        runCli(['report', '--preset', 'startup', '--format', 'md', '--out', at('preset.md')]),
        runCli(['report', '--decision', saved, '--format', 'md', '--out', at('saved.md')]),
      ]);
      expect(now.code, now.stderr).toBe(0);
      expect(fromFile.code, fromFile.stderr).toBe(0);
      const slide = (file: string) =>
        /## The decision[\s\S]*?(?=\n## )/.exec(readFileSync(file, 'utf8'))![0];
      expect(slide(at('preset.md'))).toBe(slide(at('saved.md')));
      expect(slide(at('preset.md'))).toContain('Recommended: Standard channel');
      // with --out, the charts are written beside the markdown and named after it
      expect(readFileSync(at('preset-chart-1.svg'), 'utf8')).toContain('<svg');
      expect(readFileSync(at('preset.md'), 'utf8')).toContain('](preset-chart-1.svg)');
    },
  );
});

describe('usage', () => {
  it('pptx needs a file; --out-dir is for md; a bad decision file is exit 2', async () => {
    expect((await runCli(['report', '--format', 'pptx'])).stderr).toContain(
      '--format pptx writes a file: pass --out report.pptx',
    );
    expect((await runCli(['report', '--out-dir', at('x')])).code).toBe(2);
    const bad = await runCli(['report', '--decision', at('probe.json'), '--out', at('never.html')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('probe.json');
    expect(bad.stderr).toContain('expected "ai-route/decision@3"');
  });
});
