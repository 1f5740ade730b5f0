import { PRICING_DIFF_SCHEMA, PRICING_LIST_SCHEMA } from '../schema/outputs.js';
import type { ListedModel, PriceChange, PricingDiff } from '../core/pricing-view.js';
import {
  type DatedPrice,
  PRICE_COMPONENTS,
  type PriceComponent,
  type PriceSet,
  type Quarantined,
} from '../domain/pricing.js';
import { type Big, Dec, exact } from '../units/decimal.js';
import { csvText } from './csv.js';
import { type Align, type ReportDocument, cells, texts } from './document.js';
import { formatExact, formatPct, formatTokens, formatUsdExact, plural } from './format.js';
import { implausibleTakenNote } from './problems.js';

/** A table and the notes under it. */
function tableWithNotes(
  head: string[],
  align: Align[],
  rows: string[][],
  notes: string[],
): ReportDocument {
  return {
    blocks: [
      {
        parts: [
          { kind: 'table', table: { head, align, rows: rows.map(cells) } },
          { kind: 'paragraphs', items: texts(notes, 'muted') },
        ],
      },
    ],
  };
}

const LABELS: Record<PriceComponent, string> = {
  input: 'Input',
  output: 'Output',
  cache_read: 'Cache read',
  cache_write: 'Cache write',
  cache_write_1h: 'Cache write 1h',
  reasoning: 'Reasoning',
  batch_input: 'Batch in',
  batch_output: 'Batch out',
  per_request: 'Per request',
};

function tiersText(price: DatedPrice): string {
  return price.context_tiers
    .map(
      (t) =>
        `>${formatTokens(t.above_input_tokens)}: ${Object.entries(t.rates)
          .map(([c, v]) => `${c.replace('_', ' ')} ${formatUsdExact(v)}`)
          .join(', ')}`,
    )
    .join('; ');
}

export interface ListView {
  as_of: string;
  stale_after_days: number;
  models: ListedModel[];
}

/**
 * A rate cell: the rate, or why there is none (the source's 0 for "not known", an implausible value
 * held back).
 */
function rateCell(price: DatedPrice | undefined, c: PriceComponent): string {
  if (price?.rates[c] !== undefined)
    return (
      formatUsdExact(price.rates[c]!) +
      (price.implausible_taken.some((q) => q.component === c) ? ' (implausible)' : '')
    );
  if (price?.quarantine.some((q) => q.component === c && q.above_input_tokens === undefined))
    return 'quarantined';
  if (price?.not_given.includes(c)) return 'not given';
  return '-';
}

/** What the notes under a list say about rates held back or taken as given. */
function heldBackNotes(view: ListView): string[] {
  const prices = view.models.flatMap((m) =>
    m.price === undefined ? [] : [{ id: m.model.id, price: m.price }],
  );
  const quarantined = prices.filter((p) => p.price.quarantine.length > 0);
  const notGiven = prices.filter((p) => p.price.not_given.length > 0).length;
  const free = prices.filter((p) => p.price.free_in_source !== undefined).length;
  const notes: string[] = [];
  if (quarantined.length > 0)
    notes.push(
      `${plural(quarantined.length, 'model')} with rates quarantined as implausible (a ` +
        `likely unit slip; values and reasons in --format json): not priced unless ` +
        `--allow-implausible.`,
    );
  notes.push(
    ...implausibleTakenNote(prices.map((p) => ({ id: p.id, taken: p.price.implausible_taken }))),
  );
  if (notGiven > 0)
    notes.push(
      `"not given": the source lists 0, which it uses for "not known"; ` +
        `${plural(notGiven, 'model')} ${notGiven === 1 ? 'lacks' : 'lack'} a rate for ` +
        `that reason, and a run that needs it fails.`,
    );
  if (free > 0)
    notes.push(
      `${plural(free, 'model')} ${free === 1 ? 'is free in its' : 'are free in their'} ` +
        `source (a local model or a free variant): $0 rates there are priced as $0.`,
    );
  return notes;
}

/** Charges by the month, shown only when some price has them. */
const MONTHLY_COLUMNS = [
  ['monthly_fee', 'Monthly fee'],
  ['minimum_commitment', 'Commitment/month'],
] as const;

