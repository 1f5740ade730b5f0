import type {
  AcceptedConflict,
  Channel,
  Fact,
  Matrix,
  MatrixAnswer,
  MatrixFactor,
  MatrixOption,
  MatrixPreset,
  SetupComponent,
  Side,
  Uptime,
} from '../domain/matrix.js';
import { parseUsd } from '../units/money.js';
import { parseVolume } from '../units/volume.js';
import type { DataPath, IssueList } from './issues.js';
import { DocReader } from './read.js';
import { readReference } from './reference.js';

export const MATRIX_SCHEMA = 'ai-route/decision-matrix@2';

const ID = /^[a-z][a-z0-9_]*$/;
const SIDES: readonly Side[] = ['startup', 'between', 'enterprise'];

const MATRIX_KEYS = [
  'schema',
  'version',
  'source',
  'reference',
  'capabilities',
  'channels',
  'options',
  'presets',
  'factors',
];

/**
 * Checks the decision matrix: channels state every capability asked for, every answer is scored for
 * every option, presets are complete.
 */
export function validateMatrix(doc: unknown, issues: IssueList): Matrix {
  const read = new DocReader(issues);
  const top =
    read.mapping(
      doc ?? null,
      [],
      'a decision matrix (schema, channels, options, presets, factors)',
    ) ?? {};
  read.onlyKeys(top, MATRIX_KEYS, []);
  const reference = readReference(read, top.reference, ['reference']);
  if (top.schema !== MATRIX_SCHEMA)
    issues.add(
      ['schema'],
      `expected "${MATRIX_SCHEMA}", got ${JSON.stringify(top.schema ?? null)}`,
    );
  const version =
    read.text(read.required(top, 'version', [], 'a version string'), ['version'], 'a version') ??
    '?';
  const source =
    read.text(
      read.required(top, 'source', [], 'where the matrix comes from'),
      ['source'],
      'a source',
    ) ?? '';
  const capabilities: Record<string, string> = {};
  for (const [id, label] of Object.entries(
    read.mapping(read.required(top, 'capabilities', [], 'the capabilities, id: name'), [
      'capabilities',
    ]) ?? {},
  )) {
    const text = read.text(label, ['capabilities', id], 'its name in tables');
    if (!ID.test(id))
      issues.add(
        ['capabilities', id],
        `capability id "${id}" must be lower-case letters, digits and _`,
      );
    if (text !== undefined) capabilities[id] = text;
  }
  const channels = Object.entries(
    read.mapping(read.required(top, 'channels', [], 'the channels tiers are routed to'), [
      'channels',
    ]) ?? {},
  ).flatMap(([id, raw]) => {
    const c = readChannel(read, id, raw, ['channels', id], capabilities);
    return c ? [c] : [];
  });
  const options = Object.entries(
    read.mapping(read.required(top, 'options', [], 'the options'), ['options']) ?? {},
  ).flatMap(([id, raw]) => {
    const o = readOption(read, id, raw, ['options', id]);
    return o ? [o] : [];
  });
  const optionIds = options.map((o) => o.id);
  const factors = (
    read.list(read.required(top, 'factors', [], 'the factors'), ['factors']) ?? []
  ).flatMap((raw, i) => {
    const f = readFactor(read, raw, ['factors', i], optionIds, channels);
    return f ? [f] : [];
  });
  const ids = new Set<string>();
  factors.forEach((f, i) => {
    if (ids.has(f.id)) issues.add(['factors', i, 'id'], `factor "${f.id}" appears twice`);
    ids.add(f.id);
  });
  const presets: Record<string, MatrixPreset> = {};
  for (const [name, raw] of Object.entries(
    read.mapping(read.required(top, 'presets', [], 'the presets'), ['presets']) ?? {},
  )) {
    const p = readPreset(read, raw, ['presets', name], factors);
    if (p) presets[name] = p;
  }
  return { version, source, reference, capabilities, channels, options, factors, presets };
}

const BASES = ['in_writing', 'published', 'unknown'] as const;

/**
 * An uptime figure and how it is known; `value: null` with basis unknown says the data has none.
 */
