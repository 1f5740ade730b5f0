import type {
  AcceptedConflict,
  Channel,
  MatrixOption,
  SetupComponent,
  Uptime,
} from '../domain/matrix.js';
import type { Scenario } from '../domain/scenario.js';
import { type Big, ONE, ZERO } from '../units/decimal.js';

/** One way a tier's traffic can be served: the tier itself, or a fallback along its chain. */
export interface Route {
  tier: string;
  /** The fallback tier serving it; undefined for the tier itself. */
  via: string | undefined;
  model: string;
  base_url: string | undefined;
  /** The channel the route is on; undefined when no channel of the matrix matches it. */
  channel: Channel | undefined;
}

/**
 * The channel a model at a base URL is on: same base URL, and the longest model prefix that fits.
 */
export function channelOf(
  channels: readonly Channel[],
  baseUrl: string | undefined,
  model: string,
): Channel | undefined {
  const norm = (u: string) => u.replace(/\/+$/, '');
  const fits = channels.filter(
    (c) =>
      baseUrl !== undefined &&
      norm(c.base_url) === norm(baseUrl) &&
      (c.model_prefix === undefined || model.startsWith(c.model_prefix)),
  );
  return fits.sort((a, b) => (b.model_prefix?.length ?? 0) - (a.model_prefix?.length ?? 0))[0];
}

/** Every route of a setup: each tier, then each step of its fallback chain, in order. */
export function routesOf(scenario: Scenario, channels: readonly Channel[]): Route[] {
  const byName = new Map(scenario.setup.tiers.map((t) => [t.name, t]));
  const at = (name: string, via: string | undefined): Route => {
    const t = byName.get(name)!;
    const baseUrl = t.base_url ?? scenario.endpoint.base_url;
    return {
      tier: via === undefined ? name : via,
      via: via === undefined ? undefined : name,
      model: t.model,
      base_url: baseUrl,
      channel: channelOf(channels, baseUrl, t.model),
    };
  };
  return scenario.setup.tiers.flatMap((t) => [
    at(t.name, undefined),
    ...t.fallback.map((f) => at(f, t.name)),
  ]);
}

/** A route and what the data says about it for one capability. */
export interface RouteFact {
  route: Route;
  value: boolean | undefined;
  source: string;
}

/**
 * How a setup stands against a capability a hard requirement needs, route by route:
 * - met: every tier and every fallback provides it;
 * - lacks: none does;
 * - conflict: some do and some do not (a fallback on shared capacity under a DPA, say);
 * - unverifiable: none is known not to, but the data cannot confirm some.
 */
export type CapabilityStatus = 'met' | 'lacks' | 'conflict' | 'unverifiable';

export interface CapabilityResult {
  option: string;
  status: CapabilityStatus;
  /**
   * Routes known not to provide it, each with the exception that accepts it, if the option has one.
   */
  breaking: Array<RouteFact & { accepted: AcceptedConflict | undefined }>;
  /** Routes the data cannot say about. */
  unknown: RouteFact[];
  /**
   * Whether the option stays in: met, every conflict accepted, or unknowns allowed by
   * --allow-unverified.
   */
  passes: boolean;
  /** It passes only because --allow-unverified let unknowns through. */
  unverified: boolean;
}

function factOf(route: Route, capability: string): RouteFact {
  if (route.channel === undefined)
    return {
      route,
      value: undefined,
      source:
        `no channel of the matrix serves ${route.model} at ` +
        `${route.base_url ?? 'an unspecified base URL'}`,
    };
  const fact = route.channel.provides[capability];
  return {
    route,
    value: fact?.value,
    source: fact?.source ?? `channel ${route.channel.id} does not say`,
  };
}

/**
 * The documented rule: a setup meets a capability only along every route; a route that breaks it
 * excludes the option unless the option accepts that exact route as an exception; a route the data
 * cannot confirm excludes it unless --allow-unverified.
 */
