// V8's code cache for the bundle, for Node 20.
// Why: compiling the bundle is a large part of start-up, and Node 20 has no module compile cache.
//   One real run of `ai-route cost` at build time saves V8's compiled code beside the bundle;
//   bin/ai-route.cjs compiles through vm.Script with it. V8 checks it against the source text,
//   its own version and flags, and compiles afresh when it does not fit (after a Node upgrade).
// Bought: --help 1.25x -> 1.16x and `cost` 1.42x -> 1.22x of `node -e 0` (measure:
//   AI_ROUTE_BUILD_WITHOUT=code-cache npm run bench -- startup). test/e2e.test.ts checks the
//   shipped cache is accepted.
// Node 22.1+: bin/ai-route.cjs uses module.enableCompileCache() instead and ignores this file.
// To remove: delete this step and the vm.Script branch of bin/ai-route.cjs.
import { spawnSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Runs `ai-route cost` once with AI_ROUTE_WRITE_CODE_CACHE=1; returns the cache size in bytes. */
export function writeCodeCache(root, dist) {
  const file = join(dist, 'cli/ai-route.cjs.cache');
  rmSync(file, { force: true });
  const warm = spawnSync(process.execPath, [join(root, 'bin', 'ai-route.cjs'), 'cost'], {
    cwd: root,
    env: { ...process.env, AI_ROUTE_WRITE_CODE_CACHE: '1', NO_COLOR: '1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (warm.status !== 0) {
    console.error('the code-cache run of `ai-route cost` failed');
    process.exit(1);
  }
  try {
    return statSync(file).size;
  } catch {
    return 0; // a Node with its own compile cache writes none
  }
}
