import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  type OptionCost,
  type OptionSetup,
  decide,
  errorBudgetMinutes,
} from '../../src/core/decide.js';
import { checkCapability, routesOf, setupAvailability } from '../../src/core/setup-check.js';
import type { Channel, DecisionInputs, Matrix } from '../../src/domain/matrix.js';
import type { Scenario } from '../../src/domain/scenario.js';
import { Dec } from '../../src/units/decimal.js';
import { IssueList } from '../../src/schema/issues.js';
import { validateMatrix } from '../../src/schema/matrix.js';
import { validateScenario } from '../../src/schema/scenario.js';
import { ROOT } from '../helpers/run.js';

function loadMatrix(): Matrix {
  const issues = new IssueList();
  const matrix = validateMatrix(
    parse(readFileSync(join(ROOT, 'matrix/decision-matrix.yaml'), 'utf8')),
    issues,
  );
  expect(issues.items).toEqual([]);
  return matrix;
}
function scenarioFrom(text: string, file = 'test.yaml'): Scenario {
  const issues = new IssueList();
  const s = validateScenario(parse(text), file, issues);
  expect(issues.items).toEqual([]);
  return s!;
}
const shipped = (name: string) =>
  scenarioFrom(
    readFileSync(join(ROOT, 'scenarios', `${name}.yaml`), 'utf8'),
    `scenarios/${name}.yaml`,
  );
const matrix = loadMatrix();
const SCENARIOS = Object.fromEntries(matrix.options.map((o) => [o.id, shipped(o.scenario)]));
const priced = (cost: string): OptionCost => ({
  priced: true,
  cost: Dec(cost),
  baseline_cost: Dec('5000'),
});
const unpriced: OptionCost = {
  priced: false,
  missing: [{ model: 'Pro/deepseek-ai/DeepSeek-V3.2', reason: 'not_in_catalog' }],
};
const COSTS: Record<string, OptionCost> = {
  direct: priced('500'),
  standard: priced('183.5'),
  pro: unpriced,
  gateway: priced('183.5'),
};

function setups(
  costs: Record<string, OptionCost> = COSTS,
  m: Matrix = matrix,
): Record<string, OptionSetup> {
  return Object.fromEntries(
    m.options.map((o) => [
      o.id,
      { cost: costs[o.id]!, routes: routesOf(SCENARIOS[o.id] ?? shipped(o.scenario), m.channels) },
    ]),
  );
}

function inputs(
  preset: 'startup' | 'enterprise',
  overrides: Partial<DecisionInputs> & { answers?: Record<string, string> } = {},
): DecisionInputs {
  const p = matrix.presets[preset]!;
  return {
    answers: { ...p.answers, ...overrides.answers },
    importance: { ...p.weights, ...overrides.importance },
    volume: overrides.volume ?? p.volume,
    monthly_budget: 'monthly_budget' in overrides ? overrides.monthly_budget : p.monthly_budget,
    seed: overrides.seed ?? 1,
  };
}

