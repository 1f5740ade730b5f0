import { DEFAULT_SEED } from '../units/seed.js';
import type { DecisionInputs, Matrix, PartialInputs } from '../domain/matrix.js';

/** What is still unanswered after every source: factor ids, then `volume`. */
export function missingInputs(matrix: Matrix, merged: PartialInputs): string[] {
  return [
    ...matrix.factors.filter((f) => merged.answers[f.id] === undefined).map((f) => f.id),
    ...(merged.volume === undefined ? ['volume'] : []),
  ];
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
    const weight =
      pick((s) => s.importance[f.id]) ?? preset?.weights[f.id] ?? (fill ? 3 : undefined);
    if (weight !== undefined) importance[f.id] = weight;
  }
  const volume = pick((s) => s.volume) ?? preset?.volume;
  const budget = pick((s) => s.monthly_budget);
  return {
    ...(presetName === undefined ? {} : { preset: presetName }),
    answers,
    importance,
    ...(volume === undefined ? {} : { volume }),
    ...(budget !== undefined
      ? { monthly_budget: budget }
      : fill
        ? { monthly_budget: preset?.monthly_budget ?? null }
        : {}),
    ...(fill ? { seed: pick((s) => s.seed) ?? DEFAULT_SEED } : {}),
  };
}

/** The complete inputs, once nothing is missing. */
export function completeInputs(merged: PartialInputs): DecisionInputs {
  return {
    answers: merged.answers,
    importance: merged.importance,
    volume: merged.volume!,
    monthly_budget: merged.monthly_budget ?? undefined,
    seed: merged.seed ?? DEFAULT_SEED,
  };
}
