import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DAYS_PER_MONTH, fitGrowth, studentQuantile } from '../../src/core/usage/growth.js';
import { otlpJson } from '../helpers/otlp.js';
import { runCli } from '../helpers/run.js';

// usage fit: the growth fit against published figures, the scenario's shares and mixes against
// counts worked out by hand, and the written scenario priced by `cost` as the usage was.
const PRICES = ['--pricing', 'test/fixtures/usage/prices.yaml'];
const dir = mkdtempSync(join(tmpdir(), 'ai-route-usage-fit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('the growth fit', () => {
  it("Student's t quantiles match the published table (NIST e-Handbook 1.3.6.7.2, 0.90)", () => {
    for (const [df, t] of [
      [1, 3.078],
      [2, 1.886],
      [5, 1.476],
      [10, 1.372],
      [30, 1.31],
      [100, 1.29],
    ] as const)
      expect(studentQuantile(0.9, df)).toBeCloseTo(t, 3);
  });

  it("recovers Anscombe's first data set: slope 0.5001, standard error 0.1179", () => {
    const x = [10, 8, 13, 9, 11, 14, 6, 4, 12, 7, 5];
    const y = [8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84, 4.82, 5.68];
    const fit = fitGrowth(x.map((d, i) => [d, Math.exp(y[i]!)] as const));
    if ('none' in fit) throw new Error(fit.none);
    expect(fit.slope).toBeCloseTo(0.5001, 4);
    expect(fit.slope_se).toBeCloseTo(0.1179, 4);
    expect(fit.days).toBe(11);
    // the interval: slope +- t(0.9, 9) x se, as monthly growth
    const t = studentQuantile(0.9, 9);
    const monthly = (b: number) => (Math.exp(b * DAYS_PER_MONTH) - 1) * 100;
    expect(fit.interval_80[0]).toBeCloseTo(monthly(fit.slope - t * fit.slope_se), 6);
  });

  it('an exact 1% a day is 35.4% a month with no width; under 3 days there is no fit', () => {
    const fit = fitGrowth([0, 1, 2, 3].map((d) => [d, 1e8 * 1.01 ** d] as const));
    if ('none' in fit) throw new Error(fit.none);
    const expected = (1.01 ** DAYS_PER_MONTH - 1) * 100;
    expect(fit.monthly_pct).toBeCloseTo(expected, 6);
    expect(fit.interval_80[1] - fit.interval_80[0]).toBeLessThan(1e-6);
    expect(
      fitGrowth([
        [0, 5],
        [1, 0],
        [2, 7],
      ]),
    ).toEqual({
      none: '2 days with usage; a fit needs 3 or more',
    });
  });
});

const HEADER =
  'day,model,requests,input_tokens,cached_input_tokens,cache_write_tokens,output_tokens,' +
  'reasoning_tokens,billed_usd';

