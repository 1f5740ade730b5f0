import { MAX_MONTHS } from '../domain/scenario.js';
import { COST_RENDERERS } from '../render/cost/index.js';
import { formatsOf } from '../render/registry.js';
import { USD_SPEC } from '../units/money.js';
import { GROWTH_SPEC, SHARE_SPEC } from '../units/percent.js';
import { countSpec } from '../units/spec.js';
import { VOLUME_SPEC } from '../units/volume.js';
import {
  DEBUG_OPTION,
  worded,
  defineCommand,
  conflicts,
  type OptionsOf,
  SHARED,
  defineOptions,
  repeatable,
  unit,
} from './options.js';

/** The cost command's flags, help and parsers, in help order; CostOptions is inferred from it. */
export const COST_OPTIONS = defineOptions({
  volume: {
    flags: '--volume <tokens>',
    description:
      'price this monthly volume instead of the scenario stages (5M, 1.5k, 2.5e9, ' +
      '500_000_000, 500,000,000); repeatable',
    parse: repeatable(unit(VOLUME_SPEC)),
    default: [] as number[],
  },
  scenario: { ...SHARED.scenario('the setup and its growth stages'), defaultText: 'growth-stages' },
  usage: {
    flags: '--usage <file>',
    description:
      'project from the usage in this file (usage fit in one step: provider usage pages, ' +
      'OTLP traces, LiteLLM spend logs, the daily CSV), with P10/P50/P90 from the fitted ' +
      "growth's 80% interval; repeatable",
    parse: repeatable((v: string) => v),
    default: [] as string[],
  },
  pricing: SHARED.pricing,
  allowImplausible: SHARED.allowImplausible,
  model: {
    flags: '--model <id>',
    description:
      "price this model taking all traffic, instead of the scenario's setup; exact " +
      'id or alias; repeatable',
    parse: repeatable((v: string) => v),
    default: [] as string[],
  },
  inputShare: {
    flags: '--input-share <pct>',
    description:
      'the token mix without a scenario file: the share of each volume that is ' +
      'input (prompt) tokens, such as 75%; the rest is output. Without it every ' +
      'token is billed at the output rate (the convention of the article the default ' +
      'prices come from)',
    parse: unit(SHARE_SPEC),
  },
  cacheHitRate: {
    flags: '--cache-hit-rate <pct>',
    description: "the share of input tokens read from the provider's prompt cache, such as 30%",
    parse: unit(SHARE_SPEC),
  },
  allModels: {
    flags: '--all-models',
    description: 'price every model of the catalog that has the rates the token mix needs',
  },
  baseline: {
    flags: '--baseline <id>',
    description: 'the model to compare against',
    defaultText: "the scenario's baseline",
  },
  months: {
    flags: '--months <n>',
    description: 'project N months of growth from the first volume, with the cumulative total',
    parse: unit(countSpec(1, MAX_MONTHS, 'a whole number of months')),
  },
  growth: {
    flags: '--growth <pct>',
    description: 'month-over-month growth in percent for --months, such as 15',
    parse: unit(GROWTH_SPEC),
  },
  asOf: SHARED.asOf,
  budget: {
    flags: '--budget <usd>',
    description: 'exit 3 when any stage or projected month costs more than this a month',
    parse: unit(USD_SPEC),
  },
  format: SHARED.format(formatsOf(COST_RENDERERS), 'table'),
  out: SHARED.out,
  chart: {
    flags: '--chart',
    description: 'draw each row as a bar under the table, linear from zero',
  },
  logScale: SHARED.logScale,
  explain: {
    flags: '--explain',
    description:
      'show how each figure is made: tokens per tier and component, times the ' +
      'rate, with its source',
  },
  debug: DEBUG_OPTION,
});

export type CostOptions = OptionsOf<typeof COST_OPTIONS>;

/** The `cost` command in one place: what it is for, examples, flags and their rules. */
export const COST_SPEC = defineCommand({
  name: 'cost',
  summary: 'what a routing setup costs per month as traffic grows, against a baseline',
  examples: [
    'ai-route cost                                  the default scenario: the ' +
      'growth stages of Enterprise vs Startup (2026)',
    'ai-route cost --volume 500M --volume 5B        price these monthly volumes',
    'ai-route cost --scenario hybrid --explain      three tiers, with how each figure is made',
    'ai-route cost --months 12 --growth 15          a year of 15% monthly growth, with the total',
    'ai-route cost --format markdown --out cost.md  a table for a slide or a PR comment',
    'ai-route cost --budget 1000                    exit 3 when a stage costs ' +
      'more than $1,000/month',
    'ai-route cost --usage usage.jsonl --pricing litellm  a year from the usage, P10 to P90',
  ],
  options: COST_OPTIONS,
  rules: [
    conflicts('allModels', 'model', 'prices every model'),
    conflicts('usage', 'scenario', 'fits the scenario from the usage'),
    conflicts('usage', 'growth', 'fits the growth from the usage'),
    worded(
      conflicts('explain', ['format', 'csv']),
      '--explain works with --format table, markdown or json, not csv',
    ),
  ],
});
