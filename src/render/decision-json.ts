import type { Origin } from '../domain/sources.js';
import { DECISION_SCHEMA } from '../schema/decision.js';
import type {
  Alert,
  BudgetResult,
  Check,
  ExclusionReason,
  OptionCost,
  Unverified,
} from '../core/decide.js';
import type { Route, RouteFact, SetupAvailability } from '../core/setup-check.js';
import { exact } from '../units/decimal.js';
import {
  type DecisionView,
  type OptionDetail,
  alertWords,
  capacityFlags,
  detailOf,
  providesOf,
} from './decision.js';

function costJson(c: OptionCost) {
  return c.priced
    ? { priced: true, monthly_cost: exact(c.cost), baseline_monthly_cost: exact(c.baseline_cost) }
    : { priced: false, missing: c.missing };
}

function routeJson(r: Route) {
  return {
    tier: r.tier,
    via: r.via ?? null,
    model: r.model,
    base_url: r.base_url ?? null,
    channel: r.channel?.id ?? null,
    provider: r.channel?.provider ?? null,
  };
}

function factJson(f: RouteFact) {
  return { ...routeJson(f.route), value: f.value ?? null, source: f.source };
}

function tiersJson(d: OptionDetail) {
  return d.scenario.setup.tiers.map((t) => {
    const used = d.used.find((u) => u.tier.name === t.name);
    return {
      tier: t.name,
      model: t.model,
      share: exact(t.share),
      fallback: t.fallback,
      base_url: t.base_url ?? d.scenario.endpoint.base_url ?? null,
      channel: d.routes.find((r) => r.tier === t.name && r.via === undefined)?.channel?.id ?? null,
      price:
        used === undefined
          ? null
          : {
              model: used.model.id,
              file: used.model.file,
              effective_from: used.price.effective_from,
              source: used.price.source,
            },
    };
  });
}

/** A reference as saved: the document's title, publisher (null: not named), about, url, date. */
function referenceJson(r: Origin | undefined) {
  return r === undefined
    ? null
    : {
        title: r.title,
        publisher: r.publisher,
        about: r.about ?? null,
        url: r.url ?? null,
        read_on: r.date ?? null,
      };
}

function availabilityJson(a: SetupAvailability) {
  return {
    uptime_pct: a.value === undefined ? null : exact(a.value),
    at_least_pct: a.at_least === undefined ? null : exact(a.at_least),
    basis: a.basis,
    figures: a.figures.map((f) => ({
      what: f.what,
      uptime_pct: f.uptime.value === undefined ? null : exact(f.uptime.value),
      basis: f.uptime.basis,
      source: f.uptime.source,
    })),
    unknown_components: a.unknown_components,
    providers: a.providers,
    one_provider: a.one_provider,
  };
}

function budgetResultJson(r: BudgetResult) {
  const base = { option: r.option, status: r.status, passes: r.passes, unverified: r.unverified };
  if (r.status === 'unverifiable') return { ...base, missing: r.missing };
  return {
    ...base,
    projected: exact(r.projected),
    ...(r.status === 'over' ? { over: exact(r.over) } : {}),
  };
}

function checkJson(c: Check) {
  if (c.kind === 'budget')
    return { kind: c.kind, limit: exact(c.limit), results: c.results.map(budgetResultJson) };
  return {
    kind: c.kind,
    factor: c.factor,
    answer: c.answer,
    capability: c.capability,
    results: c.results.map((r) => ({
      option: r.option,
      status: r.status,
      passes: r.passes,
      unverified: r.unverified,
      breaking: r.breaking.map((b) => ({
        ...factJson(b),
        accepted: b.accepted === undefined ? null : { why: b.accepted.why },
      })),
      unknown: r.unknown.map(factJson),
    })),
  };
}

function exclusionJson(r: ExclusionReason) {
  switch (r.kind) {
    case 'lacks':
    case 'conflict':
      return {
        kind: r.kind,
        factor: r.factor,
        answer: r.answer,
        capability: r.capability,
        routes: r.breaking.map(factJson),
      };
    case 'unverified_capability':
      return {
        kind: r.kind,
        factor: r.factor,
        answer: r.answer,
        capability: r.capability,
        routes: r.unknown.map(factJson),
      };
    case 'over_budget':
      return {
        kind: r.kind,
        projected: exact(r.projected),
        limit: exact(r.limit),
        over: exact(r.over),
      };
    case 'unpriced':
      return { kind: r.kind, limit: exact(r.limit), missing: r.missing };
  }
}

function unverifiedJson(u: Unverified) {
  return u.kind === 'budget'
    ? { option: u.option, kind: u.kind, limit: exact(u.limit), missing: u.missing }
    : { option: u.option, kind: u.kind, capability: u.capability, routes: u.unknown.map(factJson) };
}

function alertJson(a: Alert) {
  const words = alertWords(a);
  if (a.kind === 'latency_gate') return { kind: a.kind, metric: a.metric, condition: a.assert };
  return {
    kind: a.kind,
    condition: words.condition,
    error_rate_pct: exact(a.error_rate_pct),
    ...(a.kind === 'sla' ? {} : { burn_rate: exact(a.burn), budget_pct: exact(a.budget_pct) }),
  };
}

