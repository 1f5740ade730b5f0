import { type Big, parseUsd } from '../core/decimal.js';
import { parseVolume } from '../core/volume.js';
import { flagOf } from '../decide/inputs.js';
import type { Matrix } from '../schema/matrix.js';
import { DEBUG_OPTION, type OptionSpec, SHARED, parser, repeatable, seedParser } from './options.js';

export const DECISION_FORMATS = ['table', 'markdown', 'json', 'adr'] as const;
export const EMIT_KINDS = ['scenario', 'litellm', 'portkey'] as const;

/** commander's parse of `decide`; factor flags arrive under their camel-cased ids. */
export interface DecideOptionsCli {
  preset?: string;
  answers?: string;
  volume?: number;
  monthlyBudget?: Big | null;
  importance: Array<[string, number]>;
  seed?: number;
  pricing: string[];
  asOf?: string;
  format: (typeof DECISION_FORMATS)[number];
  out?: string;
  emit?: (typeof EMIT_KINDS)[number];
  [factorFlag: string]: unknown;
}

/** `model_variety` -> `modelVariety`, the key commander uses for `--model-variety`. */
export function optionKey(factorId: string): string {
  return factorId.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The flags of `decide`, a flag per factor of the matrix, so help and flags never drift from the data. */
export function decideOptions(matrix: Matrix): OptionSpec[] {
  const factorIds = matrix.factors.map((f) => f.id);
  const volume = parser((text) => {
    const r = parseVolume(text);
    return r.ok ? r.tokens : { error: r.reason };
  });
  const budget = parser((text) => (text.trim() === 'none' ? null : (parseUsd(text) ?? { error: 'expected an amount in USD such as 500, $1,250 or 5k, or none' })));
  const importance = parser((text) => {
    const m = /^([a-z_]+)=(\d(?:\.\d+)?)$/.exec(text.trim());
    if (!m || !factorIds.includes(m[1]!) || Number(m[2]) > 5) return { error: `expected FACTOR=0..5 with FACTOR one of ${factorIds.join(', ')}` };
    return [m[1]!, Number(m[2])] as [string, number];
  });
  return [
    ...matrix.factors.map((f) => ({
      flags: `${flagOf(f.id)} <answer>`,
      description: `${f.label}: ${f.question} ${f.answers.map((a) => `${a.id} = ${a.label}`).join('; ')}`,
      choices: f.answers.map((a) => a.id),
    })),
    { flags: '--preset <name>', description: `answers, weights, volume and budget to start from: ${Object.keys(matrix.presets).join(' or ')}`, choices: Object.keys(matrix.presets) },
    { flags: '--answers <file>', description: 'answers (ai-route/answers@1, YAML or JSON), or a decision JSON to replay' },
    { flags: '--volume <tokens>', description: 'monthly volume to price, such as 500M', parse: volume },
    { flags: '--monthly-budget <usd>', description: 'hard ceiling on the projected monthly cost, or none', parse: budget },
    { flags: '--importance <factor=n>', description: `override a factor's importance (0-5); repeatable; factors: ${factorIds.join(', ')}`, parse: repeatable(importance), defaultValue: [] },
    { flags: '--seed <n>', description: 'seed of the random-weights sensitivity draws (default 1)', parse: seedParser },
    SHARED.pricing,
    SHARED.asOf,
    SHARED.format(DECISION_FORMATS, 'table'),
    SHARED.out,
    { flags: '--emit <kind>', description: 'instead of the report, write config for the recommended setup: a scenario, a LiteLLM proxy config or a Portkey gateway config', choices: EMIT_KINDS },
    DEBUG_OPTION,
  ];
}
