import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../domain/errors.js';
import type { Scenario } from '../domain/scenario.js';
import { validateScenario } from '../schema/scenario.js';
import { type DataDoc, loadDocument } from './data-file.js';
import { packageRoot } from './paths.js';

export const DEFAULT_SCENARIO = 'growth-stages';

/** Names of the scenarios shipped in scenarios/, for --scenario NAME and its error message. */
export function shippedScenarios(): string[] {
  return readdirSync(join(packageRoot(), 'scenarios'))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => f.replace(/\.ya?ml$/, ''))
    .sort();
}

/** A path when one exists at `ref`, else the shipped scenario of that name. */
export function resolveScenario(ref: string, cwd: string): string {
  const asPath = resolve(cwd, ref);
  if (existsSync(asPath)) return asPath;
  if (/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(ref)) {
    for (const ext of ['.yaml', '.yml']) {
      const shipped = join(packageRoot(), 'scenarios', ref + ext);
      if (existsSync(shipped)) return shipped;
    }
  }
  throw new UsageError(
    `--scenario: no file or shipped scenario named "${ref}"; shipped: ` +
      `${shippedScenarios().join(', ')}; or pass a path to a YAML file`,
  );
}

export interface LoadedScenario {
  scenario: Scenario;
  doc: DataDoc;
}

/** Reads and validates a scenario; a DataError lists every problem with file, line and path. */
export async function loadScenario(ref: string, cwd: string): Promise<LoadedScenario> {
  const { doc, value } = await loadDocument(resolveScenario(ref, cwd), cwd, validateScenario);
  // the validator reports why a scenario is missing; with no problem it is always there
  return { scenario: value!, doc };
}
