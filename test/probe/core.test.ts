import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { holds } from '../../src/core/probe/gates.js';
import { parseAssertion } from '../../src/units/assertion.js';
import { percentiles, quantile } from '../../src/core/probe/latency.js';
import { readDuration } from '../../src/units/duration.js';
import { publicUrl, secretRedactor, urlSecrets } from '../../src/core/redact.js';
import { retryAfterMs } from '../../src/io/probe/transport.js';

describe('percentiles', () => {
  it('interpolate linearly between closest ranks, like numpy', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10], 0.99)).toBe(10);
    const p = percentiles(Array.from({ length: 101 }, (_, i) => i))!;
    expect([p.p50, p.p90, p.p95, p.p99, p.max, p.n, p.p99_reliable]).toEqual([
      50,
      90,
      95,
      99,
      100,
      101,
      true,
    ]);
    expect(percentiles([1, 2, 3])!.p99_reliable).toBe(false);
    expect(percentiles([])).toBeUndefined();
  });

  it('stay ordered and within the samples for any data', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 }),
        (values) => {
          const p = percentiles(values)!;
          expect(p.min).toBeLessThanOrEqual(p.p50);
          expect(p.p50).toBeLessThanOrEqual(p.p90);
          expect(p.p90).toBeLessThanOrEqual(p.p95);
          expect(p.p95).toBeLessThanOrEqual(p.p99);
          expect(p.p99).toBeLessThanOrEqual(p.max);
          expect(p.n).toBe(values.length);
        },
      ),
    );
  });
});

describe('--assert grammar', () => {
  it.each([
    ['ttft.p95<800ms', { metric: 'ttft', stat: 'p95', op: '<', threshold: 800, target: undefined }],
    ['e2e.p99<2s', { metric: 'e2e', stat: 'p99', op: '<', threshold: 2000 }],
    ['error_rate<1%', { metric: 'error_rate', stat: undefined, op: '<', threshold: 0.01 }],
    ['error_rate <= 5%', { metric: 'error_rate', op: '<=', threshold: 0.05 }],
    ['tokens_per_s.p50>20', { metric: 'tokens_per_s', stat: 'p50', op: '>', threshold: 20 }],
    ['itl.max>=1.5ms', { metric: 'itl', stat: 'max', op: '>=', threshold: 1.5 }],
    [
      'ttft.p95<baseline*1.2',
      { metric: 'ttft', stat: 'p95', op: '<', threshold: 1.2, relative: true },
    ],
    ['e2e.p50<=baseline', { metric: 'e2e', stat: 'p50', threshold: 1, relative: true }],
    [
      'good(ttft<800ms)>=99%',
      {
        metric: 'good',
        op: '>=',
        threshold: 0.99,
        good: { metric: 'ttft', op: '<', threshold: 800 },
      },
    ],
    [
      'good(e2e<=2s){target=premium}>99.5%',
      {
        metric: 'good',
        target: 'premium',
        threshold: 0.995,
        good: { metric: 'e2e', op: '<=', threshold: 2000 },
      },
    ],
    ['ttft.p99{target=premium}<1.2s', { metric: 'ttft', target: 'premium', threshold: 1200 }],
    [
      'ttft.p50{target=deepseek-ai/DeepSeek-V4-Flash}<1s',
      { target: 'deepseek-ai/DeepSeek-V4-Flash' },
    ],
  ])('reads %s', (text, expected) => {
    const parsed = parseAssertion(text);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.assertion).toMatchObject(expected);
  });

  it.each([
    ['ttft<800ms', 'needs a statistic'],
    ['error_rate.p95<1%', 'takes no .p95'],
    ['latency.p95<1s', 'unknown metric'],
    ['ttft.p42<1s', 'unknown statistic'],
    ['ttft.p95<80%', 'is a time: use ms or s, not %'],
    ['ttft.p95<800', 'needs its unit: did you mean 800ms or 800s?'],
    ['error_rate<1', 'an error rate needs %: did you mean 1%?'],
    ['good(ttft<800)>=99%', 'did you mean 800ms or 800s?'],
    ['good(ttft<800ms)>=99', 'a share of requests needs %: did you mean 99%?'],
    ['good(itl<8ms)>=99%', 'good() takes one of ttft, e2e'],
    ['tokens_per_s.p50>20ms', 'takes no unit'],
    ['error_rate<150%', 'at most 100%'],
    ['ttft.p95 ~ 800', 'is not an assertion'],
    ['', 'is not an assertion'],
  ])('rejects %j: %s', (text, reason) => {
    const parsed = parseAssertion(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });

  it('never throws on garbage', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(typeof parseAssertion(text).ok).toBe('boolean');
      }),
    );
  });

  it('compares with each operator', () => {
    expect((['<', '<=', '>', '>='] as const).map((op) => holds(op, 100, 100))).toEqual([
      false,
      true,
      false,
      true,
    ]);
  });
});

