import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/domain/errors.js';
import { checkSourceUrl, fetchSource } from '../../src/io/fetch-source.js';
import { REAL, realText } from '../helpers/real.js';
import { FIXED_DAY, runCli } from '../helpers/run.js';

// A real HTTP server on 127.0.0.1 serving the real catalogs; nothing leaves this machine.
const dir = mkdtempSync(join(tmpdir(), 'ai-route-url-'));
/** A run nobody interrupts. */
const NEVER = new AbortController().signal;
let server: Server;
let base = '';
const bodies = Object.fromEntries(
  (Object.keys(REAL) as Array<keyof typeof REAL>).map((s) => [s, Buffer.from(realText(s))]),
);
const hanging = new Set<import('node:http').ServerResponse>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    const source = path.slice(1);
    if (bodies[source] !== undefined) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(bodies[source]);
    } else if (path === '/moved') {
      res.writeHead(302, { location: '/litellm' });
      res.end();
    } else if (path === '/to-the-internet') {
      res.writeHead(301, { location: 'http://example.com/model_prices.json' });
      res.end();
    } else if (path === '/loop') {
      res.writeHead(302, { location: '/loop' });
      res.end();
    } else if (path === '/endless') {
      // a body that never ends: the size cap must stop the read
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    } else if (path === '/declared-huge') {
      res.writeHead(200, { 'content-length': String(10 * 1024 * 1024) });
      res.write('{');
      hanging.add(res);
    } else if (path === '/silent') {
      hanging.add(res); // headers never come
    } else {
      res.writeHead(404, 'Not Found');
      res.end();
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of hanging) res.destroy();
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
  rmSync(dir, { recursive: true, force: true });
});

describe('pricing import from a URL', () => {
  it.each(Object.keys(REAL))(
    '%s: imports what the server sent and records the URL, its sha256 and when it was read',
    async (source) => {
      const out = join(dir, `${source}.json`);
      const r = await runCli([
        'pricing',
        'import',
        '--from',
        source,
        `${base}/${source}`,
        '--out',
        out,
      ]);
      expect(r.code, r.stderr).toBe(0);
      const doc = JSON.parse(readFileSync(out, 'utf8'));
      expect(doc.generated_from).toEqual([
        expect.objectContaining({
          source,
          url: `${base}/${source}`,
          sha256: createHash('sha256').update(bodies[source]!).digest('hex'),
          fetched_at: FIXED_DAY.toISOString(),
        }),
      ]);
      expect(r.stderr).toContain(`fetched ${base}/${source}`);
      // the same conversion as from the file: only the provenance differs
      const fromFile = join(dir, `${source}-file.json`);
      const local = join(dir, `${source}-raw.json`);
      writeFileSync(local, bodies[source]!);
      expect(
        (await runCli(['pricing', 'import', '--from', source, local, '--out', fromFile])).code,
      ).toBe(0);
      const rates = (models: Record<string, any>) =>
        JSON.stringify(models, (key, value) => (key === 'source' ? undefined : value));
      expect(rates(JSON.parse(readFileSync(fromFile, 'utf8')).models)).toBe(rates(doc.models));
      expect(Object.values<any>(doc.models)[0].prices[0].source).toContain(`${base}/${source}`);
    },
  );

  it('follows a redirect on this machine and records where it led', async () => {
    const fetched = await fetchSource(checkSourceUrl(`${base}/moved`), FIXED_DAY, NEVER);
    expect(fetched).toMatchObject({
      url: `${base}/moved`,
      read_from: `${base}/litellm`,
      bytes: bodies.litellm!.length,
    });
  });

  it('refuses a redirect that leaves https or this machine, and a redirect loop', async () => {
    await expect(
      fetchSource(checkSourceUrl(`${base}/to-the-internet`), FIXED_DAY, NEVER),
    ).rejects.toThrow('http://example.com: only https:// URLs are read');
    await expect(fetchSource(checkSourceUrl(`${base}/loop`), FIXED_DAY, NEVER)).rejects.toThrow(
      'more than 5 redirects',
    );
  });

  it('stops reading at the size cap, on a declared length or on the bytes that come', async () => {
    const limits = { timeoutMs: 10_000, maxBytes: 1024 * 1024 };
    await expect(
      fetchSource(checkSourceUrl(`${base}/endless`), FIXED_DAY, NEVER, limits),
    ).rejects.toThrow('more than 1 MB; not a price catalog');
    await expect(
      fetchSource(checkSourceUrl(`${base}/declared-huge`), FIXED_DAY, NEVER, limits),
    ).rejects.toThrow('10485760 bytes, more than 1 MB');
  });

  it('gives up at the deadline when the server never answers', async () => {
    await expect(
      fetchSource(checkSourceUrl(`${base}/silent`), FIXED_DAY, NEVER, {
        timeoutMs: 300,
        maxBytes: 1024,
      }),
    ).rejects.toThrow('no answer within 0.3 s');
  });

  it('stops at Ctrl-C while the server says nothing: exit 130, nothing written', async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort('SIGINT'), 200);
    const out = join(dir, 'interrupted.json');
    const r = await runCli(
      ['pricing', 'import', '--from', 'litellm', `${base}/silent`, '--out', out],
      { interrupted: stop.signal },
    );
    expect(r.code).toBe(130);
    expect(r.stderr).toBe('ai-route: interrupted; nothing written\n');
    expect(() => readFileSync(out)).toThrow();
  });

  it('says what the server said, exit 2, writing nothing', async () => {
    const out = join(dir, 'never.json');
    const r = await runCli([
      'pricing',
      'import',
      '--from',
      'litellm',
      `${base}/nothing-here`,
      '--out',
      out,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`ai-route: ${base}/nothing-here: HTTP 404 Not Found`);
    expect(() => readFileSync(out)).toThrow();
  });

  it('reads https anywhere, plain http only from this machine, nothing else', () => {
    expect(checkSourceUrl('https://models.dev/api.json').href).toBe('https://models.dev/api.json');
    for (const local of [
      'http://127.0.0.1:8080/x.json',
      'http://localhost/x.json',
      'http://[::1]:9/x.json',
    ])
      expect(checkSourceUrl(local).protocol).toBe('http:');
    expect(() => checkSourceUrl('http://raw.githubusercontent.com/x.json')).toThrow(UsageError);
    expect(() => checkSourceUrl('file:///etc/passwd')).toThrow('only https:// URLs are read');
    expect(() => checkSourceUrl('ftp://example.com/x')).toThrow('only https:// URLs are read');
    expect(() => checkSourceUrl('http://127.0.0.1.example.com/x')).toThrow(UsageError);
  });
});
