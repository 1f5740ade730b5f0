import {
  type CapacityTier,
  DAYS_PER_MONTH_TEXT,
  DEFAULT_HEADROOM_PCT,
  DEFAULT_PEAK_FACTOR,
  DEFAULT_TOKENS_PER_REQUEST,
  type KeyLimit,
  type TrafficShape,
  planCapacity,
} from '../core/capacity.js';
import { modelNamed } from '../core/catalog.js';
import { type VolumePoint, projectMonths } from '../core/cost.js';
import type { RunContext } from '../domain/context.js';
import { UsageError } from '../domain/errors.js';
import type { Catalog, RateLimit } from '../domain/pricing.js';
import type { Scenario } from '../domain/scenario.js';
import { resolve } from 'node:path';
import { loadPricing } from '../load/pricing.js';
import { DEFAULT_SCENARIO, type LoadedScenario, loadScenario } from '../load/scenario.js';
import { loadSavedPremortem } from '../load/saved-premortem.js';
import { isoDay } from '../units/date.js';
import { type Big, Dec } from '../units/decimal.js';
import type { CapacityView } from '../render/capacity.js';
import { volumePoints } from './cost.js';

/** What `capacity` needs of its flags. */
export interface CapacityInputs {
  scenario?: string | undefined;
  usage?: readonly string[] | undefined;
  volume: readonly number[];
  months?: number | undefined;
  growth?: Big | undefined;
  pricing: readonly string[];
  accountTier: readonly string[];
  premortem?: string | undefined;
  headroom?: Big | undefined;
  asOf?: string | undefined;
}

/** `--account-tier openai=tier-3`, by provider. */
function accountTiers(flags: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of flags) {
    const m = /^([^=\s]+)=([^=\s]+)$/.exec(f);
    if (m === null)
      throw new UsageError(`--account-tier ${f}: expected PROVIDER=TIER, such as openai=tier-3`);
    out.set(m[1]!, m[2]!);
  }
  return out;
}

/**
 * The limit of one key of a model: its provider's entries in force on the day, at the chosen
 * account tier (else the first the files list), the model's own entry before the provider's,
 * the latest to take effect, a later file's on a tie.
 */
export function limitFor(
  catalog: Catalog,
  modelId: string,
  asOf: string,
  chosen: ReadonlyMap<string, string>,
): KeyLimit | undefined {
  const model = catalog.byId.get(modelId);
  if (model === undefined) return undefined;
  const names = new Set([model.id, ...model.aliases]);
  const mine = catalog.limits.filter(
    (l) =>
      l.provider === model.provider &&
      l.effective_from <= asOf &&
      (l.model === undefined || names.has(l.model) || catalog.names.get(l.model) === model.id),
  );
  const tier = chosen.get(model.provider) ?? mine[0]?.account_tier;
  const atTier = mine.filter((l) => l.account_tier === tier);
  const pick = (ls: RateLimit[]) =>
    ls.reduce<RateLimit | undefined>(
      (best, l) => (best === undefined || l.effective_from >= best.effective_from ? l : best),
      undefined,
    );
  const l = pick(atTier.filter((x) => x.model !== undefined)) ?? pick(atTier);
  if (l === undefined) return undefined;
  return {
    rpm: l.rpm,
    tpm: l.tpm,
    from: { kind: 'pricing', provider: l.provider, account_tier: l.account_tier },
    source: l.source,
    file: l.file,
    effective_from: l.effective_from,
  };
}

/** The traffic the scenario states, each value it leaves out at its stated default. */
function trafficOf(scenario: Scenario): {
  traffic: TrafficShape;
  defaults: CapacityView['traffic']['defaults'];
} {
  const t = scenario.traffic;
  const defaults: CapacityView['traffic']['defaults'] = [];
  const traffic: TrafficShape = {
    peak_factor: t?.peak_factor ?? (defaults.push('peak_factor'), Dec(DEFAULT_PEAK_FACTOR)),
    tokens_per_request:
      t?.tokens_per_request ??
      scenario.token_mix.tokens_per_request ??
      (defaults.push('tokens_per_request'), DEFAULT_TOKENS_PER_REQUEST),
    days_per_month: t?.days_per_month ?? (defaults.push('days'), Dec(DAYS_PER_MONTH_TEXT)),
  };
  return { traffic, defaults };
}

