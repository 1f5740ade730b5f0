import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { runCli } from '../helpers/run.js';
import { BEHAVIOURS, HOSTILE_KEY, type HostileEndpoint, startHostileEndpoint } from './endpoint.js';

// The hostile endpoint driven through every output of `probe`: the key must appear nowhere, in
// any form, and every behaviour must be a measured outcome (exit 0 or 3, never 1).
const dir = mkdtempSync(join(tmpdir(), 'ai-route-hostile-'));
let endpoint: HostileEndpoint;
beforeAll(async () => {
  endpoint = await startHostileEndpoint();
});
afterAll(async () => {
  await endpoint.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every form of the key a leak could take: raw, URL-encoded, either half, the secret middle. */
const KEY_FORMS = [
  HOSTILE_KEY,
  encodeURIComponent(HOSTILE_KEY),
  HOSTILE_KEY.slice(0, 18),
  HOSTILE_KEY.slice(11),
  HOSTILE_KEY.slice(8, 24),
];

function expectNoKey(where: string, text: string): void {
  for (const form of KEY_FORMS)
    expect(text.includes(form), `${where} holds the key as ${form}`).toBe(false);
}

const n = BEHAVIOURS.length;
const base = () => [
  'probe',
  '--base-url',
  endpoint.url,
  '--model',
  'm',
  '--requests',
  String(n),
  '--warmup',
  '0',
  '--concurrency',
  '1',
  // the endless body must meet it; a 10 MB body must not, even on a machine busy enough to take
  // seconds over it (2.5 s did not hold beside CI and two CPU burners)
  '--timeout',
  '6s',
  '--idle-timeout',
  '2500ms',
];

describe('a hostile endpoint through every format', () => {
  for (const format of ['table', 'json', 'markdown', 'junit'] as const) {
    it(
      `${format}: each behaviour is measured, the key appears nowhere (stdout, ` +
        `stderr, --out, --samples, job summary, annotations)`,
      async () => {
        const out = join(dir, `report-${format}`);
        const samples = join(dir, `samples-${format}.ndjson`);
        const summary = join(dir, `summary-${format}.md`);
        const before = endpoint.requests;
        const r = await runCli(
          [
            ...base(),
            '--format',
            format,
            '--out',
            out,
            '--samples',
            samples,
            '--assert',
            'error_rate<1%',
            '--debug',
          ],
          {
            env: {
              AI_ROUTE_API_KEY: HOSTILE_KEY,
              GITHUB_STEP_SUMMARY: summary,
              GITHUB_ACTIONS: 'true',
            },
          },
        );
        expect(endpoint.requests - before).toBe(n);
        // the key really went out
        expect(endpoint.authorizations).toContain(`Bearer ${HOSTILE_KEY}`);
        expect(r.code).toBe(3); // the gate fails; nothing crashed
        expect(r.stderr).toContain('::error title=');
        const report = readFileSync(out, 'utf8');
        const sampleText = readFileSync(samples, 'utf8');
        expect(existsSync(summary)).toBe(true);
        for (const [where, text] of [
          ['stdout', r.stdout],
          ['stderr', r.stderr],
          ['--out', report],
          ['--samples', sampleText],
          ['job summary', readFileSync(summary, 'utf8')],
        ] as const)
          expectNoKey(where, text);
        // echoes came back and were removed, not missed
        expect(sampleText + r.stderr).toContain('[redacted]');
        // one sample per behaviour, each classified
        const lines = sampleText
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l));
        expect(lines).toHaveLength(n);
        expect(lines.map((s) => s.error_class)).toEqual(BEHAVIOURS.map(([, outcome]) => outcome));
        // no raw escape sequence reaches any output; bidi overrides are escaped where people read
        // (JSON keeps the data, \u escapes aside)
        for (const text of [r.stdout, r.stderr, report, sampleText])
          // eslint-disable-next-line no-control-regex
          expect(text).not.toMatch(/[\u0000\u0007\u001b]/);
        for (const text of format === 'json' ? [r.stderr] : [r.stdout, r.stderr, report])
          expect(text).not.toContain('\u202e');
        if (format === 'junit') expect(XMLValidator.validate(report)).toBe(true);
      },
    );
  }

  it(
    'json: error events are provider_error with the message, null and empty ' +
      'chunks are malformed, big bodies are capped',
    async () => {
      const samples = join(dir, 'samples-classes.ndjson');
      const r = await runCli([...base(), '--format', 'json', '--samples', samples], {
        env: { AI_ROUTE_API_KEY: HOSTILE_KEY },
      });
      expect(r.code).toBe(0); // one request succeeded and no gate was set
      const body = JSON.parse(r.stdout);
      const errors = body.targets[0].errors;
      expect(errors.provider_error).toBeGreaterThanOrEqual(1);
      // data: null, choices [null]; a cut or empty stream is truncated
      expect(errors.malformed).toBe(2);
      const lines = readFileSync(samples, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      const byIndex = (name: string) => lines[BEHAVIOURS.findIndex(([label]) => label === name)];
      expect(byIndex('an SSE error event echoing the key')).toMatchObject({
        error_class: 'provider_error',
        error: expect.stringContaining('quota exceeded for [redacted]'),
      });
      expect(byIndex('data: null')).toMatchObject({ error_class: 'malformed' });
      expect(byIndex('choices: [null]')).toMatchObject({ error_class: 'malformed' });
      expect(byIndex('x-request-id echoing the key')).toMatchObject({
        error_class: null,
        x_request_id: 'req-[redacted]',
      });
      // a 10 MB body lands in a sample clipped, never whole
      for (const s of lines) expect(JSON.stringify(s).length).toBeLessThan(4000);
      expect(byIndex('an endless error body').error).toBe('the whole request passed 6000 ms');
    },
  );

  it(
    'the key in the base URL: its query (and, refused, its userinfo) is removed ' +
      'from every output',
    async () => {
      const url = new URL(endpoint.url);
      const login = await runCli(
        [
          'probe',
          '--base-url',
          `http://user:${encodeURIComponent(HOSTILE_KEY)}@${url.host}/v1`,
          '--model',
          'm',
        ],
        { env: {} },
      );
      expect(login.code).toBe(2);
      expectNoKey('a refused login', login.stdout + login.stderr);
      const keyed = `${endpoint.url}?api-key=${encodeURIComponent(HOSTILE_KEY)}`;
      const outputs: string[] = [];
      for (const format of ['table', 'json', 'markdown', 'junit'] as const) {
        const r = await runCli(
          [
            'probe',
            '--base-url',
            keyed,
            '--model',
            'm',
            '--requests',
            '2',
            '--warmup',
            '0',
            '--timeout',
            '3s',
            '--format',
            format,
          ],
          {
            env: { AI_ROUTE_API_KEY: 'sk-other-0000000000' },
          },
        );
        expect([0, 3]).toContain(r.code);
        outputs.push(r.stdout, r.stderr);
      }
      expectNoKey('outputs', outputs.join('\n'));
    },
  );

  it('JUnit stays well-formed XML whatever the provider says', async () => {
    const r = await runCli([...base(), '--format', 'junit', '--assert', 'error_rate<1%'], {
      env: { AI_ROUTE_API_KEY: HOSTILE_KEY },
    });
    expect(r.code).toBe(3);
    expect(XMLValidator.validate(r.stdout)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false }).parse(r.stdout);
    expect(doc.testsuites).toBeDefined();
  });
});
