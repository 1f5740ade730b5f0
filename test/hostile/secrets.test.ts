import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run.js';

// Every command that takes a URL or a key, against a server on 127.0.0.1 that echoes whatever
// credentials it was sent back in every place it can: body, headers, redirects, error messages.
// Each secret below must appear in no output, in any form (raw, URL-encoded, JSON-escaped).
const KEY = 'sk-echo-Key0123456789abcdef';
const TOKEN = 'tok-Bearer9876543210zyxwvu';
const URL_TOKEN = 'qs-Token1122334455667788';
const URL_PASS = 'pw-Secret5566778899aabb';
const SECRETS = [KEY, TOKEN, URL_TOKEN, URL_PASS];

const dir = mkdtempSync(join(tmpdir(), 'ai-route-secrets-'));
let server: Server;
let base: string;
/** Credentials the server saw: proof that each secret really went out. */
const seen = new Set<string>();

const CATALOG = JSON.stringify({
  'echo-model': {
    litellm_provider: 'openai',
    mode: 'chat',
    input_cost_per_token: 0.000001,
    output_cost_per_token: 0.000002,
  },
});

/** What the server knows of the caller, to echo: credentials and the URL it asked for. */
function echoOf(req: IncomingMessage): string {
  const auth = String(req.headers.authorization ?? '');
  seen.add(auth);
  const token = auth.replace(/^\w+\s+/, '');
  const decoded = auth.startsWith('Basic ') ? Buffer.from(token, 'base64').toString() : '';
  return `auth=${auth} token=${token} basic=${decoded} url=${req.url}`;
}

function chat(req: IncomingMessage, res: ServerResponse, n: number): void {
  const echo = echoOf(req);
  const token = echo.split(' ')[1]!.slice('token='.length);
  const port = (server.address() as AddressInfo).port;
  const kind = n % 4;
  if (kind === 0) {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': token });
    const delta = (content: string, finish: string | null) =>
      JSON.stringify({ choices: [{ index: 0, delta: { content }, finish_reason: finish }] });
    res.end(
      `data: ${delta(`hi ${token}`, null)}\n\ndata: ${delta('!', 'stop')}\n\ndata: [DONE]\n\n`,
    );
  } else if (kind === 1) {
    res.writeHead(401, { 'content-type': 'application/json', 'x-request-id': token });
    res.end(JSON.stringify({ error: { message: `bad credentials: ${echo}` } }));
  } else if (kind === 2) {
    res.writeHead(307, { location: `http://u:${token}@127.0.0.1:${port}/v1/x?key=${token}` });
    res.end();
  } else {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(`data: ${JSON.stringify({ error: { message: `quota for ${echo}` } })}\n\n`);
  }
}

function catalog(req: IncomingMessage, res: ServerResponse): void {
  const echo = echoOf(req);
  const port = (server.address() as AddressInfo).port;
  const [path] = (req.url ?? '').split('?');
  if (path === '/catalog.json') {
    res.writeHead(200, { 'content-type': 'application/json', 'x-echo': echo.slice(0, 200) });
    res.end(CATALOG);
  } else if (path === '/moved.json') {
    // a redirect to a URL carrying its own credentials and the caller's
    const q = new URL(req.url!, 'http://x').searchParams.get('token');
    res.writeHead(302, { location: `http://u:${q}@127.0.0.1:${port}/catalog.json?sig=${q}` });
    res.end();
  } else if (path === '/broken.json') {
    res.writeHead(302, { location: `http://[${URL_TOKEN}` });
    res.end();
  } else {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(`server error for ${echo}`);
  }
}

