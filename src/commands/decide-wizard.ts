import { BACK, type Prompter } from '../domain/context.js';
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
      `the suggested answer, Esc goes back a question, a review comes before the result, ` +
      `Ctrl-C stops.`)
  );
}

const IMPORTANCE = ['0', '1', '2', '3', '4', '5'];

/** One question of the wizard: how to ask it, and its answer in words for the review. */
interface Step {
  label: string;
  /** Asks (offering a way back when `back`); false when the person went back. */
  ask(message: (text: string) => string, back: boolean): Promise<boolean>;
  answer(): string;
}

/**
 * Asks, step by step, what the plan holds: a preset to start from (its answers become the
 * suggestions), each open factor, importance (or keep the preset's weights), the monthly volume,
 * and the ceiling suggested by the budget band. Every question after the first can go back (Esc),
 * and a review before the result lets any answer be changed. Returns only what was asked.
 */
export async function askMissing(
  matrix: Matrix,
  plan: WizardPlan,
  prompter: Prompter,
): Promise<PartialInputs> {
  const asked: PartialInputs = { answers: {}, importance: {} };
  const steps = wizardSteps(matrix, plan, prompter, asked);
  const at = (i: number) => (text: string) => `Step ${i + 1} of ${steps.length} · ${text}`;
  for (let i = 0; i < steps.length;) i = (await steps[i]!.ask(at(i), i > 0)) ? i + 1 : i - 1;
  if (steps.length < 2) return asked;
  for (;;) {
    const choice = await prompter.select({
      name: 'review',
      message: 'Review: show the result, or pick an answer to change',
      choices: [
        { value: 'done', name: 'show the result' },
        ...steps.map((s, i) => ({ value: String(i), name: `change ${s.label}: ${s.answer()}` })),
      ],
      back: true,
    });
    if (choice === 'done') return asked;
    const i = choice === BACK ? steps.length - 1 : Number(choice);
    await steps[i]!.ask(at(i), false);
  }
}

/** The plan's questions as steps, each writing its answer into `asked`. */
function wizardSteps(
  matrix: Matrix,
  plan: WizardPlan,
  prompter: Prompter,
  asked: PartialInputs,
): Step[] {
  const preset = () => (asked.preset === undefined ? undefined : matrix.presets[asked.preset]);
  const steps: Step[] = [];
  if (plan.preset)
    steps.push({
      label: 'the preset',
      answer: () => asked.preset ?? 'none',
      async ask(message, back) {
        const choice = await prompter.select({
          name: 'preset',
          message: message('Start from a preset? Its answers become the suggestions'),
          choices: [
            ...Object.keys(matrix.presets).map((p) => ({ value: p, name: `${p} preset` })),
            { value: '', name: 'no preset: answer each question' },
          ],
          ...(asked.preset === undefined ? {} : { default: asked.preset }),
          back,
        });
        if (choice === BACK) return false;
        if (choice === '') delete asked.preset;
        else asked.preset = choice;
        return true;
      },
    });
  for (const factor of plan.factors) steps.push(factorStep(factor, prompter, asked, preset));
  if (plan.importance)
    steps.push({
      label: 'what matters most',
      answer: () => importanceWords(asked.importance),
      async ask(message, back) {
        const chosen = await askImportance(
          matrix,
          prompter,
          message(
            asked.preset === undefined
              ? 'What matters most?'
              : `What matters most? (the ${asked.preset} preset has its weights)`,
          ),
          preset()?.weights,
          back,
        );
        if (chosen === undefined) return false;
        asked.importance = chosen;
        return true;
      },
    });
  if (plan.volume) steps.push(volumeStep(prompter, asked, preset));
  if (plan.ceiling) steps.push(ceilingStep(matrix, prompter, asked, preset));
  return steps;
}

type PresetOf = () => Matrix['presets'][string] | undefined;

