import { formatsOf } from '../render/registry.js';
import { DIFF_RENDERERS } from '../render/cost-diff-formats.js';
import { USD_SPEC } from '../units/money.js';
import { PERCENT_SPEC } from '../units/percent.js';
import { COST_OPTIONS } from './cost-spec.js';
import {
  DEBUG_OPTION,
  SHARED,
  defineCommand,
  defineOptions,
  type OptionsOf,
  unit,
} from './options.js';

/** The flags of `cost diff`: the two sides, what prices them, the gates and the output. */
export const COST_DIFF_OPTIONS = defineOptions({
  base: {
    flags: '--base <spec>',
    description:
      'the version before: a scenario file, a saved cost --format json result, REF:path ' +
      "(git show), or a commit alone (the head's scenario as that commit holds it)",
    required: true,
  },
  head: {
    flags: '--head <spec>',
    description: 'the version after, in the same forms',
    defaultText: 'the shipped default scenario, growth-stages',
  },
  pricing: {
    ...SHARED.pricing,
    description:
      `${SHARED.pricing.description}; a REF side reads each at that commit ` +
      'where git has it there',
  },
  volume: COST_OPTIONS.volume,
  months: COST_OPTIONS.months,
  growth: COST_OPTIONS.growth,
  baseline: COST_OPTIONS.baseline,
  asOf: SHARED.asOf,
  allowImplausible: SHARED.allowImplausible,
  failOnIncrease: {
    flags: '--fail-on-increase <pct>',
    description: 'exit 3 when any stage costs more than this many percent above the base',
    parse: unit(PERCENT_SPEC),
  },
  budget: {
    flags: '--budget <usd>',
    description: 'exit 3 when any stage of the head costs more than this a month',
    parse: unit(USD_SPEC),
  },
  format: SHARED.format(formatsOf(DIFF_RENDERERS), 'table'),
  out: SHARED.out,
  debug: DEBUG_OPTION,
});

export type CostDiffOptions = OptionsOf<typeof COST_DIFF_OPTIONS>;

/** `cost diff` in one place: what it is for, examples, flags. */
export const COST_DIFF_SPEC = defineCommand({
  name: 'diff',
  summary:
    'how a change moves the monthly bill: two versions of a scenario and its pricing, stage by ' +
    'stage and tier by tier, with gates',
  examples: [
    'ai-route cost diff --base main --head scenarios/prod.yaml       the working copy against main',
    'ai-route cost diff --base origin/main:prod.yaml --head prod.yaml --fail-on-increase 10',
    'ai-route cost diff --base before.json --head after.json --format markdown   saved results',
  ],
  options: COST_DIFF_OPTIONS,
});
