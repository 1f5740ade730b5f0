import {
  type NotPriced,
  everyPricedModel,
  modelCandidate,
  singleModel,
} from '../core/all-models.js';
import { resolveModel, sameModelElsewhere } from '../core/catalog.js';
import {
  type Candidate,
  type MissingPrice,
  type PricedTier,
  type VolumePoint,
  findMissingPrices,
  projectCosts,
  projectMonths,
} from '../core/cost.js';
import type { RunContext } from '../domain/context.js';
import { DataError, type Problem, UsageError } from '../domain/errors.js';
import type { Catalog } from '../domain/pricing.js';
import type { Growth, Tier, TokenMix } from '../domain/scenario.js';
import { diagnostics } from '../io/diagnostics.js';
import { issueProblems } from '../load/data-file.js';
import { loadPricing } from '../load/pricing.js';
import { DEFAULT_SCENARIO, type LoadedScenario, loadScenario } from '../load/scenario.js';
import type { CostView } from '../render/cost/view.js';
import { plural } from '../render/format.js';
import {
  type MixSource,
  missingPriceText,
  missingPricesHint,
  samePricedElsewhereText,
  shadowNote,
  unresolvedText,
} from '../render/problems.js';
import type { DataPath } from '../schema/issues.js';
import { isoDay } from '../units/date.js';
import { type Big, Dec } from '../units/decimal.js';
import { MAX_TOKENS } from '../units/volume.js';

/** What pricing needs of the cost flags (all but how the result is written), as cost gives them. */
export interface CostInputs {
  scenario?: string | undefined;
  /** Usage files to fit the scenario from (cost --usage), in place of --scenario. */
  usage?: readonly string[] | undefined;
  pricing: readonly string[];
  allowImplausible?: boolean | undefined;
  model: readonly string[];
  volume: readonly number[];
  inputShare?: Big | undefined;
  cacheHitRate?: Big | undefined;
  allModels?: boolean | undefined;
  baseline?: string | undefined;
  months?: number | undefined;
  growth?: Big | undefined;
  asOf?: string | undefined;
  budget?: Big | undefined;
  chart?: boolean | undefined;
  logScale?: boolean | undefined;
  explain?: boolean | undefined;
  /** The capacity plan, when the pricing files hold limits, without the rest of --explain. */
  capacity?: boolean | undefined;
}

/** Where a model reference came from, so an unknown id is reported at its flag or its line. */
type RefSource = { flag: string } | { path: DataPath };

/**
 * Resolves every model reference of a run, collecting the problems so they are reported together.
 */
class References {
  readonly problems: Problem[] = [];
  readonly filePlaces: Array<{ path: DataPath; message: string }> = [];
  /** Names that a later pricing file gave to another model: said once, when used. */
  readonly notes = new Set<string>();

  constructor(
    private readonly catalog: Catalog,
    private readonly asOf: string,
    /** Only the shipped catalog is loaded: an unknown id points to `pricing import`. */
    private readonly shippedOnly: boolean,
  ) {}

  tier(tier: Tier, source: RefSource): PricedTier | undefined {
    const found = resolveModel(this.catalog, tier.model, this.asOf);
    if ((found.kind === 'priced' || found.kind === 'not_in_force') && found.shadow !== undefined)
      this.notes.add(shadowNote(found.shadow));
    if (found.kind === 'priced') return { tier, model: found.model, price: found.price };
    const message = unresolvedText(found, { shippedOnly: this.shippedOnly });
    if ('flag' in source) this.problems.push({ place: { flag: source.flag }, message });
    else this.filePlaces.push({ path: source.path, message });
    return undefined;
  }

  async throwIfAny(loaded: LoadedScenario): Promise<void> {
    const problems = [...(await issueProblems(loaded.doc, this.filePlaces)), ...this.problems];
    if (problems.length > 0) throw new DataError(problems);
  }
}

