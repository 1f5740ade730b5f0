// The cases of the bounded fuzz pass (scripts/hostile-fuzz.mjs): argv drawn from each command's
// --help, data files and saved probes mutated, names a reader could choke on. A case is plain
// data: its argv, the inputs it must leave as they were, and the output it must leave valid.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

/** Flags as a user sees them: `--name <arg>` lines of `ai-route COMMAND --help`. */
export function flagsOf(help) {
  const flags = [];
  for (const m of help.matchAll(/^ {2}(--[a-z][a-z0-9-]*)(?: <([^>]+)>)?/gm))
    if (m[1] !== '--help') flags.push({ flag: m[1], arg: m[2] });
  return flags;
}

// values by the placeholder --help shows; valid ones stay small, so a run that takes long is a bug
const NUMBERS = ['0', '1', '3', '-1', '1.5', '1e3', '1e309', '99999999999999999999', 'NaN', ''];
const BY_ARG = {
  n: [...NUMBERS, '0x10', ' 2', '\u0663'],
  dur: ['0', '1ms', '50ms', '1s', '-1s', '1e309s', '1 s', '', '10', 'PT1S', 'NaNms'],
  pct: ['0', '50', '50%', '100', '101', '-5', '1e-400', 'NaN', '', '0.5'],
  x: ['0', '0.5', '1', '2', '-0.1', 'NaN', ''],
  rps: ['1', '5/s', '0', '-1', '1e309', 'fast'],
  usd: ['0', '0.01', '1e-30', '-1', '1e309', '$5', '1,000'],
  tokens: ['5M', '1B', '0', '-5M', '1e309', '5MM', '5 M', '999999999999999999999B'],
  date: ['2026-02-30', '2026-12-07', '0000-01-01', '9999-12-31', 'yesterday', '2026-1-1', ''],
  format: ['json', 'csv', 'markdown', 'md', 'table', 'html', 'pptx', 'junit', 'xml', 'JSON'],
  days: ['0', '30', '-1', '1e309', 'x'],
  id: ['gpt-4o', 'mock', 'm', 'deepseek-ai/DeepSeek-V4-Flash', 'nope/nope', '', '\u202egpt'],
  expr: ['ttft.p99 < 500ms', 'error_rate < 1%', 'p99<', '<<', 'x > y', 'e2e.p50 <= 1s'],
  text: ['hi', '', 'a'.repeat(20_000), '\u202e\u0007'],
  kind: ['poisson', 'constant', 'uniform', ''],
  list: ['p99', 'sla', 'p99,sla', 'all', 'p99,nope', ''],
  verdict: ['fail', 'warn', 'pass', ''],
  source: ['litellm', 'openrouter', 'genai-prices', 'models-dev', 'nope'],
  name: ['AI_ROUTE_API_KEY', 'FUZZ_UNSET', '', 'lower-case', 'startup', 'enterprise'],
};
const ANY = ['', 'x', '-1', '0', '\u202e', '%s%n', '$(id)', '--', '-h', 'a'.repeat(5000)];

/** The values one flag's placeholder may take, given the run's files, URLs and secrets. */
function valuesFor(flag, arg, ctx) {
  if (arg === undefined) return [];
  // what a run writes goes to its own folder (--into writes the catalog it names)
  if (['--out', '--out-dir', '--samples', '--records', '--into'].includes(flag)) return ctx.outs;
  if (arg === 'url') return ctx.urls;
  if (arg === "'Name: value'") return ctx.headers;
  if (arg === 'file' || arg === 'file|dir' || arg === 'catalog' || arg === 'dir')
    return [...ctx.files, ...ctx.outs];
  if (arg === 'file|name') return ['hybrid', 'growth-stages', 'nope', ...ctx.files];
  return BY_ARG[arg] ?? [...ANY, ...(arg.includes('|') ? arg.split('|') : [])];
}

// what makes a command run at all, and keeps a valid run short; fuzzed flags come after it
const BASE = {
  probe: (ctx) => ['--base-url', ctx.echo, '--model', 'm', '--requests', '5'],
  premortem: (ctx) => [
    ...['--base-url', ctx.echo, '--model', 'm', '--checks', 'p99', '--requests', '5'],
    ...['--yes', '--max-duration', '10s'],
  ],
  'pricing import': () => ['--from', 'litellm'],
};
const POSITIONAL = {
  'pricing import': (ctx) => [ctx.litellm, ctx.importUrl, ctx.redirectUrl, 'missing.json'],
  'pricing validate': (ctx) => ctx.files,
  'probe merge': (ctx) => [ctx.probeA, ctx.probeB],
};

