import type { Matrix } from '../domain/matrix.js';
import { DECISION_RENDERERS } from '../render/decision-formats.js';
import { formatsOf } from '../render/registry.js';
import { USD_SPEC } from '../units/money.js';
import type { Big } from '../units/decimal.js';
import { DEFAULT_SEED_TEXT, SEED_SPEC } from '../units/seed.js';
import { VOLUME_SPEC } from '../units/volume.js';
import { countSpec } from '../units/spec.js';
import {
  DEBUG_OPTION,
  conflicts,
  defineCommand,
  needs,
  worded,
  type OptionSpec,
  type OptionTable,
  type OptionsOf,
  SHARED,
  defineOptions,
  parser,
  repeatable,
  unit,
} from './options.js';

export const EMIT_KINDS = ['scenario', 'litellm', 'portkey'] as const;

/** Flag name of a factor: `model_variety` -> `--model-variety`. */
export function flagOf(factorId: string): string {
  return `--${factorId.replace(/_/g, '-')}`;
}

/** `model_variety` -> `modelVariety`, the key commander uses for `--model-variety`. */
export function optionKey(factorId: string): string {
  return factorId.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

// 'none', not null: commander turns a parser's null into an empty string
const budget = parser((text): Big | 'none' | { error: string } => {
  if (text.trim() === 'none') return 'none';
  const r = USD_SPEC.parse(text);
  return r.ok ? r.value : { error: 'expected an amount in USD such as 500, $1,250 or 5k, or none' };
});

/** The options of `decide` that do not depend on the matrix: the run's own settings. */
const RUN_OPTIONS = defineOptions({
  seed: {
    flags: '--seed <n>',
    description: 'seed of the random-weights sensitivity draws',
    parse: unit(SEED_SPEC),
    defaultText: DEFAULT_SEED_TEXT,
  },
  allowUnverified: {
    flags: '--allow-unverified',
    description:
      'let an option through a hard requirement its data cannot confirm (no price ' +
      'for a ceiling, an unknown capability); every format says so',
  },
  input: {
    flags: '--no-input',
    description: 'never ask: exit 2 listing what is missing instead of opening the wizard',
  },
  pricing: SHARED.pricing,
  maxKeys: {
    flags: '--max-keys <n>',
    description:
      "with rate limits in the pricing files: flag an option whose tier's peak at the volume " +
      'needs more keys than this (1: any limit crossed)',
    parse: unit(countSpec(1, 10_000, 'a whole number of keys')),
    defaultText: '1',
  },
});

/**
 * The options of `decide` besides its factor flags; presets and factor ids come from the matrix.
 */
export function decideTable(matrix: Matrix) {
  const factorIds = matrix.factors.map((f) => f.id);
  const importance = parser((text): [string, number] | { error: string } => {
    const m = /^([a-z_]+)=(\d(?:\.\d+)?)$/.exec(text.trim());
    if (!m || !factorIds.includes(m[1]!) || Number(m[2]) > 5)
      return { error: `expected FACTOR=0..5 with FACTOR one of ${factorIds.join(', ')}` };
    return [m[1]!, Number(m[2])];
  });
  return defineOptions({
    preset: {
      flags: '--preset <name>',
      description:
        `answers, weights, volume and budget to start from: ` +
        `${Object.keys(matrix.presets).join(' or ')}`,
      choices: Object.keys(matrix.presets),
    },
    answers: {
      flags: '--answers <file>',
      description:
        'answers (ai-route/answers@1, YAML or JSON: every field is shown in ' +
        'matrix/answers.example.yaml, ' +
        'shipped with ai-route), or a decision JSON to replay',
    },
    volume: {
      flags: '--volume <tokens>',
      description: 'monthly volume to price, such as 500M',
      parse: unit(VOLUME_SPEC),
    },
    monthlyBudget: {
      flags: '--monthly-budget <usd>',
      description: 'hard ceiling on the projected monthly cost, or none',
      parse: budget,
    },
    importance: {
      flags: '--importance <factor=n>',
      description:
        `override a factor's importance (0-5); repeatable; factors: ` + `${factorIds.join(', ')}`,
      parse: repeatable(importance),
      default: [] as Array<[string, number]>,
    },
    ...RUN_OPTIONS,
    allowImplausible: SHARED.allowImplausible,
    asOf: SHARED.asOf,
    format: SHARED.format(formatsOf(DECISION_RENDERERS), 'table'),
    detail: {
      flags: '--detail',
      description:
        'the whole matrix, every check, cost, tier, availability figure and alert, instead of ' +
        'the one-screen summary',
    },
    out: SHARED.out,
    emit: {
      flags: '--emit <kind>',
      description:
        'instead of the report, write config for the recommended setup: a scenario, ' +
        'a LiteLLM proxy config or a Portkey gateway config',
      choices: EMIT_KINDS,
    },
    debug: DEBUG_OPTION,
  });
}

/**
 * A flag per factor of the matrix, so help and flags never drift from the data; a factor's former
 * flag only says what replaced it.
 */
export function factorOptions(matrix: Matrix): Record<string, OptionSpec<string>> {
  const current = matrix.factors.map((f) => [
    optionKey(f.id),
    {
      flags: `${flagOf(f.id)} <answer>`,
      description:
        `${f.label}: ${f.question} ` + `${f.answers.map((a) => `${a.id} = ${a.label}`).join('; ')}`,
      choices: f.answers.map((a) => a.id),
    },
  ]);
  const former = matrix.factors.flatMap((f) =>
    f.formerly === undefined || matrix.factors.some((g) => g.id === f.formerly!.id)
      ? []
      : [
          [
            optionKey(f.formerly.id),
            {
              flags: `${flagOf(f.formerly.id)} <value>`,
              description: `renamed ${flagOf(f.id)}`,
              hidden: true,
              parse: parser((): { error: string } => ({
                error:
                  `renamed: ${flagOf(f.formerly!.id)} is now ${flagOf(f.id)} ` +
                  `${f.answers.map((a) => a.id).join('|')}; ${f.formerly!.note}`,
              })),
            },
          ],
        ],
  );
  return Object.fromEntries([...current, ...former]);
}

/** Every flag of `decide`: the factor flags first, then the rest. */
export function decideOptions(matrix: Matrix): OptionTable {
  return { ...factorOptions(matrix), ...decideTable(matrix) };
}

/**
 * What commander hands `decide`: the typed options, and each factor flag under its camel-cased id.
 */
export type DecideOptionsCli = OptionsOf<ReturnType<typeof decideTable>> & {
  readonly [factorFlag: string]: unknown;
};

/** The `decide` command in one place: what it is for, examples, flags and their rules. */
export const DECIDE_SPEC = defineCommand({
  name: 'decide',
  summary:
    'the startup-vs-enterprise decision, scored factor by factor, priced, and exported as config',
  examples: [
    'ai-route decide                                         # the wizard, in a terminal',
    'ai-route decide --preset startup --volume 50M           # no questions: the startup answers',
    'ai-route decide --preset enterprise --sla in_writing --format adr --out ' +
      'docs/decisions/0001-llm-api.md',
    'ai-route decide --answers matrix/answers.example.yaml   # every answer ' +
      'in a file (copy the shipped example)',
    'ai-route decide --answers decision.json                 # replay a decision ' +
      'written with --format json',
    'ai-route decide --preset startup --emit litellm --out config.yaml',
  ],
  // the factor flags come from the matrix, read only when decide runs or is asked for help
  options: async (cwd: string) =>
    decideOptions((await (await import('../load/matrix.js')).loadMatrix(cwd)).matrix),
  rules: [
    conflicts('emit', 'format', 'writes config, not a report'),
    worded(
      needs('detail', ['format', 'table']),
      '--detail is for --format table: markdown, adr and json always hold everything',
    ),
  ],
});
