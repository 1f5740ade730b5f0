import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { printable } from '../../src/render/format.js';
import { runCli } from '../helpers/run.js';

// Text from data files reaches people's terminals, markdown renderers and XML parsers: escape
// sequences (screen clears, OSC title changes), bells and bidi overrides are shown, not obeyed.
const dir = mkdtempSync(join(tmpdir(), 'ai-route-escaping-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// every character a terminal or a reader would obey rather than show
// eslint-disable-next-line no-control-regex
const OBEYED = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const catalog = join(dir, 'evil.yaml');
writeFileSync(
  catalog,
  [
    'schema: ai-route/pricing@1',
    'currency: USD',
    'unit: usd_per_1m_tokens',
    'description: "evil \\e[2J\\a catalog \\u202Ereversed"',
    'models:',
    '  evil-model:',
    '    provider: "prov\\e[31m"',
    '    display_name: "Evil \\e]0;title\\a \\u202Eabc \\x9b"',
    '    prices:',
    '      - effective_from: 2026-01-01',
    '        source: "src \\e[5m blink \\u2066iso\\r\\x7f"',
    '        output: "1"',
  ].join('\n'),
);

describe('control characters from data files are shown escaped', () => {
  for (const [name, argv] of [
    ['pricing list (table)', ['pricing', 'list', '--pricing', catalog, '--model', 'evil-model']],
    [
      'pricing list (markdown)',
      ['pricing', 'list', '--pricing', catalog, '--model', 'evil-model', '--format', 'markdown'],
    ],
    ['cost (table)', ['cost', '--pricing', catalog, '--model', 'evil-model', '--volume', '1M']],
    [
      'cost (markdown)',
      [
        'cost',
        '--pricing',
        catalog,
        '--model',
        'evil-model',
        '--volume',
        '1M',
        '--format',
        'markdown',
      ],
    ],
    [
      'cost --explain',
      ['cost', '--pricing', catalog, '--model', 'evil-model', '--volume', '1M', '--explain'],
    ],
  ] as const) {
    it(name, async () => {
      const r = await runCli([...argv]);
      expect(r.code).toBe(0);
      expect(r.stdout).not.toMatch(OBEYED);
      expect(r.stderr).not.toMatch(OBEYED);
      expect(r.stdout).toContain('\\u001b[');
    });
  }

  it('a coloured terminal keeps its own colours and escapes only the data', async () => {
    const r = await runCli(['pricing', 'list', '--pricing', catalog, '--model', 'evil-model'], {
      stdoutIsTTY: true,
      env: { FORCE_COLOR: '1' },
    });
    expect(r.stdout).toContain('prov\\u001b[31m');
    // eslint-disable-next-line no-control-regex -- our own colour codes are what this strips
    expect(r.stdout.replace(/\u001b\[[0-9;]*m/g, '')).not.toMatch(OBEYED);
  });

  it(
    'printable: any text comes out with nothing obeyed and line feeds kept, ' +
      'and plain text unchanged',
    () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
          const shown = printable(text);
          expect(shown).not.toMatch(OBEYED);
          expect(shown.split('\n').length).toBe(text.split('\n').length);
          if (!OBEYED.test(text)) expect(shown).toBe(text);
        }),
      );
    },
  );

  it('JUnit XML stays well-formed with any model name', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }),
        async (model) => {
          const r = await runCli([
            'probe',
            '--mock',
            '--model',
            model,
            '--requests',
            '1',
            '--warmup',
            '0',
            '--format',
            'junit',
            '--assert',
            'error_rate<1%',
          ]);
          if (r.code === 2) return; // a name the flag refuses is a usage error, which is fine
          expect(r.code).toBe(0);
          expect(XMLValidator.validate(r.stdout)).toBe(true);
          expect(r.stdout).toContain('<testcase classname="ai-route.probe.');
          expect(r.stdout).not.toMatch(OBEYED);
        },
      ),
      { numRuns: 12 },
    );
  });
});
