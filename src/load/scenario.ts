import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataError, UsageError } from '../errors.js';
import { packageRoot } from '../paths.js';
import { IssueList } from '../schema/issues.js';
import { type Scenario, validateScenario } from '../schema/scenario.js';
import { type DataDoc, issueLines, readDataFile } from './data-file.js';

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
    `--scenario: no file or shipped scenario named "${ref}"; shipped: ${shippedScenarios().join(', ')}; or pass a path to a YAML file`,
  );
}

export interface LoadedScenario {
  scenario: Scenario;
  doc: DataDoc;
}

/** Reads and validates a scenario; a DataError lists every problem with file, line and path. */
export async function loadScenario(ref: string, cwd: string): Promise<LoadedScenario> {
  const doc = await readDataFile(resolveScenario(ref, cwd), cwd);
  const issues = new IssueList();
  const scenario = validateScenario(doc.value, doc.file, issues);
  if (!issues.empty || scenario === undefined) throw new DataError(await issueLines(doc, issues.items));
  return { scenario, doc };
}