/** The catalog as rows: only the rate columns some model uses, prices per million tokens. */
export function listDocument(view: ListView): ReportDocument {
  const used = PRICE_COMPONENTS.filter((c) =>
    view.models.some((m) => m.price !== undefined && rateCell(m.price, c) !== '-'),
  );
  const tiered = view.models.some((m) => (m.price?.context_tiers.length ?? 0) > 0);
  const monthly = MONTHLY_COLUMNS.filter(([key]) =>
    view.models.some((m) => m.price?.[key] !== undefined),
  );
  // the names people type (qwen3-32b, kimi-k2.5) beside the ids, when the catalog has any
  const aliased = view.models.some((m) => m.model.aliases.length > 0);
  const head = [
    'Model',
    ...(aliased ? ['Aliases'] : []),
    'Provider',
    ...used.map((c) => LABELS[c]),
    ...monthly.map(([, label]) => label),
    ...(tiered ? ['Long context'] : []),
    'Effective',
    'Source',
  ];
  const first = aliased ? 3 : 2;
  const numeric = used.length + monthly.length;
  const align: Align[] = head.map((_, i) => (i >= first && i < first + numeric ? 'right' : 'left'));
  const rows = view.models.map(({ model, price, age_days, stale }) => [
    model.id,
    ...(aliased ? [model.aliases.join(', ')] : []),
    model.provider,
    ...used.map((c) => rateCell(price, c)),
    ...monthly.map(([key]) => (price?.[key] === undefined ? '-' : formatUsdExact(price[key]))),
    ...(tiered ? [price ? tiersText(price) : ''] : []),
    price === undefined
      ? `not yet in force (from ${model.prices[0]?.effective_from ?? '?'})`
      : `${price.effective_from}${stale ? ` (stale: ${age_days} days)` : ''}`,
    price?.source ?? '',
  ]);
  const stale = view.models.filter((m) => m.stale).length;
  const notes = [
    `${plural(view.models.length, 'model')}; prices in USD per 1M tokens (per request: ` +
      `USD per request), in force on ${view.as_of}.`,
    ...heldBackNotes(view),
    ...(stale > 0
      ? [
          `${stale} prices are older than ${view.stale_after_days} days (--stale-after): ` +
            `check them before you rely on them.`,
        ]
      : []),
  ];
  return tableWithNotes(head, align, rows, notes);
}

function ratesJson(price: DatedPrice) {
  return {
    effective_from: price.effective_from,
    source: price.source,
    rates: Object.fromEntries(
      PRICE_COMPONENTS.filter((c) => price.rates[c] !== undefined).map((c) => [
        c,
        exact(price.rates[c]!),
      ]),
    ),
    context_tiers: price.context_tiers.map((t) => ({
      above_input_tokens: t.above_input_tokens,
      ...Object.fromEntries(Object.entries(t.rates).map(([c, v]) => [c, exact(v)])),
    })),
    monthly_fee: price.monthly_fee === undefined ? null : exact(price.monthly_fee),
    minimum_commitment:
      price.minimum_commitment === undefined ? null : exact(price.minimum_commitment),
    free_in_source: price.free_in_source ?? null,
    not_given: price.not_given,
    quarantine: price.quarantine.map(quarantineJson),
    implausible_taken: price.implausible_taken.map(quarantineJson),
  };
}

function quarantineJson(q: Quarantined) {
  return {
    rate: q.component,
    ...(q.above_input_tokens === undefined ? {} : { above_input_tokens: q.above_input_tokens }),
    value: exact(q.value),
    why: q.why,
  };
}

/** `ai-route/pricing-list@1`: rates as exact decimal strings per million tokens. */
export function listJson(view: ListView): string {
  return `${JSON.stringify(
    {
      schema: PRICING_LIST_SCHEMA,
      currency: 'USD',
      unit: 'usd_per_1m_tokens',
      as_of: view.as_of,
      stale_after_days: view.stale_after_days,
      models: view.models.map(({ model, price, age_days, stale }) => ({
        id: model.id,
        provider: model.provider,
        display_name: model.display_name ?? null,
        mode: model.mode ?? null,
        aliases: model.aliases,
        file: model.file,
        price: price === undefined ? null : ratesJson(price),
        age_days: age_days ?? null,
        stale,
      })),
    },
    null,
    2,
  )}\n`;
}

