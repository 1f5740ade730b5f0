import type { Prompter } from '../domain/context.js';
import type { Matrix, MatrixFactor, PartialInputs } from '../domain/matrix.js';
import { parseUsd } from '../units/money.js';
import { VOLUME_SPEC, parseVolume } from '../units/volume.js';

/** What the wizard will ask: only what flags and the answers file left open. */
export interface WizardPlan {
  preset: boolean;
  factors: MatrixFactor[];
  importance: boolean;
  volume: boolean;
  ceiling: boolean;
}

/** The questions left after flags and the answers file; a preset given before answers them all. */
export function wizardPlan(matrix: Matrix, given: PartialInputs): WizardPlan {
  if (given.preset !== undefined)
    return { preset: false, factors: [], importance: false, volume: false, ceiling: false };
  return {
    preset: Object.keys(matrix.presets).length > 0,
    factors: matrix.factors.filter((f) => given.answers[f.id] === undefined),
    importance: Object.keys(given.importance).length === 0,
    volume: given.volume === undefined,
    ceiling: given.monthly_budget === undefined,
  };
}

/** How many steps a plan takes, for "step n of m". */
export function stepCount(plan: WizardPlan): number {
  return (
    Number(plan.preset) +
    plan.factors.length +
    Number(plan.importance) +
    Number(plan.volume) +
    Number(plan.ceiling)
  );
}

/** One line on what the wizard does and how long it takes, before its first question. */
export function wizardIntro(matrix: Matrix, plan: WizardPlan): string {
  const steps = stepCount(plan);
  return (
    `decide: ${steps} question${steps === 1 ? '' : 's'}, about ` +
    `${Math.max(1, Math.round(steps / 6))} minute${steps > 9 ? 's' : ''}. ` +
    (`Your answers are scored against ${matrix.options.length} setups ` +
      `(${matrix.options.map((o) => o.label.split(' (')[0]).join(', ')}); Enter keeps ` +
      `the suggested answer, Ctrl-C stops.`)
  );
}

const IMPORTANCE = ['0', '1', '2', '3', '4', '5'];

/**
 * Asks, step by step, what the plan holds: a preset to start from (its answers become the
 * suggestions), each open factor, importance (or keep the preset's weights), the monthly volume,
 * and the ceiling suggested by the budget band. Returns only what was asked.
 */
export async function askMissing(
  matrix: Matrix,
  plan: WizardPlan,
  prompter: Prompter,
): Promise<PartialInputs> {
  const total = stepCount(plan);
  let step = 0;
  const at = (message: string) => `Step ${++step} of ${total} · ${message}`;
  const asked: PartialInputs = { answers: {}, importance: {} };
  let presetName: string | undefined;
  if (plan.preset) {
    const choice = await prompter.select({
      name: 'preset',
      message: at('Start from a preset? Its answers become the suggestions'),
      choices: [
        ...Object.keys(matrix.presets).map((p) => ({ value: p, name: `${p} preset` })),
        { value: '', name: 'no preset: answer each question' },
      ],
    });
    presetName = choice === '' ? undefined : choice;
    if (presetName !== undefined) asked.preset = presetName;
  }
  const preset = presetName === undefined ? undefined : matrix.presets[presetName];
  for (const factor of plan.factors) {
    const fallback = preset?.answers[factor.id];
    asked.answers[factor.id] = await prompter.select({
      name: factor.id,
      message: at(`${factor.label}: ${factor.question}`),
      choices: factor.answers.map((a) => ({
        value: a.id,
        name: a.label,
        description: factor.help,
      })),
      ...(fallback === undefined ? {} : { default: fallback }),
    });
  }
  if (plan.importance)
    asked.importance = await askImportance(
      matrix,
      prompter,
      at(
        preset === undefined
          ? 'What matters most?'
          : `What matters most? (the ${presetName} preset has its weights)`,
      ),
      preset?.weights,
    );
  if (plan.volume) {
    const text = await prompter.input({
      name: 'volume',
      message: at('Monthly volume in tokens (5M, 500M, 5B, ...):'),
      default: preset === undefined ? '500M' : VOLUME_SPEC.format(preset.volume),
      validate: (v) => {
        const r = parseVolume(v);
        return r.ok ? true : r.reason;
      },
    });
    const parsed = parseVolume(text);
    if (parsed.ok) asked.volume = parsed.tokens;
  }
  if (plan.ceiling)
    asked.monthly_budget = await askCeiling(
      matrix,
      prompter,
      at('Monthly ceiling in USD, a hard requirement (empty for none):'),
      asked,
      preset?.monthly_budget?.toFixed(),
    );
  return asked;
}

