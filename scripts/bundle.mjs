// Second build step, after tsc: precompile the shipped data, then link tsc's ESM output into
// one CommonJS file for bin/ai-route.cjs. Why (measured on Node 20.20, see README "Start-up"):
// Node 20 has no compile cache; loading ~80 ESM files of commander, chalk and cli-table3 costs
// more than the whole `cost` run; and merely starting the ESM loader costs ~4.5 ms (it pulls in
// fs/promises, readline and the stream stack). One CommonJS file avoids all three. Modules that
// src/ imports lazily stay lazy: esbuild wraps them and runs them on first import.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const { parseYaml } = await import(join(dist, 'tsc/load/yaml.js'));
const { IssueList, formatPath } = await import(join(dist, 'tsc/schema/issues.js'));
const { validatePricing } = await import(join(dist, 'tsc/schema/pricing.js'));
const { validateScenario } = await import(join(dist, 'tsc/schema/scenario.js'));
const { validateMatrix } = await import(join(dist, 'tsc/schema/matrix.js'));

// 1. The shipped YAML, parsed and validated now so that `ai-route cost` need not load a YAML
//    parser. At run time a file is used from this cache only if its text is unchanged.
const validators = { pricing: validatePricing, scenarios: validateScenario, matrix: (doc, _file, issues) => validateMatrix(doc, issues) };
const cache = {};
const problems = [];
for (const dir of Object.keys(validators)) {
  for (const name of readdirSync(join(root, dir)).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    const rel = `${dir}/${name}`;
    const text = readFileSync(join(root, rel), 'utf8');
    const parsed = parseYaml(text);
    for (const e of parsed.errors) problems.push(`${rel}:${e.line}:${e.col}: ${e.message}`);
    if (parsed.errors.length > 0) continue;
    const issues = new IssueList();
    validators[dir](parsed.value, rel, issues);
    for (const i of issues.items) problems.push(`${rel}: ${formatPath(i.path)}: ${i.message}`);
    cache[rel] = { text, value: parsed.value };
  }
}
if (problems.length > 0) {
  console.error(`shipped data is invalid:\n${problems.join('\n')}`);
  process.exit(2);
}
writeFileSync(join(dist, 'data-cache.json'), JSON.stringify(cache));

// Two imports that cost start-up time for code we never run: commander loads child_process
// (for executable subcommands, unused here) and chalk loads os and tty to detect colour (we
// always pass chalk an explicit level, decided in src/io/color.ts). ~7 ms together on Node 20.
const leanBuiltins = {
  name: 'lean-builtins',
  setup(b) {
    b.onResolve({ filter: /^#supports-color$/ }, () => ({ path: 'supports-color', namespace: 'lean' }));
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.importer.includes(`${'node_modules'}/commander/`) ? { path: 'child_process', namespace: 'lean' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lean' }, (args) =>
      args.path === 'supports-color'
        ? { contents: 'export default { stdout: false, stderr: false };', loader: 'js' }
        : { contents: "module.exports = new Proxy({}, { get: (_, key) => require('node:child_process')[key] });", loader: 'js' },
    );
  },
};

// cli-table3 measures every cell with string-width several times (emoji regex, ANSI stripping);
// for printable ASCII the width is the length, so answer that directly and leave every other
// string to the real module. Same results; a 1,750-row table draws ~40% faster.
const asciiWidth = {
  name: 'ascii-string-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, (args) =>
      args.importer.includes(`${'node_modules'}/cli-table3/`) ? { path: 'string-width', namespace: 'ascii-width', pluginData: args.resolveDir } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'ascii-width' }, (args) => ({
      contents:
        "const real = require('string-width');\n" +
        'const printable = /^[\\x20-\\x7e]*$/;\n' +
        "module.exports = (s) => (typeof s === 'string' && printable.test(s) ? s.length : real(s));\n",
      resolveDir: args.pluginData,
      loader: 'js',
    }));
  },
};

// cli-table3's Cell.draw truncates every cell to build a debug message that is recorded only
// when a table is made with { debug: true }, which ai-route never does: skip building it.
const DEBUG_LINE = `    let content = utils.truncate(this.content, 10, this.truncate);
    if (!lineNum) {
      info(\`\${this.y}-\${this.x}: \${this.rowSpan - lineNum}x\${this.colSpan} Cell \${content}\`);
    } else {`;
