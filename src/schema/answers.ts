import type { Matrix, PartialInputs } from '../domain/matrix.js';
import { parseUsd } from '../units/money.js';
import { isSeed, MAX_SEED } from '../units/seed.js';
import { parseVolume } from '../units/volume.js';
import { DECISION_SCHEMA } from './decision.js';
import type { DataPath, IssueList } from './issues.js';
import { DocReader } from './read.js';

export const ANSWERS_SCHEMA = 'ai-route/answers@1';
/** Every decision JSON whose `inputs` --answers replays: this version's and the two before. */
export const DECISION_SCHEMAS = [
  'ai-route/decision@1',
  'ai-route/decision@2',
  DECISION_SCHEMA,
] as const;

/**
 * An answers file (`ai-route/answers@1`), or a decision this tool wrote (`ai-route/decision@N`),
 * whose `inputs` it replays. Unknown factors and answers are issues with their paths.
 */
export function readAnswersDoc(matrix: Matrix, doc: unknown, issues: IssueList): PartialInputs {
  const read = new DocReader(issues);
  const top =
    read.mapping(
      doc ?? null,
      [],
      `answers (schema ${ANSWERS_SCHEMA}) or a decision (${DECISION_SCHEMAS.join(', ')})`,
    ) ?? {};
  if ((DECISION_SCHEMAS as readonly unknown[]).includes(top.schema)) {
    const inputs = read.mapping(top.inputs, ['inputs'], 'the inputs of the decision');
    // a decision this tool wrote replays as it was made: factors since renamed are read under their
    // new ids
    return inputs === undefined
      ? { answers: {}, importance: {} }
      : readInputs(read, matrix, inputs, ['inputs'], true);
  }
  if (top.schema !== ANSWERS_SCHEMA) {
    issues.add(
      ['schema'],
      `expected "${ANSWERS_SCHEMA}" (or a "${DECISION_SCHEMAS[DECISION_SCHEMAS.length - 1]}" ` +
        `file), got ${JSON.stringify(top.schema ?? null)}`,
    );
  }
  read.onlyKeys(
    top,
    ['schema', 'preset', 'answers', 'importance', 'volume', 'monthly_budget', 'seed'],
    [],
  );
  return readInputs(read, matrix, top, []);
}

/** The factor an answer names, by its id or (when replaying a decision) its former id. */
function factorNamed(
  read: DocReader,
  matrix: Matrix,
  id: string,
  at: DataPath,
  replay: boolean,
): Matrix['factors'][number] | undefined {
  const found = matrix.factors.find((f) => f.id === id);
  if (found !== undefined) return found;
  const renamed = matrix.factors.find((f) => f.formerly?.id === id);
  if (renamed !== undefined && replay) return renamed;
  if (renamed !== undefined)
    read.issues.add(
      at,
      `renamed: "${id}" is now "${renamed.id}" ` +
        `(${renamed.answers.map((a) => a.id).join(', ')}); ${renamed.formerly!.note}`,
    );
  else
    read.issues.add(
      at,
      `no factor "${id}"; factors: ${matrix.factors.map((f) => f.id).join(', ')}`,
    );
  return undefined;
}

/** Volume, monthly budget and seed of an answers file. */
function readScalars(
  read: DocReader,
  map: Record<string, unknown>,
  path: DataPath,
  out: PartialInputs,
): void {
  if (map.volume !== undefined && map.volume !== null) {
    const v = parseVolume(map.volume);
    if (v.ok) out.volume = v.tokens;
    else read.issues.add([...path, 'volume'], v.reason);
  }
  if (map.monthly_budget === null) out.monthly_budget = null;
  else if (map.monthly_budget !== undefined) {
    const b = typeof map.monthly_budget === 'string' ? parseUsd(map.monthly_budget) : undefined;
    if (b === undefined)
      read.issues.add(
        [...path, 'monthly_budget'],
        'expected an amount in USD as a string, such as "500", or null for none',
      );
    else out.monthly_budget = b;
  }
  if (map.seed !== undefined) {
    if (isSeed(map.seed)) out.seed = map.seed;
    else
      read.issues.add(
        [...path, 'seed'],
        `expected a seed (a whole number from 0 to ${MAX_SEED}), got ${JSON.stringify(map.seed)}`,
      );
  }
}

function readInputs(
  read: DocReader,
  matrix: Matrix,
  map: Record<string, unknown>,
  path: DataPath,
  replay = false,
): PartialInputs {
  const out: PartialInputs = { answers: {}, importance: {} };
  const factorOf = (id: string, at: DataPath) => factorNamed(read, matrix, id, at, replay);
  if (map.preset !== undefined && map.preset !== null) {
    if (typeof map.preset === 'string' && Object.hasOwn(matrix.presets, map.preset))
      out.preset = map.preset;
    else
      read.issues.add(
        [...path, 'preset'],
        `expected one of ${Object.keys(matrix.presets).join(', ')}`,
      );
  }
  for (const [factorId, answer] of Object.entries(
    read.mapping(map.answers ?? {}, [...path, 'answers']) ?? {},
  )) {
    const factor = factorOf(factorId, [...path, 'answers', factorId]);
    if (factor === undefined) continue;
    if (typeof answer !== 'string' || !factor.answers.some((a) => a.id === answer)) {
      read.issues.add(
        [...path, 'answers', factorId],
        `expected one of ${factor.answers.map((a) => a.id).join(', ')}, got ` +
          `${JSON.stringify(answer)}`,
      );
    } else out.answers[factor.id] = answer;
  }
  for (const [factorId, value] of Object.entries(
    read.mapping(map.importance ?? {}, [...path, 'importance']) ?? {},
  )) {
    const factor = factorOf(factorId, [...path, 'importance', factorId]);
    if (factor === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 5)
      read.issues.add([...path, 'importance', factorId], 'expected an importance from 0 to 5');
    else out.importance[factor.id] = value;
  }
  readScalars(read, map, path, out);
  return out;
}
