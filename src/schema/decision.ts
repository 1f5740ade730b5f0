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
  recommendation: { label: string } | null;
  /** The monthly volume the setups were priced at. */
  volume: number | null;
  reasons: string[];
  conflicts: string[];
  options: Array<{
    label: string;
    score: number | null;
    monthly_cost: string | null;
    uptime_pct: string | null;
    uptime_at_least: boolean;
    excluded: boolean;
  }>;
}

/**
 * What a report shows of a saved decision: the recommendation, its strongest reasons, conflicts,
 * and each option's score, cost and availability.
 */
export function readSavedDecision(doc: unknown, issues: IssueList): DecisionFacts {
  const read = new DocReader(issues);
  const empty: DecisionFacts = {
    recommendation: null,
    volume: null,
    reasons: [],
    conflicts: [],
    options: [],
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
  const options = (read.list(top.options, ['options'], 'the options') ?? []).map((raw, i) => {
    const o = read.mapping(raw, ['options', i], 'an option') ?? {};
    const cost = o.cost as { monthly_cost?: unknown } | undefined;
    const availability = o.availability as
      { uptime_pct?: unknown; at_least_pct?: unknown } | undefined;
    const uptime = availability?.uptime_pct ?? availability?.at_least_pct;
    return {
      id: String(o.option),
      label: read.text(o.label, ['options', i, 'label'], 'the option label') ?? '?',
      score: typeof o.total === 'number' ? o.total : null,
      monthly_cost:
        typeof cost?.monthly_cost === 'string' && /^\d+(\.\d+)?$/.test(cost.monthly_cost)
          ? cost.monthly_cost
          : null,
      uptime_pct: typeof uptime === 'string' ? uptime : null,
      uptime_at_least: availability?.uptime_pct === undefined || availability.uptime_pct === null,
      excluded: Array.isArray(o.excluded) && o.excluded.length > 0,
    };
  });
  const factors = (read.list(top.factors, ['factors'], 'the factors') ?? []) as Array<{
    label?: unknown;
    weight?: unknown;
    scores?: Record<string, { score?: unknown; reason?: unknown }>;
  }>;
  const reasons =
    winner === undefined
      ? []
      : factors
          .map((f) => ({ f, s: f.scores?.[winner] }))
          .filter(({ s }) => typeof s?.score === 'number' && typeof s.reason === 'string')
          .sort(
            (a, b) =>
              Number(b.f.weight) * Number(b.s!.score) - Number(a.f.weight) * Number(a.s!.score),
          )
          .slice(0, TOP_REASONS)
          .map(({ f, s }) => `${String(f.label)}: ${String(s!.reason)}`);
  const conflicts = (Array.isArray(top.conflicts) ? top.conflicts : []).map((c) =>
    typeof c === 'object' && c !== null && 'message' in c ? String(c.message) : JSON.stringify(c),
  );
  const label = options.find((o) => o.id === winner)?.label;
  const volume = (top.inputs as { volume?: unknown } | undefined)?.volume;
  return {
    recommendation: label === undefined ? null : { label },
    volume: typeof volume === 'number' ? volume : null,
    reasons,
    conflicts,
    options: options.map(({ id: _id, ...rest }) => rest),
  };
}
