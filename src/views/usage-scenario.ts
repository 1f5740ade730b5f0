import { resolve } from 'node:path';
import { fitUsage, type UsageFit } from '../core/usage/fit.js';
import { summarizeUsage, type UsageSummary } from '../core/usage/summary.js';
import { type FittedPeak, fitPeak } from '../core/usage/peak.js';
import type { RunContext } from '../domain/context.js';
import { DataError } from '../domain/errors.js';
import type { Catalog } from '../domain/pricing.js';
import { type DataDoc, validateDocument } from '../load/data-file.js';
import type { LoadedScenario } from '../load/scenario.js';
import { loadUsage } from '../load/usage.js';
import { fitScenarioYaml } from '../render/usage-fit.js';
import { validateScenario } from '../schema/scenario.js';

/**
 * `cost --usage FILE...`: `usage fit` and `cost --scenario` in one step. The scenario is the one
 * `usage fit` writes (its YAML text, read back through the scenario validator, so both ways give
 * the same figures), and the fitted growth's 80% interval gives P10 and P90 projections beside
 * the P50 one.
 */

/** The fitted scenario, as if read from a file named after the usage it came from. */
export async function usageScenario(
  files: readonly string[],
  catalog: Catalog,
  baseline: string | undefined,
  ctx: RunContext,
): Promise<{
  loaded: LoadedScenario;
  fit: UsageFit;
  observed: UsageSummary;
  /** The busiest hour over the mean one, where the source times its records. */
  peak: FittedPeak | undefined;
  inputs: string[];
}> {
  const load = await loadUsage(files, ctx.cwd, undefined, ctx.interrupted);
  const fit = fitUsage(load.acc, catalog, baseline ?? 'gpt-4o');
  if (fit.tiers.length === 0)
    throw new DataError([
      { message: `--usage: no completion usage grouped by model in ${files.join(', ')}` },
    ]);
  const sources = load.files;
  const text = fitScenarioYaml({ fit, sources, name: 'fitted', baseline: baseline ?? 'gpt-4o' });
  const { parseYaml } = await import('../load/yaml.js');
  const doc: DataDoc = {
    file: `the usage fit of ${sources.map((s) => s.file).join(', ')}`,
    abs: resolve(ctx.cwd, files[0]!),
    text,
    value: parseYaml(text).value,
    format: 'yaml',
  };
  const { value, problems } = await validateDocument(doc, validateScenario);
  // the writer and the validator are ours: a problem here is a bug, said as one
  if (problems.length > 0 || value === undefined) throw new DataError(problems);
  return {
    loaded: { scenario: value, doc },
    fit,
    observed: summarizeUsage(load.acc, catalog),
    peak: fitPeak(load.acc.hourly),
    inputs: files.map((f) => resolve(ctx.cwd, f)),
  };
}
