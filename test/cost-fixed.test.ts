import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/run.js';

// Dedicated capacity as it is sold: a monthly fee and a minimum commitment on top of per-token
// rates.
const dir = mkdtempSync(join(tmpdir(), 'ai-route-fixed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const pro = (fee: string, commitment: string) => {
  const path = join(dir, `pro-${fee}-${commitment}.yaml`);
  writeFileSync(
    path,
    'schema: ai-route/pricing@1\nmodels:\n  Pro/deepseek-ai/DeepSeek-V3.2:\n ' +
      '   provider: global-api\n    prices:\n' +
      (`      - {effective_from: 2026-01-01, source: "our quote", output: "0.10", ` +
        `monthly_fee: "${fee}", minimum_commitment: "${commitment}"}\n`),
  );
  return path;
};
const args = (pricing: string) => [
  'cost',
  '--pricing',
  pricing,
  '--model',
  'Pro/deepseek-ai/DeepSeek-V3.2',
  '--model',
  'deepseek-v4-flash',
  '--volume',
  '1B',
  '--volume',
  '20B',
];

describe('cost with monthly fees and commitments', () => {
  it(
    'adds the fee and the commitment top-up to the month, and shows where pay-as-you-go ' +
      'stops being cheaper',
    async () => {
      const r = await runCli(args(pro('2000', '500')));
      expect(r.code, r.stderr).toBe(0);
      // 1B: $100 of usage topped up to $500, plus $2,000; 20B: $2,000 of usage plus $2,000
      expect(r.stdout).toMatch(
        /│ Pro\/deepseek-ai\/DeepSeek-V3\.2 │ +\$2,500\.00 │ +\$4,000\.00 │/,
      );
      expect(r.stdout).toContain(
        'Pro/deepseek-ai/DeepSeek-V3.2: output $0.10, monthly fee $2,000.00, minimum ' +
          'commitment $500.00 a month (source: our quote',
      );
      expect(r.stdout).toContain(
        'Break-even at 13,333,333,334 tokens a month: below it DeepSeek V4 Flash ' +
          'costs less; from it Pro/deepseek-ai/DeepSeek-V3.2 costs less.',
      );
      const explain = await runCli([...args(pro('2000', '500')), '--explain']);
      expect(explain.stdout).toContain(
        'Pro/deepseek-ai/DeepSeek-V3.2 usage $100.00 is under its $500.00 monthly ' +
          'commitment: topped up by $400.00',
      );
      const json = JSON.parse(
        (await runCli([...args(pro('2000', '500')), '--format', 'json', '--explain'])).stdout,
      );
      expect(json.rows[0].fixed_charges.map((f: any) => [f.kind, f.amount])).toEqual([
        ['monthly_fee', '2000'],
        ['commitment_top_up', '400'],
      ]);
      expect(json.break_even).toContainEqual({
        a: 'Pro/deepseek-ai/DeepSeek-V3.2',
        b: 'deepseek-ai/DeepSeek-V4-Flash',
        crossings: [
          { from_tokens: 0, cheaper: 'deepseek-ai/DeepSeek-V4-Flash' },
          { from_tokens: 13333333334, cheaper: 'Pro/deepseek-ai/DeepSeek-V3.2' },
        ],
      });
    },
  );

  it('pricing diff counts a new or higher monthly fee as an increase', async () => {
    const r = await runCli([
      'pricing',
      'diff',
      pro('2000', '500'),
      pro('2500', '500'),
      '--fail-on-increase',
      '10',
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      'ai-route: price increase over 10%: Pro/deepseek-ai/DeepSeek-V3.2 monthly_fee ' +
        '$2000 -> $2500 a month (+25.0%)',
    );
  });

  it('refuses a negative or non-decimal fee at its place in the file', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      'schema: ai-route/pricing@1\nmodels:\n  x:\n    provider: p\n    prices:\n ' +
        '     - {effective_from: 2026-01-01, source: s, output: "1", monthly_fee: "-5"}\n',
    );
    const r = await runCli(['cost', '--pricing', bad, '--model', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /bad\.yaml:6:\d+: models\.x\.prices\[0\]\.monthly_fee: expected a non-negative decimal string/,
    );
  });
});