function factorStep(
  factor: MatrixFactor,
  prompter: Prompter,
  asked: PartialInputs,
  preset: PresetOf,
): Step {
  const labelOf = (id: string | undefined) =>
    factor.answers.find((a) => a.id === id)?.label ?? 'not answered';
  return {
    label: factor.label,
    answer: () => labelOf(asked.answers[factor.id]),
    async ask(message, back) {
      const suggested = asked.answers[factor.id] ?? preset()?.answers[factor.id];
      const choice = await prompter.select({
        name: factor.id,
        message: message(`${factor.label}: ${factor.question}`),
        choices: factor.answers.map((a) => ({
          value: a.id,
          name: a.label,
          description: factor.help,
        })),
        ...(suggested === undefined ? {} : { default: suggested }),
        back,
      });
      if (choice === BACK) return false;
      asked.answers[factor.id] = choice;
      return true;
    },
  };
}

function volumeStep(prompter: Prompter, asked: PartialInputs, preset: PresetOf): Step {
  return {
    label: 'the monthly volume',
    answer: () => (asked.volume === undefined ? 'not answered' : VOLUME_SPEC.format(asked.volume)),
    async ask(message, back) {
      const suggested = asked.volume ?? preset()?.volume;
      const text = await prompter.input({
        name: 'volume',
        message: message('Monthly volume in tokens (5M, 500M, 5B, ...):'),
        default: suggested === undefined ? '500M' : VOLUME_SPEC.format(suggested),
        validate: (v) => {
          const r = parseVolume(v);
          return r.ok ? true : r.reason;
        },
        back,
      });
      if (text === BACK) return false;
      const parsed = parseVolume(text);
      if (parsed.ok) asked.volume = parsed.tokens;
      return true;
    },
  };
}

function ceilingStep(
  matrix: Matrix,
  prompter: Prompter,
  asked: PartialInputs,
  preset: PresetOf,
): Step {
  return {
    label: 'the monthly ceiling',
    answer: () =>
      asked.monthly_budget === undefined
        ? 'not answered'
        : asked.monthly_budget === null
          ? 'none'
          : `$${asked.monthly_budget.toFixed()}`,
    async ask(message, back) {
      const ceiling = await askCeiling(
        matrix,
        prompter,
        message('Monthly ceiling in USD, a hard requirement (empty for none):'),
        asked,
        preset()?.monthly_budget?.toFixed(),
        back,
      );
      if (ceiling === BACK) return false;
      asked.monthly_budget = ceiling;
      return true;
    },
  };
}

function importanceWords(importance: Record<string, number>): string {
  const values = Object.values(importance);
  if (values.length === 0) return 'not answered';
  return values.every((v) => v === values[0]) ? 'every factor the same' : 'weights set';
}

async function askImportance(
  matrix: Matrix,
  prompter: Prompter,
  message: string,
  presetWeights: Record<string, number> | undefined,
  back: boolean,
): Promise<Record<string, number> | undefined> {
  const how = await prompter.select({
    name: 'importance',
    message,
    back,
    choices: [
      ...(presetWeights === undefined
        ? []
        : [{ value: 'preset', name: "keep the preset's weights" }]),
      { value: 'equal', name: 'weigh every factor the same' },
      { value: 'each', name: 'set the importance of each factor (0-5)' },
    ],
  });
  if (how === BACK) return undefined;
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
  back: boolean,
) {
  const band = matrix.factors.flatMap((f) =>
    f.answers.filter((a) => a.ceiling !== undefined && asked.answers[f.id] === a.id),
  )[0];
  const text = await prompter.input({
    name: 'monthly_budget',
    message,
    // a changed answer starts from the one given; a first one from the budget band, or the preset
    default:
      asked.monthly_budget !== undefined
        ? (asked.monthly_budget?.toFixed() ?? '')
        : (band?.ceiling?.toFixed() ?? presetCeiling ?? ''),
    validate: (v) =>
      v.trim() === '' || v.trim() === 'none' || parseUsd(v) !== undefined
        ? true
        : 'an amount such as 500, $1,250 or 5k, or empty for none',
    back,
  });
  if (text === BACK) return BACK;
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
