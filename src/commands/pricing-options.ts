import { parseUsd, type Big } from '../core/decimal.js';
import { isIsoDate } from '../schema/read.js';
import { DEBUG_OPTION, type OptionSpec, SHARED, parser, repeatable } from './options.js';

export const LIST_FORMATS = ['table', 'markdown', 'csv', 'json'] as const;
export const DIFF_FORMATS = ['table', 'markdown', 'json'] as const;
export const IMPORT_SOURCES = ['litellm', 'openrouter'] as const;

export interface ListOptions {
  pricing: string[];
  provider?: string;
  model: string[];
  asOf?: string;
  staleAfter: number;
  format: (typeof LIST_FORMATS)[number];
  out?: string;
}

export interface ImportOptionsCli {
  from: (typeof IMPORT_SOURCES)[number];
  provider?: string;
  mode?: string;
  effectiveFrom?: string;
  out?: string;
}

export interface DiffOptions {
  asOf?: string;
  failOnIncrease?: Big;
  format: (typeof DIFF_FORMATS)[number];
  out?: string;
}

const days = parser((text) => (/^[0-9]{1,5}$/.test(text.trim()) ? Number(text.trim()) : { error: 'expected a whole number of days, such as 90' }));
const percent = parser((text) => parseUsd(text.replace(/%$/, '')) ?? { error: 'expected a percentage such as 10 or 2.5' });
const date = parser((text) => (isIsoDate(text) ? text : { error: 'expected a date written YYYY-MM-DD' }));

export const LIST_OPTIONS: readonly OptionSpec[] = [
  SHARED.pricing,
  { flags: '--provider <name>', description: 'only models of this provider' },
  { flags: '--model <id>', description: 'only this model (exact id or alias); repeatable', parse: repeatable((v) => v), defaultValue: [] },
  SHARED.asOf,
  { flags: '--stale-after <days>', description: 'mark prices older than this many days as stale', parse: days, defaultValue: 90 },
  SHARED.format(LIST_FORMATS, 'table'),
  SHARED.out,
  DEBUG_OPTION,
];

export const VALIDATE_OPTIONS: readonly OptionSpec[] = [DEBUG_OPTION];

export const IMPORT_OPTIONS: readonly OptionSpec[] = [
  { flags: '--from <source>', description: 'the format of FILE', choices: IMPORT_SOURCES, required: true },
  { flags: '--provider <name>', description: "keep only this provider (LiteLLM's litellm_provider; for OpenRouter the part of the id before /)" },
  { flags: '--mode <mode>', description: 'LiteLLM only: keep only entries of this mode, such as chat' },
  { flags: '--effective-from <date>', description: 'the date the imported prices take effect (default: today)', parse: date },
  { flags: '--out <file>', description: 'write the pricing file here (.json, or .yaml) atomically instead of stdout' },
  DEBUG_OPTION,
];

export const DIFF_OPTIONS: readonly OptionSpec[] = [
  { flags: '--as-of <date>', description: 'compare the prices in force on this day (default: the latest price of each model)', parse: date },
  { flags: '--fail-on-increase <pct>', description: 'exit 3 when any price rises by more than this many percent', parse: percent },
  SHARED.format(DIFF_FORMATS, 'table'),
  SHARED.out,
  DEBUG_OPTION,
];
