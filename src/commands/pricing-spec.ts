import { DIFF_RENDERERS, LIST_RENDERERS } from '../render/pricing-formats.js';
import { formatsOf } from '../render/registry.js';
import { DATE_SPEC } from '../units/date.js';
import { PERCENT_SPEC } from '../units/percent.js';
import { CATALOG_SOURCE_IDS } from '../domain/sources.js';
import { countSpec } from '../units/spec.js';
import {
  DEBUG_OPTION,
  worded,
  needs,
  defineCommand,
  type OptionsOf,
  SHARED,
  defineOptions,
  withDefault,
  repeatable,
  unit,
} from './options.js';

export const LIST_OPTIONS = defineOptions({
  pricing: SHARED.pricing,
  allowImplausible: SHARED.allowImplausible,
  provider: { flags: '--provider <name>', description: 'only models of this provider' },
  model: {
    flags: '--model <id>',
    description: 'only this model (exact id or alias); repeatable',
    parse: repeatable((v: string) => v),
    default: [] as string[],
  },
  asOf: SHARED.asOf,
  staleAfter: {
    flags: '--stale-after <days>',
    description: 'mark prices older than this many days as stale',
    parse: unit(countSpec(0, 99_999, 'a whole number of days')),
    default: 90,
  },
  format: SHARED.format(formatsOf(LIST_RENDERERS), 'table'),
  out: SHARED.out,
  debug: DEBUG_OPTION,
});
export type ListOptions = OptionsOf<typeof LIST_OPTIONS>;

export const VALIDATE_OPTIONS = defineOptions({ debug: DEBUG_OPTION });

export const IMPORT_OPTIONS = defineOptions({
  from: {
    flags: '--from <source>',
    description: 'the catalog FILE (or URL) is: its public URL is in docs/pricing.md',
    choices: CATALOG_SOURCE_IDS,
    required: true,
  },
  provider: {
    flags: '--provider <name>',
    description:
      "keep only this provider (LiteLLM's litellm_provider; the provider id of " +
      'genai-prices and models.dev; for OpenRouter the part of the id before /)',
  },
  mode: {
    flags: '--mode <mode>',
    description: 'LiteLLM only: keep only entries of this mode, such as chat',
  },
  effectiveFrom: {
    flags: '--effective-from <date>',
    description: 'the date the imported prices take effect',
    parse: unit(DATE_SPEC),
    defaultText: 'today',
  },
  into: {
    flags: '--into <catalog>',
    description:
      'merge into this pricing file: a dated price only where a rate changed, ' +
      'so snapshots build a history (written back unless --out)',
  },
  out: {
    flags: '--out <file>',
    description: 'write the pricing file here (.json, or .yaml) atomically instead of stdout',
    output: true,
  },
  debug: DEBUG_OPTION,
});
export type ImportOptionsCli = OptionsOf<typeof IMPORT_OPTIONS>;

export const DIFF_OPTIONS = defineOptions({
  asOf: {
    flags: '--as-of <date>',
    description: 'compare the prices in force on this day',
    parse: unit(DATE_SPEC),
    defaultText: 'the latest price of each model',
  },
  since: {
    flags: '--since <date>',
    description:
      "take the old side's prices in force on this earlier day (with one catalog: " +
      'what changed in its history since then)',
    parse: unit(DATE_SPEC),
  },
  failOnIncrease: {
    flags: '--fail-on-increase <pct>',
    description: 'exit 3 when any price rises by more than this many percent',
    parse: unit(PERCENT_SPEC),
  },
  format: SHARED.format(formatsOf(DIFF_RENDERERS), 'table'),
  out: SHARED.out,
  debug: DEBUG_OPTION,
});
export type DiffOptions = OptionsOf<typeof DIFF_OPTIONS>;