/** Argv for every command that runs and stops by itself, its flags drawn from its --help. */
export function flagCases(commands, ctx, runs, seed) {
  const names = [...commands.keys()];
  const arb = fc
    .constantFrom(...names)
    .chain((name) => {
      const flags = commands.get(name);
      const flag = fc.constantFrom(...flags).chain(({ flag, arg }) => {
        const values = valuesFor(flag, arg, ctx);
        return values.length === 0
          ? fc.constant([flag])
          : fc.constantFrom(...values).map((v) => [flag, v]);
      });
      const positional = POSITIONAL[name]?.(ctx) ?? [];
      return fc.record({
        name: fc.constant(name),
        flags: fc.array(flag, { minLength: 1, maxLength: 4 }),
        positional:
          positional.length === 0
            ? fc.constant([])
            : fc.subarray(positional, { minLength: 0, maxLength: 2 }),
      });
    })
    .map(({ name, flags, positional }) => ({
      kind: 'flags',
      argv: [...name.split(' '), ...(BASE[name]?.(ctx) ?? []), ...flags.flat(), ...positional],
    }));
  const cases = fc.oneof({ arbitrary: arb, weight: 3 }, { arbitrary: secretCase(ctx), weight: 1 });
  return fc.sample(cases, { numRuns: runs, seed });
}

/**
 * A run that reaches the echo server with every credential: the key, a header, a URL's password
 * and query token; what comes back (body, headers, errors, redirects) must show none of them.
 */
function secretCase(ctx) {
  const [plain, withSecrets, failing] = ctx.urls;
  const url = fc.constantFrom(plain, withSecrets, failing);
  const header = fc.constantFrom(...ctx.headers.slice(0, 3));
  const format = fc.constantFrom('table', 'json', 'markdown', 'junit', 'github');
  const traffic = (name, extra) =>
    fc
      .tuple(url, header, format, fc.boolean())
      .map(([u, h, f, samples]) => [
        ...[name, '--base-url', u, '--model', 'm', '--requests', '3', '--header', h],
        ...['--format', f, ...extra, ...(samples ? ['--samples', 'samples.jsonl'] : [])],
      ]);
  const imports = fc
    .constantFrom(ctx.importUrl, ctx.redirectUrl, `${failing}/catalog`)
    .map((u) => ['pricing', 'import', '--from', 'litellm', u, '--out', 'p.json']);
  return fc
    .oneof(traffic('probe', []), traffic('premortem', ['--checks', 'p99', '--yes']), imports)
    .map((argv) => ({ kind: 'flags', argv: argv.filter((a, i) => !isPremortemSamples(argv, i)) }));
}

/** premortem has no --samples: the drawn flag is dropped with its value. */
function isPremortemSamples(argv, i) {
  return argv[0] === 'premortem' && (argv[i] === '--samples' || argv[i - 1] === '--samples');
}

// a mutation of a text: where it applies is a fraction of the length, so one draw fits any file;
// drawn without fast-check's bias to small values, which would put every change at the start
const FRACTION = fc.noBias(fc.integer({ min: 0, max: 999_999 })).map((n) => n / 1e6);
const SNIPPETS = [
  '\u0000',
  '{{{{',
  '"',
  '\n  - ',
  ': ',
  '&a *a',
  '!!binary x',
  '\ufeff',
  '1e309',
  '-0',
  'NaN',
  '\u001b[2J',
  '<<: *x',
  '['.repeat(5000),
  '\ud800',
  '\n\t',
  ',',
  '}',
  'null',
  '"\\u0000"',
];
const MUTATION = fc.oneof(
  fc.record({ op: fc.constant('truncate'), at: FRACTION }),
  fc.record({
    op: fc.constant('flip'),
    at: FRACTION,
    bit: fc.integer({ min: 0, max: 7 }),
  }),
  fc.record({
    op: fc.constant('insert'),
    at: FRACTION,
    text: fc.constantFrom(...SNIPPETS),
  }),
  fc.record({ op: fc.constantFrom('empty', 'bom', 'crlf', 'twice', 'number') }),
);

