import { USAGE_FORMATS } from '../domain/usage.js';
import { USAGE_RENDERERS } from '../render/usage-formats.js';
import { formatsOf } from '../render/registry.js';
import { DATE_SPEC } from '../units/date.js';
import {
  DEBUG_OPTION,
  type OptionsOf,
  SHARED,
  defineCommand,
  defineOptions,
  unit,
} from './options.js';

export const SUMMARY_OPTIONS = defineOptions({
  from: {
    flags: '--from <format>',
    description: 'the format of every SOURCE, when its content should not decide it',
    choices: USAGE_FORMATS,
  },
  pricing: SHARED.pricing,
  allowImplausible: SHARED.allowImplausible,
  since: {
    flags: '--since <date>',
    description: 'only usage on or after this UTC day',
    parse: unit(DATE_SPEC),
  },
  until: {
    flags: '--until <date>',
    description: 'only usage on or before this UTC day',
    parse: unit(DATE_SPEC),
  },
  format: SHARED.format(formatsOf(USAGE_RENDERERS), 'table'),
  out: SHARED.out,
  debug: DEBUG_OPTION,
});
export type SummaryOptions = OptionsOf<typeof SUMMARY_OPTIONS>;

/** The `usage summary` command in one place: what it is for, examples, flags and their rules. */
export const SUMMARY_SPEC = defineCommand({
  name: 'summary',
  args: ['<sources...>'],
  summary:
    'requests and tokens by model and by day from the usage a team already has, priced at the ' +
    "list prices in force each day, beside what was billed, and the gap's likely causes",
  examples: [
    'ai-route usage summary usage-pages.jsonl costs-pages.jsonl',
    'ai-route usage summary traces.jsonl --pricing litellm --format json',
    'ai-route usage summary daily.csv --since 2026-11-01 --format markdown --out usage.md',
  ],
  options: SUMMARY_OPTIONS,
  keepsWorkOnInterrupt: true,
});

/** `usage`: a group that takes a command (summary). */
export const USAGE_SPEC = defineCommand({
  name: 'usage',
  summary:
    'read the usage a team already has (provider usage and cost APIs, OpenTelemetry traces, ' +
    'LiteLLM spend logs, a daily CSV) and price it',
  examples: ['ai-route usage summary usage.jsonl costs.jsonl'],
  options: {},
});