/** RFC 4180 CSV of the catalog, exact decimals, one row per model. */
export function listCsv(view: ListView): string {
  const head = [
    'id',
    'provider',
    'mode',
    'aliases',
    ...PRICE_COMPONENTS,
    'context_tiers',
    'effective_from',
    'age_days',
    'stale',
    'source',
    'file',
    'free_in_source',
    'not_given',
    'quarantined',
    'monthly_fee',
    'minimum_commitment',
  ];
  const rows = view.models.map(({ model, price, age_days, stale }) => [
    model.id,
    model.provider,
    model.mode ?? '',
    model.aliases.join(' '),
    ...PRICE_COMPONENTS.map((c) => (price?.rates[c] === undefined ? '' : exact(price.rates[c]!))),
    price && price.context_tiers.length > 0 ? JSON.stringify(ratesJson(price).context_tiers) : '',
    price?.effective_from ?? '',
    age_days === undefined ? '' : String(age_days),
    String(stale),
    price?.source ?? '',
    model.file,
    price?.free_in_source ?? '',
    price?.not_given.join(' ') ?? '',
    price?.quarantine
      .map(
        (q) =>
          (q.above_input_tokens === undefined ? '' : `context>${q.above_input_tokens}.`) +
          `${q.component}=${exact(q.value)}`,
      )
      .join(' ') ?? '',
    price?.monthly_fee === undefined ? '' : exact(price.monthly_fee),
    price?.minimum_commitment === undefined ? '' : exact(price.minimum_commitment),
  ]);
  return csvText(head, rows);
}

function rateOf(value: Big | undefined): string {
  return value === undefined ? '' : formatUsdExact(value);
}

function signedPct(pct: Big | undefined): string {
  if (pct === undefined) return 'from $0';
  const text = formatPct(pct);
  return pct.gt(Dec('0')) ? `+${text}` : text;
}

export interface DiffView {
  before: string[];
  after: string[];
  as_of: string | undefined;
  since: string | undefined;
  diff: PricingDiff;
  limit: Big | undefined;
  over: PriceChange[];
}

function diffDaysText(view: DiffView): string {
  const on = (day: string | undefined) =>
    day === undefined ? 'latest price of each model' : `prices in force on ${day}`;
  return view.since === undefined
    ? on(view.as_of)
    : `prices in force on ${view.since} against ` +
        `${view.as_of === undefined ? 'the latest' : `those on ${view.as_of}`}`;
}

function ratesText(rates: PriceSet): string {
  return PRICE_COMPONENTS.filter((c) => rates[c] !== undefined)
    .map((c) => `${c} ${formatUsdExact(rates[c]!)}`)
    .join(', ');
}

/** A change as table cells: what changed, of which model, which price, old, new, and how much. */
function changeRow(c: PriceChange): string[] {
  switch (c.kind) {
    case 'rate_changed':
      return ['changed', c.model, c.line, rateOf(c.old), rateOf(c.new), signedPct(c.change_pct)];
    case 'rate_added':
      return ['rate added', c.model, c.line, '', rateOf(c.new), 'new'];
    case 'rate_removed':
      return ['rate removed', c.model, c.line, rateOf(c.old), '', 'gone'];
    case 'tier_added':
      return [
        'tier added',
        c.model,
        `requests over ${formatTokens(c.above)} input tokens: ${ratesText(c.rates)}`,
        '',
        '',
        'new',
      ];
    case 'tier_removed':
      return [
        'tier removed',
        c.model,
        `requests over ${formatTokens(c.above)} input tokens: ${ratesText(c.rates)}`,
        '',
        '',
        'gone',
      ];
    case 'threshold_moved':
      return [
        'threshold moved',
        c.model,
        'long-context tier',
        `over ${formatTokens(c.from)}`,
        `over ${formatTokens(c.to)}`,
        c.to < c.from ? 'lower' : 'higher',
      ];
  }
}

