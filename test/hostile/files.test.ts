import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run.js';

// Hostile files given to every reader: a clear exit 2 naming the file, never a crash (exit 1),
// never a hang, never unbounded memory. Random bytes and random JSON (prototype keys included)
// may be exit 0, 2 or 3, never 1.
const dir = mkdtempSync(join(tmpdir(), 'ai-route-hostile-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const out = (name: string) => join(dir, 'out', name);
mkdirSync(join(dir, 'out'));

/** Every command that reads a data file, as the argv that hands it FILE. */
const READERS: Record<string, (file: string) => string[]> = {
  'cost --pricing': (f) => ['cost', '--pricing', f],
  'cost --scenario': (f) => ['cost', '--scenario', f],
  'pricing validate': (f) => ['pricing', 'validate', f],
  'pricing list --pricing': (f) => ['pricing', 'list', '--pricing', f],
  'pricing diff': (f) => ['pricing', 'diff', f, 'pricing/global-api.yaml'],
  'pricing check': (f) => ['pricing', 'check', f, 'pricing/global-api.yaml'],
  'pricing import litellm': (f) => [
    'pricing',
    'import',
    '--from',
    'litellm',
    f,
    '--out',
    out('litellm.json'),
  ],
  'pricing import openrouter': (f) => [
    'pricing',
    'import',
    '--from',
    'openrouter',
    f,
    '--out',
    out('openrouter.json'),
  ],
  'pricing import genai-prices': (f) => [
    'pricing',
    'import',
    '--from',
    'genai-prices',
    f,
    '--out',
    out('genai.json'),
  ],
  'pricing import models.dev': (f) => [
    'pricing',
    'import',
    '--from',
    'models.dev',
    f,
    '--out',
    out('modelsdev.json'),
  ],
  'decide --answers': (f) => ['decide', '--answers', f, '--format', 'json'],
  'probe --mock-profile': (f) => [
    'probe',
    '--mock',
    '--mock-profile',
    f,
    '--requests',
    '1',
    '--warmup',
    '0',
  ],
  'probe --baseline': (f) => [
    'probe',
    '--mock',
    '--baseline',
    f,
    '--requests',
    '1',
    '--warmup',
    '0',
  ],
  'probe merge': (f) => ['probe', 'merge', f],
  'mock --profile': (f) => ['mock', '--profile', f],
};

/**
 * Runs a reader with a deadline: a reader that starts serving (mock) or hangs is stopped, and the
 * test then fails on its exit code.
 */
async function read(argv: string[]) {
  const stop = new AbortController();
  // the mock serves a valid profile until stopped: a second is enough to have read it
  const timer = setTimeout(() => stop.abort(), argv[0] === 'mock' ? 1_000 : 10_000);
  try {
    return await runCli(argv, { interrupted: stop.signal });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The exits a reader may give: a served mock is stopped by the test (130); anything else that runs
 * past its deadline hung.
 */
const allowed = (argv: string[]) => (argv[0] === 'mock' ? [0, 2, 3, 130] : [0, 2, 3]);

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const deepJson = `${'{"a":'.repeat(200)}1${'}'.repeat(200)}`;
const deepYaml =
  Array.from({ length: 200 }, (_, i) => `${'  '.repeat(i)}a${i}:`).join('\n') + ' 1\n';
const bomb = [
  'a: &a ["x","x","x","x","x","x","x","x","x"]',
  ...Array.from(
    { length: 9 },
    (_, i) =>
      `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} ` +
      `[${Array(9)
        .fill(`*${String.fromCharCode(97 + i)}`)
        .join(',')}]`,
  ),
].join('\n');

/** name -> the path of a hostile input (created on demand) and what its one-line reason says. */
const HOSTILE: Array<[string, () => string, RegExp]> = [
  ['an empty file', () => file('empty.yaml', ''), /empty|expected/],
  ['binary bytes', () => file('binary.json', Buffer.from([0, 255, 254, 1, 2, 3, 0x1b, 0x5b])), /./],
  ['invalid UTF-8', () => file('latin1.yaml', Buffer.from('schema: caf\xe9\n', 'latin1')), /./],
  [
    'a __proto__ key',
    () => file('proto.json', '{"schema":"ai-route/pricing@1","__proto__":{"polluted":true}}'),
    /__proto__|expected|unknown/,
  ],
  [
    'nesting 200 deep (JSON)',
    () => file('deep.json', deepJson),
    /nested more than 64 levels|expected|unknown/,
  ],
  [
    'nesting 200 deep (YAML)',
    () => file('deep.yaml', deepYaml),
    /nested more than 64 levels|expected|unknown/,
  ],
  // refused as read, at the bracket that goes too deep: parsed first, these took minutes
  [
    'nesting 100,000 deep (JSON, 600 KB)',
    () => file('deeper.json', `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`),
    /:1:321: nested more than 64 levels deep/,
  ],
  [
    'nesting 100,000 deep (YAML flow)',
    () => file('deeper.yaml', `a: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`),
    /:1:68: nested more than 64 levels deep/,
  ],
  ['a YAML alias bomb', () => file('bomb.yaml', bomb), /alias|expected|unknown|excessive/i],
  [
    'duplicate JSON keys',
    () => file('dup.json', '{"schema":"ai-route/pricing@1","schema":"ai-route/pricing@1"}'),
    /appears twice in one object/,
  ],
  [
    'a 2,000-digit number',
    () =>
      file(
        'digits.json',
        `{"schema":"ai-route/pricing@1","models":{"m":{"output":"1.${'3'.repeat(2000)}"}}}`,
      ),
    /./,
  ],
  ['a folder (empty)', () => emptyFolder(), /is a folder|no \.yaml, \.yml or \.json files/],
  ['a FIFO', () => fifo(), /FIFO/],
  ['/dev/zero', () => '/dev/zero', /not a regular file/],
  ['a 65 MB sparse file', () => sparse(), /over the 64\.0 MB/],
  [
    'a 2 MB YAML file',
    () => file('big.yaml', `# ${'x'.repeat(2 * 1024 * 1024)}\nschema: ai-route/pricing@1\n`),
    /over 1\.0 MB|JSON/,
  ],
  ['a missing file', () => join(dir, 'nope.yaml'), /no such file|no file/],
];

function emptyFolder(): string {
  const path = join(dir, 'empty-folder');
  mkdirSync(path, { recursive: true });
  return path;
}

function fifo(): string {
  const path = join(dir, 'fifo');
  rmSync(path, { force: true });
  execFileSync('mkfifo', [path]);
  return path;
}

function sparse(): string {
  const path = join(dir, 'sparse.json');
  writeFileSync(path, '');
  truncateSync(path, 65 * 1024 * 1024);
  return path;
}

describe('hostile files: exit 2 with one reason naming the file, for every reader', () => {
  for (const [name, make, reason] of HOSTILE) {
    it(name, async () => {
      const path = make();
      for (const [reader, argv] of Object.entries(READERS)) {
        const r = await read(argv(path));
        expect(r.code, `${reader} on ${name}: ${r.stderr}`).toBe(2);
        expect(r.stderr, reader).not.toContain('unexpected error');
        expect(r.stderr, reader).toMatch(reason);
        expect(r.stderr.length, reader).toBeLessThan(20_000);
      }
    });
  }
});

describe('prototype names as input values and keys never reach prototype properties', () => {
  const names = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];
  it('as flag values: exit 2, never 1', async () => {
    for (const n of names) {
      for (const argv of [
        ['cost', '--model', n],
        ['cost', '--scenario', n],
        ['decide', '--preset', n],
        ['decide', '--preset', 'startup', '--importance', `${n}=3`],
        ['pricing', 'list', '--provider', n],
        ['pricing', 'list', '--model', n],
        ['probe', '--mock', '--api-key-env', n, '--requests', '1', '--warmup', '0'],
        ['probe', '--base-url', 'http://127.0.0.1:9/v1', '--model', 'm', '--api-key-env', n],
      ]) {
        const r = await read(argv);
        expect([0, 2, 3], `${argv.join(' ')}: ${r.stderr}`).toContain(r.code);
        expect(r.stderr).not.toContain('unexpected error');
      }
    }
  });

  it('as keys and values in every data file', async () => {
    for (const n of names) {
      const inputs = [
        `schema: ai-route/answers@1\npreset: ${n}\n`,
        `schema: ai-route/answers@1\nanswers:\n  ${n}: yes\n`,
        `schema: ai-route/pricing@1\nmodels:\n  ${n}:\n    output: "1"\n`,
        `schema: ai-route/scenario@1\nname: ${n}\n${n}: 1\n`,
        `schema: ai-route/mock-profile@1\nmodels:\n  ${n}:\n    output_tokens: 1\n`,
        `{"schema":"ai-route/probe@2","${n}":{}}`,
      ];
      for (const [i, text] of inputs.entries()) {
        const path = file(`proto-${i}.yaml`, text);
        for (const [reader, argv] of Object.entries(READERS)) {
          const r = await read(argv(path));
          expect(allowed(argv(path)), `${reader} on ${text}: ${r.stderr}`).toContain(r.code);
          expect(r.stderr, reader).not.toContain('unexpected error');
        }
      }
    }
  });
});

describe('random input: never a crash', () => {
  const readers = Object.entries(READERS).filter(([name]) => name !== 'mock --profile');
  it('random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 512 }),
        fc.constantFrom(...readers),
        async (bytes, [reader, argv]) => {
          const r = await read(argv(file('random.bin', Buffer.from(bytes))));
          expect([0, 2, 3], `${reader}: ${r.stderr}`).toContain(r.code);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('random JSON with hostile keys', async () => {
    const key = fc.oneof(
      fc.string(),
      fc.constantFrom(
        '__proto__',
        'constructor',
        'toString',
        'schema',
        'models',
        'output',
        'input',
        'preset',
        'answers',
        'targets',
      ),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom(
          null,
          true,
          0,
          -1,
          1e308,
          '0',
          '1.5',
          'ai-route/pricing@1',
          'ai-route/scenario@1',
          'ai-route/answers@1',
        ),
        fc.string(),
        fc.double(),
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(key, tie('node'), { maxKeys: 5 }),
      ),
    })).node;
    await fc.assert(
      fc.asyncProperty(value, fc.constantFrom(...readers), async (v, [reader, argv]) => {
        const r = await read(argv(file('random.json', JSON.stringify(v) ?? 'null')));
        expect([0, 2, 3], `${reader}: ${r.stderr}`).toContain(r.code);
      }),
      { numRuns: 200 },
    );
  });
});