export const CHECK_OPTIONS = defineOptions({
  asOf: SHARED.asOf,
  tolerance: withDefault(
    {
      flags: '--tolerance <pct>',
      description: 'list a rate only when the catalogs differ on it by more than this many percent',
      parse: unit(PERCENT_SPEC),
    },
    '0%',
  ),
  failOnDisagreement: {
    flags: '--fail-on-disagreement <pct>',
    description:
      'exit 3 when any shared rate differs by more than this many percent between catalogs',
    parse: unit(PERCENT_SPEC),
  },
  allowImplausible: SHARED.allowImplausible,
  format: SHARED.format(['table', 'markdown', 'json'] as const, 'table'),
  out: SHARED.out,
  debug: DEBUG_OPTION,
});
export type CheckOptions = OptionsOf<typeof CHECK_OPTIONS>;

/** The `list` command in one place: what it is for, examples, flags and their rules. */
export const LIST_SPEC = defineCommand({
  name: 'list',
  summary:
    'every model with its rates per million tokens, source and effective date; ' +
    'stale prices marked',
  examples: [
    'ai-route pricing list',
    'ai-route pricing list --pricing litellm.json --provider openai --format csv',
  ],
  options: LIST_OPTIONS,
});

/** The `validate` command in one place: what it is for, examples, flags and their rules. */
export const VALIDATE_SPEC = defineCommand({
  name: 'validate',
  args: ['[files...]'],
  summary: 'check pricing files (default: the shipped catalog); exit 2 listing every problem',
  examples: ['ai-route pricing validate', 'ai-route pricing validate my-prices.yaml litellm.json'],
  options: VALIDATE_OPTIONS,
});

/** The `import` command in one place: what it is for, examples, flags and their rules. */
export const IMPORT_SPEC = defineCommand({
  name: 'import',
  args: ['<file|url>'],
  summary:
    'convert a catalog the ecosystem keeps (LiteLLM, OpenRouter, genai-prices, ' +
    'models.dev) into a pricing file, or merge it into one',
  examples: [
    'ai-route pricing import --from litellm ' +
      'https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json ' +
      '--out litellm.json',
    'ai-route pricing import --from models.dev https://models.dev/api.json --provider ' +
      'anthropic --out anthropic.json',
    'ai-route pricing import --from litellm snapshot.json --effective-from 2026-03-01 ' +
      '--into catalog.json',
  ],
  options: IMPORT_OPTIONS,
  rules: [worded(needs('mode', ['from', 'litellm']), '--mode applies to --from litellm only')],
});

/** The `check` command in one place: what it is for, examples, flags and their rules. */
export const CHECK_SPEC = defineCommand({
  name: 'check',
  args: ['<catalogs...>'],
  summary:
    'compare catalogs on the models they share: every rate they disagree on, ' +
    "with each side's source and date",
  examples: [
    'ai-route pricing check litellm.json openrouter.json models-dev.json',
    'ai-route pricing check litellm.json genai.json --tolerance 1 --fail-on-disagreement 10',
  ],
  options: CHECK_OPTIONS,
});

/** The `diff` command in one place: what it is for, examples, flags and their rules. */
export const DIFF_SPEC = defineCommand({
  name: 'diff',
  args: ['<old>', '[new]'],
  summary:
    'added, removed and changed prices between two catalogs (files or directories), ' +
    'or in one catalog since a day',
  examples: [
    'ai-route pricing diff old.json new.json',
    'ai-route pricing diff pricing/ updated/ --fail-on-increase 10 --format markdown',
    'ai-route pricing diff catalog.json --since 2025-09-01 --as-of 2026-03-01',
  ],
  options: DIFF_OPTIONS,
});

/** `pricing`: a group that takes a command (list, validate, import, check, diff). */
export const PRICING_SPEC = defineCommand({
  name: 'pricing',
  summary: 'list, validate, import and compare price catalogs',
  examples: [
    'ai-route pricing list --provider global-api',
    'ai-route pricing import --from litellm model_prices_and_context_window.json ' +
      '--mode chat --out litellm.json',
    'ai-route cost --pricing litellm.json --model gpt-4o --volume 5B',
    'ai-route pricing diff old.json new.json --fail-on-increase 10',
  ],
  options: {},
});
