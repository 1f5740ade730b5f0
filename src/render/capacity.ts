import type { CapacityPlan, CapacityRow, KeyLimit, TrafficShape } from '../core/capacity.js';
import { CAPACITY_SCHEMA } from '../schema/outputs.js';
import { type Big, Dec, exact } from '../units/decimal.js';
import type { Cell, ReportDocument, Text } from './document.js';
import { formatTokens, groupThousands, plural } from './format.js';

/** What the capacity renderers draw: the plan and every assumption and limit behind it. */
export interface CapacityView {
  plan: CapacityPlan;
  as_of: string;
  scenario: { name: string; file: string };
  setup: string;
  traffic: TrafficShape & {
    defaults: Array<'peak_factor' | 'tokens_per_request' | 'days'>;
    /** capacity --usage with timed records: where the peak factor was fitted. */
    fitted?: { busiest_hour: string; hours: number } | undefined;
    /** capacity --usage with daily data only: no peak to fit. */
    daily_only?: boolean;
  };
  headroom_pct: Big;
  limits: Array<{ tier: string; model: string; limit: KeyLimit | undefined }>;
  /** Where the first crossing is looked for: the projection, the scenario's growth, or nowhere. */
  horizon: 'projection' | 'growth' | 'none';
  horizon_months: number;
}

const count = (n: number | null) => (n === null ? '-' : groupThousands(String(n)));
const pointOf = (r: CapacityRow) =>
  r.stage ?? (r.month !== null ? `Month ${r.month}` : `${formatTokens(r.tokens)} tokens`);

function crossingText(r: CapacityRow, view: CapacityView): string {
  if (r.keys_needed === null) return 'no limit known';
  if (r.first_crossing_month !== null) return `month ${r.first_crossing_month}`;
  return view.horizon === 'none' ? 'no growth stated' : `not in ${view.horizon_months} months`;
}

/** A key's limit and where it comes from: "2 RPM, 20,000 TPM a key, openai tier-1; source". */
export function limitFigures(limit: KeyLimit, withFile = true): string {
  const at =
    limit.from.kind === 'premortem'
      ? 'measured'
      : `${limit.from.provider} ${limit.from.account_tier}`;
  const values = [
    limit.rpm === undefined ? undefined : `${count(limit.rpm)} RPM`,
    limit.tpm === undefined ? undefined : `${count(limit.tpm)} TPM`,
  ].filter(Boolean);
  const since = limit.effective_from === undefined ? '' : `, from ${limit.effective_from}`;
  const file = withFile && limit.file !== undefined ? ` (${limit.file})` : '';
  return `${values.join(', ')} a key, ${at}; ${limit.source}${file}${since}`;
}

/** Where a tier's limit comes from, in words. */
export function limitWords(
  l: { tier: string; model: string; limit: KeyLimit | undefined },
  withFile = true,
) {
  if (l.limit === undefined)
    return `${l.tier} (${l.model}): no limit known; add one to a pricing file's limits`;
  return `${l.tier} (${l.model}): ${limitFigures(l.limit, withFile)}`;
}

function assumptions(view: CapacityView): Text[] {
  const t = view.traffic;
  const said = (k: (typeof t.defaults)[number]) =>
    t.defaults.includes(k) ? ' (the default: the scenario states none)' : '';
  const peak =
    t.fitted !== undefined
      ? ` (fitted: the busiest hour of ${t.fitted.hours}, ${t.fitted.busiest_hour}, over the ` +
        'mean hour; the busiest minute within it is not seen, so this is a floor)'
      : t.daily_only === true
        ? ' (the default: the usage is by day, so no peak can be fitted from it)'
        : said('peak_factor');
  return [
    `Peak minute: ${t.peak_factor.toFixed()}x the month's average minute${peak}.`,
    `Tokens a request: ${count(t.tokens_per_request)}${said('tokens_per_request')}.`,
    `A month is ${t.days_per_month.toFixed()} days` +
      (said('days') === '' ? '.' : `, the average Gregorian month${said('days')}.`),
    `Headroom: each key used to at most ${exact(Dec('100').minus(view.headroom_pct))}% ` +
      'of its limit.',
    'Peak TPM = tokens a month x tier share / (days x 1,440) x peak factor; peak RPM = peak TPM ' +
      '/ tokens a request; keys = the larger of peak / (limit x (1 - headroom)) for RPM and TPM, ' +
      'rounded up.',
  ].map((text) => ({ text, tone: 'muted' as const }));
}

