import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildCatalog } from '../core/catalog.js';
import { takeImplausible } from '../core/implausible.js';
import { sniffCatalog } from '../core/import/sniff.js';
import { DataError, type Problem } from '../domain/errors.js';
import type { Catalog, PricingFile } from '../domain/pricing.js';
import { CATALOG_SOURCES } from '../domain/sources.js';
import { validatePricing } from '../schema/pricing.js';
import {
  type DataDoc,
  displayPath,
  issueProblems,
  readDataFile,
  validateDocument,
} from './data-file.js';
import { packageRoot } from './paths.js';

const DATA_FILE = /\.(ya?ml|json)$/i;

/** The dated real catalogs ai-route ships, by the name --pricing takes (catalogs/<name>.json). */
export function shippedCatalogs(): string[] {
  try {
    return readdirSync(join(packageRoot(), 'catalogs'))
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.replace(/\.json$/, ''))
      .sort();
  } catch {
    return [];
  }
}

/**
 * The files a --pricing argument names: the file itself, a directory's data files by name, or a
 * shipped catalog by its name when no file of that name is here.
 */
export function expandDataPaths(target: string, cwd: string): string[] {
  let abs = resolve(cwd, target);
  if (!existsSync(abs) && shippedCatalogs().includes(target))
    abs = join(packageRoot(), 'catalogs', `${target}.json`);
  let isDir: boolean;
  try {
    isDir = statSync(abs).isDirectory();
  } catch {
    return [abs]; // readDataFile reports the missing file
  }
  if (!isDir) return [abs];
  const files = readdirSync(abs)
    .filter((name) => DATA_FILE.test(name))
    .sort()
    .map((name) => join(abs, name));
  if (files.length === 0) {
    throw new DataError([
      {
        place: { file: displayPath(abs, cwd) },
        message: 'no .yaml, .yml or .json files in this directory',
      },
    ]);
  }
  return files;
}

export interface LoadedPricing {
  catalog: Catalog;
  files: PricingFile[];
  /** Absolute paths read, so that --out can refuse to overwrite one of them. */
  inputs: string[];
}

/**
 * The shipped catalog, then each --pricing file or directory in order (later ids replace
 * earlier ones). Every problem in every file is collected before anything is thrown.
 */
export function loadPricing(
  extra: readonly string[],
  cwd: string,
  options: PricingLoadOptions = {},
): Promise<LoadedPricing> {
  return loadPricingFiles([join(packageRoot(), 'pricing'), ...extra], cwd, options);
}

export interface PricingLoadOptions {
  /** Price quarantined (implausible) rates as the source gave them; every table says so. */
  allowImplausible?: boolean;
}

/**
 * A source catalog given where a pricing file belongs: one problem naming the import that converts
 * it.
 */
function misplacedCatalog(doc: DataDoc): Problem | undefined {
  const source = sniffCatalog(doc.value);
  if (source === undefined) return undefined;
  const name = CATALOG_SOURCES.find((s) => s.id === source)!.name;
  return {
    place: { file: doc.file },
    message:
      `this looks like ${name}, not an ai-route pricing file; convert it first: ` +
      `ai-route pricing import --from ${source} ${doc.file} --out prices.json`,
  };
}

/** Only the given files and directories, in order: for `pricing validate` and `pricing diff`. */
export async function loadPricingFiles(
  targets: readonly string[],
  cwd: string,
  options: PricingLoadOptions = {},
): Promise<LoadedPricing> {
  const paths = targets.flatMap((p) => expandDataPaths(p, cwd));
  const docs = new Map<string, DataDoc>();
  const files: PricingFile[] = [];
  const problems: Problem[] = [];
  for (const abs of paths) {
    let doc: DataDoc;
    try {
      doc = await readDataFile(abs, cwd);
    } catch (err) {
      if (err instanceof DataError) {
        problems.push(...err.problems);
        continue;
      }
      throw err;
    }
    docs.set(doc.file, doc);
    const misplaced = misplacedCatalog(doc);
    if (misplaced !== undefined) {
      problems.push(misplaced);
      continue;
    }
    // positions need the YAML parser; a big valid catalog never pays for it
    const checked = await validateDocument(doc, validatePricing);
    files.push(checked.value);
    problems.push(...checked.problems);
  }
  if (options.allowImplausible) takeImplausible(files);
  const { catalog, issues } = buildCatalog(files);
  // placed a file at a time: placing costs one parse of the file, whatever the number of issues
  for (const file of new Set(issues.map((i) => i.file))) {
    const here = issues.filter((i) => i.file === file);
    const doc = docs.get(file);
    problems.push(
      ...(doc
        ? await issueProblems(doc, here)
        : here.map((i) => ({ place: { file }, message: i.message }))),
    );
  }
  if (problems.length > 0) throw new DataError(problems);
  return { catalog, files, inputs: paths };
}