/**
 * The volumes to price: --months projection, else --volume, else the scenario's stages or curve.
 */
export function volumePoints(opts: CostInputs, loaded: LoadedScenario): VolumePoint[] {
  const { scenario } = loaded;
  if (opts.months !== undefined || opts.growth !== undefined) {
    if (opts.volume.length > 1)
      throw new UsageError('--months projects one starting volume; pass --volume once');
    const pct = opts.growth ?? scenario.growth?.monthly_pct;
    if (pct === undefined)
      throw new UsageError(`--months needs --growth PCT: ${scenario.file} has no growth curve`);
    const start = opts.volume[0] ?? scenario.growth?.start ?? scenario.stages[0]?.tokens;
    if (start === undefined)
      throw new UsageError('--months needs a starting volume: pass --volume');
    const points = projectMonths(start, pct, opts.months ?? scenario.growth?.months ?? 12);
    const last = points[points.length - 1]!;
    if (last.tokens > MAX_TOKENS)
      throw new UsageError(
        `--months: month ${last.month} would reach over 1e15 tokens; lower --growth or --months`,
      );
    return points;
  }
  if (opts.volume.length > 0)
    return opts.volume.map((tokens) => ({ stage: null, month: null, tokens }));
  if (scenario.stages.length > 0)
    return scenario.stages.map((s) => ({ stage: s.name, month: null, tokens: s.tokens }));
  const growth = scenario.growth!;
  return projectMonths(growth.start, growth.monthly_pct, growth.months);
}

/**
 * The token mix: the scenario's, or the one --input-share and --cache-hit-rate set; `from` says
 * where, for messages.
 */
function mixOf(
  opts: CostInputs,
  { scenario }: LoadedScenario,
): { mix: TokenMix; defaulted: boolean; from: MixSource } {
  if (opts.inputShare === undefined && opts.cacheHitRate === undefined)
    return {
      mix: scenario.token_mix,
      defaulted: scenario.token_mix_defaulted,
      from: { file: scenario.file },
    };
  const own = scenario.setup.tiers.filter((t) => t.token_mix !== undefined).map((t) => t.name);
  if (own.length > 0)
    throw new UsageError(
      `--input-share and --cache-hit-rate set the scenario's token mix, and tiers ` +
        `${own.join(', ')} of ${scenario.file} have their own: edit the file instead`,
    );
  const input =
    opts.inputShare ?? (scenario.token_mix_defaulted ? undefined : scenario.token_mix.input);
  if (input === undefined || (opts.cacheHitRate !== undefined && input.eq('0')))
    throw new UsageError(
      `--cache-hit-rate applies to input tokens, and ${scenario.file} bills every ` +
        `token as output: add --input-share, such as --input-share 75%`,
    );
  const mix = {
    ...scenario.token_mix,
    input,
    output: Dec('1').minus(input),
    cache_hit_rate: opts.cacheHitRate ?? scenario.token_mix.cache_hit_rate,
  };
  if (mix.cache_hit_rate.plus(mix.cache_write_rate).gt('1'))
    throw new UsageError(
      `--cache-hit-rate: with the cache_write_rate of ${scenario.file}, more than all input tokens`,
    );
  return { mix, defaulted: false, from: { flags: true } };
}

/**
 * Whether the scenario's own growth rate made the figures: only then is what it rests on worth
 * saying.
 */
function growthCurveUsed(opts: CostInputs, { scenario }: LoadedScenario): boolean {
  if (scenario.growth === undefined || opts.growth !== undefined) return false;
  return opts.months !== undefined || (opts.volume.length === 0 && scenario.stages.length === 0);
}

/**
 * --all-models: every model with every rate the mix needs; the rest named with their reasons, said
 * once on stderr.
 */
