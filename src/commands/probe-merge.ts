import { realpathSync } from 'node:fs';
import { worstClient } from '../core/probe/client.js';
import { type TargetCost, totalOf } from '../core/probe/cost.js';
import { mergedNames, mergeSummaries, targetIdentity } from '../core/probe/merge.js';
import { compareWithBaseline } from '../core/probe/regression.js';
import { evaluate } from '../core/probe/summary.js';
import type { RunContext } from '../domain/context.js';
import { EXIT, UsageError } from '../domain/errors.js';
import { renderContext } from '../io/color.js';
import { writeResult } from '../io/output.js';
import { displayPath } from '../load/data-file.js';
import { loadSavedProbe } from '../load/saved-probe.js';
import type { SavedCost, SavedProbe } from '../schema/probe-run.js';
import { type ProbeReport, pass } from '../render/probe.js';
import { PROBE_RENDERERS } from '../render/probe-formats.js';
import { Dec, sum } from '../units/decimal.js';
import { reportGates, runFailures } from '../views/probe-gates.js';
import type { MergeOptionsCli } from './probe-spec.js';

/**
 * Each target's tokens and cost over the runs, under the name it is merged under: a cost only
 * when every run priced it.
 */
function mergedCost(saved: readonly SavedProbe[]): TargetCost[] {
  const names = mergedNames(saved.map((s) => s.summaries));
  const parts = new Map<string, SavedCost[]>();
  for (const run of saved)
    for (const c of run.cost) {
      const target = run.summaries.find((s) => s.name === c.target);
      const name =
        target === undefined ? c.target : (names.get(targetIdentity(target)) ?? c.target);
      parts.set(name, [...(parts.get(name) ?? []), c]);
    }
  return [...parts].map(([target, costs]) => {
    const priced = costs.every((p) => p.cost !== null);
    const note = costs.find((p) => p.note !== null)?.note;
    return {
      target,
      model: costs[0]!.model,
      input: costs.reduce((n, p) => n + p.input_tokens, 0),
      output: costs.reduce((n, p) => n + p.output_tokens, 0),
      requests: 0,
      input_known: true,
      estimated: costs.some((p) => p.tokens_estimated),
      cost: priced ? sum(costs.map((p) => Dec(p.cost!))) : undefined,
      note: note === undefined || note === null ? undefined : { kind: 'as_saved', text: note },
      implausible_taken: [],
    };
  });
}

/**
 * The same run given twice would count twice: refused by resolved path, and by what it holds
 * (a copy, even reformatted).
 */
function refuseDuplicates(saved: readonly SavedProbe[], abs: readonly string[], files: string[]) {
  const real = abs.map((a) => {
    try {
      return realpathSync(a);
    } catch {
      return a;
    }
  });
  const held = saved.map((s) => JSON.stringify([s.summaries, s.cost, s.client ?? null]));
  held.forEach((h, i) => {
    const j = held.findIndex((other, k) => real[k] === real[i] || other === h);
    if (j < i)
      throw new UsageError(
        `probe merge: ${files[i]} is ${real[j] === real[i] ? 'the same file as' : 'a copy of'} ` +
          `${files[j]}; each run is merged once`,
      );
  });
}

/**
 * `ai-route probe merge A.json B.json ...`: runs of one probe (from several CI runners, say) as
 * one report. Counts add and histograms merge, so percentiles are those of one run over every
 * sample, to within the histograms' 0.1%; gates apply to the combination.
 */
export async function runProbeMerge(
  files: string[],
  opts: MergeOptionsCli,
  ctx: RunContext,
): Promise<number> {
  if (files.length === 0)
    throw new UsageError(
      'probe merge needs at least one saved run: ai-route probe merge a.json b.json ...',
    );
  const saved = [];
  for (const f of files) saved.push(await loadSavedProbe(f, ctx.cwd));
  refuseDuplicates(
    saved,
    saved.map((s) => s.abs),
    files,
  );
  const baseline =
    opts.baseline === undefined ? undefined : await loadSavedProbe(opts.baseline, ctx.cwd);
  if (opts.assert.some((a) => a.relative) && baseline === undefined)
    throw new UsageError('an assertion reads baseline: pass --baseline FILE');
  const summaries = mergeSummaries(saved.map((s) => s.summaries));
  const minEffect = Number(opts.minEffect.toFixed());
  const inputs = [...saved.map((s) => s.abs), ...(baseline === undefined ? [] : [baseline.abs])];
  const report: ProbeReport = {
    plan: undefined,
    client: worstClient(saved.map((s) => s.client)),
    strict_client: opts.strictClient === true,
    merged_from: saved.map((s) => displayPath(s.abs, ctx.cwd)),
    summaries,
    drill: undefined,
    cap: undefined,
    cost: {
      ...totalOf(mergedCost(saved), saved[0]!.runs_per_month),
      runs_per_month: saved[0]!.runs_per_month,
    },
    assertions: evaluate(opts.assert, summaries, baseline?.summaries),
    baseline:
      baseline === undefined
        ? undefined
        : {
            file: opts.baseline!,
            min_effect_pct: minEffect,
            comparisons: compareWithBaseline(
              baseline.summaries,
              summaries,
              minEffect,
              worstClient([...saved.map((s) => s.client), baseline.client])?.saturated ?? false,
            ),
          },
    failures: runFailures(summaries, false),
    interrupted: false,
  };
  await writeResult(
    await PROBE_RENDERERS[opts.format](report, renderContext(ctx, opts.out !== undefined)),
    opts.out,
    inputs,
    ctx,
  );
  await reportGates(report, ctx);
  return pass(report) ? EXIT.ok : EXIT.gate;
}
