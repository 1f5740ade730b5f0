import { USAGE_FORMATS } from '../domain/usage.js';
import { FIT_RENDERERS, USAGE_RENDERERS } from '../render/usage-formats.js';
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

/** Where usage comes from: a file format, or an organization API read live. */
export const USAGE_SOURCES = [...USAGE_FORMATS, 'openai-api', 'anthropic-api'] as const;

/** The flags every usage command shares: where the usage comes from and which days. */
const SOURCE_OPTIONS = {
  from: {
    flags: '--from <format>',
    description:
      'the format of every SOURCE, when its content should not decide it; openai-api or ' +
      'anthropic-api read the organization API live (admin key in OPENAI_ADMIN_KEY or ' +
      'ANTHROPIC_ADMIN_KEY), with no SOURCE',
    choices: USAGE_SOURCES,
  },
  apiBase: {
    flags: '--api-base <url>',
    description: 'the API to read with --from openai-api or anthropic-api (another host, a proxy)',
    defaultText: 'https://api.openai.com/v1 or https://api.anthropic.com/v1',
  },
  since: {
    flags: '--since <date>',
    description:
      'only usage on or after this UTC day (an API is read from it: default 30 days ago)',
    parse: unit(DATE_SPEC),
  },
  until: {
    flags: '--until <date>',
    description: 'only usage on or before this UTC day (an API is read to it: default today)',
    parse: unit(DATE_SPEC),
  },
} as const;

export const SUMMARY_OPTIONS = defineOptions({
  ...SOURCE_OPTIONS,
  pricing: SHARED.pricing,
  allowImplausible: SHARED.allowImplausible,
  format: SHARED.format(formatsOf(USAGE_RENDERERS), 'table'),
  out: SHARED.out,
  debug: DEBUG_OPTION,
});
export type SummaryOptions = OptionsOf<typeof SUMMARY_OPTIONS>;

/** The `usage summary` command in one place: what it is for, examples, flags and their rules. */
export const SUMMARY_SPEC = defineCommand({
  name: 'summary',
  args: ['[sources...]'],
  summary:
    'requests and tokens by model and by day from the usage a team already has, priced at the ' +
    "list prices in force each day, beside what was billed, and the gap's likely causes; a " +
    "SOURCE is a file or the postgres:// URL of a LiteLLM proxy's database",
  examples: [
    'ai-route usage summary usage-pages.jsonl costs-pages.jsonl',
    'ai-route usage summary traces.jsonl --pricing litellm --format json',
    'ai-route usage summary daily.csv --since 2026-11-01 --format markdown --out usage.md',
    'OPENAI_ADMIN_KEY=... ai-route usage summary --from openai-api --since 2026-11-01',
    'ai-route usage summary postgres://litellm@db:5432/litellm --since 2026-11-01',
  ],
  options: SUMMARY_OPTIONS,
  keepsWorkOnInterrupt: true,
});

export const FIT_OPTIONS = defineOptions({
  ...SOURCE_OPTIONS,
  pricing: SHARED.pricing,
  name: {
    flags: '--name <name>',
    description: "the scenario's name",
    default: 'fitted',
  },
  baseline: {
    flags: '--baseline <model>',
    description: 'the model the fitted setup is compared against',
    default: 'gpt-4o',
  },
  format: SHARED.format(
    formatsOf(FIT_RENDERERS),
    'yaml',
    'yaml: a scenario file cost reads; json: the fit (ai-route/usage-fit@1)',
  ),
  out: SHARED.out,
  debug: DEBUG_OPTION,
});
export type FitOptions = OptionsOf<typeof FIT_OPTIONS>;

/** The `usage fit` command in one place: what it is for, examples, flags and their rules. */
export const FIT_SPEC = defineCommand({
  name: 'fit',
  args: ['[sources...]'],
  summary:
    'a scenario fitted from usage: tiers from the model shares, the token mix, tokens per ' +
    'request, long-context shares and monthly growth with its 80% interval',
  examples: [
    'ai-route usage fit usage.jsonl --out scenario.yaml && ai-route cost --scenario scenario.yaml',
    'ai-route usage fit traces.jsonl --pricing litellm --format json',
  ],
  options: FIT_OPTIONS,
});

/** `usage`: a group that takes a command (summary, fit). */
export const USAGE_SPEC = defineCommand({
  name: 'usage',
  summary:
    'read the usage a team already has (provider usage and cost APIs, OpenTelemetry traces, ' +
    'LiteLLM spend logs, a daily CSV) and price it',
  examples: [
    'ai-route usage summary usage.jsonl costs.jsonl',
    'ai-route usage fit usage.jsonl --out scenario.yaml',
  ],
  options: {},
});