function optionJson(view: DecisionView, x: OptionDetail, n6: (v: number) => number) {
  const { decision: d } = view;
  const capabilities = [...new Set(view.matrix.channels.flatMap((c) => Object.keys(c.provides)))];
  return {
    option: x.option.id,
    label: x.option.label,
    summary: x.option.summary,
    scenario: x.scenario.name,
    total: d.totals[x.option.id] === undefined ? null : n6(d.totals[x.option.id]!),
    excluded: d.exclusions
      .filter((e) => e.option === x.option.id)
      .map((e) => exclusionJson(e.reason)),
    provides: Object.fromEntries(capabilities.map((c) => [c, providesOf(x.routes, c)])),
    availability: availabilityJson(x.availability),
    cost: costJson(x.cost),
    tiers: tiersJson(x),
    routes: x.routes.map(routeJson),
  };
}

const n6 = (v: number) => Number(v.toFixed(6));

function recommendationJson(view: DecisionView) {
  const { decision: d } = view;
  const winner = detailOf(view, d.winner?.id);
  if (d.winner === undefined || winner === undefined) return null;
  return {
    option: d.winner.id,
    label: d.winner.label,
    posture: d.posture,
    scenario: winner.scenario.name,
    tiers: tiersJson(winner),
    cost: costJson(winner.cost),
    availability: availabilityJson(winner.availability),
    unverified: d.unverified.filter((u) => u.option === d.winner!.id).map(unverifiedJson),
    alerts: view.alerts.map(alertJson),
  };
}

function factorJson(r: DecisionView['decision']['rows'][number], winner: string | undefined) {
  return {
    factor: r.factor.id,
    label: r.factor.label,
    answer: r.answer,
    answer_label: r.answer_label,
    importance: r.importance,
    weight: n6(r.weight),
    score: winner ? r.scores[winner]!.score : null,
    reason: winner ? r.scores[winner]!.reason : null,
    scores: Object.fromEntries(
      Object.entries(r.scores).map(([o, s]) => [o, { score: s.score, reason: s.reason }]),
    ),
  };
}

function sensitivityJson(d: DecisionView['decision']) {
  const smallest = d.sensitivity.smallest;
  return {
    smallest_flip:
      smallest === undefined
        ? null
        : { factor: smallest.factor, change: n6(smallest.change), to: n6(smallest.to) },
    flips: d.sensitivity.flips.map((f) => ({
      factor: f.factor,
      change: n6(f.change),
      to: n6(f.to),
    })),
    win_rate: d.sensitivity.win_rate ?? null,
    draws: d.sensitivity.draws,
    seed: d.inputs.seed,
  };
}

/**
 * `ai-route/decision@3`: data, not sentences (codes, ids and exact numbers); its `inputs` replay
 * the same decision.
 */
export function renderDecisionJson(view: DecisionView): string {
  const { decision: d } = view;
  const body = {
    schema: DECISION_SCHEMA,
    matrix_version: view.matrix.version,
    // the document the matrix's factors and facts quote, so a deck can cite it by title
    matrix_reference: referenceJson(view.matrix.reference),
    as_of: view.as_of,
    inputs: {
      preset: view.preset ?? null,
      answers: d.inputs.answers,
      importance: d.inputs.importance,
      volume: d.inputs.volume,
      monthly_budget: d.inputs.monthly_budget === undefined ? null : exact(d.inputs.monthly_budget),
      seed: d.inputs.seed,
    },
    allow_unverified: d.allow_unverified,
    recommendation: recommendationJson(view),
    posture_lean: n6(d.posture_lean),
    factors: d.rows.map((r) => factorJson(r, d.winner?.id)),
    options: view.details.map((x) => optionJson(view, x, n6)),
    checks: d.checks.map(checkJson),
    conflicts: d.conflicts.map((c) => ({
      option: c.option,
      factor: c.factor,
      capability: c.capability,
      ...factJson(c.fact),
      accepted: c.accepted === undefined ? null : { why: c.accepted.why },
    })),
    unverified: d.unverified.map(unverifiedJson),
    max_keys: view.max_keys,
    capacity_flags: capacityFlags(view),
    break_even: view.break_even.map((b) => ({
      a: b.a,
      b: b.b,
      crossings: b.crossings.map((c) => ({
        from_tokens: c.from_tokens,
        cheaper: c.cheaper === 'same' ? 'same' : c.cheaper === 'a' ? b.a : b.b,
      })),
    })),
    implausible_taken: [
      ...new Map(view.details.flatMap((x) => x.used).map((u) => [u.model.id, u])).values(),
    ].flatMap((u) =>
      u.price.implausible_taken.map((q) => ({
        model: u.model.id,
        rate: q.component,
        value: exact(q.value),
        why: q.why,
      })),
    ),
    margin: d.margin === undefined ? null : n6(d.margin),
    margin_pct: d.margin_pct === undefined ? null : n6(d.margin_pct),
    sensitivity: sensitivityJson(d),
    fragile: d.fragile,
    fragile_reasons: d.fragile_reasons.map((r) =>
      r.kind === 'thin_margin' ? { ...r, margin_pct: n6(r.margin_pct) } : r,
    ),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}
