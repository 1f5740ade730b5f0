import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { CostRow } from '../core/cost.js';
import type { CostSide, SideStage } from '../core/cost-diff.js';
import type { RunContext } from '../domain/context.js';
import { DataError, UsageError } from '../domain/errors.js';
import { gitFiles, gitShow, isCommit } from '../io/git.js';
import { diagnostics } from '../io/diagnostics.js';
import { readInputText } from '../load/data-file.js';
import { COST_SCHEMA } from '../schema/outputs.js';
import { resolveScenario } from '../load/scenario.js';
import { type Big, ZERO, parsePlainDecimal } from '../units/decimal.js';
import { type CostInputs, costView } from './cost.js';

/**
 * One side of `cost diff`, from what the user names: a scenario file (priced now), a saved
 * `cost --format json` result (read as saved), `REF:path` (the file as that commit holds it,
 * with each --pricing file at the same commit where git has it there), or a commit alone (the
 * head's scenario at that commit).
 */

/** What prices a scenario side: the cost flags that choose volumes, prices and baseline. */
export type SideInputs = Pick<
  CostInputs,
  'pricing' | 'volume' | 'asOf' | 'baseline' | 'allowImplausible' | 'months' | 'growth'
>;

/** The tier a setup's monthly fees and commitment top-ups are listed under. */
export const FEES_TIER = 'monthly fees';

const stageOf = (p: CostRow['point']) =>
  p.stage ?? (p.month !== null ? `Month ${p.month}` : `${p.tokens} tokens`);

/** A stage's cost by tier: its parts summed by tier, then its monthly fees as a tier apart. */
function tiersOf(
  parts: ReadonlyArray<{ tier: string; cost: Big }>,
  fees: Big,
): NonNullable<SideStage['tiers']> {
  const tiers = new Map<string, Big>();
  for (const p of parts) tiers.set(p.tier, (tiers.get(p.tier) ?? ZERO).plus(p.cost));
  if (!fees.eq(ZERO)) tiers.set(FEES_TIER, fees);
  return [...tiers].map(([tier, cost]) => ({ tier, cost }));
}

/** A priced view's setup, stage by stage, its cost split by tier (fees apart). */
function sideOfView(rows: readonly CostRow[], label: string, setup: string): CostSide {
  const stages: SideStage[] = rows.map((r) => ({
    stage: stageOf(r.point),
    tokens: r.point.tokens,
    cost: r.cost,
    tiers: tiersOf(
      r.parts,
      r.fixed.reduce((s, f) => s.plus(f.amount), ZERO),
    ),
  }));
  return { label, setup, stages };
}

async function pricedSide(
  scenario: string,
  pricing: readonly string[],
  label: string,
  opts: SideInputs,
  ctx: RunContext,
): Promise<{ side: CostSide; inputs: string[] }> {
  const { view, inputs } = await costView(
    { ...opts, scenario, pricing, model: [], explain: true, budget: undefined },
    ctx,
  );
  const setup = view.candidates[0]!;
  const rows = view.report.rows.filter((r) => r.candidate === setup);
  return { side: sideOfView(rows, label, setup.label), inputs };
}

const money = (v: unknown, at: string): Big => {
  const d = typeof v === 'string' ? parsePlainDecimal(v) : undefined;
  if (d === undefined) throw new UsageError(`${at}: expected a decimal string of dollars`);
  return d;
};

interface SavedRow {
  stage?: unknown;
  month?: unknown;
  tokens?: unknown;
  candidate?: unknown;
  cost?: unknown;
  parts?: Array<{ tier?: unknown; cost?: unknown }>;
  fixed_charges?: Array<{ amount?: unknown }>;
}

/** A saved `cost --format json` result as a side: its tiers when saved with --explain. */
function savedSide(value: { rows?: unknown }, file: string): CostSide {
  if (!Array.isArray(value.rows)) throw new UsageError(`${file}: rows: expected a list`);
  const rows = value.rows as SavedRow[];
  const setups = [...new Set(rows.map((r) => String(r.candidate)))];
  if (setups.length > 1)
    throw new UsageError(
      `${file}: a saved result of ${setups.length} setups (${setups.join(', ')}); cost diff ` +
        'compares one setup: save it without --model',
    );
  const stages = rows.map((r, i): SideStage => {
    const at = `${file}: rows[${i}]`;
    if (typeof r.tokens !== 'number') throw new UsageError(`${at}.tokens: expected a number`);
    const cost = money(r.cost, `${at}.cost`);
    const point = {
      stage: typeof r.stage === 'string' ? r.stage : null,
      month: typeof r.month === 'number' ? r.month : null,
      tokens: r.tokens,
    };
    if (!Array.isArray(r.parts))
      return { stage: stageOf(point), tokens: r.tokens, cost, tiers: null };
    const parts = r.parts.map((p, k) => ({
      tier: String(p.tier),
      cost: money(p.cost, `${at}.parts[${k}].cost`),
    }));
    const fees = (r.fixed_charges ?? []).reduce(
      (s, f, k) => s.plus(money(f.amount, `${at}.fixed_charges[${k}].amount`)),
      ZERO,
    );
    return { stage: stageOf(point), tokens: r.tokens, cost, tiers: tiersOf(parts, fees) };
  });
  return { label: file, setup: setups[0] ?? 'the setup', stages };
}