/** The bytes of a text after one mutation. */
export function mutate(bytes, m, hostileNumber = '1e309') {
  const at = Math.floor((m.at ?? 0) * bytes.length);
  switch (m.op) {
    case 'truncate':
      return bytes.subarray(0, at);
    case 'flip': {
      const out = Buffer.from(bytes);
      if (out.length > 0) out[Math.min(at, out.length - 1)] ^= 1 << m.bit;
      return out;
    }
    case 'insert':
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(m.text), bytes.subarray(at)]);
    case 'empty':
      return Buffer.alloc(0);
    case 'bom':
      return Buffer.concat([Buffer.from('\ufeff'), bytes]);
    case 'crlf':
      return Buffer.from(bytes.toString('latin1').replace(/\n/g, '\r\n'), 'latin1');
    case 'twice':
      return Buffer.concat([bytes, Buffer.from('\n'), bytes]);
    default:
      return Buffer.from(bytes.toString('latin1').replace(/\d+(\.\d+)?/, hostileNumber), 'latin1');
  }
}

// a zlib stream 64 MB long once inflated, in a histogram's clothes (the header says 64 bytes)
const BOMB = (() => {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(0x1c849314, 0); // the compressed-histogram cookie
  header.writeUInt32BE(64, 4);
  const body = deflateSync(Buffer.alloc(64 * 1024 * 1024));
  return `HISTF${Buffer.concat([header, body]).toString('base64')}`;
})();

/** Every leaf of a parsed document, by path. */
function leaves(doc, path = []) {
  if (doc === null || typeof doc !== 'object' || Object.keys(doc).length === 0) return [path];
  return Object.entries(doc).flatMap(([k, v]) => leaves(v, [...path, k]));
}

const DELETE = Symbol('delete');
const HOSTILE_VALUES = [
  ...[-1, 0, 2 ** 60, 1.5, Number.MAX_VALUE, 'x', '', '-0', '1e309', null, [], {}, true, DELETE],
  ...['HISTF', 'HISTFAAAA', BOMB, '2026-02-30', '\u0000', '\u001b[2J', 'a'.repeat(100_000)],
];

/** One edit of a parsed document: a leaf (chosen by a fraction) takes a hostile value. */
const LEAF_EDIT = fc.record({
  at: FRACTION,
  value: fc.oneof(
    fc.constantFrom(...HOSTILE_VALUES),
    fc.integer({ min: -5, max: 1_000_000 }),
    fc.record({ flip: FRACTION, bit: fc.nat(7) }),
  ),
});

function editLeaf(doc, edit) {
  if (doc === null || typeof doc !== 'object') return edit.value;
  const paths = leaves(doc);
  const path = paths[Math.floor(edit.at * paths.length)];
  let node = doc;
  for (const k of path.slice(0, -1)) node = node[k];
  const key = path.at(-1);
  let value = edit.value;
  if (value !== null && typeof value === 'object' && 'flip' in value) {
    const text = Buffer.from(String(node[key]));
    value = mutate(text, { op: 'flip', at: value.flip, bit: value.bit }).toString('latin1');
  }
  if (value === DELETE) delete node[key];
  else node[key] = value;
  return doc;
}

/** A file's bytes after edits of its parsed document, written back in its own format. */
function edited(bytes, file, edits) {
  const yamlFile = /\.ya?ml$/.test(file);
  let doc = yamlFile ? parseYaml(bytes.toString('utf8')) : JSON.parse(bytes.toString('utf8'));
  for (const e of edits) doc = editLeaf(doc, e);
  return Buffer.from(yamlFile ? stringifyYaml(doc) : JSON.stringify(doc, null, 2));
}

/** Raw byte mutations, or edits of the parsed document (which reach past the parser). */
const CHANGE = fc.oneof(
  fc.record({ raw: fc.array(MUTATION, { minLength: 1, maxLength: 3 }) }),
  fc.record({ edits: fc.array(LEAF_EDIT, { minLength: 1, maxLength: 3 }) }),
);

