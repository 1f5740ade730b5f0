import { parseUsd, type Big } from '../core/decimal.js';
import { parseVolume } from '../core/volume.js';
import { MAX_MONTHS, parseGrowthPct } from '../schema/scenario.js';
import { DEBUG_OPTION, type OptionSpec, SHARED, parser, repeatable } from './options.js';

export const COST_FORMATS = ['table', 'markdown', 'csv', 'json'] as const;
export type CostFormat = (typeof COST_FORMATS)[number];

/** What commander hands the cost command after parsing (keys follow the flags). */
export interface CostOptions {
  volume: number[];
  scenario?: string;
  pricing: string[];
  model: string[];
  allModels?: boolean;
  baseline?: string;
  months?: number;
  growth?: Big;
  asOf?: string;
  budget?: Big;
  format: CostFormat;
  out?: string;
  explain?: boolean;
  debug?: boolean;
}

const volume = parser((text) => {
  const result = parseVolume(text);
  return result.ok ? result.tokens : { error: result.reason };
});

const months = parser((text) => {
  const n = /^[0-9]+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  return n >= 1 && n <= MAX_MONTHS ? n : { error: `expected a whole number of months from 1 to ${MAX_MONTHS}` };
});

const growth = parser((text) => parseGrowthPct(text) ?? { error: 'expected a monthly growth in percent above -100, such as 15 or 2.5%' });

const budget = parser((text) => parseUsd(text) ?? { error: 'expected an amount in USD, such as 1000, $1,250.50 or 5k' });

/** The cost command's flags, help and parsers, in help order. */
export const COST_OPTIONS: readonly OptionSpec[] = [
  {
    flags: '--volume <tokens>',
    description: 'price this monthly volume instead of the scenario stages (5M, 1.5k, 2.5e9, 500_000_000, 500,000,000); repeatable',
    parse: repeatable(volume),
    defaultValue: [],
  },
  { flags: '--scenario <file|name>', description: 'a scenario file, or a shipped scenario by name (default: growth-stages)' },
  SHARED.pricing,
  {
    flags: '--model <id>',
    description: "price this model taking all traffic, instead of the scenario's setup; exact id or alias; repeatable",
    parse: repeatable((v) => v),
    defaultValue: [],
  },
  { flags: '--all-models', description: 'price every model of the catalog that has the rates the token mix needs' },
  { flags: '--baseline <id>', description: "the model to compare against (default: the scenario's baseline)" },
  { flags: '--months <n>', description: 'project N months of growth from the first volume, with the cumulative total', parse: months },
  { flags: '--growth <pct>', description: 'month-over-month growth in percent for --months, such as 15', parse: growth },
  SHARED.asOf,
  { flags: '--budget <usd>', description: 'exit 3 when any stage or projected month costs more than this a month', parse: budget },
  SHARED.format(COST_FORMATS, 'table'),
  SHARED.out,
  { flags: '--explain', description: 'show how each figure is made: tokens per tier and component, times the rate, with its source' },
  DEBUG_OPTION,
];
