import type { Matrix, MatrixAnswer, MatrixFactor, MatrixOption, MatrixPreset, Side } from '../domain/matrix.js';
import { parseUsd } from '../units/money.js';
import { parseVolume } from '../units/volume.js';
import type { DataPath, IssueList } from './issues.js';
import { DocReader } from './read.js';

export const MATRIX_SCHEMA = 'ai-route/decision-matrix@1';

const ID = /^[a-z][a-z0-9_]*$/;
const SIDES: readonly Side[] = ['startup', 'between', 'enterprise'];

/** Checks the decision matrix: every answer scored for every option, presets complete. */
export function validateMatrix(doc: unknown, issues: IssueList): Matrix {
  const read = new DocReader(issues);
  const top = read.mapping(doc ?? null, [], 'a decision matrix (schema, options, presets, factors)') ?? {};
  read.onlyKeys(top, ['schema', 'version', 'source', 'options', 'presets', 'factors'], []);
  if (top.schema !== MATRIX_SCHEMA) issues.add(['schema'], `expected "${MATRIX_SCHEMA}", got ${JSON.stringify(top.schema ?? null)}`);
  const version = read.text(read.required(top, 'version', [], 'a version string'), ['version'], 'a version') ?? '?';
  const source = read.text(read.required(top, 'source', [], 'where the matrix comes from'), ['source'], 'a source') ?? '';
  const options = Object.entries(read.mapping(read.required(top, 'options', [], 'the options'), ['options']) ?? {}).flatMap(([id, raw]) => {
    const o = readOption(read, id, raw, ['options', id]);
    return o ? [o] : [];
  });
  const optionIds = options.map((o) => o.id);
  const factors = (read.list(read.required(top, 'factors', [], 'the factors'), ['factors']) ?? []).flatMap((raw, i) => {
    const f = readFactor(read, raw, ['factors', i], optionIds, options);
    return f ? [f] : [];
  });
  const ids = new Set<string>();
  factors.forEach((f, i) => {
    if (ids.has(f.id)) issues.add(['factors', i, 'id'], `factor "${f.id}" appears twice`);
    ids.add(f.id);
  });
  const presets: Record<string, MatrixPreset> = {};
  for (const [name, raw] of Object.entries(read.mapping(read.required(top, 'presets', [], 'the presets'), ['presets']) ?? {})) {
    const p = readPreset(read, raw, ['presets', name], factors);
    if (p) presets[name] = p;
  }
  return { version, source, options, factors, presets };
}

function readOption(read: DocReader, id: string, raw: unknown, path: DataPath): MatrixOption | undefined {
  const map = read.mapping(raw, path, 'an option');
  if (map === undefined) return undefined;
  read.onlyKeys(map, ['label', 'posture', 'channel', 'scenario', 'provides', 'uptime'], path);
  if (!ID.test(id)) read.issues.add(path, `option id "${id}" must be lower-case letters, digits and _`);
  const label = read.text(read.required(map, 'label', path, 'a label'), [...path, 'label'], 'a label');
  const posture = read.pattern(read.required(map, 'posture', path, 'startup or enterprise'), [...path, 'posture'], /^(startup|enterprise)$/, 'startup or enterprise');
  const channel = read.pattern(read.required(map, 'channel', path, 'a channel name'), [...path, 'channel'], ID, 'a channel name');
  const scenario = read.text(read.required(map, 'scenario', path, 'the scenario holding its tiers'), [...path, 'scenario'], 'a scenario name');
  const provides: Record<string, boolean> = {};
  for (const [key, value] of Object.entries(read.mapping(read.required(map, 'provides', path, 'the capabilities it provides'), [...path, 'provides']) ?? {})) {
    if (typeof value !== 'boolean') read.issues.add([...path, 'provides', key], 'expected true or false');
    else provides[key] = value;
  }
  const up = read.mapping(read.required(map, 'uptime', path, 'its uptime: value, in_writing, source'), [...path, 'uptime']) ?? {};
  read.onlyKeys(up, ['value', 'in_writing', 'source'], [...path, 'uptime']);
  const uptime = read.decimal(read.required(up, 'value', [...path, 'uptime'], 'a percentage such as "99.9"'), [...path, 'uptime', 'value'], '99.9');
  if (uptime !== undefined && (uptime.gt('100') || uptime.lte('0'))) read.issues.add([...path, 'uptime', 'value'], 'expected a percentage above 0 and at most 100');
  if (typeof up.in_writing !== 'boolean') read.issues.add([...path, 'uptime', 'in_writing'], 'expected true or false');
  const upSource = read.text(read.required(up, 'source', [...path, 'uptime'], 'a source'), [...path, 'uptime', 'source'], 'a source');
  if (!label || !posture || !channel || !scenario || !uptime || !upSource) return undefined;
  return { id, label, posture: posture as MatrixOption['posture'], channel, scenario, provides, uptime: { value: uptime, in_writing: up.in_writing === true, source: upSource } };
}

