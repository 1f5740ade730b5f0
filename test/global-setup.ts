import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Everything the built CLI is made from. */
const SOURCES = [
  'src',
  'scripts/build',
  'bin',
  'pricing',
  'scenarios',
  'matrix',
  'package.json',
  'tsconfig.json',
];

function newest(path: string): number {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce(
    (latest, name) => Math.max(latest, newest(join(path, name))),
    stat.mtimeMs,
  );
}

/**
 * Tests that run the built CLI (bin/ai-route.cjs) must not test a stale dist/ after an edit:
 * rebuild first whenever a source is newer than the bundle.
 */
export default function setup(): void {
  const root = join(import.meta.dirname, '..');
  const built =
    statSync(join(root, 'dist/cli/ai-route.cjs'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const changed = Math.max(...SOURCES.map((s) => newest(join(root, s))));
  if (changed <= built) return;
  const result = spawnSync(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-p', '.'],
    { cwd: root, stdio: 'inherit' },
  );
  const bundle =
    result.status === 0
      ? spawnSync(process.execPath, [join(root, 'scripts/build/bundle.mjs')], {
          cwd: root,
          stdio: 'inherit',
        })
      : result;
  if (bundle.status !== 0) throw new Error('the build failed: tests of the built CLI cannot run');
}
