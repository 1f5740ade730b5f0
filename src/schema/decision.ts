import type { Origin } from '../domain/sources.js';
import type { IssueList } from './issues.js';
import { DocReader } from './read.js';

/**
 * The decision JSON this version writes (`decide --format json`), the one `report --decision`
 * reads.
 */
export const DECISION_SCHEMA = 'ai-route/decision@3';

const TOP_REASONS = 3;

/**
 * What the decide JSON says that a report shows: amounts as exact decimal strings, formatted where
 * they are drawn.
 */
export interface DecisionFacts {
  /**
   * The recommended setup: its scenario (what the cost slides price), its cost and the baseline's
   * at the decision's volume (null when unpriced), and the models that have no price.
   */
  recommendation: {
    label: string;
    scenario: string | null;
    monthly_cost: string | null;
    baseline_monthly_cost: string | null;
    missing: string[];
    /** Where each availability figure of its setup comes from ("SLA: 99.9% in writing"). */
    uptime_sources: Array<{ what: string; source: string }>;
  } | null;
  /** The baseline's cost at the decision's volume, as the options were priced against it. */
  baseline_monthly_cost: string | null;
  /** The best option not excluded after the recommendation, and its cost at the same volume. */
  runner_up: { label: string; monthly_cost: string | null } | null;
  /** The monthly volume the setups were priced at. */
  volume: number | null;
  /** The document the matrix quotes (its SLA, DPA and support claims), by title and publisher. */
  reference: Origin | null;
  reasons: string[];
  /** The recommendation's own conflicts: a route of its setup that breaks a requirement. */
  conflicts: Array<{
    model: string;
    tier: string;
    via: string | null;
    requirement: string;
    accepted: boolean;
  }>;
  /** Each excluded option with the first reason it is out; amounts as exact decimal strings. */
  excluded: Array<{
    option: string;
    kind: string;
    requirement: string;
    projected: string | null;
    limit: string | null;
  }>;
  options: Array<{
    label: string;
    score: number | null;
    monthly_cost: string | null;
    uptime_pct: string | null;
    uptime_at_least: boolean;
    excluded: boolean;
  }>;
  /** Each price behind an option's cost in the decision table: model, source and its date. */
  prices: SavedPrice[];
}

export interface SavedPrice {
  model: string;
  source: string;
  effective_from: string;
}

/**
 * What a report shows of a saved decision: the recommendation, its strongest reasons, conflicts,
 * and each option's score, cost and availability.
 */
export function readSavedDecision(doc: unknown, issues: IssueList): DecisionFacts {
  const read = new DocReader(issues);
  const empty: DecisionFacts = {
    recommendation: null,
    runner_up: null,
    baseline_monthly_cost: null,
    volume: null,
    reference: null,
    reasons: [],
    conflicts: [],
    excluded: [],
    options: [],
    prices: [],
  };
  const top =
    read.mapping(
      doc ?? null,
      [],
      `a decision (${DECISION_SCHEMA}, from ai-route decide --format json)`,
    ) ?? {};
  if (top.schema !== DECISION_SCHEMA) {
    issues.add(
      ['schema'],
      `expected "${DECISION_SCHEMA}" (ai-route decide --format json of this version), ` +
        `got ${JSON.stringify(top.schema ?? null)}`,
    );
    return empty;
  }
  const rec =
    top.recommendation === null
      ? null
      : read.mapping(top.recommendation, ['recommendation'], 'the recommended option');
  const winner =
    rec === null || rec === undefined
      ? undefined
      : read.text(rec.option, ['recommendation', 'option'], 'the option id');
  const options = readOptions(read, top);
  const factors = (read.list(top.factors, ['factors'], 'the factors') ?? []) as SavedFactor[];
  const runnerUp = options
    .filter((o) => o.id !== winner && !o.excluded && o.score !== null)
    .sort((a, b) => b.score! - a.score!)[0]?.id;
  const reasons = winner === undefined ? [] : strongest(factors, winner, runnerUp);
  const words = requirementWords(factors);
  const { conflicts, excluded } = whatBreaks(top, winner, words);
  const chosen = options.find((o) => o.id === winner);
  const second = options.find((o) => o.id === runnerUp);
  const volume = (top.inputs as { volume?: unknown } | undefined)?.volume;
  return {
    recommendation:
      chosen === undefined
        ? null
        : {
            label: chosen.label,
            scenario: chosen.scenario,
            monthly_cost: chosen.monthly_cost,
            baseline_monthly_cost: chosen.baseline_monthly_cost,
            missing: chosen.missing,
            uptime_sources: chosen.uptime_sources,
          },
    runner_up:
      second === undefined ? null : { label: second.label, monthly_cost: second.monthly_cost },
    baseline_monthly_cost:
      options.find((o) => o.baseline_monthly_cost !== null)?.baseline_monthly_cost ?? null,
    volume: typeof volume === 'number' ? volume : null,
    reference: readSavedReference(top.matrix_reference),
    reasons,
    conflicts,
    excluded,
    options: options.map((o) => ({
      label: o.label,
      score: o.score,
      monthly_cost: o.monthly_cost,
      uptime_pct: o.uptime_pct,
      uptime_at_least: o.uptime_at_least,
      excluded: o.excluded,
    })),
    prices: costedPrices(options),
  };
}

interface SavedFactor {
  factor?: unknown;
  label?: unknown;
  answer_label?: unknown;
  weight?: unknown;
  scores?: Record<string, { score?: unknown; reason?: unknown }>;
}
interface SavedConflict {
  option?: unknown;
  factor?: unknown;
  tier?: unknown;
  via?: unknown;
  model?: unknown;
  accepted?: unknown;
}
interface SavedExclusion {
  kind?: unknown;
  factor?: unknown;
  limit?: unknown;
  projected?: unknown;
}

