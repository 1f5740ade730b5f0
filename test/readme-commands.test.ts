import { execFileSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG_SOURCES } from '../src/domain/sources.js';
import type { MockServer } from '../src/io/mock/server.js';
import { mockFromYaml } from './helpers/mock.js';
import { LITELLM_2025, realText } from './helpers/real.js';
import { docPages } from './helpers/docs.js';
import { ROOT, runCli } from './helpers/run.js';

// Every `ai-route` line of the sh blocks of the README, CONTRIBUTING and docs/, run as written in a
// folder that holds what a reader would have made by then. What needs the network runs against
// 127.0.0.1 instead: the catalog URLs are served from the real snapshots, the provider URLs are the
// mock.
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const DOCS = docPages();

/** The README's command lines: sh blocks only, continuation lines joined, comments dropped. */
export function readmeCommands(markdown: string): string[] {
  const lines: string[] = [];
  for (const block of markdown.matchAll(/```sh\n([\s\S]*?)```/g)) {
    const joined = block[1]!.replace(/\\\n\s*/g, ' ');
    for (const line of joined.split('\n')) {
      const command = line.replace(/\s+#.*$/, '').trim();
      if (/^(npx )?ai-route\b/.test(command)) lines.push(command);
    }
  }
  return lines;
}

/**
 * Splits a command line the way sh would for these lines: quotes kept together, globs expanded in
 * `dir`.
 */
function words(line: string, dir: string, vars: Record<string, string>): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)) {
    if (m[1] !== undefined || m[2] !== undefined) out.push(m[1] ?? m[2]!);
    else {
      const word = m[3]!.replace(/\$(\w+)/g, (_, v: string) => vars[v] ?? '');
      if (word.includes('*')) {
        const re = new RegExp(`^${word.replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`);
        out.push(
          ...readdirSync(dir)
            .filter((f) => re.test(f))
            .sort(),
        );
      } else out.push(word);
    }
  }
  return out[0] === 'npx' ? out.slice(2) : out.slice(1);
}

/** Lines whose exit is not 0, and why the README says so. */
const EXPECTED_EXIT: Array<[RegExp, number[]]> = [
  [/^ai-route cost --budget 1000$/, [3]], // "exit 3 when any stage costs more than $1,000 a month"
  [/^ai-route decide$/, [2]], // the wizard needs a terminal; here there is none, and it says so
  [/--fail-on-increase 10$/, [0, 3]], // a gate: fails when a price rose
  [/^ai-route probe merge/, [0, 3]], // a gate on merged runs
  [/--assert/, [0, 3]],
  [/^ai-route mock/, [130]], // serves until Ctrl-C
  [/^ai-route premortem/, [0, 3]], // a gate: a failed check is exit 3
];