describe('usage fit', () => {
  // four days growing exactly 10% a day; gpt-4o takes 3/4 of the tokens, claude 1/4
  const days = ['2025-03-01', '2025-03-02', '2025-03-03', '2025-03-04'];
  const volumes = [100_000_000, 110_000_000, 121_000_000, 133_100_000];
  const rows = days.flatMap((day, d) => {
    const v = volumes[d]!;
    const gpt = v * 0.75;
    const claude = v * 0.25;
    return [
      // gpt-4o: 80% input, a quarter of it cached; 1,000 tokens a request
      `${day},gpt-4o,${gpt / 1000},${gpt * 0.8},${gpt * 0.2},0,${gpt * 0.2},0,`,
      // claude: 60% input, a tenth of the input written to the cache, a tenth of output reasoning
      `${day},claude-opus-4-6,${claude / 500},${claude * 0.6},0,${claude * 0.06},` +
        `${claude * 0.4},${claude * 0.04},`,
    ];
  });
  const csv = () => write('fit.csv', `${[HEADER, ...rows].join('\n')}\n`);

  it('fits shares, mixes and growth; json is ai-route/usage-fit@1', async () => {
    const r = await runCli(['usage', 'fit', csv(), ...PRICES, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const fit = JSON.parse(r.stdout);
    expect(fit.schema).toBe('ai-route/usage-fit@1');
    expect(fit.tiers.map((t: { model: string; share: string }) => [t.model, t.share])).toEqual([
      ['gpt-4o', '0.75'],
      ['claude-opus-4-6', '0.25'],
    ]);
    const [gpt, claude] = fit.tiers;
    expect(gpt.token_mix).toMatchObject({
      input: '0.8',
      output: '0.2',
      cache_hit_rate: '0.25',
      cache_write_rate: '0',
      tokens_per_request: 1000,
    });
    expect(claude.token_mix).toMatchObject({
      input: '0.6',
      cache_write_rate: '0.1',
      reasoning_share: '0.1',
      tokens_per_request: 500,
    });
    // all of it: input 0.75 x 0.8 + 0.25 x 0.6 = 0.75
    expect(fit.token_mix).toMatchObject({ input: '0.75', output: '0.25' });
    // gpt-4o, the baseline, has no cache-write rate: the writes are fresh input for it
    expect(fit.baseline_changes).toEqual(['cache_writes_as_input']);
    expect(fit.baseline_token_mix.cache_write_rate).toBe('0');
    expect(fit.growth.days).toBe(4);
    expect(fit.growth.monthly_pct).toBeCloseTo((1.1 ** DAYS_PER_MONTH - 1) * 100, 1);
    expect(fit.growth.method).toBe('log-linear least squares on daily tokens');
  });

  it('writes a scenario cost reads, priced line by line as the usage was', async () => {
    const out = join(dir, 'fitted.yaml');
    const w = await runCli(['usage', 'fit', csv(), ...PRICES, '--out', out]);
    expect(w.code, w.stderr).toBe(0);
    const yaml = readFileSync(out, 'utf8');
    expect(yaml).toMatch(/^# Fitted by ai-route usage fit from .*fit\.csv: 4 days of usage/);
    expect(yaml).toContain('# Growth: log-linear least squares on daily tokens over 4 days');
    const r = await runCli([
      'cost',
      '--scenario',
      out,
      ...PRICES,
      '--volume',
      '1M',
      '--format',
      'json',
      '--as-of',
      '2025-03-04',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const cost = JSON.parse(r.stdout);
    // 1M tokens: gpt-4o 750k = 600k input (150k cached) + 150k output:
    //   450k x $2.50 + 150k x $1.25 + 150k x $10 = $1.125 + $0.1875 + $1.50 = $2.8125
    // claude 250k = 150k input (15k written) + 100k output (10k reasoning, at the output rate):
    //   135k x $5 + 15k x $6.25 + 100k x $25 = $0.675 + $0.09375 + $2.50 = $3.26875
    expect(cost.rows[0].cost).toBe('6.08125');
    // the baseline gpt-4o on all of it, writes as fresh input: 750k input (of which cached
    // 0.75 x 0.8 x 0.25 / 0.75 = 20%: 150k), 250k output:
    //   600k x $2.50 + 150k x $1.25 + 250k x $10 = $1.50 + $0.1875 + $2.50 = $4.1875
    expect(cost.rows[0].baseline_cost).toBe('4.1875');
    expect(cost.candidates[0].tiers[1].token_mix).toMatchObject({ cache_write_rate: '0.1' });
  });

  it("a tier's own mix is checked like the scenario's; no flag changes it", async () => {
    const out = join(dir, 'own-mix.yaml');
    expect((await runCli(['usage', 'fit', csv(), ...PRICES, '--out', out])).code).toBe(0);
    const flag = await runCli(['cost', '--scenario', out, ...PRICES, '--input-share', '50%']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/tiers gpt-4o, claude-opus-4-6 of .*own-mix\.yaml have their own/);
    const broken = write(
      'broken.yaml',
      readFileSync(out, 'utf8').replace('        output: "0.2"', '        output: "0.3"'),
    );
    const bad = await runCli(['cost', '--scenario', broken, ...PRICES]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /setup\.tiers\.gpt-4o\.token_mix: input and output shares must add up to exactly 1/,
    );
  });

  it('shares of requests over a long-context threshold, from per-request traces', async () => {
    const span = (input: number) => ({
      name: 'chat gemini-2.5-pro',
      start: '2025-05-01T12:00:00Z',
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'gcp.gemini',
        'gen_ai.request.model': 'gemini-2.5-pro',
        'gen_ai.usage.input_tokens': input,
        'gen_ai.usage.output_tokens': 100,
      },
    });
    // 200,000 is at the threshold, not over it: 2 of 5 requests are over
    const traces = write(
      'long.json',
      otlpJson([10_000, 150_000, 200_000, 200_001, 300_000].map(span)),
    );
    const r = await runCli(['usage', 'fit', traces, ...PRICES, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const fit = JSON.parse(r.stdout);
    expect(fit.tiers[0].model).toBe('gemini/gemini-2.5-pro');
    expect(fit.long_context).toEqual([
      { model: 'gemini/gemini-2.5-pro', threshold: 200000, share_of_requests: '0.4', requests: 5 },
    ]);
    const yaml = await runCli(['usage', 'fit', traces, ...PRICES]);
    expect(yaml.stdout).toContain(
      '# gemini/gemini-2.5-pro: 40% of 5 requests had more than 200,000 input tokens',
    );
    expect(yaml.stdout).toContain('# No growth fitted: 1 days with usage');
    expect(fit.growth.monthly_pct).toBeNull();
    expect(fit.growth.why).toBe('1 days with usage; a fit needs 3 or more');
  });
});
