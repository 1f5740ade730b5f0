import { type Catalog, lookupModel, priceAt } from '../core/catalog.js';
import { type Candidate, type CostReport, type PricedTier, findMissingPrices, projectCosts } from '../core/cost.js';
import { type Big, Dec, ONE } from '../core/decimal.js';
import type { OptionCost } from '../core/decide.js';
import type { Scenario } from '../schema/scenario.js';

/** A scenario's setup and baseline priced at one volume by the cost engine, or the prices it lacks. */
export function priceSetup(scenario: Scenario, catalog: Catalog, asOf: string, volume: number): { cost: OptionCost; report: CostReport | undefined } {
  const missing: string[] = [];
  const tier = (name: string, model: string, share: Big, fallback: string[]): PricedTier | undefined => {
    const found = lookupModel(catalog, model);
    const price = found.ok ? priceAt(found.model, asOf) : undefined;
    if (!found.ok || price === undefined) {
      missing.push(`${model} (no price${found.ok ? ` in force on ${asOf}` : ' in the catalog'})`);
      return undefined;
    }
    return { tier: { name, model, share, fallback }, model: found.model, price };
  };
  const tiers = scenario.setup.tiers.flatMap((t) => tier(t.name, t.model, t.share, t.fallback) ?? []);
  const base = tier('all', scenario.baseline.model, ONE, []);
  if (missing.length > 0 || base === undefined) return { cost: { priced: false, missing }, report: undefined };
  const candidate: Candidate = { id: `setup:${scenario.name}`, label: scenario.setup.label, kind: 'setup', tiers };
  const baseline: Candidate = { id: base.model.id, label: scenario.baseline.label ?? base.model.id, kind: 'model', tiers: [base] };
  const gaps = [...findMissingPrices(candidate, scenario.token_mix), ...findMissingPrices(baseline, scenario.token_mix)];
  if (gaps.length > 0) return { cost: { priced: false, missing: gaps.map((g) => `${g.model} (no ${g.component} price)`) }, report: undefined };
  const report = projectCosts({ candidates: [candidate], baseline, mix: scenario.token_mix, points: [{ stage: null, month: null, tokens: volume }], budget: undefined, parts: false });
  const row = report.rows[0]!;
  return { cost: { priced: true, cost: row.cost, baseline_cost: row.baseline_cost }, report };
}

export interface Availability {
  uptime_pct: Big;
  in_writing: boolean;
  source: string;
  /** Minutes of downtime the uptime allows: per 730-hour month and per 30-day month. */
  minutes_730h: Big;
  minutes_30d: Big;
  /** Every tier on one base URL: one provider, one failure domain. */
  one_provider: boolean;
  base_urls: string[];
  /** What two independent providers at this uptime would reach, if their failures were independent. */
  two_providers_pct: Big;
  two_providers_seconds_730h: Big;
}

/** The availability arithmetic of a setup: the error budget of its uptime, and what a fallback chain can and cannot add. */
export function availabilityOf(scenario: Scenario, uptimePct: Big, inWriting: boolean, source: string): Availability {
  const down = ONE.minus(uptimePct.times('0.01'));
  const urls = [...new Set(scenario.setup.tiers.map((t) => t.base_url ?? scenario.endpoint.base_url ?? '(unspecified)'))];
  const bothDown = down.times(down);
  return {
    uptime_pct: uptimePct,
    in_writing: inWriting,
    source,
    minutes_730h: down.times('43800'),
    minutes_30d: down.times('43200'),
    one_provider: urls.length === 1,
    base_urls: urls,
    two_providers_pct: ONE.minus(bothDown).times('100'),
    two_providers_seconds_730h: bothDown.times('2628000'),
  };
}

export interface Alert {
  name: string;
  /** A probe gate or an alert condition. */
  condition: string;
  window: string;
  why: string;
}

/** Error-rate alerts from the SLA's error budget (multiwindow burn rates), and p99 latency gates to start from. */
export function alertsFor(uptimePct: Big): Alert[] {
  const budget = ONE.minus(uptimePct.times('0.01'));
  const pct = (v: Big) => `${v.times('100').round(4).toFixed()}%`;
  return [
    { name: 'page: fast burn', condition: `error_rate > ${pct(budget.times('14.4'))}`, window: '1 h (and 5 min)', why: `spends 2% of a 30-day error budget of ${pct(budget)} in an hour` },
    { name: 'page: slow burn', condition: `error_rate > ${pct(budget.times('6'))}`, window: '6 h (and 30 min)', why: 'spends 5% of the budget in six hours' },
    { name: 'ticket', condition: `error_rate > ${pct(budget)}`, window: '3 days', why: 'the SLA itself is being missed' },
    { name: 'latency gate', condition: 'ttft.p99<2s', window: 'each probe run (at least 1,000 requests)', why: 'a starting point: replace 2 s with 1.5x the p99 you measure' },
    { name: 'latency gate', condition: 'e2e.p99<10s', window: 'each probe run', why: 'a starting point for a 64-token answer; set it from measurement' },
  ];
}

/** Rounds a decimal for prose: "43.8". */
export function short(value: Big, places = 2): string {
  return value.round(places, Dec.roundHalfUp).toFixed();
}
