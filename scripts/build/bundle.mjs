// npm run build, second step (after tsc): everything bin/ai-route.cjs runs. Each piece lives in
// its own file beside this one, headed by why it exists, what it bought and how to remove it.
// AI_ROUTE_BUILD_WITHOUT=data-cache,lean-builtins,cli-table3,code-cache leaves pieces out, so
// `npm run bench -- startup` can measure what each one buys.
//
// The bundle itself: tsc's ESM output linked into one CommonJS file. Loading ~80 ESM files of
// commander, chalk and cli-table3 costs more than a whole `cost` run, and starting Node 20's
// ESM loader alone costs ~4.5 ms (fs/promises, readline, the stream stack). Modules that src/
// imports lazily stay lazy: esbuild wraps them and runs them on first import. To remove: point
// bin/ai-route.cjs at dist/tsc/main.js (start-up goes from ~1.2x to ~2x of `node -e 0`).
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { asciiWidth, leanCells } from './cli-table3.mjs';
import { writeCodeCache } from './code-cache.mjs';
import { writeDataCache } from './data-cache.mjs';
import { leanBuiltins } from './lean-builtins.mjs';
import { buildPrompts, promptsExternal } from './prompts.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = join(root, 'dist');
const without = new Set((process.env.AI_ROUTE_BUILD_WITHOUT ?? '').split(',').filter(Boolean));
const use = (name, piece) => (without.has(name) ? [] : [piece]);

rmSync(join(dist, 'data-cache.json'), { force: true });
const cached = without.has('data-cache') ? 0 : await writeDataCache(root, dist);

rmSync(join(dist, 'cli'), { recursive: true, force: true });
mkdirSync(join(dist, 'cli'), { recursive: true });
await build({
  entryPoints: [join(dist, 'tsc/main.js')],
  outfile: join(dist, 'cli/ai-route.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // yaml, openai, hdr-histogram-js, pptxgenjs and jszip load from node_modules only when a command
  // needs them, through require() (pptxgenjs also imports modules dynamically, which the
  // code-cached vm.Script of bin/ cannot do)
  external: ['yaml', 'openai', 'hdr-histogram-js', 'pptxgenjs', 'jszip'],
  minify: process.env.AI_ROUTE_MINIFY !== '0',
  legalComments: 'linked',
  logLevel: 'warning',
  plugins: [
    ...use('lean-builtins', leanBuiltins),
    ...use('cli-table3', asciiWidth),
    ...use('cli-table3', leanCells),
    promptsExternal,
  ],
  // src/load/paths.ts finds the package from import.meta.url, which CommonJS spells __filename
  define: { 'import.meta.url': '__ai_route_module_url' },
  banner: {
    js: "const __ai_route_module_url = require('node:url').pathToFileURL(__filename).href;",
  },
});
await buildPrompts(root, dist);
const cacheBytes = without.has('code-cache') ? 0 : writeCodeCache(root, dist);
console.error(
  `built dist/cli (${cached} data files precompiled, code cache ${cacheBytes} ` +
    `bytes${without.size > 0 ? `; without ${[...without].join(', ')}` : ''})`,
);