/** The busiest tier at the largest point, in one sentence. */
function headline(view: CapacityView): string {
  const rows = view.plan.rows;
  const last = rows[rows.length - 1];
  const atLast = rows.filter((r) => last !== undefined && r.tokens === last.tokens);
  const most = atLast
    .filter((r) => r.keys_needed !== null)
    .sort((a, b) => b.keys_needed! - a.keys_needed!)[0];
  if (last === undefined) return 'Nothing to plan: no volume.';
  if (most === undefined)
    return 'No limit is known for any tier: add limits to a pricing file, or pass --premortem.';
  const cross =
    most.first_crossing_month === null
      ? ''
      : `; one key stops being enough in month ` + `${most.first_crossing_month}`;
  return (
    `${view.setup} at ${pointOf(most)}: tier ${most.tier} peaks at ${count(most.peak_rpm)} ` +
    `requests and ${count(most.peak_tpm)} tokens a minute and needs ` +
    `${plural(most.keys_needed!, 'key')}${cross}.`
  );
}

/** The plan as a document: one row per point and tier, then the assumptions and each limit. */
export function capacityDocument(view: CapacityView): ReportDocument {
  const rows: Cell[][] = view.plan.rows.map((r) => [
    { text: pointOf(r) },
    { text: r.tier },
    { text: count(r.peak_rpm) },
    { text: count(r.peak_tpm) },
    { text: count(r.limit_rpm) },
    { text: count(r.limit_tpm) },
    {
      text: r.keys_needed === null ? '-' : String(r.keys_needed),
      tone: (r.keys_needed ?? 0) > 1 ? 'warn' : 'plain',
    },
    { text: crossingText(r, view) },
  ]);
  return {
    title: 'Capacity',
    headline: { text: headline(view), tone: 'strong' },
    blocks: [
      {
        parts: [
          {
            kind: 'table',
            table: {
              head: [
                'Stage',
                'Tier',
                'Peak RPM',
                'Peak TPM',
                'Limit RPM',
                'Limit TPM',
                'Keys',
                'One key short from',
              ],
              align: ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'left'],
              rows,
            },
          },
        ],
      },
      {
        parts: [
          {
            kind: 'list',
            indent: false,
            items: [
              ...view.limits.map((l) => ({
                text: `Limit: ${limitWords(l)}`,
                tone: 'muted' as const,
              })),
              ...assumptions(view),
            ],
          },
        ],
      },
    ],
  };
}

/** `ai-route/capacity@1`. */
export function capacityJson(view: CapacityView): string {
  return `${JSON.stringify({ schema: CAPACITY_SCHEMA, ...capacityData(view) }, null, 2)}\n`;
}

/** The plan as JSON data: `capacity --format json`, and `capacity` of `cost --explain`'s. */
export function capacityData(view: CapacityView) {
  const t = view.traffic;
  return {
    as_of: view.as_of,
    scenario: view.scenario,
    assumptions: {
      peak_factor: exact(t.peak_factor),
      tokens_per_request: t.tokens_per_request,
      days_per_month: exact(t.days_per_month),
      headroom_pct: exact(view.headroom_pct),
      defaulted: t.defaults,
      peak_fitted: t.fitted ?? null,
      horizon: view.horizon,
    },
    limits: view.limits.map((l) => ({
      tier: l.tier,
      model: l.model,
      rpm: l.limit?.rpm ?? null,
      tpm: l.limit?.tpm ?? null,
      from: l.limit?.from ?? null,
      source: l.limit?.source ?? null,
      file: l.limit?.file ?? null,
      effective_from: l.limit?.effective_from ?? null,
    })),
    rows: view.plan.rows.map((r) => ({
      stage: r.stage ?? (r.month !== null ? `Month ${r.month}` : null),
      month: r.month,
      tokens: r.tokens,
      tier: r.tier,
      model: r.model,
      peak_rpm: r.peak_rpm,
      peak_tpm: r.peak_tpm,
      limit_rpm: r.limit_rpm,
      limit_tpm: r.limit_tpm,
      keys_needed: r.keys_needed,
      binding: r.binding,
      first_crossing_month: r.first_crossing_month,
    })),
  };
}