describe('decide: table of cases over the four setups', () => {
  it.each([
    ['startup preset', inputs('startup'), false, { winner: 'standard', out: ['pro'] }],
    [
      'enterprise preset',
      inputs('enterprise'),
      false,
      {
        winner: 'pro',
        out: [
          'direct',
          'standard',
          'gateway',
          'direct',
          'standard',
          'gateway',
          'direct',
          'gateway',
        ],
      },
    ],
    [
      'startup needing an SLA in writing',
      inputs('startup', { answers: { sla: 'in_writing' } }),
      false,
      { winner: undefined, out: ['direct', 'standard', 'gateway', 'pro'] },
    ],
    [
      'the same, with --allow-unverified',
      inputs('startup', { answers: { sla: 'in_writing' } }),
      true,
      { winner: 'pro', out: ['standard', 'gateway'] },
    ],
    [
      'startup needing a DPA, no ceiling',
      inputs('startup', { answers: { security: 'compliance' }, monthly_budget: undefined }),
      false,
      { winner: 'pro', out: ['direct', 'standard', 'gateway'] },
    ],
    [
      'startup billed by invoice',
      inputs('startup', { answers: { billing: 'invoice' } }),
      false,
      { winner: 'standard', out: ['direct', 'gateway', 'pro'] },
    ],
    [
      'startup under a $100 ceiling',
      inputs('startup', { monthly_budget: Dec('100') }),
      false,
      { winner: undefined, out: ['direct', 'standard', 'pro', 'gateway'] },
    ],
  ])('%s', (_name, given, allow, expected) => {
    const d = decide(matrix, given, setups(), allow);
    expect(d.winner?.id).toBe(expected.winner);
    expect(d.exclusions.map((e) => e.option)).toEqual(expected.out);
  });

  it(
    'an option whose cost is unknown never passes a ceiling, and says what price is ' + 'missing',
    () => {
      const d = decide(matrix, inputs('startup', { monthly_budget: Dec('100000') }), setups());
      expect(d.exclusions).toContainEqual({
        option: 'pro',
        reason: { kind: 'unpriced', limit: Dec('100000'), missing: unpriced.missing },
      });
      const budget = d.checks.find((c) => c.kind === 'budget')!;
      expect(
        budget.kind === 'budget' && budget.results.find((r) => r.option === 'pro'),
      ).toMatchObject({ status: 'unverifiable', passes: false });
      // allowed, it passes and is listed as unverified
      const allowed = decide(
        matrix,
        inputs('startup', { monthly_budget: Dec('100000') }),
        setups(),
        true,
      );
      expect(allowed.unverified).toContainEqual({
        option: 'pro',
        kind: 'budget',
        limit: Dec('100000'),
        missing: unpriced.missing,
      });
    },
  );

  it('normalises weights and scores each factor, every step visible', () => {
    const d = decide(matrix, inputs('startup'), setups());
    expect(d.rows.reduce((s, r) => s + r.weight, 0)).toBeCloseTo(1, 12);
    expect(d.rows.map((r) => [r.factor.id, r.weight])).toEqual([
      ['budget_band', 0.25],
      ['model_variety', 0.2],
      ['integration_speed', 0.2],
      ['support', 0.1],
      ['sla', 0.1],
      ['security', 0.1],
      ['billing', 0.05],
    ]);
    // 0.25*10 + 0.2*10 + 0.2*10 + 0.1*9 + 0.1*9 + 0.1*9 + 0.05*9
    expect(d.totals.standard).toBeCloseTo(9.65, 12);
    expect(d.totals.gateway).toBeCloseTo(
      0.25 * 8 + 0.2 * 10 + 0.2 * 5 + 0.1 * 6 + 0.1 * 9 + 0.1 * 8 + 0.05 * 7,
      12,
    );
    expect(d.margin).toBeCloseTo(d.totals.standard! - d.totals.gateway!, 12);
    expect(d.fragile).toBe(false);
  });

  it('is deterministic: the same inputs and seed give the same decision', () => {
    expect(decide(matrix, inputs('startup', { seed: 9 }), setups())).toEqual(
      decide(matrix, inputs('startup', { seed: 9 }), setups()),
    );
  });

  it('flags a thin margin as fragile', () => {
    const d = decide(
      matrix,
      inputs('startup', {
        answers: { budget_band: 'high', model_variety: 'stability', support: 'paging' },
        importance: {
          budget_band: 0,
          model_variety: 2,
          integration_speed: 0,
          support: 0,
          sla: 2,
          security: 2,
          billing: 1,
        },
        monthly_budget: undefined,
      }),
      setups(),
    );
    expect(d.margin_pct!).toBeLessThan(5);
    expect(d.fragile).toBe(true);
    expect(d.fragile_reasons[0]).toMatchObject({ kind: 'thin_margin', limit_pct: 5 });
  });

  it('computes the error budget of an uptime exactly', () => {
    const b = errorBudgetMinutes(Dec('99.9'));
    expect([b.month_730h.toFixed(), b.month_30d.toFixed()]).toEqual(['43.8', '43.2']);
    expect(errorBudgetMinutes(Dec('99.5')).month_730h.toFixed()).toBe('219');
  });
});

