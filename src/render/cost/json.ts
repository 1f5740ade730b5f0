import { COST_SCHEMA } from '../../schema/outputs.js';
import type {
  BreakEven,
  Candidate,
  CostReport,
  CostRow,
  FixedCharge,
  Part,
} from '../../core/cost.js';
import type { Bands } from '../../core/usage/bands.js';
import { capacityData } from '../capacity.js';
import type { TokenMix } from '../../domain/scenario.js';
import { Dec, type Big, exact } from '../../units/decimal.js';
import { type CostView, freeReason, partNoteText, pricesUsed } from './view.js';

/** Savings percentages are ratios, not money: rounded to 6 decimals, half-up. */
function pct(value: Big | undefined): string | null {
  return value === undefined ? null : exact(value.round(6, Dec.roundHalfUp));
}

function candidateJson(c: Candidate) {
  return {
    id: c.id,
    label: c.label,
    kind: c.kind,
    tiers: c.tiers.map(({ tier, model }) => ({
      tier: tier.name,
      model: model.id,
      share: exact(tier.share),
      fallback: tier.fallback,
      ...(tier.token_mix === undefined ? {} : { token_mix: mixJson(tier.token_mix) }),
    })),
  };
}

/** A token mix with its shares as exact decimal strings. */
function mixJson(m: TokenMix) {
  return {
    input: exact(m.input),
    output: exact(m.output),
    cache_hit_rate: exact(m.cache_hit_rate),
    cache_write_rate: exact(m.cache_write_rate),
    cache_write_1h_share: exact(m.cache_write_1h_share),
    reasoning_share: exact(m.reasoning_share),
    batch_share: exact(m.batch_share),
    tokens_per_request: m.tokens_per_request ?? null,
    input_tokens_per_request: m.input_tokens_per_request ?? null,
  };
}

function partJson(p: Part) {
  return {
    tier: p.tier,
    model: p.model,
    line: p.line,
    quantity: exact(p.quantity),
    unit: p.line === 'per_request' ? 'requests' : 'tokens',
    component: p.component,
    rate: exact(p.rate),
    cost: exact(p.cost),
    source: p.source,
    effective_from: p.effective_from,
    file: p.file,
    note: partNoteText(p.note) ?? null,
  };
}

/** A monthly charge: the fee, or the top-up of a usage below the commitment. */
export function fixedJson(f: FixedCharge) {
  return {
    model: f.model,
    kind: f.kind,
    amount: exact(f.amount),
    usage: f.usage === undefined ? null : exact(f.usage),
    commitment: f.commitment === undefined ? null : exact(f.commitment),
    source: f.source,
    effective_from: f.effective_from,
    file: f.file,
  };
}

/** Break-even volumes of a pair: a is billed by the month, b by use only. */
export function breakEvenJson(b: BreakEven) {
  return {
    a: b.a.id,
    b: b.b.id,
    crossings: b.crossings.map((c) => ({
      from_tokens: c.from_tokens,
      cheaper: c.cheaper === 'same' ? 'same' : c.cheaper === 'a' ? b.a.id : b.b.id,
    })),
  };
}

function rowJson(row: CostRow, doc: CostView, over: Set<CostRow>) {
  return {
    stage: row.point.stage,
    month: row.point.month,
    tokens: row.point.tokens,
    model: row.candidate.id,
    candidate: row.candidate.label,
    cost: exact(row.cost),
    baseline_cost: exact(row.baseline_cost),
    savings_pct: pct(row.savings_pct),
    over_budget: doc.report.budget === undefined ? null : over.has(row),
    free_in_source: freeReason(row) ?? null,
    ...(doc.explain
      ? {
          parts: row.parts.map(partJson),
          baseline_parts: row.baseline_parts.map(partJson),
          fixed_charges: row.fixed.map(fixedJson),
          baseline_fixed_charges: row.baseline_fixed.map(fixedJson),
        }
      : {}),
  };
}

