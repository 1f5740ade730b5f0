import type { Matrix, PartialInputs } from '../domain/matrix.js';
import { parseUsd } from '../units/money.js';
import { isSeed, MAX_SEED } from '../units/seed.js';
import { parseVolume } from '../units/volume.js';
import type { DataPath, IssueList } from './issues.js';
import { DocReader } from './read.js';

export const ANSWERS_SCHEMA = 'ai-route/answers@1';
export const DECISION_SCHEMAS = ['ai-route/decision@1', 'ai-route/decision@2'] as const;

/**
 * An answers file (`ai-route/answers@1`), or a decision this tool wrote (`ai-route/decision@N`),
 * whose `inputs` it replays. Unknown factors and answers are issues with their paths.
 */
export function readAnswersDoc(matrix: Matrix, doc: unknown, issues: IssueList): PartialInputs {
  const read = new DocReader(issues);
  const top = read.mapping(doc ?? null, [], `answers (schema ${ANSWERS_SCHEMA}) or a decision (${DECISION_SCHEMAS.join(', ')})`) ?? {};
  if ((DECISION_SCHEMAS as readonly unknown[]).includes(top.schema)) {
    const inputs = read.mapping(top.inputs, ['inputs'], 'the inputs of the decision');
    return inputs === undefined ? { answers: {}, importance: {} } : readInputs(read, matrix, inputs, ['inputs']);
  }
  if (top.schema !== ANSWERS_SCHEMA) {
    issues.add(['schema'], `expected "${ANSWERS_SCHEMA}" (or a "${DECISION_SCHEMAS[DECISION_SCHEMAS.length - 1]}" file), got ${JSON.stringify(top.schema ?? null)}`);
  }
  read.onlyKeys(top, ['schema', 'preset', 'answers', 'importance', 'volume', 'monthly_budget', 'seed'], []);
  return readInputs(read, matrix, top, []);
}

function readInputs(read: DocReader, matrix: Matrix, map: Record<string, unknown>, path: DataPath): PartialInputs {
  const out: PartialInputs = { answers: {}, importance: {} };
  if (map.preset !== undefined && map.preset !== null) {
    if (typeof map.preset === 'string' && Object.hasOwn(matrix.presets, map.preset)) out.preset = map.preset;
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
    else if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 5)
      read.issues.add([...path, 'importance', factorId], 'expected an importance from 0 to 5');
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
    if (isSeed(map.seed)) out.seed = map.seed;
    else read.issues.add([...path, 'seed'], `expected a seed (a whole number from 0 to ${MAX_SEED}), got ${JSON.stringify(map.seed)}`);
  }
  return out;
}