describe('coherence: every tier and fallback against the requirements that chose the setup', () => {
  // the enterprise setup as it shipped before: Pro by default, shared-pool tiers as fallbacks
  const mixed = scenarioFrom(`schema: ai-route/scenario@1
name: pro-with-shared-fallbacks
endpoint: {base_url: https://global-apis.com/v1}
setup:
  label: Pro default, shared fallbacks
  tiers:
    default: {model: Pro/deepseek-ai/DeepSeek-V3.2, share: "0.80", fallback: [fallback]}
    fallback: {model: deepseek-ai/DeepSeek-V4-Flash, share: "0.15", fallback: [default]}
    premium: {model: moonshotai/Kimi-K2.5, share: "0.05", fallback: [fallback, default]}
baseline: {model: gpt-4o}
stages: [{name: s, volume: 5B}]
`);
  const pro = matrix.options.find((o) => o.id === 'pro')!;

  it('lists each route that breaks a DPA requirement, and excludes the option', () => {
    const r = checkCapability(pro, routesOf(mixed, matrix.channels), 'dpa', false);
    expect(r.status).toBe('conflict');
    expect(r.passes).toBe(false);
    expect(r.breaking.map((b) => [b.route.tier, b.route.via ?? '', b.route.model])).toEqual([
      ['default', 'fallback', 'deepseek-ai/DeepSeek-V4-Flash'],
      ['fallback', '', 'deepseek-ai/DeepSeek-V4-Flash'],
      ['premium', '', 'moonshotai/Kimi-K2.5'],
      ['premium', 'fallback', 'deepseek-ai/DeepSeek-V4-Flash'],
    ]);
    const d = decide(matrix, inputs('enterprise'), {
      ...setups(),
      pro: { cost: unpriced, routes: routesOf(mixed, matrix.channels) },
    });
    expect(d.winner).toBeUndefined();
    expect(d.exclusions.filter((e) => e.option === 'pro').map((e) => e.reason.kind)).toEqual([
      'conflict',
      'conflict',
    ]);
    expect(d.conflicts.filter((c) => c.option === 'pro' && c.capability === 'dpa')).toHaveLength(4);
  });

  it(
    'passes only when the option accepts every breaking route as an exception, ' +
      'and records each',
    () => {
      const routes = routesOf(mixed, matrix.channels);
      const breaking = checkCapability(pro, routes, 'sla_in_writing', false).breaking;
      const accepting = {
        ...pro,
        accepts: breaking.map((b) => ({
          capability: 'sla_in_writing',
          tier: b.route.tier,
          via: b.route.via,
          why: 'failover only',
        })),
      };
      expect(checkCapability(accepting, routes, 'sla_in_writing', false)).toMatchObject({
        status: 'conflict',
        passes: true,
      });
      const oneShort = { ...accepting, accepts: accepting.accepts.slice(1) };
      expect(checkCapability(oneShort, routes, 'sla_in_writing', false).passes).toBe(false);
    },
  );

  it('the shipped Pro setup is coherent: every route on Pro', () => {
    for (const capability of Object.keys(matrix.capabilities))
      expect(
        checkCapability(pro, routesOf(SCENARIOS.pro!, matrix.channels), capability, false).status,
      ).toBe('met');
  });
});

describe('availability from the chains', () => {
  it('tiers of one provider do not combine; an independent provider in the chain does', () => {
    const standard = setupAvailability(
      SCENARIOS.standard!,
      routesOf(SCENARIOS.standard!, matrix.channels),
      [],
    );
    expect(standard).toMatchObject({
      basis: 'published',
      one_provider: true,
      providers: ['global-api'],
    });
    expect(standard.value!.toFixed()).toBe('99.9');
    // with a figure for OpenAI, the gateway's chains combine two providers: 1 - 0.001 x 0.005
    const channels: Channel[] = matrix.channels.map((c) =>
      c.id === 'openai_direct'
        ? { ...c, uptime: { value: Dec('99.5'), basis: 'published', source: 'test' } }
        : c,
    );
    const gateway = setupAvailability(
      SCENARIOS.gateway!,
      routesOf(SCENARIOS.gateway!, channels),
      [],
    );
    expect(gateway.value!.toFixed()).toBe('99.9995');
    expect(gateway.basis).toBe('computed');
  });

  it(
    'says how much is known when a figure is missing, and that a component it ' +
      'runs through is not counted',
    () => {
      const gatewayOption = matrix.options.find((o) => o.id === 'gateway')!;
      const a = setupAvailability(
        SCENARIOS.gateway!,
        routesOf(SCENARIOS.gateway!, matrix.channels),
        gatewayOption.components,
      );
      expect(a.value).toBeUndefined();
      expect(a.at_least!.toFixed()).toBe('99.9');
      expect(a.unknown_components).toEqual(['the self-hosted gateway (LiteLLM or Portkey)']);
      expect(
        setupAvailability(SCENARIOS.direct!, routesOf(SCENARIOS.direct!, matrix.channels), []),
      ).toMatchObject({ value: undefined, at_least: undefined, basis: 'unknown' });
    },
  );
});