function allModels(
  catalog: Catalog,
  asOf: string,
  mix: TokenMix,
  baselineId: string,
  ctx: RunContext,
): { candidates: Candidate[]; not_priced: NotPriced[] } {
  const found = everyPricedModel(catalog, asOf, mix, baselineId);
  const say = diagnostics(ctx);
  if (found.not_text > 0)
    say.error(
      `--all-models: left out ${plural(found.not_text, 'model')} that do not generate ` +
        `text (embedding, image, audio, ...)`,
    );
  if (found.not_priced.length > 0)
    say.error(
      `--all-models: ${plural(found.not_priced.length, 'model')} not priced, each with ` +
        `its reason under the table (and in --format json)`,
    );
  if (found.candidates.length === 0)
    throw new UsageError('--all-models: no model has every rate the token mix needs');
  return found;
}

/** For each model lacking a rate, the same model priced at other providers, named once. */
function elsewhereHints(
  missing: readonly MissingPrice[],
  catalog: Catalog,
  asOf: string,
): string[] {
  const done = new Set<string>();
  return missing.flatMap((m) => {
    if (m.present !== undefined || done.has(m.model)) return [];
    done.add(m.model);
    const others = sameModelElsewhere(catalog, m.model, m.component, asOf);
    return others.length === 0 ? [] : [samePricedElsewhereText(m.model, m.component, others)];
  });
}

/**
 * The candidates to price: the named models, or the scenario's setup (--all-models is priced
 * apart).
 */
function candidatesOf(opts: CostInputs, loaded: LoadedScenario, refs: References): Candidate[] {
  const { scenario } = loaded;
  if (opts.model.length > 0) {
    return opts.model.flatMap((ref) => {
      const tier = refs.tier(singleModel(ref), { flag: '--model' });
      return tier ? [modelCandidate(tier)] : [];
    });
  }
  const tiers = scenario.setup.tiers.flatMap(
    (t) => refs.tier(t, { path: scenario.paths.tiers[t.name] ?? [] }) ?? [],
  );
  const only = tiers.length === 1 ? tiers[0] : undefined;
  return [
    {
      id: only ? only.model.id : `setup:${scenario.name}`,
      label: scenario.setup.label,
      kind: 'setup',
      tiers,
    },
  ];
}

/** The scenario: fitted from --usage, or the file --scenario names (the shipped default). */
async function scenarioOf(opts: CostInputs, catalog: Catalog, ctx: RunContext) {
  if (opts.usage === undefined || opts.usage.length === 0)
    return {
      loaded: await loadScenario(opts.scenario ?? DEFAULT_SCENARIO, ctx.cwd),
      fitted: undefined,
    };
  const { usageScenario } = await import('./usage-scenario.js');
  const fitted = await usageScenario(opts.usage, catalog, opts.baseline, ctx);
  return { loaded: fitted.loaded, fitted };
}

/** Every rate the mix needs and a model lacks, one line per model and rate, as one error. */
function throwIfMissing(
  priced: Candidate[],
  mix: ReturnType<typeof mixOf>,
  catalog: Catalog,
  asOf: string,
  opts: CostInputs,
): void {
  // a baseline that is also a candidate lacks the same rate once
  const missing = priced.flatMap((c) => findMissingPrices(c, mix.mix));
  const seen = new Set<string>();
  const once = missing.filter(
    (m) => !seen.has(`${m.model}\0${m.component}`) && seen.add(`${m.model}\0${m.component}`),
  );
  if (once.length > 0)
    throw new UsageError(
      ...once.map((m) => missingPriceText(m, mix.from)),
      ...elsewhereHints(once, catalog, asOf),
      ...missingPricesHint(once, opts.pricing.length === 0),
    );
}

/** With --explain (or for the deck) and limits in the pricing files: each point's capacity. */
async function capacityIfLimits(
  opts: CostInputs,
  loaded: LoadedScenario,
  catalog: Catalog,
  points: readonly VolumePoint[],
  asOf: string,
  ctx: RunContext,
) {
  const asked = opts.explain === true || opts.capacity === true;
  if (!asked || catalog.limits.length === 0 || opts.model.length > 0) return undefined;
  const { capacityOf } = await import('./capacity.js');
  return capacityOf(loaded, catalog, points, { accountTier: [], asOf }, ctx);
}