function notPricedJson(n: CostView['not_priced'][number]) {
  return {
    model: n.model,
    reason: n.reason.kind === 'not_in_force' ? 'not_in_force' : 'missing_rates',
    ...(n.reason.kind === 'missing'
      ? {
          missing: n.reason.missing.map((m) =>
            m.present !== undefined
              ? { rate: m.component, absence: 'mix_setting', setting: 'tokens_per_request' }
              : { rate: m.component, absence: m.absence.kind },
          ),
        }
      : { earliest: n.reason.earliest ?? null }),
  };
}

/** `ai-route/cost@1`: money as exact decimal strings, token counts as integers, no colour. */
export function renderCostJson(doc: CostView): string {
  const { report } = doc;
  const over = new Set(report.budget?.breaches.map((b) => b.row));
  const m = doc.mix;
  const body = {
    schema: COST_SCHEMA,
    currency: 'USD',
    as_of: doc.as_of,
    scenario: doc.scenario,
    baseline: doc.baseline.id,
    baseline_label: doc.baseline.label,
    token_mix: { ...mixJson(m), defaulted: doc.mix_defaulted },
    candidates: doc.candidates.map(candidateJson),
    prices: pricesUsed(doc).map(({ model, price }) => ({
      model: model.id,
      provider: model.provider,
      effective_from: price.effective_from,
      source: price.source,
      file: model.file,
      rates: Object.fromEntries(Object.entries(price.rates).map(([k, v]) => [k, exact(v)])),
      monthly_fee: price.monthly_fee === undefined ? null : exact(price.monthly_fee),
      minimum_commitment:
        price.minimum_commitment === undefined ? null : exact(price.minimum_commitment),
    })),
    rows: report.rows.map((row) => rowJson(row, doc, over)),
    totals: report.totals.map((t) => ({
      model: t.candidate.id,
      candidate: t.candidate.label,
      tokens: t.tokens,
      cost: exact(t.cost),
      baseline_cost: exact(t.baseline_cost),
      savings_pct: pct(t.savings_pct),
    })),
    budget:
      report.budget === undefined
        ? null
        : {
            limit: exact(report.budget.limit),
            exceeded: report.budget.breaches.map((b) => ({
              stage: b.row.point.stage,
              month: b.row.point.month,
              tokens: b.row.point.tokens,
              model: b.row.candidate.id,
              cost: exact(b.row.cost),
              over: exact(b.over),
            })),
          },
    assumptions: doc.assumptions,
    base_rate_context: report.base_rate_context,
    break_even: report.break_even.map(breakEvenJson),
    implausible_taken: pricesUsed(doc).flatMap(({ model, price }) =>
      price.implausible_taken.map((q) => ({
        model: model.id,
        rate: q.component,
        value: exact(q.value),
        why: q.why,
      })),
    ),
    not_priced: doc.not_priced.map(notPricedJson),
    ...(doc.bands === undefined ? {} : { bands: bandsJson(doc.bands, doc) }),
    ...(doc.capacity === undefined ? {} : { capacity: capacityData(doc.capacity) }),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

/** cost --usage: each month at P10, P50 and P90 of the fitted growth (P50 is `rows`). */
function bandsJson(bands: Bands, doc: CostView) {
  const band = (monthly_pct: string, report: CostReport) => ({
    monthly_pct,
    rows: report.rows.map((r) => ({
      month: r.point.month,
      tokens: r.point.tokens,
      model: r.candidate.id,
      cost: exact(r.cost),
      baseline_cost: exact(r.baseline_cost),
    })),
    totals: report.totals.map((t) => ({
      model: t.candidate.id,
      tokens: t.tokens,
      cost: exact(t.cost),
      baseline_cost: exact(t.baseline_cost),
    })),
  });
  return {
    method: bands.method,
    days: bands.days,
    p10: band(bands.p10.monthly_pct, bands.p10.report),
    p50: band(bands.p50_pct, doc.report),
    p90: band(bands.p90.monthly_pct, bands.p90.report),
  };
}
