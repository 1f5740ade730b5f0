import { connect } from 'node:net';
import OpenAI from 'openai';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { EVERY_INTERFACE, listenHost } from '../../src/commands/mock-spec.js';
import { startMock } from '../../src/io/mock/server.js';
import { IssueList } from '../../src/schema/issues.js';
import { validateMockProfile } from '../../src/schema/mock-profile.js';
import { mockFromYaml } from '../helpers/mock.js';
import { runCli } from '../helpers/run.js';

// The mock under hostile use: prototype names as models, a long-running load that must not grow
// its memory without bound, and --host values that would expose it by accident.

async function stream(client: OpenAI, model: string): Promise<string> {
  const s = await client.chat.completions.create({
    model,
    messages: [{ role: 'user', content: 'hi' }],
    stream: true,
    max_tokens: 3,
  });
  let text = '';
  for await (const chunk of s) text += chunk.choices[0]?.delta?.content ?? '';
  return text;
}

describe('the mock', () => {
  it('closes slowloris sockets (silent, or sending byte by byte) at its deadline', async () => {
    const issues = new IssueList();
    const profile = validateMockProfile(
      parse(
        'schema: ai-route/mock-profile@1\ndefaults:\n  ttft: {dist: constant, ms: 1500}\n' +
          '  output_tokens: 2\n',
      ),
      issues,
    );
    expect(issues.items).toEqual([]);
    const mock = await startMock({
      host: '127.0.0.1',
      port: 0,
      profile,
      seed: 1,
      headersTimeoutMs: 1_000,
    });
    const { port } = new URL(mock.url);
    const open = (drip: boolean) => {
      const s = connect(Number(port), '127.0.0.1');
      s.on('error', () => undefined);
      if (drip) {
        s.write('POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n');
        const timer = setInterval(() => s.writable && s.write('X-a: b\r\n'), 200);
        s.on('close', () => clearInterval(timer));
      }
      return s;
    };
    const sockets = [
      ...Array.from({ length: 50 }, () => open(false)),
      ...Array.from({ length: 50 }, () => open(true)),
    ];
    try {
      // an answer slower than the header deadline still completes: the deadline is for headers
      const client = new OpenAI({ baseURL: mock.url, apiKey: 'k', maxRetries: 0 });
      expect((await stream(client, 'm')).length).toBeGreaterThan(0);
      // generous by construction: the deadline is 1 s, checked every second
      for (let waited = 0; waited < 10_000 && sockets.some((s) => !s.destroyed); waited += 100)
        await new Promise((done) => setTimeout(done, 100));
      expect(sockets.filter((s) => !s.destroyed)).toHaveLength(0);
    } finally {
      for (const s of sockets) s.destroy();
      await mock.close();
    }
  });

  it(
    'answers models named after prototype properties, with their own profile ' +
      'where one is given',
    async () => {
      const mock = await mockFromYaml(
        'schema: ai-route/mock-profile@1\ndefaults:\n  ttft: {dist: constant, ms: ' +
          '1}\n  output_tokens: 2\nmodels:\n  constructor:\n    output_tokens: 5\n',
      );
      try {
        const client = new OpenAI({ baseURL: mock.url, apiKey: 'k', maxRetries: 0 });
        for (const model of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])
          expect((await stream(client, model)).length).toBeGreaterThan(0);
        expect(mock.records.map((r) => r.model)).toEqual([
          'constructor',
          'toString',
          '__proto__',
          'hasOwnProperty',
          'valueOf',
        ]);
        expect(mock.records.map((r) => r.output_tokens)).toEqual([5, 2, 2, 2, 2]);
      } finally {
        await mock.close();
      }
    },
  );

  it(
    'keeps at most its record limit, dropping the oldest and counting them, ' +
      'on the records endpoint too',
    async () => {
      const { parse } = await import('yaml');
      const { validateMockProfile } = await import('../../src/schema/mock-profile.js');
      const { IssueList } = await import('../../src/schema/issues.js');
      const issues = new IssueList();
      const profile = validateMockProfile(
        parse(
          'schema: ai-route/mock-profile@1\ndefaults:\n  ttft: {dist: constant, ms: ' +
            '0}\n  output_tokens: 2\n',
        ),
        issues,
      );
      const mock = await startMock({
        host: '127.0.0.1',
        port: 0,
        profile,
        seed: 1,
        keep: { records: 10, events: 1_000 },
      });
      try {
        const client = new OpenAI({ baseURL: mock.url, apiKey: 'k', maxRetries: 0 });
        for (let i = 0; i < 30; i++) await stream(client, `m${i}`);
        expect(mock.records.length).toBeLessThanOrEqual(10);
        expect(mock.records.length + mock.droppedRecords()).toBe(30);
        expect(mock.records.at(-1)!.model).toBe('m29'); // the newest are the ones kept
        const res = await fetch(`${mock.url.replace(/\/v1$/, '')}/_mock/records`);
        expect(res.headers.get('x-mock-records-dropped')).toBe(String(mock.droppedRecords()));
        expect(((await res.json()) as unknown[]).length).toBe(mock.records.length);
      } finally {
        await mock.close();
      }
    },
  );

  it('--host must name an address; every-interface addresses are warned about', async () => {
    for (const host of ['', ' ', 'http://x', 'a b']) {
      const r = await runCli(['mock', '--host', host]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--host');
      expect(r.stderr).toContain('expected an address to listen on');
    }
    expect(listenHost('[::1]')).toBe('::1');
    // binding them would open a port beyond loopback, which no test does: the set the warning reads
    // is checked instead
    for (const host of ['0.0.0.0', '::']) expect(EVERY_INTERFACE.has(listenHost(host))).toBe(true);
    for (const host of ['127.0.0.1', '::1', 'localhost'])
      expect(EVERY_INTERFACE.has(listenHost(host))).toBe(false);
  });
});