beforeAll(async () => {
  let chats = 0;
  server = createServer((req, res) => {
    req.resume();
    if (req.url?.startsWith('/v1/chat')) chat(req, res, chats++);
    else if (req.url?.startsWith('/v1/')) {
      echoOf(req);
      res.writeHead(404).end(`no route ${req.url}`);
    } else catalog(req, res);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
  rmSync(dir, { recursive: true, force: true });
});

function expectNoSecret(where: string, text: string): void {
  for (const secret of SECRETS)
    for (const form of new Set([secret, encodeURIComponent(secret), secret.slice(3, 20)]))
      expect(text.includes(form), `${where} holds ${form}`).toBe(false);
}

/** Every file a run wrote into its folder, and its stdout and stderr. */
function outputsOf(
  run: { stdout: string; stderr: string },
  folder: string,
): Array<[string, string]> {
  const files = existsSync(folder) ? readdirSync(folder) : [];
  return [
    ['stdout', run.stdout],
    ['stderr', run.stderr],
    ...files.map((f): [string, string] => [f, readFileSync(join(folder, f), 'utf8')]),
  ];
}

const githubEnv = (folder: string) => ({
  AI_ROUTE_ECHO_KEY: KEY,
  GITHUB_ACTIONS: 'true',
  GITHUB_STEP_SUMMARY: join(folder, 'summary.md'),
});

describe('one redaction for every secret, in every output of every command', () => {
  for (const command of ['probe', 'premortem'] as const) {
    it(`${command}: a key, a Bearer header and a URL query token, echoed everywhere`, async () => {
      const folder = mkdtempSync(join(dir, `${command}-`));
      const common = [
        '--base-url',
        `${base}/v1?token=${URL_TOKEN}`,
        '--model',
        'm',
        '--api-key-env',
        'AI_ROUTE_ECHO_KEY',
        '--header',
        `Authorization: Bearer ${TOKEN}`,
        '--format',
        'json',
        '--out',
        join(folder, 'report.json'),
      ];
      const argv =
        command === 'probe'
          ? [
              'probe',
              ...common,
              '--requests',
              '8',
              '--warmup',
              '0',
              '--samples',
              join(folder, 'samples.ndjson'),
              '--assert',
              'error_rate<1%',
              '--debug',
            ]
          : [
              'premortem',
              ...common,
              '--checks',
              'p99,rate_limit',
              '--requests',
              '8',
              '--max-requests',
              '40',
              '--debug',
            ];
      const r = await runCli(argv, { env: githubEnv(folder) });
      expect([0, 3], r.stderr).toContain(r.code);
      // the secrets really went out and came back
      expect([...seen].some((a) => a.includes(TOKEN))).toBe(true);
      const outputs = outputsOf(r, folder);
      expect(outputs.map(([, t]) => t).join('\n')).toContain('[redacted]');
      for (const [where, text] of outputs) expectNoSecret(`${command} ${where}`, text);
    });
  }

  it('pricing import: a URL with a user, password and token, and its redirects', async () => {
    const runs: Array<{ argv: string[]; code: number; folder: string }> = [
      { argv: [`http://reader:${URL_PASS}@127.0.0.1`, '/catalog.json'], code: 0, folder: '' },
      { argv: ['', '/catalog.json'], code: 0, folder: '' },
      { argv: ['', '/moved.json'], code: 0, folder: '' },
      { argv: ['', '/missing.json'], code: 2, folder: '' },
      { argv: ['', '/broken.json'], code: 2, folder: '' },
    ];
    const port = new URL(base).port;
    for (const [i, run] of runs.entries()) {
      const folder = mkdtempSync(join(dir, `import-${i}-`));
      const origin = run.argv[0] === '' ? base : `${run.argv[0]}:${port}`;
      const url = `${origin}${run.argv[1]}?token=${URL_TOKEN}`;
      const r = await runCli(
        ['pricing', 'import', '--from', 'litellm', url, '--out', join(folder, 'catalog.json')],
        { env: githubEnv(folder) },
      );
      expect(r.code, `${url}: ${r.stderr}`).toBe(run.code);
      if (run.code === 2) expect(r.stderr.trim().split('\n')).toHaveLength(1);
      for (const [where, text] of outputsOf(r, folder)) expectNoSecret(`${url} ${where}`, text);
      if (run.code === 0) {
        const written = readFileSync(join(folder, 'catalog.json'), 'utf8');
        // provenance keeps the URL, without its secrets
        expect(written).toContain(`${base}${run.argv[1]}?token=[redacted]`);
      }
    }
    // the user and password went as HTTP Basic credentials
    expect(seen).toContain(`Basic ${Buffer.from(`reader:${URL_PASS}`).toString('base64')}`);
  });

  it('refuses a bad header or key before any request, naming no secret', async () => {
    for (const header of [
      `Authorization: Bearer ${TOKEN}\u0001`,
      `Authorization: Bearer ${TOKEN}${'x'.repeat(70_000)}`,
      `Authorization Bearer ${TOKEN}`,
    ]) {
      const before = seen.size;
      const r = await runCli([
        'probe',
        '--base-url',
        `${base}/v1`,
        '--model',
        'm',
        '--header',
        header,
      ]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('--header');
      expectNoSecret('a refused --header', r.stderr);
      expect(seen.size).toBe(before);
    }
    const r = await runCli(['probe', '--base-url', `${base}/v1`, '--model', 'm'], {
      env: { AI_ROUTE_API_KEY: `${KEY}\u00e9\u4e2d` },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^ai-route: AI_ROUTE_API_KEY: the key holds a character past Latin-1 \(U\+4E2D/,
    );
    expectNoSecret('a refused key', r.stderr);
  });

  it('a usage error quoting the command line shows no credential of its URLs', async () => {
    // found by npm run bench -- hostile: a second URL is a stray argument, quoted in the hint
    const withSecrets = `http://reader:${URL_PASS}@127.0.0.1:1/x.json?token=${URL_TOKEN}`;
    const stray = await runCli([
      'pricing',
      'import',
      '--from',
      'litellm',
      withSecrets,
      withSecrets,
    ]);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('is not a flag');
    expect(stray.stderr).toContain('http://127.0.0.1:1/x.json?token=[redacted]');
    expectNoSecret('a stray URL', stray.stderr);
    const refused = await runCli(['probe', '--base-url', withSecrets, '--requests', withSecrets]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("option '--requests <n>' argument");
    expectNoSecret('a refused flag value', refused.stderr);
  });
});
