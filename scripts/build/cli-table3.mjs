// Per-cell waste trimmed from cli-table3, without changing a byte of what it draws.
// Why: `cost --all-models` over a ~2,500-model catalog draws a table of thousands of cells, and
//   cli-table3 measures each with string-width several times, camel-cases the same 16 option
//   names for every cell, and builds a debug message it never records.
// Bought: a 1,750-row table draws ~40% faster; it keeps `cost --all-models` x 4 volumes under
//   300 ms (measure: AI_ROUTE_BUILD_WITHOUT=cli-table3 npm run bench -- catalog).
// Safety: the build fails if cli-table3's source stops matching what is patched, and
//   test/e2e.test.ts checks the bundle draws tables byte for byte like the unbundled sources.
// To remove: drop both plugins from scripts/build/bundle.mjs.
import { readFileSync } from 'node:fs';

/** string-width for printable ASCII is the length; every other string goes to the real module. */
export const asciiWidth = {
  name: 'ascii-string-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, (args) =>
      args.importer.includes(`${'node_modules'}/cli-table3/`)
        ? { path: 'string-width', namespace: 'ascii-width', pluginData: args.resolveDir }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'ascii-width' }, (args) => ({
      contents:
        "const real = require('string-width');\n" +
        'const printable = /^[\\x20-\\x7e]*$/;\n' +
        ("module.exports = (s) => (typeof s === 'string' && printable.test(s) ? " +
          's.length : real(s));\n'),
      resolveDir: args.pluginData,
      loader: 'js',
    }));
  },
};

// Cell.draw truncates every cell to build a debug message that is recorded only with { debug: true
// }.
const DEBUG_LINE = `    let content = utils.truncate(this.content, 10, this.truncate);
    if (!lineNum) {
      info(\`\${this.y}-\${this.x}: \${this.rowSpan - lineNum}x\${this.colSpan} Cell \${content}\`);
    } else {`;
const NO_DEBUG_LINE = `    if (!lineNum) {
      // debug message not built: ai-route never enables cli-table3's debug mode
    } else {`;

// setOption camel-cases the same option names ('top-left' -> 'topLeft') for every cell: memoized.
const SET_OPTION = `function setOption(objA, objB, nameB, targetObj) {
  let nameA = nameB.split('-');
  if (nameA.length > 1) {
    nameA[1] = nameA[1].charAt(0).toUpperCase() + nameA[1].substr(1);
    nameA = nameA.join('');`;
const MEMO_SET_OPTION = `const camelNames = new Map();
function setOption(objA, objB, nameB, targetObj) {
  let nameA = camelNames.get(nameB);
  if (nameA === undefined) {
    const parts = nameB.split('-');
    const capital = (s) => s.charAt(0).toUpperCase() + s.substr(1);
    nameA = parts.length > 1 ? parts[0] + capital(parts[1]) + parts.slice(2).join('') : nameB;
    camelNames.set(nameB, nameA);
  }
  if (nameA !== nameB) {`;

/** cli-table3's cell.js with the two patches; fails the build if its source changed. */
export const leanCells = {
  name: 'cli-table3-lean-cells',
  setup(b) {
    b.onLoad({ filter: /cli-table3[\\/]src[\\/]cell\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      for (const expected of [SET_OPTION, DEBUG_LINE]) {
        if (!source.includes(expected))
          throw new Error(
            `cli-table3 changed: ${expected.split('\n')[0].trim()} not found in ` +
              `${args.path}; update scripts/build/cli-table3.mjs`,
          );
      }
      return {
        contents: source.replace(SET_OPTION, MEMO_SET_OPTION).replace(DEBUG_LINE, NO_DEBUG_LINE),
        loader: 'js',
      };
    });
  },
};
