import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { IssueList } from '../src/schema/issues.js';
import { validatePricing } from '../src/schema/pricing.js';
import { validateScenario } from '../src/schema/scenario.js';
import { ROOT } from './helpers/run.js';

const read = (rel: string) => parse(readFileSync(join(ROOT, rel), 'utf8'));

describe('shipped data', () => {
  it('validates every pricing and scenario file', () => {
    for (const [dir, validate] of [
      ['pricing', validatePricing],
      ['scenarios', validateScenario],
    ] as const) {
      for (const name of readdirSync(join(ROOT, dir))) {
        const issues = new IssueList();
        validate(read(`${dir}/${name}`), name, issues);
        expect(issues.items, `${dir}/${name}`).toEqual([]);
      }
    }
  });

  it('carries exactly the prices of facts.md (R1 beside K2.5), output only, as strings', () => {
    const models = {
      ...read('pricing/global-api.yaml').models,
      ...read('pricing/openai.yaml').models,
    };
    const prices = Object.fromEntries(
      Object.entries<any>(models).map(([id, m]) => [
        id,
        m.prices.map((p: any) => {
          const { effective_from, source, ...rates } = p;
          expect(typeof source).toBe('string');
          expect(effective_from).toMatch(/^\d{4}-\d{2}-\d{2}$/);
          return rates;
        }),
      ]),
    );
    expect(prices).toEqual({
      'deepseek-ai/DeepSeek-V4-Flash': [{ output: '0.25' }],
      'Qwen/Qwen3-32B': [{ output: '0.28' }],
      'moonshotai/Kimi-K2.5': [{ output: '2.50' }],
      // "Kimi K2.5 (or DeepSeek R1) at $2.50/M output": the article prices R1 with K2.5
      'deepseek-ai/DeepSeek-R1': [{ output: '2.50' }],
      'gpt-4o': [{ output: '10.00' }],
    });
  });

  it('gives no price to the enterprise model the article names without one', () => {
    const all = readdirSync(join(ROOT, 'pricing'))
      .map((f) => readFileSync(join(ROOT, 'pricing', f), 'utf8'))
      .join('\n');
    expect(all).not.toContain('Pro/deepseek-ai/DeepSeek-V3.2');
  });
});
