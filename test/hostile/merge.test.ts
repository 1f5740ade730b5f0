import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import * as hdr from 'hdr-histogram-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run.js';

// `probe merge` and --baseline read hand-edited, truncated and hostile runs: every one is exit 2
// naming the file and the JSON path, never exit 1, never a decompression past the histogram's cap.
const dir = mkdtempSync(join(tmpdir(), 'ai-route-merge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let run: any;
let runText: string;

beforeAll(async () => {
  const r = await runCli([
    'probe',
    '--mock',
    '--requests',
    '20',
    '--warmup',
    '0',
    '--format',
    'json',
  ]);
  expect(r.code).toBe(0);
  runText = r.stdout;
  run = JSON.parse(runText);
});

let n = 0;
function saved(edit: (c: any) => void = () => undefined, name = `run-${n++}.json`): string {
  const copy = structuredClone(run);
  edit(copy);
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(copy, null, 2));
  return path;
}

/** A compressed HdrHistogram whose zlib payload inflates to `bytes` of zeros after its cookie. */
function bomb(bytes: number): string {
  const inner = Buffer.alloc(bytes);
  inner.writeInt32BE(0x1c849313, 0);
  const z = deflateSync(inner, { level: 9 });
  const outer = Buffer.alloc(8 + z.length);
  outer.writeInt32BE(0x1c849314, 0);
  outer.writeInt32BE(z.length, 4);
  z.copy(outer, 8);
  return outer.toString('base64');
}

/** A histogram as the probe encodes it (µs, 3 digits), holding the given values and counts. */
function encoded(values: Array<[us: number, count: number]>): string {
  const h = hdr.build({
    numberOfSignificantValueDigits: 3,
    autoResize: true,
    useWebAssembly: false,
    bitBucketSize: 'packed',
  });
  for (const [v, count] of values) h.recordValueWithCount(v, count);
  return hdr.encodeIntoCompressedBase64(h);
}

const ttft = (c: any) => c.targets[0].histograms.ttft;
const bytesOf = (c: any) => Buffer.from(ttft(c).encoded, 'base64');

const CASES: Array<[string, (c: any) => void, RegExp]> = [
  [
    'a zlib bomb (64 MB of zeros in 64 KB)',
    (c) => (ttft(c).encoded = bomb(64 * 1024 * 1024)),
    /targets\[0\]\.histograms\.ttft\.encoded: inflates past \d+ bytes/,
  ],
  [
    'a histogram cut short',
    (c) => (ttft(c).encoded = bytesOf(c).subarray(0, 30).toString('base64')),
    /histograms\.ttft\.encoded: its header says \d+ compressed bytes, it holds 22/,
  ],
  [
    'a bit flipped in the compressed data',
    (c) => {
      const b = bytesOf(c);
      b[b.length - 6]! ^= 0x5a;
      ttft(c).encoded = b.toString('base64');
    },
    /histograms\.ttft\.encoded: its (compressed data is damaged|counts|inflated)/,
  ],
  [
    'not a histogram at all',
    (c) => (ttft(c).encoded = Buffer.from('hello world, hello').toString('base64')),
    /histograms\.ttft\.encoded: not a compressed HdrHistogram/,
  ],
  [
    'a count that is not what the histogram holds',
    (c) => (ttft(c).count = 19),
    /histograms\.ttft\.encoded: it holds 20 samples, not the count of 19/,
  ],
  [
    'a count of 2^60',
    (c) => (ttft(c).count = 2 ** 60),
    /histograms\.ttft\.count: expected a count \(a whole number from 0 to 9007199254740991\)/,
  ],
  [
    'a bucket of 2^60 samples inside the histogram',
    (c) => (ttft(c).encoded = encoded([[12_000, 2 ** 60]])),
    /histograms\.ttft\.encoded: its counts add up past 2\^53/,
  ],
  [
    'more samples than requests',
    (c) => {
      ttft(c).encoded = encoded([[12_000, 21]]);
      ttft(c).count = 21;
    },
    /histograms\.ttft\.count: 21 samples, more than the run's requests/,
  ],
  [
    'more ok than requests',
    (c) => (c.targets[0].counts.ok = 26),
    /targets\[0\]\.counts\.ok: 26 ok, more than the 20 requests/,
  ],
  [
    'failures by class that do not add up',
    (c) => (c.targets[0].errors.server_5xx = 3),
    /targets\[0\]\.errors: 3 failures by class, but 20 requests with 20 ok leave 0/,
  ],
  [
    'precision the header does not have',
    (c) => (ttft(c).significant_digits = 2),
    /histograms\.ttft\.encoded: it has 3 significant digits, not the 2 declared/,
  ],
];

describe('probe merge validates what it merges', () => {
  for (const [name, edit, reason] of CASES) {
    it(`${name}: exit 2 naming the file and the JSON path`, async () => {
      const file = saved(edit);
      for (const argv of [
        ['probe', 'merge', file],
        ['probe', 'merge', saved(), '--baseline', file],
      ]) {
        const r = await runCli(argv);
        expect(r.code, r.stderr).toBe(2);
        const lines = r.stderr.trim().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toContain(file);
        expect(lines[0]).toMatch(reason);
      }
    });
  }

  it('refuses the same run twice, by path, through a link, or as a copy', async () => {
    const a = saved();
    const link = join(dir, 'link.json');
    symlinkSync(a, link);
    const copy = join(dir, 'copy.json');
    writeFileSync(copy, readFileSync(a));
    for (const [twice, words] of [
      [a, 'the same file as'],
      [link, 'the same file as'],
      [copy, 'a copy of'],
    ] as const) {
      const r = await runCli(['probe', 'merge', a, twice]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toBe(
        `ai-route: probe merge: ${twice} is ${words} ${a}; each run is merged once`,
      );
    }
  });

  it('keeps apart targets sharing a name but not a model or URL, and adds the rest', async () => {
    const a = saved();
    const b = saved((c) => (c.targets[0].model = 'other-model'));
    const c = saved((x) => (x.targets[0].output_tokens += 1));
    const r = await runCli(['probe', 'merge', a, b, c, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const targets = JSON.parse(r.stdout).targets;
    const name = run.targets[0].name;
    const url = run.targets[0].base_url;
    expect(targets.map((t: any) => [t.name, t.counts.requests])).toEqual([
      [`${name} (${run.targets[0].model} at ${url})`, 40],
      [`${name} (other-model at ${url})`, 20],
    ]);
  });

  it('fuzzed (truncation, bit flips, hostile histogram headers): never exit 1', async () => {
    const original = bytesOf(run);
    const edits = fc.oneof(
      fc.record({ cut: fc.integer({ min: 1, max: runText.length - 1 }) }),
      fc.record({ flip: fc.nat(original.length - 1), mask: fc.integer({ min: 1, max: 255 }) }),
      fc.record({ at: fc.constantFrom(0, 4), int: fc.integer() }),
    );
    await fc.assert(
      fc.asyncProperty(edits, async (edit) => {
        const file = join(dir, 'fuzz.json');
        if ('cut' in edit) writeFileSync(file, runText.slice(0, edit.cut));
        else {
          const b = Buffer.from(original);
          if ('flip' in edit) b[edit.flip]! ^= edit.mask;
          else b.writeInt32BE(edit.int, edit.at);
          const copy = structuredClone(run);
          ttft(copy).encoded = b.toString('base64');
          writeFileSync(file, JSON.stringify(copy));
        }
        const r = await runCli(['probe', 'merge', file, '--format', 'json']);
        expect([0, 2, 3], r.stderr).toContain(r.code);
        if (r.code === 2) expect(r.stderr.trim().split('\n')).toHaveLength(1);
      }),
      { numRuns: 60 },
    );
  });
});
