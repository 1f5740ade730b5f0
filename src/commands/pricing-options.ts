import { DIFF_RENDERERS, LIST_RENDERERS } from '../render/pricing-formats.js';
import { formatsOf } from '../render/registry.js';
import { DATE_SPEC } from '../units/date.js';
import { PERCENT_SPEC } from '../units/percent.js';
import { CATALOG_SOURCE_IDS } from '../domain/sources.js';
import { Dec } from '../units/decimal.js';
import { countSpec } from '../units/spec.js';
import {
  DEBUG_OPTION,
  type OptionsOf,
  SHARED,
  defineOptions,
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
    description: 'the catalog FILE (or URL) is: its public URL is in the README',
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
  tolerance: {
    flags: '--tolerance <pct>',
    description: 'list a rate only when the catalogs differ on it by more than this many percent',
    parse: unit(PERCENT_SPEC),
    default: Dec('0'),
    defaultText: '0%',
  },
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