const dir = mkdtempSync(join(tmpdir(), 'ai-route-readme-'));
let mock: MockServer;
let catalogs: ReturnType<typeof createServer>;
const vars: Record<string, string> = {};
beforeAll(async () => {
  mock = await mockFromYaml(
    'schema: ai-route/mock-profile@1\ndefaults:\n  ttft: {dist: constant, ms: ' +
      '2}\n  per_token: {dist: constant, ms: 0}\n  output_tokens: 4\n',
  );
  vars.URL = mock.url;
  catalogs = createServer((req, res) => {
    const source = CATALOG_SOURCES.find((s) => new URL(s.url).pathname === req.url);
    if (source === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(realText(source.id));
  });
  await new Promise<void>((done) => catalogs.listen(0, '127.0.0.1', done));
  // what a reader has made by the time a line needs it
  const fixture = (name: string, text: string) => writeFileSync(join(dir, name), text);
  fixture('snapshot.json', realText('litellm'));
  fixture(
    'my-prices.yaml',
    'schema: ai-route/pricing@1\nmodels:\n  my-model:\n    provider: me\n   ' +
      ' prices:\n      - {effective_from: 2026-01-01, source: my contract, output: "1.20"}\n',
  );
  fixture(
    'pro-quote.yaml',
    'schema: ai-route/pricing@1\nmodels:\n  Pro/deepseek-ai/DeepSeek-V3.2:\n ' +
      '   provider: global-api-pro\n    prices:\n      - {effective_from: 2026-01-01, ' +
      'source: our quote, output: "0.40", monthly_fee: "2000"}\n',
  );
  fixture('faults.yaml', readFileSync(join(ROOT, 'test/fixtures/readme-faults.yaml'), 'utf8'));
  // cost diff's examples: a git repository whose main holds the scenario, and two saved results
  mkdirSync(join(dir, 'scenarios'));
  cpSync(join(ROOT, 'scenarios/hybrid.yaml'), join(dir, 'scenarios/hybrid.yaml'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir });
  git('init', '-q', '-b', 'main');
  git('add', 'scenarios');
  git('-c', 'user.name=reader', '-c', 'user.email=reader@example.com', 'commit', '-qm', 'main');
  for (const [name, scenario] of [
    ['before.json', 'hybrid'],
    ['after.json', 'gateway'],
  ])
    expect(
      (
        await runCli(['cost', '--scenario', scenario!, '--format', 'json', '--out', name!], {
          cwd: dir,
        })
      ).code,
    ).toBe(0);
  // the usage examples the docs read, at the paths they name
  for (const folder of ['examples', 'test/fixtures/usage'])
    cpSync(join(ROOT, folder), join(dir, folder), { recursive: true });
  for (const [from, text, out] of [
    ['genai-prices', realText('genai-prices'), 'genai.json'],
    ['models.dev', realText('models.dev'), 'models-dev.json'],
    ['litellm', realText(LITELLM_2025), 'catalog.json'],
  ] as const) {
    fixture(`${out}.source`, text);
    expect(
      (
        await runCli(
          [
            'pricing',
            'import',
            '--from',
            from,
            `${out}.source`,
            '--out',
            out,
            '--effective-from',
            '2025-08-30',
          ],
          { cwd: dir },
        )
      ).code,
    ).toBe(0);
  }
  for (const name of ['last-good.json', 'runner-1.json', 'runner-2.json'])
    expect(
      (
        await runCli(
          [
            'probe',
            '--base-url',
            mock.url,
            '--model',
            'm',
            '--requests',
            '5',
            '--warmup',
            '0',
            '--format',
            'json',
            '--out',
            name,
          ],
          {
            cwd: dir,
            env: { AI_ROUTE_API_KEY: 'k' },
          },
        )
      ).code,
    ).toBe(0);
});
afterAll(async () => {
  await mock.close();
  catalogs.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The README line with what needs the network pointed at 127.0.0.1. */
function local(line: string): string {
  const base = `http://127.0.0.1:${(catalogs.address() as AddressInfo).port}`;
  let out = line.replace('https://global-apis.com/v1', mock.url);
  for (const s of CATALOG_SOURCES) out = out.replace(s.url, `${base}${new URL(s.url).pathname}`);
  return out;
}

describe('every command of the docs runs as written', () => {
  const commands = [...new Set(DOCS.flatMap((page) => readmeCommands(page.text)))];

  it('finds the commands of every page (sh blocks, continuations joined)', () => {
    expect(commands.length).toBeGreaterThan(40);
    expect(commands).toContain('ai-route cost --budget 1000');
    expect(readmeCommands(README)).toContain('ai-route probe --mock');
    for (const page of ['docs/cost.md', 'docs/probe.md', 'docs/pricing.md'])
      expect(readmeCommands(DOCS.find((d) => d.path === page)!.text).length, page).toBeGreaterThan(
        3,
      );
  });

  it('each exits as the README says', async () => {
    for (const line of commands) {
      const argv = words(local(line), dir, vars);
      const stop = new AbortController();
      const timer = argv[0] === 'mock' ? setTimeout(() => stop.abort('SIGINT'), 300) : undefined;
      const r = await runCli(argv, {
        cwd: dir,
        env: { AI_ROUTE_API_KEY: 'k', NO_COLOR: '1' },
        interrupted: stop.signal,
      });
      clearTimeout(timer);
      const allowed = EXPECTED_EXIT.find(([re]) => re.test(line))?.[1] ?? [0];
      expect(allowed, `${line}\n${r.stderr}`).toContain(r.code);
      expect(r.stderr, line).not.toContain('unexpected error');
    }
  }, 400_000);
});

describe('the README says how to get ai-route on the PATH', () => {
  it('names npx, npm link and a global install', () => {
    expect(README).toMatch(/npx ai-route/);
    expect(README).toMatch(/npm link/);
    expect(README).toMatch(/npm install --global|npm i -g/);
  });
});
