import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseFault, chunkPlan, holdEnd, tokenTimeline, words } from '../../src/core/mock/plan.js';
import type { Fault, ModelProfile } from '../../src/domain/mock.js';
import { DEFAULT_MODEL_PROFILE } from '../../src/schema/mock-profile.js';

const fault = (f: Partial<Fault> & Pick<Fault, 'kind'>): Fault => ({
  probability: undefined,
  requests: undefined,
  window_ms: undefined,
  status: 500,
  retry_after: undefined,
  ms: 1000,
  after_tokens: 0,
  ...f,
});
const profile = (p: Partial<ModelProfile>): ModelProfile => ({ ...DEFAULT_MODEL_PROFILE, ...p });

describe('the mock plan, without a server', () => {
  it(
    'picks a fault by request number, by time window, and by probability, the ' +
      'first that matches',
    () => {
      const p = profile({
        faults: [
          fault({ kind: 'server_error', requests: [2] }),
          fault({ kind: 'hold', window_ms: [100, 200] }),
          fault({ kind: 'rate_limit', probability: 1 }),
        ],
      });
      expect(chooseFault(p, 1, 'm', 2, false, 150)?.kind).toBe('server_error');
      expect(chooseFault(p, 1, 'm', 3, false, 150)?.kind).toBe('hold');
      expect(chooseFault(p, 1, 'm', 3, false, 250)?.kind).toBe('rate_limit');
    },
  );

  it('rejects stream_options only when they were sent', () => {
    const p = profile({
      faults: [fault({ kind: 'reject_stream_options', probability: 1, status: 400 })],
    });
    expect(chooseFault(p, 1, 'm', 1, false, 0)).toBeUndefined();
    expect(chooseFault(p, 1, 'm', 1, true, 0)?.kind).toBe('reject_stream_options');
  });

  it(
    'draws the same faults and timeline for request n of a model, whatever else came ' + 'before',
    () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 2 ** 32 - 1 }),
          fc.integer({ min: 1, max: 1000 }),
          (seed, n) => {
            const p = profile({
              faults: [fault({ kind: 'server_error', probability: 0.3 })],
              output_tokens: 12,
            });
            expect(chooseFault(p, seed, 'm', n, false, 0)).toEqual(
              chooseFault(p, seed, 'm', n, false, 99),
            );
            expect(tokenTimeline(p, seed, 'm', n)).toEqual(tokenTimeline(p, seed, 'm', n));
          },
        ),
        { numRuns: 200 },
      );
    },
  );

  it('generates tokens in order, the first after the ttft draw, one gap per token', () => {
    const p = profile({
      ttft: { dist: 'constant', ms: 100 },
      per_token: { dist: 'constant', ms: 10 },
      output_tokens: 5,
    });
    expect(tokenTimeline(p, 1, 'm', 1)).toEqual([100, 110, 120, 130, 140]);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 0, max: 1000 }),
        (tokens, seed) => {
          const at = tokenTimeline(profile({ output_tokens: tokens }), seed, 'm', 1);
          expect(at).toHaveLength(tokens);
          for (let i = 1; i < at.length; i++) expect(at[i]!).toBeGreaterThanOrEqual(at[i - 1]!);
        },
      ),
      { numRuns: 100 },
    );
  });

  it(
    'cuts the answer into chunks that cover every token once, reasoning first, ' +
      'each sent with its last token',
    () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 60 }),
          fc.integer({ min: 1, max: 7 }),
          fc.integer({ min: 0, max: 70 }),
          (n, perChunk, reasoning) => {
            const at = Array.from({ length: n }, (_, i) => 10 * (i + 1));
            const chunks = chunkPlan(
              profile({ tokens_per_chunk: perChunk, reasoning_tokens: reasoning }),
              at,
            );
            expect(chunks.reduce((s, c) => s + c.reasoning + c.content, 0)).toBe(n);
            expect(chunks.reduce((s, c) => s + c.reasoning, 0)).toBe(Math.min(n, reasoning));
            for (const c of chunks) expect(c.at_ms).toBe(at[c.end - 1]);
          },
        ),
        { numRuns: 200 },
      );
      expect(words(0, 3)).toBe('tok1 tok2 tok3 ');
    },
  );

  it('holds a request until its window closes, or stalls it for ms', () => {
    expect(holdEnd(fault({ kind: 'hold', window_ms: [1000, 3000] }), 1500, 0)).toBe(3000);
    expect(holdEnd(fault({ kind: 'stall_before_headers', ms: 250 }), 1500, 0)).toBe(1750);
  });
});
