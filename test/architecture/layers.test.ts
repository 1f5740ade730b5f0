import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run.js';

/**
 * The layering of src/, enforced: each folder may import only its own layer and the ones below
 * it, no folder cycle exists, and the pure layers touch no file, clock, network or terminal.
 */
const LAYERS = [
  'domain',
  'units',
  'schema',
  'core',
  'load',
  'render',
  'io',
  'views',
  'commands',
  'entry',
] as const;
type Layer = (typeof LAYERS)[number];

/** Layers that must stay pure: data in, data out. */
const PURE: readonly Layer[] = ['domain', 'units', 'schema', 'core'];
/** Packages and builtins a pure layer may not import (big.js is the one allowed: exact money). */
const IMPURE_IMPORT =
  /^(node:|fs$|path$|os$|child_process$|http$|net$|chalk$|openai$|@inquirer\/|yaml$|cli-table3|commander$)/;
/**
 * Reading the clock or the process from a pure layer; calendar arithmetic on given dates is fine.
 */
const IMPURE_CALL =
  /\bDate\.now\(|new Date\(\)|performance\.now\(|process\.|setTimeout\(|setImmediate\(/;

const SRC = join(ROOT, 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory()
      ? files(path)
      : name.endsWith('.ts') && !name.endsWith('.d.ts')
        ? [path]
        : [];
  });
}

function layerOf(file: string): Layer {
  const top = relative(SRC, file).split(sep)[0]!;
  return (LAYERS as readonly string[]).includes(top) ? (top as Layer) : 'entry';
}

/** Every module a file imports, statically or lazily, with its specifier. */
function importsOf(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/g))
    found.push(m[1]!);
  for (const m of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(m[1]!);
  return found;
}

const SOURCES = files(SRC).map((file) => {
  const text = readFileSync(file, 'utf8');
  return { file, rel: relative(SRC, file), layer: layerOf(file), text, imports: importsOf(text) };
});

function target(from: string, spec: string): string {
  return resolve(dirname(from), spec.replace(/\.js$/, '.ts'));
}

describe('the layers of src/', () => {
  it('knows every source file', () => {
    expect(SOURCES.length).toBeGreaterThan(40);
    expect(
      SOURCES.filter((s) => s.layer === 'entry')
        .map((s) => s.rel)
        .sort(),
    ).toEqual(['cli.ts', 'main.ts']);
  });

  it('imports only downward: a layer uses itself and the layers below it', () => {
    const upward: string[] = [];
    for (const s of SOURCES) {
      for (const spec of s.imports.filter((i) => i.startsWith('.'))) {
        const to = layerOf(target(s.file, spec));
        if (LAYERS.indexOf(to) > LAYERS.indexOf(s.layer))
          upward.push(`${s.rel} (${s.layer}) imports ${spec} (${to})`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('has no cycle between folders', () => {
    const folder = (file: string) => dirname(relative(SRC, file));
    const edges = new Map<string, Set<string>>();
    for (const s of SOURCES) {
      for (const spec of s.imports.filter((i) => i.startsWith('.'))) {
        const [a, b] = [folder(s.file), folder(target(s.file, spec))];
        if (a !== b) edges.set(a, (edges.get(a) ?? new Set()).add(b));
      }
    }
    const cycles: string[] = [];
    const visit = (node: string, path: string[]) => {
      for (const next of edges.get(node) ?? []) {
        if (path.includes(next))
          cycles.push([...path.slice(path.indexOf(next)), next].join(' -> '));
        else visit(next, [...path, next]);
      }
    };
    for (const node of edges.keys()) visit(node, [node]);
    expect(cycles).toEqual([]);
  });

  it(
    'keeps domain, units, schema and core pure: no fs, clock, network, terminal, SDK or ' +
      'prompts',
    () => {
      const impure: string[] = [];
      for (const s of SOURCES.filter((x) => PURE.includes(x.layer))) {
        for (const spec of s.imports.filter((i) => !i.startsWith('.')))
          if (IMPURE_IMPORT.test(spec)) impure.push(`${s.rel} imports ${spec}`);
        const code = s.text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
        const call = IMPURE_CALL.exec(code);
        if (call) impure.push(`${s.rel} calls ${call[0]}`);
      }
      expect(impure).toEqual([]);
    },
  );

  it('keeps the domain model free of project imports: types and enumerations only', () => {
    const inward = SOURCES.filter((s) => s.layer === 'domain').flatMap((s) =>
      s.imports
        .filter((i) => i.startsWith('.') && layerOf(target(s.file, i)) !== 'domain')
        .map((i) => `${s.rel} imports ${i}`),
    );
    expect(inward).toEqual([]);
  });

  it('has commands that never import another command: what they share is a view below them', () => {
    const isCommand = (text: string) => /export async function run[A-Z]\w*\(/.test(text);
    const commands = SOURCES.filter((s) => s.layer === 'commands' && isCommand(s.text));
    expect(commands.length).toBeGreaterThanOrEqual(8);
    const byFile = new Map(commands.map((c) => [c.file, c]));
    const crossing = commands.flatMap((c) =>
      c.imports
        .filter(
          (i) => i.startsWith('.') && byFile.has(target(c.file, i)) && target(c.file, i) !== c.file,
        )
        .map((i) => `${c.rel} imports the command ${i}`),
    );
    expect(crossing).toEqual([]);
    // the check can fail: a command importing another is seen
    const cost = [...byFile.keys()].find((f) => f.endsWith(`${sep}cost.ts`))!;
    expect(byFile.has(target(cost, './report.js'))).toBe(true);
  });

  it('catches an upward import when one is written (the check itself can fail)', () => {
    const probe = { file: join(SRC, 'core', 'x.ts'), layer: 'core' as Layer };
    expect(LAYERS.indexOf(layerOf(target(probe.file, '../render/format.js')))).toBeGreaterThan(
      LAYERS.indexOf(probe.layer),
    );
    expect(
      importsOf("const x = await import('../io/output.js');\nimport { y } from './y.js';"),
    ).toEqual(['./y.js', '../io/output.js']);
  });
});

describe('one home per format', () => {
  const ID = /['"`](ai-route\/[a-z-]+@\d+)['"`]/g;

  it('declares each ai-route/*@N id once, in src/schema/', () => {
    const declared = new Map<string, string[]>();
    for (const s of SOURCES) {
      const code = s.text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      for (const m of code.matchAll(ID))
        declared.set(m[1]!, [...(declared.get(m[1]!) ?? []), s.rel]);
    }
    expect(declared.size).toBeGreaterThan(12);
    const misplaced = [...declared].filter(
      ([, where]) => where.length !== 1 || !where[0]!.startsWith(`schema${sep}`),
    );
    expect(misplaced).toEqual([]);
  });

  it('would see an id declared twice (the check itself can fail)', () => {
    const text = "const A = 'ai-route/x@1';\nconst B = `ai-route/x@1`;";
    expect([...text.matchAll(ID)].map((m) => m[1])).toEqual(['ai-route/x@1', 'ai-route/x@1']);
  });
});