export function checkCapability(
  option: MatrixOption,
  routes: readonly Route[],
  capability: string,
  allowUnverified: boolean,
): CapabilityResult {
  const facts = routes.map((r) => factOf(r, capability));
  const accepted = (r: Route) =>
    option.accepts.find((a) => a.capability === capability && a.tier === r.tier && a.via === r.via);
  const breaking = facts
    .filter((f) => f.value === false)
    .map((f) => ({ ...f, accepted: accepted(f.route) }));
  const unknown = facts.filter((f) => f.value === undefined);
  const anyTrue = facts.some((f) => f.value === true);
  const status: CapabilityStatus =
    breaking.length === 0
      ? unknown.length === 0
        ? 'met'
        : 'unverifiable'
      : anyTrue
        ? 'conflict'
        : 'lacks';
  const conflictsAccepted = breaking.every((b) => b.accepted !== undefined);
  const passes =
    status !== 'lacks' && conflictsAccepted && (unknown.length === 0 || allowUnverified);
  return {
    option: option.id,
    status,
    breaking,
    unknown,
    passes,
    unverified: passes && unknown.length > 0,
  };
}

/**
 * A setup's availability from its chains: independent providers combine, tiers of one provider do
 * not; components it runs through multiply.
 */
export interface SetupAvailability {
  /** Percent, when every figure it rests on is known. */
  value: Big | undefined;
  /**
   * Percent the known figures guarantee, when some are unknown (an unknown provider counted as
   * always down); undefined when nothing is known.
   */
  at_least: Big | undefined;
  basis: 'in_writing' | 'published' | 'computed' | 'unknown';
  /** Each figure used: a channel's or a component's, with where it comes from. */
  figures: Array<{ what: string; uptime: Uptime }>;
  /** Serial components whose uptime is not given (the result holds before them). */
  unknown_components: string[];
  providers: string[];
  /**
   * Every route on one provider: fallbacks ride out a model's overload, not that provider's outage.
   */
  one_provider: boolean;
}

const fractionOf = (u: Uptime): Big | undefined =>
  u.value === undefined ? undefined : u.value.times('0.01');

/**
 * Per tier: the chance that some provider along its chain is up, 1 - product of (1 - a) over the
 * distinct providers of the chain (the first channel of each provider gives its figure), weighted
 * by the tier's share; then times each serial component. Independence of providers is assumed and
 * said.
 */
export function setupAvailability(
  scenario: Scenario,
  routes: readonly Route[],
  components: readonly SetupComponent[],
): SetupAvailability {
  const figures = new Map<string, { what: string; uptime: Uptime }>();
  // with every figure known this is the availability; with some unknown, what the known ones
  // guarantee
  let floor = ZERO;
  let complete = true;
  let anyKnown = false;
  for (const tier of scenario.setup.tiers) {
    if (tier.share.eq(ZERO)) continue; // a fallback-only tier counts along the chains that reach it
    const chain = routes.filter((r) => r.tier === tier.name);
    const byProvider = new Map<string, Uptime | undefined>();
    for (const r of chain) {
      const provider = r.channel?.provider ?? `unmatched:${r.base_url ?? '?'}`;
      if (!byProvider.has(provider)) byProvider.set(provider, r.channel?.uptime);
      if (r.channel !== undefined)
        figures.set(r.channel.id, { what: r.channel.label, uptime: r.channel.uptime });
    }
    let knownDown = ONE;
    for (const uptime of byProvider.values()) {
      const a = uptime === undefined ? undefined : fractionOf(uptime);
      if (a === undefined) complete = false;
      else {
        anyKnown = true;
        knownDown = knownDown.times(ONE.minus(a));
      }
    }
    floor = floor.plus(tier.share.times(ONE.minus(knownDown)));
  }
  let serial = ONE;
  const unknownComponents: string[] = [];
  for (const c of components) {
    figures.set(`component:${c.label}`, { what: c.label, uptime: c.uptime });
    const a = fractionOf(c.uptime);
    if (a === undefined) unknownComponents.push(c.label);
    else serial = serial.times(a);
  }
  const providers = [
    ...new Set(routes.map((r) => r.channel?.provider ?? `unmatched:${r.base_url ?? '?'}`)),
  ];
  const used = [...figures.values()];
  const value =
    complete && unknownComponents.length === 0 ? floor.times(serial).times('100') : undefined;
  const basis = !anyKnown
    ? 'unknown'
    : used.length === 1 && used[0]!.uptime.basis !== 'unknown'
      ? used[0]!.uptime.basis
      : used.length > 1 || components.length > 0
        ? 'computed'
        : 'unknown';
  return {
    value,
    at_least: value === undefined && anyKnown ? floor.times(serial).times('100') : undefined,
    basis,
    figures: used,
    unknown_components: unknownComponents,
    providers,
    one_provider: providers.length === 1,
  };
}