/** The text's JSON value when it is a saved cost result, else undefined (a scenario). */
function savedResult(text: string): { rows?: unknown } | undefined {
  if (!/^\s*\{/.test(text)) return undefined;
  try {
    const value = JSON.parse(text) as { schema?: unknown; rows?: unknown };
    return value.schema === COST_SCHEMA ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Problems about the copies of a commit's files named as the commit's: "main:prod.yaml:3:1". */
function asCommitFiles(err: unknown, tmp: string, ref: string): unknown {
  if (!(err instanceof DataError)) return err;
  const name = (s: string | undefined) => s?.split(`${tmp}/`).join(`${ref}:`);
  return new DataError(
    err.problems.map((p) => ({
      ...p,
      message: name(p.message)!,
      ...(p.place === undefined ? {} : { place: { ...p.place, file: name(p.place.file) } }),
    })),
  );
}

async function gitSide(
  ref: string,
  path: string,
  flag: string,
  opts: SideInputs,
  ctx: RunContext,
): Promise<{ side: CostSide; inputs: string[] }> {
  const label = `${ref}:${path}`;
  const text = await gitShow(ref, path, ctx.cwd, flag);
  const saved = savedResult(text);
  if (saved !== undefined) return { side: savedSide(saved, label), inputs: [] };
  const tmp = mkdtempSync(join(tmpdir(), 'ai-route-diff-'));
  try {
    const scenario = join(tmp, basename(path));
    writeFileSync(scenario, text);
    const pricing: string[] = [];
    for (const p of opts.pricing) {
      const files = await gitFiles(ref, p, ctx.cwd);
      if (files.length === 0) {
        diagnostics(ctx).note(`${flag}: ${p} is not in git at ${ref}; its current copy prices it`);
        pricing.push(p);
      }
      for (const f of files) {
        const copy = join(tmp, f);
        mkdirSync(dirname(copy), { recursive: true });
        writeFileSync(copy, await gitShow(ref, `./${f}`, ctx.cwd, flag));
        pricing.push(copy);
      }
    }
    const priced = await pricedSide(scenario, pricing, label, opts, ctx);
    return { side: priced.side, inputs: [] };
  } catch (err) {
    throw asCommitFiles(err, tmp, ref);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * A side from its flag's value; `headScenario` is the scenario a commit alone is read for.
 * Never writes where the user's files are: a commit's files are copied to a temporary folder.
 */
export async function loadSide(
  spec: string,
  flag: '--base' | '--head',
  headScenario: string,
  opts: SideInputs,
  ctx: RunContext,
): Promise<{ side: CostSide; inputs: string[] }> {
  const abs = resolve(ctx.cwd, spec);
  if (existsSync(abs)) {
    const file = relative(ctx.cwd, abs) || spec;
    const saved = savedResult(readInputText(abs, file));
    if (saved !== undefined) return { side: savedSide(saved, file), inputs: [abs] };
    return pricedSide(abs, opts.pricing, file, opts, ctx);
  }
  const m = /^([^:]+):(.+)$/.exec(spec);
  if (m !== null && (await isCommit(m[1]!, ctx.cwd))) return gitSide(m[1]!, m[2]!, flag, opts, ctx);
  if (await isCommit(spec, ctx.cwd)) {
    const path = relative(ctx.cwd, resolveScenario(headScenario, ctx.cwd));
    if (path.startsWith('..'))
      throw new UsageError(
        `${flag} ${spec}: a commit alone diffs the head's scenario file as that commit holds it, ` +
          `and ${headScenario} is not a file here: pass --head FILE (or --base REF:path)`,
      );
    return gitSide(spec, `./${path}`, flag, opts, ctx);
  }
  try {
    const shipped = resolveScenario(spec, ctx.cwd);
    if (existsSync(shipped)) return pricedSide(shipped, opts.pricing, spec, opts, ctx);
  } catch {
    // not a scenario name either: said below
  }
  throw new UsageError(
    `${flag} ${spec}: expected a scenario file, a saved cost --format json result, a git ` +
      'commit (main, a sha) or REF:path',
  );
}