describe('decide: properties', () => {
  const answerOf = (f: Matrix['factors'][number]) => fc.constantFrom(...f.answers.map((a) => a.id));
  const fact = fc.constantFrom(true, false, undefined);
  const anyChannels = fc
    .array(fc.record({ sla_in_writing: fact, dpa: fact, invoice_billing: fact }), {
      minLength: 3,
      maxLength: 3,
    })
    .map((facts) =>
      matrix.channels.map((c, i) => ({
        ...c,
        provides: Object.fromEntries(
          Object.entries(facts[i]!).map(([k, v]) => [k, { value: v, source: 'generated' }]),
        ),
      })),
    );
  const anyCost = fc.oneof(
    fc.constant(unpriced),
    fc.integer({ min: 0, max: 100_000 }).map((n) => priced(String(n))),
  );
  const anyCase = fc.record({
    answers: fc.record(Object.fromEntries(matrix.factors.map((f) => [f.id, answerOf(f)]))),
    importance: fc.record(
      Object.fromEntries(matrix.factors.map((f) => [f.id, fc.integer({ min: 0, max: 5 })])),
    ),
    ceiling: fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: undefined }),
    channels: anyChannels,
    costs: fc.record(Object.fromEntries(matrix.options.map((o) => [o.id, anyCost]))),
    allow: fc.boolean(),
  });

  it(
    'the recommendation never breaks a hard requirement it was checked against, ' +
      'and an unpriced option never passes a ceiling',
    () => {
      fc.assert(
        fc.property(anyCase, ({ answers, importance, ceiling, channels, costs, allow }) => {
          const m: Matrix = { ...matrix, channels };
          const d = decide(
            m,
            {
              answers,
              importance,
              volume: 1_000_000,
              monthly_budget: ceiling === undefined ? undefined : Dec(String(ceiling)),
              seed: 1,
            },
            setups(costs, m),
            allow,
          );
          for (const check of d.checks) {
            for (const r of check.results) {
              if (check.kind === 'budget' && r.status === 'unverifiable' && !allow)
                expect(r.passes).toBe(false);
              if (r.option !== d.winner?.id) continue;
              expect(r.passes).toBe(true);
              if (check.kind === 'capability' && 'breaking' in r) {
                // every route that breaks it is an accepted exception; an unknown one only when
                // allowed
                for (const b of r.breaking) expect(b.accepted).toBeDefined();
                if (!allow) expect(r.unknown).toEqual([]);
              }
              if (check.kind === 'budget' && r.status === 'met')
                expect(r.projected.lte(check.limit)).toBe(true);
              if (check.kind === 'budget') expect(r.status === 'over').toBe(false);
            }
          }
          if (d.winner !== undefined)
            expect(d.exclusions.some((e) => e.option === d.winner!.id)).toBe(false);
        }),
        { numRuns: 400 },
      );
    },
  );

  it('names the option that takes over, which need not be the runner-up', () => {
    // only billing weighs: standard 9 leads direct and pro (8 each); documentation is where Pro
    // overtakes first
    const answers = { ...matrix.presets.startup!.answers, integration_speed: 'documented' };
    const importance = {
      budget_band: 0,
      model_variety: 0,
      integration_speed: 0,
      support: 0,
      sla: 0,
      security: 0,
      billing: 1,
    };
    const d = decide(
      matrix,
      { answers, importance, volume: 1_000_000, monthly_budget: undefined, seed: 0 },
      setups(),
    );
    expect([d.winner?.id, d.runner_up?.id]).toEqual(['standard', 'direct']);
    expect(d.sensitivity.flips.find((f) => f.factor === 'integration_speed')).toMatchObject({
      change: 0.5,
      to: 0.5,
      winner: 'pro',
    });
  });

  it(
    'the smallest reported weight change really flips the winner, and nothing smaller ' + 'does',
    () => {
      const soft = (f: Matrix['factors'][number]) =>
        fc.constantFrom(...f.answers.filter((a) => a.requires === undefined).map((a) => a.id));
      const anyInputs = fc.record({
        answers: fc.record(Object.fromEntries(matrix.factors.map((f) => [f.id, soft(f)]))),
        importance: fc.record(
          Object.fromEntries(matrix.factors.map((f) => [f.id, fc.integer({ min: 0, max: 5 })])),
        ),
        seed: fc.integer({ min: 0, max: 1000 }),
      });
      fc.assert(
        fc.property(anyInputs, ({ answers, importance, seed }) => {
          fc.pre(Object.values(importance).some((v) => v > 0));
          const base = { answers, importance, volume: 1_000_000, monthly_budget: undefined, seed };
          const d = decide(matrix, base, setups());
          fc.pre(d.runner_up !== undefined && d.margin! > 1e-9);
          for (const flip of d.sensitivity.flips) {
            const past = decide(
              matrix,
              {
                ...base,
                importance: {
                  ...importance,
                  [flip.factor]: flip.to + Math.sign(flip.change) * 1e-6,
                },
              },
              setups(),
            );
            expect(past.winner?.id, `${flip.factor} to ${flip.to}`).not.toBe(d.winner!.id);
            const short = decide(
              matrix,
              {
                ...base,
                importance: {
                  ...importance,
                  [flip.factor]: flip.to - Math.sign(flip.change) * 1e-6,
                },
              },
              setups(),
            );
            expect(short.winner?.id).toBe(d.winner!.id);
          }
          expect(d.sensitivity.win_rate).toBeGreaterThanOrEqual(0);
          expect(d.sensitivity.win_rate).toBeLessThanOrEqual(1);
        }),
        { numRuns: 100 },
      );
    },
  );
});