async function askImportance(
  matrix: Matrix,
  prompter: Prompter,
  message: string,
  presetWeights: Record<string, number> | undefined,
): Promise<Record<string, number>> {
  const how = await prompter.select({
    name: 'importance',
    message,
    choices: [
      ...(presetWeights === undefined
        ? []
        : [{ value: 'preset', name: "keep the preset's weights" }]),
      { value: 'equal', name: 'weigh every factor the same' },
      { value: 'each', name: 'set the importance of each factor (0-5)' },
    ],
  });
  if (how === 'preset') return { ...presetWeights! };
  if (how === 'equal') return Object.fromEntries(matrix.factors.map((f) => [f.id, 3]));
  const out: Record<string, number> = {};
  for (const f of matrix.factors) {
    const value = await prompter.select({
      name: `importance.${f.id}`,
      message: `  Importance of ${f.label} (0 = ignore, 5 = decisive):`,
      choices: IMPORTANCE.map((v) => ({ value: v, name: v })),
      default: String(presetWeights?.[f.id] ?? 3),
    });
    out[f.id] = Number(value);
  }
  return out;
}

/** The ceiling, suggested from the budget band just answered (its top), else the preset's. */
async function askCeiling(
  matrix: Matrix,
  prompter: Prompter,
  message: string,
  asked: PartialInputs,
  presetCeiling: string | undefined,
) {
  const band = matrix.factors.flatMap((f) =>
    f.answers.filter((a) => a.ceiling !== undefined && asked.answers[f.id] === a.id),
  )[0];
  const text = await prompter.input({
    name: 'monthly_budget',
    message,
    default: band?.ceiling?.toFixed() ?? presetCeiling ?? '',
    validate: (v) =>
      v.trim() === '' || v.trim() === 'none' || parseUsd(v) !== undefined
        ? true
        : 'an amount such as 500, $1,250 or 5k, or empty for none',
  });
  return text.trim() === '' || text.trim() === 'none' ? null : (parseUsd(text) ?? null);
}

/** What the wizard offers to save at the end, and the file each goes to by default. */
export const SAVE_CHOICES = [
  { value: 'json', name: 'the decision as JSON (replay it with --answers)', file: 'decision.json' },
  { value: 'adr', name: 'an architecture decision record (Markdown)', file: 'decision-record.md' },
  {
    value: 'litellm',
    name: 'a LiteLLM proxy config for the recommended setup',
    file: 'litellm-config.yaml',
  },
  {
    value: 'portkey',
    name: 'a Portkey gateway config for the recommended setup',
    file: 'portkey-config.json',
  },
] as const;

export type SaveKind = (typeof SAVE_CHOICES)[number]['value'];

/**
 * Asks whether to save the decision, in what form and where; undefined for no. Configs are offered
 * only for a recommended setup they can express.
 */
export async function askToSave(
  prompter: Prompter,
  can: { litellm: boolean; portkey: boolean },
): Promise<{ kind: SaveKind; file: string } | undefined> {
  const offered = SAVE_CHOICES.filter((c) =>
    c.value === 'litellm' ? can.litellm : c.value === 'portkey' ? can.portkey : true,
  );
  const kind = await prompter.select({
    name: 'save',
    message: 'Save it?',
    choices: [{ value: '', name: 'no' }, ...offered.map((c) => ({ value: c.value, name: c.name }))],
  });
  const choice = offered.find((c) => c.value === kind);
  if (choice === undefined) return undefined;
  const file = await prompter.input({
    name: 'save_to',
    message: 'File:',
    default: choice.file,
    validate: (v) => (v.trim() === '' ? 'a file name' : true),
  });
  return { kind: choice.value, file: file.trim() };
}
