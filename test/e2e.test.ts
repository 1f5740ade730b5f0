import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { litellmCatalog } from '../scripts/litellm-catalog.mjs';
import { interrupt, sigintCases, silentServer } from '../scripts/sigint-cases.mjs';
import { ROOT, runCli } from './helpers/run.js';

// The one place the built binary is spawned (npm test builds it first): bin -> bundle -> data.
const BIN = join(ROOT, 'bin', 'ai-route.cjs');
const dir = mkdtempSync(join(tmpdir(), 'ai-route-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', CI: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 20_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the built ai-route binary', () => {
  it('ships a V8 code cache that this Node accepts for the bundle', async () => {
    const { Script } = await import('node:vm');
    const { wrap } = await import('node:module');
    const file = join(ROOT, 'dist/cli/ai-route.cjs');
    const script = new Script(wrap(readFileSync(file, 'utf8')), {
      filename: file,
      cachedData: readFileSync(`${file}.cache`),
    });
    expect(script.cachedDataRejected).toBe(false);
  });

  it('prices 500M tokens exactly, as JSON on stdout and nothing on stderr', () => {
    const result = cli(['cost', '--volume', '500M', '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout);
    expect(body.rows).toEqual([
      expect.objectContaining({
        stage: null,
        tokens: 500_000_000,
        model: 'deepseek-ai/DeepSeek-V4-Flash',
        cost: '125',
        baseline_cost: '5000',
        savings_pct: '97.5',
      }),
    ]);
  });

  it('prints the default table with no colour when stdout is a pipe', () => {
    const result = cli(['cost']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      '│ Growth (100K)   │      5B tokens │                          $1,250.00 ' +
        '│    $50,000.00 │   97.5% │',
    );
    // eslint-disable-next-line no-control-regex
    expect(result.stdout).not.toMatch(/\u001b\[/);
  });

  it(
    'draws tables byte for byte as the unbundled sources do (the bundle trims ' +
      'cli-table3 work)',
    async () => {
      const golden = readFileSync(join(ROOT, 'test/golden/cost-default.txt'), 'utf8');
      expect(cli(['cost', '--as-of', '2026-11-24']).stdout).toBe(golden);
      // a table of ~180 rows: drawn in slices, each slice through the trimmed cli-table3
      const source = join(dir, 'catalog.json');
      writeFileSync(source, JSON.stringify(litellmCatalog(250, 3)));
      const imported = join(dir, 'catalog-imported.json');
      expect(
        cli([
          'pricing',
          'import',
          '--from',
          'litellm',
          source,
          '--out',
          imported,
          '--effective-from',
          '2026-11-24',
        ]).code,
      ).toBe(0);
      const args = [
        'cost',
        '--pricing',
        imported,
        '--all-models',
        '--volume',
        '5M',
        '--volume',
        '5B',
        '--as-of',
        '2026-11-24',
      ];
      const bundled = cli(args).stdout;
      expect(bundled.split('\n').length).toBeGreaterThan(150);
      expect(bundled).toBe((await runCli(args)).stdout);
    },
  );

  it('reads a user pricing file through the lazily loaded YAML parser', () => {
    const file = join(dir, 'mine.yaml');
    writeFileSync(
      file,
      'schema: ai-route/pricing@1\nmodels:\n  mine:\n    provider: me\n    prices:\n ' +
        '     - {effective_from: 2026-01-01, source: test, output: "3"}\n',
    );
    const result = cli([
      'cost',
      '--pricing',
      file,
      '--model',
      'mine',
      '--volume',
      '2M',
      '--format',
      'csv',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\r\n')[1]).toBe(',,2000000,mine,mine,6,gpt-4o,20,70,');
  });

  it('exits 2 with one clear line per problem and no stack trace on a bad file', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'schema: ai-route/pricing@1\nmodels:\n  x: {provider: p, prices: [{effective_from: ' +
        '2026-01-01, source: s, output: -1}]}\n',
    );
    const result = cli(['cost', '--pricing', file]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^.*bad\.yaml:3:\d+: models\.x\.prices\[0\]\.output: expected a non-negative decimal string.*got number -1\n$/,
    );
  });

  it('exits 3 when the budget gate fails, and 0 for --version and --help', () => {
    expect(cli(['cost', '--budget', '1000']).code).toBe(3);
    expect(cli(['--version']).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(cli(['--help']).code).toBe(0);
  });
});

/** The built binary as a running process, for the server and the signal tests. */
function start(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', CI: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
  exited.finally(() => clearTimeout(kill));
  return { child, exited, out: () => stdout, err: () => stderr };
}

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('ai-route mock and probe as processes', () => {
  it('mock prints its URL, serves the OpenAI API, keeps records, stops on SIGTERM', async () => {
    const records = join(dir, 'records.ndjson');
    const mock = start(['mock', '--records', records, '--seed', '3']);
    await until(() => mock.out().includes('\n'));
    const url = mock.out().trim();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const models = await (await fetch(`${url}/models`)).json();
    expect(models.object).toBe('list');
    const probe = cli(
      [
        'probe',
        '--base-url',
        url,
        '--model',
        'm',
        '--requests',
        '3',
        '--warmup',
        '0',
        '--format',
        'json',
      ],
      { AI_ROUTE_API_KEY: 'test-key' },
    );
    expect(probe.code).toBe(0);
    expect(JSON.parse(probe.stdout).targets[0].counts.ok).toBe(3);
    mock.child.kill('SIGTERM');
    expect(await mock.exited).toBe(0);
    const lines = readFileSync(records, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.n, l.model, l.status, l.output_tokens])).toEqual([
      [1, 'm', 200, 24],
      [2, 'm', 200, 24],
      [3, 'm', 200, 24],
    ]);
    expect(mock.err()).toContain('mock: #3 m stream status 200');
  });

  it('probe stops on a real SIGINT: results printed, samples written, exit 130', async () => {
    const samples = join(dir, 'sigint.ndjson');
    const probe = start([
      'probe',
      '--mock',
      '--requests',
      '100000',
      '--concurrency',
      '2',
      '--format',
      'json',
      '--samples',
      samples,
    ]);
    await until(() => probe.err().includes('started the built-in mock'));
    await new Promise((r) => setTimeout(r, 1200));
    probe.child.kill('SIGINT');
    expect(await probe.exited).toBe(130);
    const body = JSON.parse(probe.out());
    expect(body.interrupted).toBe(true);
    expect(body.targets[0].counts.requests).toBeGreaterThan(0);
    expect(readFileSync(samples, 'utf8').length).toBeGreaterThan(0);
  });
});

describe('every command answers Ctrl-C, whatever it is doing', () => {
  it(
    'serving, waiting on an endpoint or a catalog that never answers, sending ' +
      'faster than it can, parsing: each stops (npm run bench times it)',
    async () => {
      const silent = await silentServer();
      try {
        for (const c of sigintCases({ silent: silent.url, dir })) {
          const r = await interrupt(BIN, ROOT, c);
          // a generous bound: what this guards against is a run that ignores Ctrl-C for minutes
          expect(r.ms, c.name).toBeLessThan(10_000);
          if (c.code !== null) expect(r.code, `${c.name}: ${r.stderr}`).toBe(c.code);
          else expect([0, 2, 130], c.name).toContain(r.code);
          expect(r.stderr, c.name).not.toContain('unexpected error');
        }
      } finally {
        await silent.close();
      }
    },
  );
});