const NO_DEBUG_LINE = `    if (!lineNum) {
      // debug message not built: ai-route never enables cli-table3's debug mode
    } else {`;

// cli-table3 camel-cases the same option names ('top-left' -> 'topLeft') for 16 border
// characters of every cell; memoize that. Same results; the build fails if the source changes.
const SET_OPTION = `function setOption(objA, objB, nameB, targetObj) {
  let nameA = nameB.split('-');
  if (nameA.length > 1) {
    nameA[1] = nameA[1].charAt(0).toUpperCase() + nameA[1].substr(1);
    nameA = nameA.join('');`;
const leanCells = {
  name: 'cli-table3-lean-cells',
  setup(b) {
    b.onLoad({ filter: /cli-table3[\\/]src[\\/]cell\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      for (const expected of [SET_OPTION, DEBUG_LINE]) {
        if (!source.includes(expected)) throw new Error(`cli-table3 changed: ${expected.split('\n')[0].trim()} not found in ${args.path}; update scripts/bundle.mjs`);
      }
      const memo = `const camelNames = new Map();
function setOption(objA, objB, nameB, targetObj) {
  let nameA = camelNames.get(nameB);
  if (nameA === undefined) {
    const parts = nameB.split('-');
    nameA = parts.length > 1 ? parts[0] + parts[1].charAt(0).toUpperCase() + parts[1].substr(1) + parts.slice(2).join('') : nameB;
    camelNames.set(nameB, nameA);
  }
  if (nameA !== nameB) {`;
      return { contents: source.replace(SET_OPTION, memo).replace(DEBUG_LINE, NO_DEBUG_LINE), loader: 'js' };
    });
  },
};

// @inquirer/prompts is ESM only. Required from CommonJS, Node 20 prints an experimental warning
// into the wizard, and vm.Script has no import(); so it gets a CommonJS bundle of its own beside
// ours, required only when the wizard runs.
const promptsBundle = {
  name: 'prompts-bundle',
  setup(b) {
    b.onResolve({ filter: /^@inquirer\/prompts$/ }, () => ({ path: './prompts.cjs', external: true }));
  },
};

// 2. One CommonJS bundle. `yaml` and `openai` stay external: yaml is required only when a data file is not in
//    the precompiled cache (a user's own file), and then through require(), not the ESM loader.
rmSync(join(dist, 'cli'), { recursive: true, force: true });
mkdirSync(join(dist, 'cli'), { recursive: true });
await build({
  entryPoints: [join(dist, 'tsc/main.js')],
  outfile: join(dist, 'cli/ai-route.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['yaml', 'openai'],
  minify: process.env.AI_ROUTE_MINIFY !== '0',
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
  plugins: [leanBuiltins, asciiWidth, leanCells, promptsBundle],
  // src/paths.ts finds the package from import.meta.url, which CommonJS spells __filename
  define: { 'import.meta.url': '__ai_route_module_url' },
  banner: { js: "const __ai_route_module_url = require('node:url').pathToFileURL(__filename).href;" },
});
await build({
  // only the prompts the wizard uses (src/io/prompter.ts), so tree-shaking drops the rest
  stdin: { contents: "export { input, select } from '@inquirer/prompts';", resolveDir: root, loader: 'js' },
  outfile: join(dist, 'cli/prompts.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: true,
  legalComments: 'linked',
  logLevel: 'warning',
});

// 3. V8's code cache for the bundle, made by one real run of `cost` so it holds the functions a
//    run compiles (bin/ai-route.cjs reads it; V8 rejects it if the source or Node differ).
const warm = spawnSync(process.execPath, [join(root, 'bin', 'ai-route.cjs'), 'cost'], {
  cwd: root,
  env: { ...process.env, AI_ROUTE_WRITE_CODE_CACHE: '1', NO_COLOR: '1' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (warm.status !== 0) {
  console.error('the code-cache run of `ai-route cost` failed');
  process.exit(1);
}
console.error(`built dist/cli (${Object.keys(cache).length} data files precompiled, code cache ${statSync(join(dist, 'cli/ai-route.cjs.cache')).size} bytes)`);