/** Added, removed and changed prices, one row per change (rates, tiers, thresholds). */
export function diffDocument(view: DiffView): ReportDocument {
  const rows = [
    ...view.diff.changed.map(changeRow),
    ...view.diff.added.map(({ model, price }) => [
      'added',
      model.id,
      ratesText(price.rates),
      '',
      '',
      '',
    ]),
    ...view.diff.removed.map(({ model, price }) => [
      'removed',
      model.id,
      ratesText(price.rates),
      '',
      '',
      '',
    ]),
  ];
  const d = view.diff;
  const notes = [
    `${d.added.length} added, ${d.removed.length} removed, ` +
      `${new Set(d.changed.map((c) => c.model)).size} ` +
      (`changed, ${d.unchanged} unchanged models; rates in USD per 1M tokens; ` +
        `${diffDaysText(view)}.`),
    ...(view.limit === undefined
      ? []
      : [
          `--fail-on-increase ${formatExact(view.limit)}%: ` +
            (view.over.length === 0 ? 'nothing rose by more ' : `${view.over.length} increases `) +
            `(a rate up by more, a rate or long-context tier that is new, or a tier ` +
            `threshold moved lower).`,
        ]),
  ];
  return tableWithNotes(
    ['Change', 'Model', 'Price', 'Old', 'New', 'Change %'],
    ['left', 'left', 'left', 'right', 'right', 'right'],
    rows,
    notes,
  );
}

/** An increase over the --fail-on-increase limit, for stderr. */
export function increaseText(c: PriceChange, limit: Big): string {
  const head = `price increase over ${formatExact(limit)}%: ${c.model}`;
  const per = (line: string) =>
    line === 'monthly_fee' || line === 'minimum_commitment'
      ? 'a month'
      : line.endsWith('per_request')
        ? 'per request'
        : 'per 1M';
  switch (c.kind) {
    case 'rate_changed':
      return (
        `${head} ${c.line} $${formatExact(c.old)} -> $${formatExact(c.new)} ` +
        `${per(c.line)} ` +
        `(${c.change_pct === undefined ? 'from $0' : `+${formatPct(c.change_pct)}`})`
      );
    case 'rate_added':
      return `${head} ${c.line} new at $${formatExact(c.new)} ${per(c.line)} (it had no such rate)`;
    case 'tier_added':
      return (
        `${head} a new long-context tier: requests over ${formatTokens(c.above)} ` +
        `input tokens billed at ${ratesText(c.rates)}`
      );
    case 'threshold_moved':
      return (
        `${head} its long-context tier now starts over ${formatTokens(c.to)} input ` +
        `tokens, not ${formatTokens(c.from)}`
      );
    default:
      return `${head} ${c.kind}`;
  }
}

function changeJson(c: PriceChange) {
  switch (c.kind) {
    case 'rate_changed':
      return {
        model: c.model,
        kind: c.kind,
        price: c.line,
        old: exact(c.old),
        new: exact(c.new),
        change_pct:
          c.change_pct === undefined ? null : exact(c.change_pct.round(6, Dec.roundHalfUp)),
      };
    case 'rate_added':
      return { model: c.model, kind: c.kind, price: c.line, old: null, new: exact(c.new) };
    case 'rate_removed':
      return { model: c.model, kind: c.kind, price: c.line, old: exact(c.old), new: null };
    case 'tier_added':
    case 'tier_removed':
      return {
        model: c.model,
        kind: c.kind,
        above_input_tokens: c.above,
        rates: Object.fromEntries(Object.entries(c.rates).map(([k, v]) => [k, exact(v)])),
      };
    case 'threshold_moved':
      return {
        model: c.model,
        kind: c.kind,
        from_above_input_tokens: c.from,
        to_above_input_tokens: c.to,
      };
  }
}

/**
 * `ai-route/pricing-diff@2`: every change with its kind (a rate changed, added or removed; a tier
 * added or removed; a threshold moved).
 */
export function diffJson(view: DiffView): string {
  const model = ({
    model: m,
    price,
  }: {
    model: { id: string; provider: string };
    price: DatedPrice;
  }) => ({ model: m.id, provider: m.provider, ...ratesJson(price) });
  return `${JSON.stringify(
    {
      schema: PRICING_DIFF_SCHEMA,
      currency: 'USD',
      unit: 'usd_per_1m_tokens',
      old: view.before,
      new: view.after,
      as_of: view.as_of ?? null,
      since: view.since ?? null,
      added: view.diff.added.map(model),
      removed: view.diff.removed.map(model),
      changed: view.diff.changed.map(changeJson),
      unchanged_models: view.diff.unchanged,
      fail_on_increase:
        view.limit === undefined
          ? null
          : { limit_pct: exact(view.limit), exceeded: view.over.map(changeJson) },
    },
    null,
    2,
  )}\n`;
}