/**
 * The factors the recommendation wins most on: weight times its lead over the runner-up (or its
 * own score when none is left), as `decide` gives them.
 */
function strongest(factors: SavedFactor[], winner: string, runnerUp: string | undefined) {
  const score = (f: SavedFactor, id: string | undefined) =>
    id === undefined ? 0 : Number(f.scores?.[id]?.score ?? 0);
  const lead = (f: SavedFactor) => Number(f.weight) * (score(f, winner) - score(f, runnerUp));
  return factors
    .filter((f) => typeof f.scores?.[winner]?.reason === 'string' && lead(f) > 0)
    .sort((a, b) => lead(b) - lead(a))
    .slice(0, TOP_REASONS)
    .map((f) => `${String(f.label)}: ${String(f.scores![winner]!.reason)}`);
}

/** A requirement by its factor's id, in words: "SLA: 99.9% in writing". */
function requirementWords(factors: SavedFactor[]): (factor: unknown) => string {
  const byId = new Map(factors.map((f) => [f.factor, `${f.label}: ${f.answer_label}`]));
  return (factor) => byId.get(factor) ?? 'a hard requirement';
}

/** The recommendation's own conflicts, and the first reason each other option is out. */
function whatBreaks(
  top: Record<string, unknown>,
  winner: string | undefined,
  words: (factor: unknown) => string,
): Pick<DecisionFacts, 'conflicts' | 'excluded'> {
  const conflicts = (Array.isArray(top.conflicts) ? top.conflicts : [])
    .map((c) => c as SavedConflict)
    .filter((c) => c.option === winner)
    .map((c) => ({
      model: String(c.model),
      tier: String(c.tier),
      via: typeof c.via === 'string' ? c.via : null,
      requirement: words(c.factor),
      accepted: c.accepted !== null && c.accepted !== undefined,
    }));
  const excluded = (Array.isArray(top.options) ? top.options : []).flatMap((raw) => {
    const o = raw as { label?: unknown; excluded?: unknown };
    const e = Array.isArray(o.excluded) ? (o.excluded[0] as SavedExclusion) : undefined;
    const amount = (v: unknown) => (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v) ? v : null);
    return e === undefined
      ? []
      : [
          {
            option: String(o.label).split(' (')[0]!,
            kind: String(e.kind),
            requirement: words(e.factor),
            projected: amount(e.projected),
            limit: amount(e.limit),
          },
        ];
  });
  return { conflicts, excluded };
}

/** An exact decimal amount as the JSON writes it, or null. */
function decimal(v: unknown): string | null {
  return typeof v === 'string' && /^\d+(\.\d+)?$/.test(v) ? v : null;
}

/** Each option of a saved decision: its score, cost, availability and whether it is out. */
function readOptions(read: DocReader, top: Record<string, unknown>) {
  return (read.list(top.options, ['options'], 'the options') ?? []).map((raw, i) => {
    const o = read.mapping(raw, ['options', i], 'an option') ?? {};
    const cost = o.cost as
      { monthly_cost?: unknown; baseline_monthly_cost?: unknown; missing?: unknown } | undefined;
    const availability = o.availability as
      { uptime_pct?: unknown; at_least_pct?: unknown } | undefined;
    const uptime = availability?.uptime_pct ?? availability?.at_least_pct;
    const figures = (availability as { figures?: unknown } | undefined)?.figures;
    return {
      id: String(o.option),
      label: read.text(o.label, ['options', i, 'label'], 'the option label') ?? '?',
      score: typeof o.total === 'number' ? o.total : null,
      monthly_cost: decimal(cost?.monthly_cost),
      baseline_monthly_cost: decimal(cost?.baseline_monthly_cost),
      scenario: typeof o.scenario === 'string' ? o.scenario : null,
      missing: (Array.isArray(cost?.missing) ? cost.missing : []).map((m) =>
        String((m as { model?: unknown }).model),
      ),
      uptime_pct: typeof uptime === 'string' ? uptime : null,
      uptime_at_least: availability?.uptime_pct === undefined || availability.uptime_pct === null,
      excluded: Array.isArray(o.excluded) && o.excluded.length > 0,
      prices: tierPrices(o.tiers),
      uptime_sources: (Array.isArray(figures) ? figures : []).flatMap((f) => {
        const { what, source } = (f ?? {}) as { what?: unknown; source?: unknown };
        return typeof what === 'string' && typeof source === 'string' ? [{ what, source }] : [];
      }),
    };
  });
}

/** The prices behind the options that have a cost, each model once. */
function costedPrices(options: ReturnType<typeof readOptions>): SavedPrice[] {
  const costed = options.filter((o) => o.monthly_cost !== null);
  return [...new Map(costed.flatMap((o) => o.prices.map((p) => [p.model, p]))).values()];
}

/** The price each tier of an option was costed at, as the decision JSON records it. */
function tierPrices(tiers: unknown): SavedPrice[] {
  return (Array.isArray(tiers) ? tiers : []).flatMap((t) => {
    const p = (t as { price?: Record<string, unknown> } | null)?.price;
    const { model, source, effective_from } = p ?? {};
    return typeof model === 'string' &&
      typeof source === 'string' &&
      typeof effective_from === 'string'
      ? [{ model, source, effective_from }]
      : [];
  });
}

/** The matrix's document as a saved decision names it; null from a decision saved before. */
function readSavedReference(raw: unknown): Origin | null {
  if (raw === null || typeof raw !== 'object') return null;
  const r = raw as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const title = str(r.title);
  if (title === undefined) return null;
  return {
    kind: 'document',
    title,
    publisher: str(r.publisher) ?? null,
    about: str(r.about),
    url: str(r.url),
    date: str(r.read_on),
  };
}