function readFactor(read: DocReader, raw: unknown, path: DataPath, optionIds: string[], options: MatrixOption[]): MatrixFactor | undefined {
  const map = read.mapping(raw, path, 'a factor');
  if (map === undefined) return undefined;
  read.onlyKeys(map, ['id', 'label', 'question', 'help', 'answers', 'scores'], path);
  const id = read.pattern(read.required(map, 'id', path, 'an id'), [...path, 'id'], ID, 'an id of lower-case letters, digits and _');
  const label = read.text(read.required(map, 'label', path, 'a label'), [...path, 'label'], 'a label');
  const question = read.text(read.required(map, 'question', path, 'the question'), [...path, 'question'], 'a question');
  const help = read.text(read.required(map, 'help', path, 'help text'), [...path, 'help'], 'help text');
  const answers: MatrixAnswer[] = [];
  (read.list(read.required(map, 'answers', path, 'the answers'), [...path, 'answers']) ?? []).forEach((a, i) => {
    const ap = [...path, 'answers', i];
    const am = read.mapping(a, ap, 'an answer (id, label, side)');
    if (am === undefined) return;
    read.onlyKeys(am, ['id', 'label', 'side', 'requires'], ap);
    const aid = read.pattern(read.required(am, 'id', ap, 'an id'), [...ap, 'id'], ID, 'an id of lower-case letters, digits and _');
    const alabel = read.text(read.required(am, 'label', ap, 'a label'), [...ap, 'label'], 'a label');
    const side = read.pattern(read.required(am, 'side', ap, 'startup, between or enterprise'), [...ap, 'side'], /^(startup|between|enterprise)$/, SIDES.join(', '));
    const requires = am.requires === undefined ? undefined : read.pattern(am.requires, [...ap, 'requires'], ID, 'a capability name');
    if (requires !== undefined && !options.some((o) => requires in o.provides)) {
      read.issues.add([...ap, 'requires'], `no option says whether it provides "${requires}"`);
    }
    if (aid && alabel && side) answers.push({ id: aid, label: alabel, side: side as Side, requires });
  });
  if (answers.length < 2) read.issues.add([...path, 'answers'], 'expected at least two answers');
  const scores: MatrixFactor['scores'] = {};
  const table = read.mapping(read.required(map, 'scores', path, 'a score per answer and option'), [...path, 'scores']) ?? {};
  for (const answer of answers) {
    const row = read.mapping(table[answer.id] ?? null, [...path, 'scores', answer.id], `scores for answer "${answer.id}"`);
    scores[answer.id] = {};
    if (row === undefined) continue; // one issue for the missing row, not one per cell
    for (const option of optionIds) {
      const cell = row[option];
      const cp = [...path, 'scores', answer.id, option];
      if (!Array.isArray(cell) || cell.length !== 2 || typeof cell[0] !== 'number' || cell[0] < 0 || cell[0] > 10 || typeof cell[1] !== 'string' || cell[1].trim() === '') {
        read.issues.add(cp, 'expected [score from 0 to 10, "the reason"]');
        continue;
      }
      scores[answer.id]![option] = { score: cell[0], reason: cell[1] };
    }
  }
  for (const key of Object.keys(table)) if (!answers.some((a) => a.id === key)) read.issues.add([...path, 'scores', key], `no answer "${key}" to score`);
  if (!id || !label || !question || !help) return undefined;
  return { id, label, question, help, answers, scores };
}

function readPreset(read: DocReader, raw: unknown, path: DataPath, factors: MatrixFactor[]): MatrixPreset | undefined {
  const map = read.mapping(raw, path, 'a preset (answers, weights, volume, monthly_budget)');
  if (map === undefined) return undefined;
  read.onlyKeys(map, ['answers', 'weights', 'volume', 'monthly_budget'], path);
  const answers = read.mapping(read.required(map, 'answers', path, 'an answer per factor'), [...path, 'answers']) ?? {};
  const weights = read.mapping(read.required(map, 'weights', path, 'an importance per factor'), [...path, 'weights']) ?? {};
  const out: MatrixPreset = { answers: {}, weights: {}, volume: 0, monthly_budget: undefined };
  for (const f of factors) {
    const a = answers[f.id];
    if (typeof a !== 'string' || !f.answers.some((x) => x.id === a)) read.issues.add([...path, 'answers', f.id], `expected one of ${f.answers.map((x) => x.id).join(', ')}`);
    else out.answers[f.id] = a;
    const w = weights[f.id];
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0 || w > 5) read.issues.add([...path, 'weights', f.id], 'expected an importance from 0 to 5');
    else out.weights[f.id] = w;
  }
  const volume = parseVolume(read.required(map, 'volume', path, 'a monthly volume such as 50M'));
  if (!volume.ok) read.issues.add([...path, 'volume'], volume.reason);
  else out.volume = volume.tokens;
  if (map.monthly_budget !== undefined) {
    const budget = typeof map.monthly_budget === 'string' ? parseUsd(map.monthly_budget) : undefined;
    if (budget === undefined) read.issues.add([...path, 'monthly_budget'], 'expected an amount in USD as a string, such as "500"');
    out.monthly_budget = budget;
  }
  return out;
}
