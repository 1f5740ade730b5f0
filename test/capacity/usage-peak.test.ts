import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type SpanSpec, otlpJson } from '../helpers/otlp.js';
import { runCli } from '../helpers/run.js';

// capacity --usage: the peak factor fitted from usage the source times request by request
// (OpenTelemetry spans made by the real JS SDK), checked against the same ratio computed here;
// daily usage has no peak to fit, and says so.
const dir = mkdtempSync(join(tmpdir(), 'ai-route-usage-peak-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const span = (start: string, input: number): SpanSpec => ({
  name: 'chat gpt-4o-mini',
  start,
  attributes: {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'gpt-4o-mini',
    'gen_ai.usage.input_tokens': input,
    'gen_ai.usage.output_tokens': 0,
  },
});

describe('capacity --usage', () => {
  it('fits the peak factor as the busiest hour over the mean hour', async () => {
    // 48 hours with one 1,000-token request each, and 4 more in 14:00 of the first day
    const spans: SpanSpec[] = [];
    for (let h = 0; h < 48; h++)
      spans.push(span(new Date(Date.UTC(2026, 10, 1, h, 5)).toISOString(), 1000));
    for (let k = 0; k < 4; k++)
      spans.push(span(new Date(Date.UTC(2026, 10, 1, 14, 10 + k)).toISOString(), 1000));
    writeFileSync(join(dir, 'spans.json'), otlpJson(spans));
    const r = await runCli(['capacity', '--usage', 'spans.json', '--format', 'json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    // by hand: 5,000 tokens in the busiest hour against 52,000 over 48 hours
    const expected = Math.round(((5000 * 48) / 52000) * 100) / 100;
    expect(Number(out.assumptions.peak_factor)).toBe(expected);
    expect(out.assumptions.peak_fitted).toEqual({ busiest_hour: '2026-11-01T14:00Z', hours: 48 });
    expect(out.assumptions.defaulted).not.toContain('peak_factor');
    const table = await runCli(['capacity', '--usage', 'spans.json'], { cwd: dir });
    expect(table.stdout).toContain('fitted: the busiest hour of 48, 2026-11-01T14:00Z');
  });

  it('daily usage has no peak to fit: the default, said so', async () => {
    const r = await runCli(['capacity', '--usage', 'examples/usage-daily.csv', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.assumptions.peak_factor).toBe('3');
    expect(out.assumptions.peak_fitted).toBeNull();
    const table = await runCli(['capacity', '--usage', 'examples/usage-daily.csv']);
    expect(table.stdout).toContain('the usage is by day, so no peak can be fitted from it');
  });
});