/** Each tier's key limit: measured by a pre-mortem for the tier it reviewed, else a file's. */
async function tierLimits(
  opts: Pick<CapacityInputs, 'accountTier' | 'premortem'>,
  tiers: readonly CapacityTier[],
  catalog: Catalog,
  asOf: string,
  scenarioName: string,
  ctx: RunContext,
): Promise<Map<string, KeyLimit | undefined>> {
  const premortem =
    opts.premortem === undefined ? undefined : await loadSavedPremortem(opts.premortem, ctx.cwd);
  const chosen = accountTiers(opts.accountTier);
  const limits = new Map<string, KeyLimit | undefined>();
  const measured = premortem?.measured_limit;
  const measuredTier =
    premortem === undefined
      ? undefined
      : (tiers.find(
          (t) =>
            t.model === premortem.target.model ||
            modelNamed(catalog, premortem.target.model)?.id === t.model,
        ) ?? (tiers.length === 1 ? tiers[0] : undefined));
  if (premortem !== undefined && measured === undefined)
    throw new UsageError(`--premortem ${opts.premortem}: its rate_limit check measured no limit`);
  if (premortem !== undefined && measuredTier === undefined)
    throw new UsageError(
      `--premortem ${opts.premortem}: it reviewed ${premortem.target.model}, which no tier of ` +
        `${scenarioName} routes to (${tiers.map((t) => t.model).join(', ')})`,
    );
  for (const t of tiers)
    limits.set(
      t.tier,
      t === measuredTier && measured !== undefined
        ? {
            ...measured,
            from: { kind: 'premortem' },
            source: `measured by ai-route premortem against ${premortem!.target.base_url}`,
            file: opts.premortem,
            effective_from: undefined,
          }
        : limitFor(catalog, t.model, asOf, chosen),
    );
  return limits;
}

/**
 * The plan of a loaded scenario's setup at these points: `capacity`'s, and the capacity section
 * of `cost --explain` (there with the default account tiers and headroom).
 */
export async function capacityOf(
  loaded: LoadedScenario,
  catalog: Catalog,
  points: readonly VolumePoint[],
  opts: Pick<CapacityInputs, 'accountTier' | 'premortem' | 'headroom'> & { asOf: string },
  ctx: RunContext,
): Promise<CapacityView> {
  const headroom = opts.headroom ?? Dec(DEFAULT_HEADROOM_PCT);
  if (headroom.gte(Dec('100')))
    throw new UsageError(`--headroom ${headroom.toFixed()}: expected less than 100 percent`);
  const { scenario } = loaded;
  const tiers: CapacityTier[] = scenario.setup.tiers.map((t) => ({
    tier: t.name,
    model: modelNamed(catalog, t.model)?.id ?? t.model,
    share: t.share,
  }));
  const limits = await tierLimits(opts, tiers, catalog, opts.asOf, scenario.name, ctx);
  const { traffic, defaults } = trafficOf(scenario);
  const projected = points[0]?.month !== null && points[0]?.month !== undefined;
  const growth = scenario.growth;
  const horizon = projected
    ? points
    : growth === undefined
      ? []
      : projectMonths(growth.start, growth.monthly_pct, growth.months);
  return {
    plan: planCapacity({ points, tiers, traffic, limits, headroom_pct: headroom, horizon }),
    as_of: opts.asOf,
    scenario: { name: scenario.name, file: scenario.file },
    setup: scenario.setup.label,
    traffic: { ...traffic, defaults },
    headroom_pct: headroom,
    limits: tiers.map((x) => ({ tier: x.tier, model: x.model, limit: limits.get(x.tier) })),
    horizon: projected ? 'projection' : growth === undefined ? 'none' : 'growth',
    horizon_months: horizon.length,
  };
}

/** load -> validate -> plan: the view `capacity` renders, and the files it read. */
export async function capacityView(
  opts: CapacityInputs,
  ctx: RunContext,
): Promise<{ view: CapacityView; inputs: string[] }> {
  const asOf = opts.asOf ?? isoDay(ctx.now());
  const pricing = await loadPricing(opts.pricing, ctx.cwd);
  const fitted =
    opts.usage === undefined || opts.usage.length === 0
      ? undefined
      : await (
          await import('./usage-scenario.js')
        ).usageScenario(opts.usage, pricing.catalog, undefined, ctx);
  const loaded = fitted?.loaded ?? (await loadScenario(opts.scenario ?? DEFAULT_SCENARIO, ctx.cwd));
  // the fitted peak, where the usage times its records, stands for the scenario's peak factor
  const peak = fitted?.peak;
  if (peak !== undefined)
    loaded.scenario.traffic = {
      peak_factor: peak.peak_factor,
      tokens_per_request: undefined,
      days_per_month: undefined,
    };
  const points = volumePoints({ ...opts, model: [] }, loaded);
  const view = await capacityOf(loaded, pricing.catalog, points, { ...opts, asOf }, ctx);
  if (peak !== undefined)
    view.traffic.fitted = { busiest_hour: peak.busiest_hour, hours: peak.hours };
  else if (fitted !== undefined) view.traffic.daily_only = true;
  const premortem = opts.premortem === undefined ? [] : [resolve(ctx.cwd, opts.premortem)];
  const read = fitted?.inputs ?? [loaded.doc.abs];
  return { view, inputs: [...pricing.inputs, ...read, ...premortem] };
}
