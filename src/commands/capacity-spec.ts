import { CAPACITY_RENDERERS } from '../render/capacity-formats.js';
import { formatsOf } from '../render/registry.js';
import { PERCENT_SPEC } from '../units/percent.js';
import { COST_OPTIONS } from './cost-spec.js';
import {
  DEBUG_OPTION,
  SHARED,
  conflicts,
  defineCommand,
  defineOptions,
  type OptionsOf,
  repeatable,
  unit,
} from './options.js';
import { DEFAULT_HEADROOM_PCT } from '../core/capacity.js';

/** The flags of `capacity`: what is planned (as cost chooses it), the limits, the headroom. */
export const CAPACITY_OPTIONS = defineOptions({
  scenario: COST_OPTIONS.scenario,
  usage: {
    ...COST_OPTIONS.usage,
    description:
      'plan the setup fitted from the usage in this file (as cost --usage), its peak fitted from ' +
      'the busiest hour where the source times each request (spans, spend logs); repeatable',
  },
  volume: COST_OPTIONS.volume,
  months: COST_OPTIONS.months,
  growth: COST_OPTIONS.growth,
  pricing: {
    ...SHARED.pricing,
    description: `${SHARED.pricing.description}; their limits give each account tier's RPM and TPM`,
  },
  accountTier: {
    flags: '--account-tier <provider=tier>',
    description:
      "the account tier whose limits apply to a provider's models, such as openai=tier-3; " +
      'repeatable',
    parse: repeatable((v: string) => v),
    default: [] as string[],
    defaultText: "each provider's first account tier in the pricing files",
  },
  premortem: {
    flags: '--premortem <file>',
    description:
      'a pre-mortem saved by ai-route premortem --format json: the rate limit it measured is the ' +
      "limit of its model's tier",
  },
  headroom: {
    flags: '--headroom <pct>',
    description: 'keep each key this many percent below its limit',
    parse: unit(PERCENT_SPEC),
    defaultText: `${DEFAULT_HEADROOM_PCT}%`,
  },
  asOf: SHARED.asOf,
  format: SHARED.format(formatsOf(CAPACITY_RENDERERS), 'table'),
  out: SHARED.out,
  debug: DEBUG_OPTION,
});

export type CapacityOptions = OptionsOf<typeof CAPACITY_OPTIONS>;

/** `capacity` in one place: what it is for, examples, flags. */
export const CAPACITY_SPEC = defineCommand({
  name: 'capacity',
  summary:
    'the peak requests and tokens a minute of each stage or month, against each provider limit: ' +
    'the keys it needs and the month a limit is crossed',
  examples: [
    'ai-route capacity --scenario hybrid --pricing limits.yaml          each stage, each tier',
    'ai-route capacity --months 12 --growth 25 --pricing limits.yaml    month by month',
    'ai-route capacity --premortem premortem.json --headroom 30         a measured limit',
  ],
  options: CAPACITY_OPTIONS,
  rules: [conflicts('usage', 'scenario', 'fits the setup from the usage')],
});
