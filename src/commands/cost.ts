import { lookupModel, priceAt, type Catalog } from '../core/catalog.js';
import { type Candidate, type PricedTier, type VolumePoint, findMissingPrices, projectCosts, projectMonths } from '../core/cost.js';
import { ONE } from '../core/decimal.js';
import { MAX_TOKENS } from '../core/volume.js';
import { type RunContext, isoDay } from '../context.js';
import { DataError, EXIT, UsageError } from '../errors.js';
import { issueLines } from '../load/data-file.js';
import { loadPricing } from '../load/pricing.js';
import { DEFAULT_SCENARIO, type LoadedScenario, loadScenario } from '../load/scenario.js';
import { writeResult } from '../io/output.js';
import { renderCostCsv } from '../render/cost/csv.js';
import { renderCostJson } from '../render/cost/json.js';
import { renderCostMarkdown } from '../render/cost/markdown.js';
import type { CostDocument } from '../render/cost/view.js';
import { describePoint } from '../render/cost/view.js';
import { formatUsd, plural } from '../render/format.js';
import type { DataPath } from '../schema/issues.js';
import type { Tier, TokenMix } from '../schema/scenario.js';
import type { CostOptions } from './cost-options.js';

/** Where a model reference came from, so an unknown id is reported at its flag or its line. */
type RefSource = { flag: string } | { path: DataPath };

class Resolver {
  readonly flagProblems: string[] = [];
  /** Names that a later pricing file gave to another model: said once, when used. */
  readonly notes = new Set<string>();
  readonly fileProblems: Array<{ path: DataPath; message: string }> = [];

  constructor(
    private readonly catalog: Catalog,
    private readonly asOf: string,
  ) {}

  tier(tier: Tier, source: RefSource): PricedTier | undefined {
    const found = lookupModel(this.catalog, tier.model);
    if (!found.ok) {
      const hint = found.suggestions.length > 0 ? `; did you mean ${found.suggestions.map((s) => `"${s}"`).join(', ')}?` : '';
      this.problem(source, `unknown model "${tier.model}"${hint} (ids and aliases come from pricing/ and --pricing files)`);
      return undefined;
    }
    if (found.shadow !== undefined) {
      const { name, was, now } = found.shadow;
      this.notes.add(`note: "${name}" means ${now.id} from ${now.file}, not ${was.id} from ${was.file} (later pricing files win)`);
    }
    const price = priceAt(found.model, this.asOf);
    if (price === undefined) {
      const first = found.model.prices[0]?.effective_from ?? 'never';
      this.problem(source, `model "${found.model.id}" has no price in force on ${this.asOf} (earliest ${first}, ${found.model.file})`);
      return undefined;
    }
    return { tier, model: found.model, price };
  }

  private problem(source: RefSource, message: string): void {
    if ('flag' in source) this.flagProblems.push(`${source.flag}: ${message}`);
    else this.fileProblems.push({ path: source.path, message });
  }

  async throwIfAny(loaded: LoadedScenario): Promise<void> {
    const lines = [...(await issueLines(loaded.doc, this.fileProblems)), ...this.flagProblems.map((l) => `ai-route: ${l}`)];
    if (lines.length > 0) throw new DataError(lines);
  }
}

/** Modes that generate text; others (embedding, image_generation, ...) have no output tokens to price. */
const TEXT_MODES = new Set(['chat', 'completion', 'responses']);

/**
 * --all-models: each text model with a price in force and every rate the mix needs. The rest
 * are counted and named on stderr, never priced with a guess.
 */
function everyPricedModel(catalog: Catalog, asOf: string, mix: TokenMix, ctx: RunContext): Candidate[] {
  const candidates: Candidate[] = [];
  const skipped: string[] = [];
  let notText = 0;
  const ids = [...catalog.byId.keys()].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
  for (const id of ids) {
    const model = catalog.byId.get(id)!;
    if (model.mode !== undefined && !TEXT_MODES.has(model.mode)) {
      notText++;
      continue;
    }
    const price = priceAt(model, asOf);
    const candidate = price && modelCandidate({ tier: singleModel(id), model, price });
    if (candidate === undefined || findMissingPrices(candidate, mix).length > 0) skipped.push(id);
    else candidates.push(candidate);
  }
  if (notText > 0) ctx.stderr.write(`ai-route: --all-models: left out ${plural(notText, 'model')} that do not generate text (embedding, image, audio, ...)\n`);
  if (skipped.length > 0) {
    const some = skipped.slice(0, 5).join(', ');
    ctx.stderr.write(
      `ai-route: --all-models: left out ${plural(skipped.length, 'model')} with no price in force on ${asOf} or without a rate the token mix needs (${some}${skipped.length > 5 ? ', ...' : ''})\n`,
    );
  }
  if (candidates.length === 0) throw new UsageError('--all-models: no model has every rate the token mix needs');
  return candidates;
}

function singleModel(ref: string): Tier {
  return { name: 'all', model: ref, share: ONE, fallback: [] };
}

function modelCandidate(tier: PricedTier): Candidate {
  return { id: tier.model.id, label: tier.model.display_name ?? tier.model.id, kind: 'model', tiers: [tier] };
}