describe('the mock as a rate-limited provider', () => {
  it(
    'answers past the limit with 429, Retry-After and OpenAI-style x-ratelimit-* ' +
      'headers, recorded as rate_limit',
    async () => {
      const mock = await mockFromYaml(
        'schema: ai-route/mock-profile@1\ndefaults:\n  ttft: {dist: constant, ms: ' +
          '0}\n  output_tokens: 2\n  rate_limit: {kind: fixed, limit: 3, window_ms: ' +
          '60000, headers: true}\n',
      );
      try {
        const statuses: number[] = [];
        const remaining: string[] = [];
        for (let i = 0; i < 5; i++) {
          const res = await fetch(`${mock.url}/chat/completions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
          });
          statuses.push(res.status);
          remaining.push(res.headers.get('x-ratelimit-remaining-requests') ?? '');
          if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
          expect(res.headers.get('x-ratelimit-limit-requests')).toBe('3');
          await res.text();
        }
        expect(statuses).toEqual([200, 200, 200, 429, 429]);
        expect(remaining).toEqual(['2', '1', '0', '0', '0']);
        expect(mock.records.map((r) => r.fault)).toEqual([
          null,
          null,
          null,
          'rate_limit',
          'rate_limit',
        ]);
      } finally {
        await mock.close();
      }
    },
  );

  it('the probe counts those answers as rate_limited', async () => {
    const mock = await mockFromYaml(
      'schema: ai-route/mock-profile@1\ndefaults:\n  ttft: {dist: constant, ms: ' +
        '0}\n  output_tokens: 2\n  rate_limit: {kind: sliding, limit: 4, window_ms: 60000}\n',
    );
    try {
      const r = await runCli(
        [
          'probe',
          '--base-url',
          mock.url,
          '--model',
          'm',
          '--requests',
          '10',
          '--warmup',
          '0',
          '--format',
          'json',
        ],
        { env: { AI_ROUTE_API_KEY: 'k' } },
      );
      const t = JSON.parse(r.stdout).targets[0];
      expect(t.counts.ok).toBe(4);
      expect(t.errors.rate_limited).toBe(6);
    } finally {
      await mock.close();
    }
  });
});
