import type { DecisionInputs } from '../core/decide.js';
import { type Big, parseUsd } from '../core/decimal.js';
import { parseVolume } from '../core/volume.js';
import type { DataPath, IssueList } from '../schema/issues.js';
import type { Matrix } from '../schema/matrix.js';
import { DocReader } from '../schema/read.js';

/** Some of a decision's inputs, from one source (flags, an answers file, a preset, the wizard). */
export interface PartialInputs {
  preset?: string;
  answers: Record<string, string>;
  importance: Record<string, number>;
  volume?: number;
  monthly_budget?: Big | null;
  seed?: number;
}

export const ANSWERS_SCHEMA = 'ai-route/answers@1';
export const DECISION_SCHEMA = 'ai-route/decision@1';

/** Flag name of a factor: `model_variety` -> `--model-variety`. */
export function flagOf(factorId: string): string {
  return `--${factorId.replace(/_/g, '-')}`;
}

/**
 * An answers file (`ai-route/answers@1`), or a decision this tool wrote (`ai-route/decision@1`),
 * whose `inputs` it replays. Unknown factors and answers are issues with their paths.
 */
export function readAnswersDoc(matrix: Matrix, doc: unknown, issues: IssueList): PartialInputs {
  const read = new DocReader(issues);
  const top = read.mapping(doc ?? null, [], 'answers (schema ai-route/answers@1) or a decision (ai-route/decision@1)') ?? {};
  if (top.schema === DECISION_SCHEMA) {
    const inputs = read.mapping(top.inputs, ['inputs'], 'the inputs of the decision');
    return inputs === undefined ? { answers: {}, importance: {} } : readInputs(read, matrix, inputs, ['inputs']);
  }
  if (top.schema !== ANSWERS_SCHEMA) issues.add(['schema'], `expected "${ANSWERS_SCHEMA}" (or a "${DECISION_SCHEMA}" file), got ${JSON.stringify(top.schema ?? null)}`);
  read.onlyKeys(top, ['schema', 'preset', 'answers', 'importance', 'volume', 'monthly_budget', 'seed'], []);
  return readInputs(read, matrix, top, []);
}

function readInputs(read: DocReader, matrix: Matrix, map: Record<string, unknown>, path: DataPath): PartialInputs {
  const out: PartialInputs = { answers: {}, importance: {} };
  if (map.preset !== undefined && map.preset !== null) {
    if (typeof map.preset === 'string' && map.preset in matrix.presets) out.preset = map.preset;
    else read.issues.add([...path, 'preset'], `expected one of ${Object.keys(matrix.presets).join(', ')}`);
  }
  for (const [factorId, answer] of Object.entries(read.mapping(map.answers ?? {}, [...path, 'answers']) ?? {})) {
    const factor = matrix.factors.find((f) => f.id === factorId);
    if (factor === undefined) read.issues.add([...path, 'answers', factorId], `no factor "${factorId}"; factors: ${matrix.factors.map((f) => f.id).join(', ')}`);
    else if (typeof answer !== 'string' || !factor.answers.some((a) => a.id === answer)) {
      read.issues.add([...path, 'answers', factorId], `expected one of ${factor.answers.map((a) => a.id).join(', ')}, got ${JSON.stringify(answer)}`);
    } else out.answers[factorId] = answer;
  }
  for (const [factorId, value] of Object.entries(read.mapping(map.importance ?? {}, [...path, 'importance']) ?? {})) {
    if (!matrix.factors.some((f) => f.id === factorId)) read.issues.add([...path, 'importance', factorId], `no factor "${factorId}"`);
    else if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 5) read.issues.add([...path, 'importance', factorId], 'expected an importance from 0 to 5');
    else out.importance[factorId] = value;
  }
  if (map.volume !== undefined && map.volume !== null) {
    const v = parseVolume(map.volume);
    if (v.ok) out.volume = v.tokens;
    else read.issues.add([...path, 'volume'], v.reason);
  }
  if (map.monthly_budget === null) out.monthly_budget = null;
  else if (map.monthly_budget !== undefined) {
    const b = typeof map.monthly_budget === 'string' ? parseUsd(map.monthly_budget) : undefined;
    if (b === undefined) read.issues.add([...path, 'monthly_budget'], 'expected an amount in USD as a string, such as "500", or null for none');
    else out.monthly_budget = b;
  }
  if (map.seed !== undefined) {
    const seed = read.integer(map.seed, [...path, 'seed'], 0, 2 ** 31, 'a seed');
    if (seed !== undefined) out.seed = seed;
  }
  return out;
}

/** What is still unanswered after every source: factor ids, then `volume`. */
export function missingInputs(matrix: Matrix, merged: PartialInputs): string[] {
  return [...matrix.factors.filter((f) => merged.answers[f.id] === undefined).map((f) => f.id), ...(merged.volume === undefined ? ['volume'] : [])];
}

/**
 * Sources in priority order (first wins); with `fill`, the preset's answers come last and
 * importance defaults to 3. Without it, only what the sources themselves say.
 */
export function mergeInputs(matrix: Matrix, sources: PartialInputs[], fill = true): PartialInputs {
  const presetName = sources.find((s) => s.preset !== undefined)?.preset;
  const preset = presetName === undefined || !fill ? undefined : matrix.presets[presetName];
  const pick = <T>(get: (s: PartialInputs) => T | undefined): T | undefined => {
    for (const s of sources) {
      const v = get(s);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  const answers: Record<string, string> = {};
  const importance: Record<string, number> = {};
  for (const f of matrix.factors) {
    const a = pick((s) => s.answers[f.id]) ?? preset?.answers[f.id];
    if (a !== undefined) answers[f.id] = a;
    const weight = pick((s) => s.importance[f.id]) ?? preset?.weights[f.id] ?? (fill ? 3 : undefined);
    if (weight !== undefined) importance[f.id] = weight;
  }
  const volume = pick((s) => s.volume) ?? preset?.volume;
  const budget = pick((s) => s.monthly_budget);
  return {
    ...(presetName === undefined ? {} : { preset: presetName }),
    answers,
    importance,
    ...(volume === undefined ? {} : { volume }),
    ...(budget !== undefined ? { monthly_budget: budget } : fill ? { monthly_budget: preset?.monthly_budget ?? null } : {}),
    ...(fill ? { seed: pick((s) => s.seed) ?? 1 } : {}),
  };
}

/** The complete inputs, once nothing is missing. */
export function completeInputs(merged: PartialInputs): DecisionInputs {
  return {
    answers: merged.answers,
    importance: merged.importance,
    volume: merged.volume!,
    monthly_budget: merged.monthly_budget ?? undefined,
    seed: merged.seed ?? 1,
  };
}