function changed(bytes, file, change, number) {
  if (change.edits !== undefined) return edited(bytes, file, change.edits);
  let out = bytes;
  for (const m of change.raw) out = mutate(out, m, number);
  return out;
}

/**
 * Data files mutated, each read by the commands that take it. `inputs` are the files the run must
 * leave unchanged; `names` is what an exit 2 must name.
 */
export function dataFileCases(bases, dir, runs, seed) {
  const arb = fc.record({
    base: fc.constantFrom(...bases),
    change: CHANGE,
    number: fc.constantFrom('1e309', '-1', '99999999999999999999', '0.1.2', '"1"'),
    pick: fc.nat(),
  });
  return fc.sample(arb, { numRuns: runs, seed }).map((c, i) => {
    const file = join(dir, `data-${i}-${basename(c.base.file)}`);
    writeFileSync(file, changed(readFileSync(c.base.file), c.base.file, c.change, c.number));
    const argv = c.base.argv[c.pick % c.base.argv.length](file);
    return { kind: 'data files', argv, inputs: [file], names: basename(file) };
  });
}

/** Saved probe runs edited by hand or cut short, merged with `probe merge`. */
export function histogramCases(probes, dir, runs, seed) {
  const arb = fc.record({ change: CHANGE, twice: fc.boolean(), histogram: fc.boolean() });
  return fc.sample(arb, { numRuns: runs, seed }).map((c, i) => {
    let change = c.change;
    // half the edits go to a histogram's encoding or its count, the part most worth breaking
    if (c.histogram && change.edits !== undefined)
      change = { edits: change.edits.map((e) => ({ ...e, histogramOnly: true })) };
    const file = join(dir, `probe-${i}.json`);
    writeFileSync(file, changedProbe(readFileSync(probes[0]), change));
    const other = c.twice ? file : probes[1];
    const argv = ['probe', 'merge', file, other, '--format', 'json'];
    return { kind: 'histograms', argv, inputs: [file, probes[1]], names: basename(file) };
  });
}

function changedProbe(bytes, change) {
  if (change.edits === undefined || !change.edits[0].histogramOnly)
    return changed(bytes, 'probe.json', change, '-1');
  const doc = JSON.parse(bytes.toString('utf8'));
  for (const e of change.edits) editLeaf(doc.targets[0].histograms, e);
  return Buffer.from(JSON.stringify(doc, null, 2));
}

// names a reader could choke on: control characters, markup, formulas, direction overrides
const NAMES = [
  '\u001b[2J\u0007',
  'nul \u0000 here',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(2)>',
  '=cmd|" /C calc"!A0',
  ' +1+1',
  '\uff1dSUM(A1)',
  '@SUM(1)',
  '\u202eevil',
  ']]><x>',
  '&amp; &#0;',
  '"quoted" \'single\'',
  'line\nbreak',
  '\ud800 lone',
  '\uffff',
  'a'.repeat(5000),
  '*bold* _i_ |',
  '\u3000=1',
  '{{x}}',
  '\\',
  '',
];

/** A scenario whose every display name is hostile, rendered to each format a reader opens. */
export function nameCases(scenarioText, dir, runs, seed) {
  const arb = fc.record({
    names: fc.array(fc.constantFrom(...NAMES), { minLength: 8, maxLength: 8 }),
    format: fc.constantFrom('pptx', 'html', 'markdown', 'csv', 'json'),
  });
  return fc.sample(arb, { numRuns: runs, seed }).map((c, i) => {
    let k = 0;
    const text = scenarioText.replace(
      /^(\s*-?\s*)(name|description|label): .*$/gm,
      (_line, lead, key) => `${lead}${key}: ${JSON.stringify(c.names[k++ % c.names.length])}`,
    );
    const file = join(dir, `names-${i}.yaml`);
    writeFileSync(file, text);
    const report = ['pptx', 'html', 'markdown'].includes(c.format);
    const out = join(dir, `names-${i}-out.${c.format === 'markdown' ? 'md' : c.format}`);
    const argv = report
      ? ['report', '--scenario', file, '--format', c.format, '--out', out]
      : ['cost', '--scenario', file, '--format', c.format, '--out', out];
    return { kind: 'names', argv, inputs: [file], names: basename(file), valid: c.format, out };
  });
}