/** The volumes to price: --months projection, else --volume, else the scenario's stages or curve. */
function volumePoints(opts: CostOptions, loaded: LoadedScenario): VolumePoint[] {
  const { scenario } = loaded;
  if (opts.months !== undefined || opts.growth !== undefined) {
    if (opts.volume.length > 1) throw new UsageError('--months projects one starting volume; pass --volume once');
    const pct = opts.growth ?? scenario.growth?.monthly_pct;
    if (pct === undefined) throw new UsageError(`--months needs --growth PCT: ${scenario.file} has no growth curve`);
    const start = opts.volume[0] ?? scenario.growth?.start ?? scenario.stages[0]?.tokens;
    if (start === undefined) throw new UsageError('--months needs a starting volume: pass --volume');
    const points = projectMonths(start, pct, opts.months ?? scenario.growth?.months ?? 12);
    const last = points[points.length - 1]!;
    if (last.tokens > MAX_TOKENS) {
      throw new UsageError(`--months: month ${last.month} would reach over 1e15 tokens; lower --growth or --months`);
    }
    return points;
  }
  if (opts.volume.length > 0) return opts.volume.map((tokens) => ({ stage: null, month: null, tokens }));
  if (scenario.stages.length > 0) return scenario.stages.map((s) => ({ stage: s.name, month: null, tokens: s.tokens }));
  const growth = scenario.growth!;
  return projectMonths(growth.start, growth.monthly_pct, growth.months);
}

/** load -> validate -> compute -> render -> write, then the budget gate. */
export async function runCost(opts: CostOptions, ctx: RunContext): Promise<number> {
  if (opts.explain && opts.format === 'csv') throw new UsageError('--explain works with --format table, markdown or json, not csv');
  const asOf = opts.asOf ?? isoDay(ctx.now());
  const loaded = await loadScenario(opts.scenario ?? DEFAULT_SCENARIO, ctx.cwd);
  const { scenario } = loaded;
  const pricing = await loadPricing(opts.pricing, ctx.cwd);

  const resolver = new Resolver(pricing.catalog, asOf);
  let candidates: Candidate[];
  if (opts.allModels && opts.model.length > 0) throw new UsageError('--all-models prices every model; leave out --model');
  if (opts.allModels) {
    candidates = everyPricedModel(pricing.catalog, asOf, scenario.token_mix, ctx);
  } else if (opts.model.length > 0) {
    candidates = opts.model.flatMap((ref) => {
      const tier = resolver.tier(singleModel(ref), { flag: '--model' });
      return tier ? [modelCandidate(tier)] : [];
    });
  } else {
    const tiers = scenario.setup.tiers.flatMap((t) => resolver.tier(t, { path: scenario.paths.tiers[t.name] ?? [] }) ?? []);
    const only = tiers.length === 1 ? tiers[0] : undefined;
    candidates = [{ id: only ? only.model.id : `setup:${scenario.name}`, label: scenario.setup.label, kind: 'setup', tiers }];
  }
  const baselineRef = opts.baseline ?? scenario.baseline.model;
  const baselineTier = resolver.tier(
    singleModel(baselineRef),
    opts.baseline === undefined ? { path: scenario.paths.baseline } : { flag: '--baseline' },
  );
  await resolver.throwIfAny(loaded);
  for (const note of resolver.notes) ctx.stderr.write(`ai-route: ${note}\n`);
  const baseline = modelCandidate(baselineTier!);
  if (opts.baseline === undefined && scenario.baseline.label !== undefined) baseline.label = scenario.baseline.label;

  const missing = [...candidates, baseline].flatMap((c) => findMissingPrices(c, scenario.token_mix));
  if (missing.length > 0) {
    throw new UsageError(
      ...missing.map(
        (m) =>
          `${m.model} (tier ${m.tier}) has no ${m.component} price in ${m.file}, and ${m.because} in ${scenario.file} needs it; ` +
          'add it with --pricing FILE (a price the source does not give is absent, not zero)',
      ),
    );
  }

  const report = projectCosts({
    candidates,
    baseline,
    mix: scenario.token_mix,
    points: volumePoints(opts, loaded),
    budget: opts.budget,
    parts: opts.explain === true,
  });
  const doc: CostDocument = {
    report,
    as_of: asOf,
    scenario: { name: scenario.name, file: scenario.file },
    candidates,
    baseline,
    mix: scenario.token_mix,
    mix_defaulted: scenario.token_mix_defaulted,
    assumptions: scenario.assumptions,
    explain: opts.explain === true,
  };
  const text = await render(doc, opts, ctx);
  await writeResult(text, opts.out, [...pricing.inputs, loaded.doc.abs], ctx);

  const breaches = report.budget?.breaches ?? [];
  for (const { row, over } of breaches) {
    ctx.stderr.write(
      `ai-route: budget exceeded: ${describePoint(row.point)} with ${row.candidate.label} costs ${formatUsd(row.cost)}, ` +
        `${formatUsd(over)} over the ${formatUsd(report.budget!.limit)} budget\n`,
    );
  }
  return breaches.length > 0 ? EXIT.gate : EXIT.ok;
}

async function render(doc: CostDocument, opts: CostOptions, ctx: RunContext): Promise<string> {
  switch (opts.format) {
    case 'json':
      return renderCostJson(doc);
    case 'csv':
      return renderCostCsv(doc);
    case 'markdown':
      return renderCostMarkdown(doc);
    case 'table': {
      const [{ renderCostTable }, { chalkFor }] = await Promise.all([import('../render/cost/table.js'), import('../io/color.js')]);
      return renderCostTable(doc, await chalkFor(ctx, opts.out !== undefined));
    }
  }
}