function readUptime(read: DocReader, raw: unknown, path: DataPath): Uptime | undefined {
  const up = read.mapping(raw, path, 'an uptime (value, basis, source)');
  if (up === undefined) return undefined;
  read.onlyKeys(up, ['value', 'basis', 'source'], path);
  const basis = read.pattern(
    read.required(up, 'basis', path, BASES.join(', ')),
    [...path, 'basis'],
    /^(in_writing|published|unknown)$/,
    BASES.join(', '),
  ) as Uptime['basis'] | undefined;
  const source = read.text(
    read.required(up, 'source', path, 'where the figure comes from'),
    [...path, 'source'],
    'a source',
  );
  let value: Uptime['value'];
  if (up.value === null || up.value === undefined) {
    if (basis !== undefined && basis !== 'unknown')
      read.issues.add([...path, 'value'], `a ${basis} uptime needs its value, such as "99.9"`);
  } else {
    value = read.decimal(up.value, [...path, 'value'], '99.9');
    if (value !== undefined && (value.gt('100') || value.lte('0')))
      read.issues.add([...path, 'value'], 'expected a percentage above 0 and at most 100');
    if (basis === 'unknown')
      read.issues.add([...path, 'basis'], 'an uptime with a value is in_writing or published');
  }
  if (basis === undefined || source === undefined) return undefined;
  return { value, basis, source };
}

/** A yes/no fact with its source; `value: null` says the data cannot tell. */
function readFact(read: DocReader, raw: unknown, path: DataPath): Fact<boolean> | undefined {
  const map = read.mapping(raw, path, 'a fact (value: true, false or null for unknown; source)');
  if (map === undefined) return undefined;
  read.onlyKeys(map, ['value', 'source'], path);
  if (map.value !== null && typeof map.value !== 'boolean')
    read.issues.add([...path, 'value'], 'expected true, false, or null when the data cannot tell');
  const source = read.text(
    read.required(map, 'source', path, 'where the fact comes from'),
    [...path, 'source'],
    'a source',
  );
  if (source === undefined) return undefined;
  return { value: typeof map.value === 'boolean' ? map.value : undefined, source };
}

function readChannel(
  read: DocReader,
  id: string,
  raw: unknown,
  path: DataPath,
  capabilities: Record<string, string>,
): Channel | undefined {
  const map = read.mapping(raw, path, 'a channel (label, provider, base_url, provides, uptime)');
  if (map === undefined) return undefined;
  read.onlyKeys(map, ['label', 'provider', 'base_url', 'model_prefix', 'provides', 'uptime'], path);
  if (!ID.test(id))
    read.issues.add(path, `channel id "${id}" must be lower-case letters, digits and _`);
  const label = read.text(
    read.required(map, 'label', path, 'a label'),
    [...path, 'label'],
    'a label',
  );
  const provider = read.text(
    read.required(map, 'provider', path, 'the provider (its failure domain)'),
    [...path, 'provider'],
    'a provider',
  );
  const baseUrl = read.pattern(
    read.required(map, 'base_url', path, 'the base URL its tiers use'),
    [...path, 'base_url'],
    /^https?:\/\/\S+$/,
    'an http(s) URL',
  );
  const prefix =
    map.model_prefix === undefined
      ? undefined
      : read.text(map.model_prefix, [...path, 'model_prefix'], 'a model-id prefix such as "Pro/"');
  const provides: Record<string, Fact<boolean>> = {};
  for (const [key, value] of Object.entries(
    read.mapping(read.required(map, 'provides', path, 'the capabilities it provides'), [
      ...path,
      'provides',
    ]) ?? {},
  )) {
    const fact = readFact(read, value, [...path, 'provides', key]);
    if (!Object.hasOwn(capabilities, key))
      read.issues.add(
        [...path, 'provides', key],
        `no capability "${key}" in capabilities: ${Object.keys(capabilities).join(', ')}`,
      );
    if (fact !== undefined) provides[key] = fact;
  }
  for (const key of Object.keys(capabilities))
    if (!Object.hasOwn(provides, key))
      read.issues.add(
        [...path, 'provides'],
        `does not say whether it provides "${key}" (write value: null when the data cannot tell)`,
      );
  const uptime = readUptime(
    read,
    read.required(map, 'uptime', path, 'its uptime: value, basis, source'),
    [...path, 'uptime'],
  );
  if (!label || !provider || !baseUrl || !uptime) return undefined;
  return { id, label, provider, base_url: baseUrl, model_prefix: prefix, provides, uptime };
}

