import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run.js';
import { usagePage } from '../helpers/usage-pages.js';

// Bad usage input: a malformed line is named by file and line and the rest is still read; a
// cut-short file says so; a count that is negative or not whole is an error naming the record;
// a file of no known shape lists the shapes read. And the csv and markdown outputs.
const PRICES = ['--pricing', 'test/fixtures/usage/prices.yaml'];
const dir = mkdtempSync(join(tmpdir(), 'ai-route-usage-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const HEADER =
  'day,model,requests,input_tokens,cached_input_tokens,cache_write_tokens,output_tokens,' +
  'reasoning_tokens,billed_usd';

const page = (start: number, model: string, input: number) =>
  JSON.stringify(
    usagePage(start, [{ model, num_model_requests: 1, input_tokens: input, output_tokens: 0 }]),
  );

describe('usage summary on bad input', () => {
  it('skips a malformed line and a cut-short last line, naming each; reads the rest', async () => {
    const file = write(
      'pages.jsonl',
      `${page(1730505600, 'gpt-4o', 1000)}\n{"object": "page", "data": [\n` +
        `${page(1730592000, 'gpt-4o', 2000)}\n${page(1730678400, 'gpt-4o', 4000).slice(0, 60)}`,
    );
    const r = await runCli(['usage', 'summary', file, ...PRICES, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.totals.input_tokens).toBe(3000);
    expect(json.skipped_lines).toBe(2);
    expect(json.skipped.map((s: { line: number }) => s.line)).toEqual([2, 4]);
    expect(json.skipped[1].why).toMatch(/cut short/);
    expect(r.stderr).toMatch(
      /warning: 2 lines skipped \(the rest read\): .*pages\.jsonl:2 not JSON/,
    );
  });

  it('a negative or fractional count is an error (exit 2) naming file, line, column', async () => {
    const file = write(
      'bad.csv',
      `${HEADER}\n2026-11-01,gpt-4o,1,100,0,0,10,0,\n2026-11-02,gpt-4o,1,-5,0,0,10,0,\n` +
        '2026-11-03,gpt-4o,1,100,0,0,1.5,0,\n',
    );
    const r = await runCli(['usage', 'summary', file, ...PRICES]);
    expect(r.code).toBe(2);
    // the column is where the field starts: "2026-11-02,gpt-4o,1," is 20 characters
    expect(r.stderr).toMatch(/bad\.csv:3:21: input_tokens: expected a whole number of tokens, 0/);
    expect(r.stderr).toMatch(/bad\.csv:4:\d+: output_tokens: expected a whole number .*"1\.5"/);
    expect(r.stdout).toBe('');
  });

  it('counts that contradict each other name the record', async () => {
    const file = write('parts.csv', `${HEADER}\n2026-11-01,gpt-4o,1,100,150,0,10,0,\n`);
    const r = await runCli(['usage', 'summary', file, ...PRICES]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /parts\.csv:2:1: cached \(150\) .* more than the input tokens \(100\)/,
    );
  });

  it('a JSON document cut short, and one of no known shape, are refused (exit 2)', async () => {
    const cut = write(
      'cut.json',
      JSON.stringify(JSON.parse(page(1730505600, 'gpt-4o', 1)), null, 2).slice(0, 80),
    );
    const r = await runCli(['usage', 'summary', cut, ...PRICES]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cut\.json: the JSON ends early, after 80 characters: .*cut short/);
    const odd = write('odd.json', '{\n  "rows": []\n}\n');
    const o = await runCli(['usage', 'summary', odd, ...PRICES]);
    expect(o.code).toBe(2);
    expect(o.stderr).toMatch(/odd\.json: the document is no usage format ai-route reads; expected/);
    expect(o.stderr).toMatch(/--from names the format/);
  });

  it('a CSV header without the documented columns names the missing ones', async () => {
    const file = write('short.csv', 'day,model,requests\n2026-11-01,gpt-4o,1\n');
    const r = await runCli(['usage', 'summary', file, ...PRICES]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/short\.csv:1:1: the header lacks input_tokens, cached_input_tokens/);
  });

  it('never writes over a source: --out naming an input is refused', async () => {
    const file = write('keep.csv', `${HEADER}\n2026-11-01,gpt-4o,1,100,0,0,10,0,\n`);
    const before = readFileSync(file, 'utf8');
    const r = await runCli(['usage', 'summary', file, ...PRICES, '--out', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/that file is an input of this run/);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });
});

describe('usage summary outputs', () => {
  const rows = [
    `${HEADER},service_tier`,
    // 2024-11-01 (old price): 1,000 fresh x $5 + 10 x $15 = $0.00515
    '2024-11-01,gpt-4o,2,1000,0,0,10,0,0.01,standard',
    // 2024-11-02 (new price), batch: 1,000 x $1.25 + 100 x $5 = $0.00175
    '2024-11-02,gpt-4o,1,1000,0,0,100,0,,batch',
    '2024-11-02,"vendor/model, with comma",1,10,0,0,1,0,,standard',
  ];

  it('csv: one row per day and model, exact, a quoted name kept whole', async () => {
    const file = write('out.csv', `${rows.join('\n')}\n`);
    const r = await runCli(['usage', 'summary', file, ...PRICES, '--format', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\r\n')).toEqual([
      'day,model,requests,input_tokens,cached_input_tokens,cache_write_tokens,output_tokens,' +
        'reasoning_tokens,list_cost_usd,billed_usd',
      '2024-11-01,gpt-4o,2,1000,0,0,10,0,0.00515,0.01',
      '2024-11-02,gpt-4o,1,1000,0,0,100,0,0.00175,',
      '2024-11-02,"vendor/model, with comma",1,10,0,0,1,0,,',
      '',
    ]);
  });

  it('markdown: tables by model and by day, what is not priced and why', async () => {
    const file = write('out-md.csv', `${rows.join('\n')}\n`);
    const r = await runCli(['usage', 'summary', file, ...PRICES, '--format', 'markdown']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^## Usage/);
    expect(r.stdout).toMatch(/\| gpt-4o \| 3 \| 2k \| 110 \| <\$0.01 \| \$0.01 \|/);
    expect(r.stdout).toContain(
      'Not priced: vendor/model, with comma (1 request, 11 tokens): not in the catalog',
    );
    // the bill of 2024-11-01 ($0.01) against $0.00515: the not-priced model is of another day
    expect(r.stdout).toMatch(/Over the 1 day with both usage and a bill: billed \$0.01/);
    expect(r.stdout).toMatch(/Likely cause: billed over the list price with nothing in the usage/);
  });
});
