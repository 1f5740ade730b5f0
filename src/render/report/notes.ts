import { PRICE_COMPONENTS } from '../../domain/pricing.js';
import type { Origin } from '../../domain/sources.js';
import type { DecisionFacts } from '../../schema/decision.js';
import type { Big } from '../../units/decimal.js';
import type { CostView } from '../cost/view.js';
import { formatTokens, formatUsd } from '../format.js';
import { citeOrigin } from '../sources.js';
import type { Slide } from './deck.js';

// Provenance a board can check: each slide's speaker notes say how its figures were made (volume,
// mix, rates, formula), and the sources slide names every price's and claim's source by name and
// date: a document by title and publisher, a catalog by name, date and URL, a quote file by name.

type PricedTier = CostView['baseline']['tiers'][number];

/** A price's rates per 1M tokens, by component: "output $0.25". */
function rates(t: PricedTier): string {
  return PRICE_COMPONENTS.flatMap((c) => {
    const v = t.price.rates[c];
    return v === undefined ? [] : [`${c.replace('_', ' ')} ${formatUsd(v)}`];
  }).join(', ');
}

const nameOf = (t: PricedTier) => t.model.display_name ?? t.model.id;

/** Each priced model once, across the setups and the baseline. */
function pricedTiers(view: CostView): PricedTier[] {
  const seen = new Set<string>();
  return [...view.candidates.flatMap((c) => c.tiers), ...view.baseline.tiers].filter(
    (t) => !seen.has(t.model.id) && seen.add(t.model.id),
  );
}

function mixWords(view: CostView): string {
  if (view.mix_defaulted)
    return (
      'Every token is billed at the output rate (the convention of Enterprise vs Startup, ' +
      '2026).'
    );
  const pct = (b: Big) => `${b.times('100').toFixed()}%`;
  return (
    `Token mix: ${pct(view.mix.input)} input, ${pct(view.mix.output)} output, ` +
    `${pct(view.mix.cache_hit_rate)} of input read from cache.`
  );
}

/** How a cost slide's figures are made: volume, shares, mix, rates, the formula. */
export function costNotes(view: CostView): string {
  const shares = view.candidates.map(
    (c) =>
      `${c.label}: ` +
      c.tiers.map((t) => `${t.tier.share.times('100').toFixed()}% to ${nameOf(t)}`).join(', '),
  );
  return [
    'Each volume is tokens a month. Cost = for each tier, volume x its share x its rate per 1M ' +
      'tokens / 1,000,000, summed in exact decimals and rounded to the cent for display.',
    `Shares: ${shares.join('; ')}.`,
    mixWords(view),
    `Rates per 1M tokens: ${pricedTiers(view)
      .map((t) => `${nameOf(t)} ${rates(t)} (in force from ${t.price.effective_from})`)
      .join('; ')}.`,
    `Saved a month = ${view.baseline.label} cost - cost; a year = 12 x a month; ` +
      `savings = 1 - cost / ${view.baseline.label} cost. Prices in force on ${view.as_of}.`,
  ].join(' ');
}

/** The projection's formula: the first stage's volume grown month by month, summed. */
export function projectionNotes(view: CostView, growth: Big): string {
  const first = view.report.rows[0]?.point.tokens;
  return (
    `Month 1 is ${first === undefined ? 'the first stage' : formatTokens(first)} tokens; month n ` +
    `is month 1 x (1 + ${growth.toFixed()}%)^(n - 1). Each month is priced as on the cost ` +
    `slides; the lines are running sums. ${costNotes(view)}`
  );
}

/** The quote slide's arithmetic. */
export function quoteNotes(against: string, cost: Big, volume: number, perMillion: Big): string {
  return (
    `${against} costs ${formatUsd(cost)} a month at ${formatTokens(volume)} tokens, so ` +
    `${formatUsd(perMillion)} per 1M tokens = ${formatUsd(cost)} / ${formatTokens(volume)} x 1M; ` +
    'at each stage, the most a quote may charge is that price x the stage volume / 1M.'
  );
}

export function decisionNotes(d: DecisionFacts): string {
  const from = d.reference === null ? 'the decision matrix' : citeOrigin(d.reference);
  return (
    "Each setup's score is the sum over factors of its 0-10 score for the answer given, " +
    "weighted by the factor's importance; a setup that breaks a hard requirement is excluded. " +
    `The factors, answers and the SLA, DPA and support claims are those of ${from}; the ` +
    "scores are ai-route's rubric of them, editable. Each setup is priced at " +
    `${d.volume === null ? 'the decision volume' : `${formatTokens(d.volume)} tokens a month`} ` +
    'with the same cost engine as the cost slides.'
  );
}

export const PROBE_NOTES =
  'Measured by ai-route probe: TTFT is the time from sending a request to its first content ' +
  'token, E2E to its last; percentiles come from HDR histograms of the requests that succeeded ' +
  '(failures are in the error rate). The distribution chart counts requests per latency band.';

export const PREMORTEM_NOTES =
  'Run by ai-route premortem against the endpoint named: each check sent real requests (the ' +
  'count is on the slide) or read the decision data; its finding is what it measured.';

/** The headline's figure, as a presenter may be asked about it. */
export function headlineNotes(view: CostView): string {
  return `The headline is priced as the cost slides are. ${costNotes(view)}`;
}

/** Every source of the deck's figures, each once, and what the figures assume. */
/** The prices behind the decision table's costs that no cost slide already cites. */
function decisionPrices(tiers: PricedTier[], decision: DecisionFacts | undefined): string[] {
  const cited = new Set(tiers.map((t) => t.model.id));
  return (decision?.prices ?? [])
    .filter((p) => !cited.has(p.model))
    .map(
      (p) => `${p.model} (in the decision's costs): ${p.source}, effective ${p.effective_from}.`,
    );
}

export function sourcesSlide(view: CostView, decision: DecisionFacts | undefined): Slide {
  const tiers = pricedTiers(view);
  const origins = new Map<string, { origin: Origin; models: string[] }>();
  for (const t of tiers) {
    const origin = t.model.origin;
    if (origin === undefined) continue;
    const key = citeOrigin(origin);
    origins.set(key, {
      origin,
      models: [...(origins.get(key)?.models ?? []), nameOf(t)],
    });
  }
  const rec = decision?.recommendation;
  // the matrix quoting the document the prices come from: named once, in full
  const claimsFrom = (o: Origin) =>
    origins.has(citeOrigin(o)) ? `the same document, "${o.title.split(':')[0]}"` : citeOrigin(o);
  return {
    title: 'Assumptions and sources',
    bullets: [
      mixWords(view),
      ...view.assumptions,
      ...[...origins.entries()].map(([cite, o]) => `Prices of ${o.models.join(', ')}: ${cite}.`),
      ...tiers.map((t) => `${nameOf(t)}: ${t.price.source}, effective ${t.price.effective_from}.`),
      ...decisionPrices(tiers, decision),
      ...(decision?.reference === null || decision?.reference === undefined
        ? []
        : [`Decision factors, SLA, DPA and support claims: ${claimsFrom(decision.reference)}.`]),
      ...(rec === null || rec === undefined
        ? []
        : rec.uptime_sources.map((u) => `Availability of ${u.what}: ${u.source}.`)),
      `Prices in force on ${view.as_of}, in USD.`,
    ],
    notes:
      'Every price is dated: the day it took effect. A price with no source is never used; ' +
      'a model with no price is said to have none, never priced at zero.',
  };
}
