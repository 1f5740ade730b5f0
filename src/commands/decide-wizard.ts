import type { Prompter } from '../domain/context.js';
import type { Matrix, PartialInputs } from '../domain/matrix.js';
import { parseUsd } from '../units/money.js';
import { VOLUME_SPEC, parseVolume } from '../units/volume.js';

/**
 * Asks, one per factor, every question that flags and the answers file left open, then the
 * monthly volume and budget; a preset's answers are the defaults. Returns only what was asked.
 */
export async function askMissing(matrix: Matrix, given: PartialInputs, prompter: Prompter): Promise<PartialInputs> {
  const preset = given.preset === undefined ? undefined : matrix.presets[given.preset];
  const asked: PartialInputs = { answers: {}, importance: {} };
  for (const factor of matrix.factors) {
    if (given.answers[factor.id] !== undefined) continue;
    const fallback = preset?.answers[factor.id];
    asked.answers[factor.id] = await prompter.select({
      name: factor.id,
      message: `${factor.label}: ${factor.question}`,
      choices: factor.answers.map((a) => ({ value: a.id, name: a.label, description: factor.help })),
      ...(fallback === undefined ? {} : { default: fallback }),
    });
  }
  if (given.volume === undefined) {
    const text = await prompter.input({
      name: 'volume',
      message: 'Monthly volume in tokens (5M, 500M, 5B, ...):',
      default: preset === undefined ? '500M' : VOLUME_SPEC.format(preset.volume),
      validate: (v) => {
        const r = parseVolume(v);
        return r.ok ? true : r.reason;
      },
    });
    const parsed = parseVolume(text);
    if (parsed.ok) asked.volume = parsed.tokens;
  }
  if (given.monthly_budget === undefined) {
    const text = await prompter.input({
      name: 'monthly_budget',
      message: 'Monthly budget ceiling in USD (empty for none):',
      default: preset?.monthly_budget?.toFixed() ?? '',
      validate: (v) => (v.trim() === '' || parseUsd(v) !== undefined ? true : 'an amount such as 500, $1,250 or 5k, or empty for none'),
    });
    asked.monthly_budget = text.trim() === '' ? null : (parseUsd(text) ?? null);
  }
  return asked;
}