function readOption(
  read: DocReader,
  id: string,
  raw: unknown,
  path: DataPath,
): MatrixOption | undefined {
  const map = read.mapping(raw, path, 'an option (label, summary, scenario)');
  if (map === undefined) return undefined;
  read.onlyKeys(map, ['label', 'summary', 'scenario', 'components', 'accepts'], path);
  if (!ID.test(id))
    read.issues.add(path, `option id "${id}" must be lower-case letters, digits and _`);
  const label = read.text(
    read.required(map, 'label', path, 'a label'),
    [...path, 'label'],
    'a label',
  );
  const summary = read.text(
    read.required(map, 'summary', path, 'one line on what the setup is'),
    [...path, 'summary'],
    'a summary',
  );
  const scenario = read.text(
    read.required(map, 'scenario', path, 'the scenario holding its tiers'),
    [...path, 'scenario'],
    'a scenario name',
  );
  const components: SetupComponent[] = [];
  (map.components === undefined
    ? []
    : (read.list(map.components, [...path, 'components']) ?? [])
  ).forEach((c, i) => {
    const cp = [...path, 'components', i];
    const cm = read.mapping(c, cp, 'a component every request passes through (label, uptime)');
    if (cm === undefined) return;
    read.onlyKeys(cm, ['label', 'uptime'], cp);
    const clabel = read.text(
      read.required(cm, 'label', cp, 'a label'),
      [...cp, 'label'],
      'a label',
    );
    const uptime = readUptime(read, read.required(cm, 'uptime', cp, 'its uptime'), [
      ...cp,
      'uptime',
    ]);
    if (clabel && uptime) components.push({ label: clabel, uptime });
  });
  const accepts: AcceptedConflict[] = [];
  (map.accepts === undefined ? [] : (read.list(map.accepts, [...path, 'accepts']) ?? [])).forEach(
    (a, i) => {
      const ap = [...path, 'accepts', i];
      const am = read.mapping(a, ap, 'an accepted conflict (capability, tier, via, why)');
      if (am === undefined) return;
      read.onlyKeys(am, ['capability', 'tier', 'via', 'why'], ap);
      const capability = read.pattern(
        read.required(am, 'capability', ap, 'the capability'),
        [...ap, 'capability'],
        ID,
        'a capability name',
      );
      const tier = read.text(
        read.required(am, 'tier', ap, 'the tier'),
        [...ap, 'tier'],
        'a tier name',
      );
      const via =
        am.via === undefined ? undefined : read.text(am.via, [...ap, 'via'], 'the fallback tier');
      const why = read.text(
        read.required(am, 'why', ap, 'why it is accepted'),
        [...ap, 'why'],
        'a reason',
      );
      if (capability && tier && why) accepts.push({ capability, tier, via, why });
    },
  );
  if (!label || !summary || !scenario) return undefined;
  return { id, label, summary, scenario, components, accepts };
}

function readAnswer(
  read: DocReader,
  a: unknown,
  ap: DataPath,
  channels: Channel[],
): MatrixAnswer | undefined {
  const am = read.mapping(a, ap, 'an answer (id, label, side)');
  if (am === undefined) return undefined;
  read.onlyKeys(am, ['id', 'label', 'side', 'requires', 'ceiling'], ap);
  const aid = read.pattern(
    read.required(am, 'id', ap, 'an id'),
    [...ap, 'id'],
    ID,
    'an id of lower-case letters, digits and _',
  );
  const alabel = read.text(read.required(am, 'label', ap, 'a label'), [...ap, 'label'], 'a label');
  const side = read.pattern(
    read.required(am, 'side', ap, 'startup, between or enterprise'),
    [...ap, 'side'],
    /^(startup|between|enterprise)$/,
    SIDES.join(', '),
  );
  const requires =
    am.requires === undefined
      ? undefined
      : read.pattern(am.requires, [...ap, 'requires'], ID, 'a capability name');
  if (
    requires !== undefined &&
    channels.length > 0 &&
    !channels.some((ch) => Object.hasOwn(ch.provides, requires))
  ) {
    read.issues.add(
      [...ap, 'requires'],
      `no capability "${requires}": declare it under capabilities and say on every ` +
        `channel whether it provides it`,
    );
  }
  const ceiling =
    am.ceiling === undefined
      ? undefined
      : typeof am.ceiling === 'string'
        ? parseUsd(am.ceiling)
        : undefined;
  if (am.ceiling !== undefined && ceiling === undefined)
    read.issues.add([...ap, 'ceiling'], 'expected an amount in USD as a string, such as "500"');
  if (!aid || !alabel || !side) return undefined;
  return { id: aid, label: alabel, side: side as Side, requires, ceiling };
}

/** A factor's score table: [score, reason] per answer and option, every cell checked. */
function readScores(
  read: DocReader,
  map: Record<string, unknown>,
  path: DataPath,
  answers: readonly MatrixAnswer[],
  optionIds: readonly string[],
): MatrixFactor['scores'] {
  const scores: MatrixFactor['scores'] = {};
  const table =
    read.mapping(read.required(map, 'scores', path, 'a score per answer and option'), [
      ...path,
      'scores',
    ]) ?? {};
  for (const answer of answers) {
    const row = read.mapping(
      table[answer.id] ?? null,
      [...path, 'scores', answer.id],
      `scores for answer "${answer.id}"`,
    );
    scores[answer.id] = {};
    if (row === undefined) continue; // one issue for the missing row, not one per cell
    for (const option of optionIds) {
      const cell = row[option];
      const cp = [...path, 'scores', answer.id, option];
      if (
        !Array.isArray(cell) ||
        cell.length !== 2 ||
        typeof cell[0] !== 'number' ||
        cell[0] < 0 ||
        cell[0] > 10 ||
        typeof cell[1] !== 'string' ||
        cell[1].trim() === ''
      ) {
        read.issues.add(cp, 'expected [score from 0 to 10, "the reason"]');
        continue;
      }
      scores[answer.id]![option] = { score: cell[0], reason: cell[1] };
    }
  }
  for (const key of Object.keys(table))
    if (!answers.some((a) => a.id === key))
      read.issues.add([...path, 'scores', key], `no answer "${key}" to score`);
  return scores;
}