describe('the matrix file', () => {
  it('is the seven factors of the article, each answer scored for each of the four setups', () => {
    expect(matrix.factors.map((f) => f.label)).toEqual([
      'Budget band',
      'Model variety',
      'Integration speed',
      'Support',
      'SLA',
      'Security',
      'Billing',
    ]);
    expect(matrix.options.map((o) => o.id)).toEqual(['direct', 'standard', 'pro', 'gateway']);
    for (const f of matrix.factors)
      for (const a of f.answers)
        for (const o of matrix.options)
          expect(f.scores[a.id]![o.id]!.reason.length).toBeGreaterThan(3);
    for (const c of matrix.channels)
      for (const fact of Object.values(c.provides)) expect(fact.source.length).toBeGreaterThan(10);
  });

  it('reports every problem of a broken matrix', () => {
    const doc = parse(readFileSync(join(ROOT, 'matrix/decision-matrix.yaml'), 'utf8'));
    doc.factors[0].scores.low.pro = [11, 'too high'];
    delete doc.factors[1].scores.stability;
    doc.factors[4].answers[1].requires = 'teleportation';
    doc.presets.startup.answers.sla = 'sometimes';
    delete doc.channels.openai_direct.provides.dpa;
    doc.channels.global_api_pro.uptime.value = null;
    const issues = new IssueList();
    validateMatrix(doc, issues);
    expect(issues.items.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'channels.global_api_pro.uptime.value: a in_writing uptime needs its value, such as "99.9"',
      'channels.openai_direct.provides: does not say whether it provides "dpa" ' +
        '(write value: null when the data cannot tell)',
      'factors.0.scores.low.pro: expected [score from 0 to 10, "the reason"]',
      'factors.1.scores.stability: expected scores for answer "stability", got nothing',
      'factors.4.answers.1.requires: no capability "teleportation": declare it ' +
        'under capabilities and say on every channel whether it provides it',
      'presets.startup.answers.sla: expected one of best_effort, in_writing',
    ]);
  });
});