/**
 * load -> validate -> compute: the priced view `cost` renders (and `report` draws on), with the
 * files it read.
 */
export async function costView(
  opts: CostInputs,
  ctx: RunContext,
): Promise<{ view: CostView; inputs: string[]; growth: Growth | undefined }> {
  const asOf = opts.asOf ?? isoDay(ctx.now());
  const pricing = await loadPricing(opts.pricing, ctx.cwd, {
    allowImplausible: opts.allowImplausible === true,
  });
  const { loaded, fitted } = await scenarioOf(opts, pricing.catalog, ctx);
  const { scenario } = loaded;
  const say = diagnostics(ctx);

  const refs = new References(pricing.catalog, asOf, opts.pricing.length === 0);
  let candidates = opts.allModels ? [] : candidatesOf(opts, loaded, refs);
  const baselineTier = refs.tier(
    singleModel(opts.baseline ?? scenario.baseline.model),
    opts.baseline === undefined ? { path: scenario.paths.baseline } : { flag: '--baseline' },
  );
  await refs.throwIfAny(loaded);
  for (const note of refs.notes) say.note(note);
  const baseline = modelCandidate(baselineTier!);
  if (opts.baseline === undefined && scenario.baseline.label !== undefined)
    baseline.label = scenario.baseline.label;
  // a --model that is the baseline is listed once, as the baseline
  const others = candidates.filter((c) => c.kind !== 'model' || c.id !== baseline.id);
  if (others.length > 0 && others.length < candidates.length) {
    say.note(`--model ${baseline.id} is the baseline: listed once, as the baseline`);
    candidates = others;
  }
  let notPriced: NotPriced[] = [];
  const mix = mixOf(opts, loaded);
  if (opts.allModels)
    ({ candidates, not_priced: notPriced } = allModels(
      pricing.catalog,
      asOf,
      mix.mix,
      baseline.id,
      ctx,
    ));

  throwIfMissing([...candidates, baseline], mix, pricing.catalog, asOf, opts);

  const points = volumePoints(opts, loaded);
  const costInput = { candidates, baseline, mix: mix.mix, budget: opts.budget };
  const report = projectCosts({ ...costInput, points, parts: opts.explain === true });
  // the fitted growth's interval, over the same months, when the projection is the fitted one
  const bands =
    fitted !== undefined && opts.growth === undefined && points[0]?.month !== null
      ? (await import('../core/usage/bands.js')).bandsOf(
          fitted.fit,
          { ...costInput, parts: false },
          points[0]!.tokens,
          points.length,
        )
      : undefined;
  const capacity = await capacityIfLimits(opts, loaded, pricing.catalog, points, asOf, ctx);
  const view: CostView = {
    report,
    as_of: asOf,
    scenario: { name: scenario.name, file: scenario.file },
    candidates,
    baseline,
    mix: mix.mix,
    mix_defaulted: mix.defaulted,
    assumptions: [
      ...scenario.assumptions,
      ...(growthCurveUsed(opts, loaded) && scenario.growth?.assumption !== undefined
        ? [scenario.growth.assumption]
        : []),
    ],
    explain: opts.explain === true,
    chart: opts.chart === true,
    log_scale: opts.logScale === true,
    not_priced: notPriced,
    ...(bands === undefined ? {} : { bands }),
    ...(fitted === undefined ? {} : { observed: fitted.observed }),
    ...(capacity === undefined ? {} : { capacity }),
  };
  const read = fitted?.inputs ?? [loaded.doc.abs];
  return { view, inputs: [...pricing.inputs, ...read], growth: scenario.growth };
}