describe('Retry-After', () => {
  const headers = (h: Record<string, string>) => ({ get: (n: string) => h[n] ?? null });
  it('reads seconds, milliseconds and an HTTP date', () => {
    expect(retryAfterMs(headers({ 'retry-after': '2' }))).toBe(2000);
    expect(retryAfterMs(headers({ 'retry-after-ms': '1500' }))).toBe(1500);
    const now = Date.parse('2026-11-24T12:00:00Z');
    expect(retryAfterMs(headers({ 'retry-after': 'Tue, 24 Nov 2026 12:00:03 GMT' }), now)).toBe(
      3000,
    );
    expect(retryAfterMs(headers({ 'retry-after': 'Tue, 24 Nov 2026 11:00:00 GMT' }), now)).toBe(0);
    expect(retryAfterMs(headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(headers({}))).toBeUndefined();
  });
});

describe('durations and redaction', () => {
  it('reads 800ms, 2s, 1.5s and 1m, and refuses a bare number with both readings', () => {
    const value = (t: string) => {
      const r = readDuration(t);
      return r.ok ? r.value : r.reason;
    };
    expect(['800ms', '2s', '1.5s', '1m'].map(value)).toEqual([800, 2000, 1500, 60_000]);
    expect(value('30')).toBe('"30" has no unit: did you mean 30s or 30ms?');
    expect(['0ms', '-1s', 'fast', '2h', '90m'].map((t) => readDuration(t).ok)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it(
    'removes every secret from a text, in every form it is echoed, and a short ' +
      'one only as a whole token',
    () => {
      const redact = secretRedactor(['sk-canary-1234567890', 'ga_pro_secret/value+1', 'x']);
      expect(
        redact('bad key sk-canary-1234567890 and ga_pro_secret/value+1, xylophone stays, 1 x 2'),
      ).toBe('bad key [redacted] and [redacted], xylophone stays, 1 [redacted] 2');
      expect(redact('?key=ga_pro_secret%2Fvalue%2B1&a=1')).toBe('?key=[redacted]&a=1');
      expect(redact('Incorrect API key provided: sk-canar**********7890.')).toBe(
        'Incorrect API key provided: [redacted].',
      );
      expect(redact('key sk-canary-12...')).toBe('key [redacted]...');
      expect(redact('{"message":"ga_pro_secret/value+1"}')).not.toContain('secret');
    },
  );

  it(
    'leaves base64 whole around a short secret: a saved histogram is data, not ' +
      'an echo of the key',
    () => {
      const redact = secretRedactor(['k']);
      for (const encoded of ['HISTFAAAAC94nJ+k/MwMDAx8', 'AAA/k+BBB', 'QUJD+k='])
        expect(redact(`"encoded": "${encoded}"`)).toBe(`"encoded": "${encoded}"`);
      expect(redact('?key=k&a=1 Bearer k')).toBe('?key=[redacted]&a=1 Bearer [redacted]');
    },
  );

  it('prints a URL without its userinfo or query values, parsed or not', () => {
    expect(publicUrl('https://user:pw@host.example/v1?key=abc&x=1')).toBe(
      'https://host.example/v1?key=[redacted]&x=[redacted]',
    );
    expect(publicUrl('https://user:pw@ho st/v1?key=abc')).toBe('https://ho st/v1?[redacted]');
    expect(urlSecrets('https://user:pw@host.example/v1?key=abc')).toEqual(['user', 'pw', 'abc']);
  });
});
