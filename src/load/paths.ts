import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * The installed package's root, found by walking up from this module: the same code runs from
 * src/ under vitest, dist/tsc/ after tsc and dist/cli/ from the bundle.
 */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'pricing')))
      return (root = dir);
    dir = dirname(dir);
  }
  throw new Error(`cannot find the ai-route package root above ${fileURLToPath(import.meta.url)}`);
}

/** Shipped data directories; their YAML is also precompiled into dist/data-cache.json at build. */
export const SHIPPED_DIRS = ['pricing', 'scenarios', 'matrix'] as const;
export const DATA_CACHE = join('dist', 'data-cache.json');