function readFactor(
  read: DocReader,
  raw: unknown,
  path: DataPath,
  optionIds: string[],
  channels: Channel[],
): MatrixFactor | undefined {
  const map = read.mapping(raw, path, 'a factor');
  if (map === undefined) return undefined;
  read.onlyKeys(map, ['id', 'formerly', 'label', 'question', 'help', 'answers', 'scores'], path);
  const id = read.pattern(
    read.required(map, 'id', path, 'an id'),
    [...path, 'id'],
    ID,
    'an id of lower-case letters, digits and _',
  );
  const formerly =
    map.formerly === undefined
      ? undefined
      : readFormerly(read, map.formerly, [...path, 'formerly']);
  const label = read.text(
    read.required(map, 'label', path, 'a label'),
    [...path, 'label'],
    'a label',
  );
  const question = read.text(
    read.required(map, 'question', path, 'the question'),
    [...path, 'question'],
    'a question',
  );
  const help = read.text(
    read.required(map, 'help', path, 'help text'),
    [...path, 'help'],
    'help text',
  );
  const answers = (
    read.list(read.required(map, 'answers', path, 'the answers'), [...path, 'answers']) ?? []
  ).flatMap((a, i) => readAnswer(read, a, [...path, 'answers', i], channels) ?? []);
  if (answers.length < 2) read.issues.add([...path, 'answers'], 'expected at least two answers');
  const scores = readScores(read, map, path, answers, optionIds);
  if (!id || !label || !question || !help) return undefined;
  return { id, formerly, label, question, help, answers, scores };
}

function readFormerly(read: DocReader, raw: unknown, path: DataPath): MatrixFactor['formerly'] {
  const map = read.mapping(raw, path, 'the former id and a note (id, note)');
  if (map === undefined) return undefined;
  read.onlyKeys(map, ['id', 'note'], path);
  const id = read.pattern(
    read.required(map, 'id', path, 'the id this factor had before'),
    [...path, 'id'],
    ID,
    'an id',
  );
  const note = read.text(
    read.required(map, 'note', path, 'what to tell someone who uses the old id'),
    [...path, 'note'],
    'a note',
  );
  return id === undefined || note === undefined ? undefined : { id, note };
}

function readPreset(
  read: DocReader,
  raw: unknown,
  path: DataPath,
  factors: MatrixFactor[],
): MatrixPreset | undefined {
  const map = read.mapping(raw, path, 'a preset (answers, weights, volume, monthly_budget)');
  if (map === undefined) return undefined;
  read.onlyKeys(map, ['answers', 'weights', 'volume', 'monthly_budget'], path);
  const answers =
    read.mapping(read.required(map, 'answers', path, 'an answer per factor'), [
      ...path,
      'answers',
    ]) ?? {};
  const weights =
    read.mapping(read.required(map, 'weights', path, 'an importance per factor'), [
      ...path,
      'weights',
    ]) ?? {};
  const out: MatrixPreset = { answers: {}, weights: {}, volume: 0, monthly_budget: undefined };
  for (const f of factors) {
    const a = answers[f.id];
    if (typeof a !== 'string' || !f.answers.some((x) => x.id === a))
      read.issues.add(
        [...path, 'answers', f.id],
        `expected one of ${f.answers.map((x) => x.id).join(', ')}`,
      );
    else out.answers[f.id] = a;
    const w = weights[f.id];
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0 || w > 5)
      read.issues.add([...path, 'weights', f.id], 'expected an importance from 0 to 5');
    else out.weights[f.id] = w;
  }
  const volume = parseVolume(read.required(map, 'volume', path, 'a monthly volume such as 50M'));
  if (!volume.ok) read.issues.add([...path, 'volume'], volume.reason);
  else out.volume = volume.tokens;
  if (map.monthly_budget !== undefined) {
    const budget =
      typeof map.monthly_budget === 'string' ? parseUsd(map.monthly_budget) : undefined;
    if (budget === undefined)
      read.issues.add(
        [...path, 'monthly_budget'],
        'expected an amount in USD as a string, such as "500"',
      );
    out.monthly_budget = budget;
  }
  return out;
}
