// A CommonJS bundle of the two prompts the wizard uses.
// Why: @inquirer/prompts is ESM only. Required from our CommonJS bundle, Node 20 prints an
//   experimental-feature warning into the wizard, and vm.Script (bin/ai-route.cjs) has no import().
// Bought: a clean wizard on Node 20, and @inquirer loaded only when the wizard runs.
// To remove: when the main bundle is ESM (Node 22+ only), import @inquirer/prompts directly and
//   drop this plugin and build step.
import { join } from 'node:path';
import { build } from 'esbuild';

/** esbuild plugin: the main bundle requires ./prompts.cjs instead of @inquirer/prompts. */
export const promptsExternal = {
  name: 'prompts-bundle',
  setup(b) {
    b.onResolve({ filter: /^@inquirer\/prompts$/ }, () => ({
      path: './prompts.cjs',
      external: true,
    }));
  },
};

/** dist/cli/prompts.cjs: only `select` and `input`, so tree-shaking drops the rest. */
export async function buildPrompts(root, dist) {
  await build({
    stdin: {
      contents: "export { input, select } from '@inquirer/prompts';",
      resolveDir: root,
      loader: 'js',
    },
    outfile: join(dist, 'cli/prompts.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    minify: true,
    legalComments: 'linked',
    logLevel: 'warning',
  });
}
