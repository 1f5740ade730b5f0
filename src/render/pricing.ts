import type { ListedModel, PriceChange, PricingDiff } from '../core/pricing-view.js';
import { type DatedPrice, PRICE_COMPONENTS, type PriceComponent } from '../domain/pricing.js';
import { type Big, Dec, exact } from '../units/decimal.js';
import { csvText } from './csv.js';
import { type Align, type ReportDocument, cells, texts } from './document.js';
import { formatExact, formatPct, formatTokens, formatUsdExact } from './format.js';

/** A table and the notes under it. */
function tableWithNotes(head: string[], align: Align[], rows: string[][], notes: string[]): ReportDocument {
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

/** The catalog as rows: only the rate columns some model uses, prices per million tokens. */
export function listDocument(view: ListView): ReportDocument {
  const used = PRICE_COMPONENTS.filter((c) => view.models.some((m) => m.price?.rates[c] !== undefined));
  const tiered = view.models.some((m) => (m.price?.context_tiers.length ?? 0) > 0);
  const head = ['Model', 'Provider', ...used.map((c) => LABELS[c]), ...(tiered ? ['Long context'] : []), 'Effective', 'Source'];
  const align: Align[] = head.map((_, i) => (i >= 2 && i < 2 + used.length ? 'right' : 'left'));
  const rows = view.models.map(({ model, price, age_days, stale }) => [
    model.id,
    model.provider,
    ...used.map((c) => (price?.rates[c] === undefined ? '-' : formatUsdExact(price.rates[c]!))),
    ...(tiered ? [price ? tiersText(price) : ''] : []),
    price === undefined ? `not yet in force (from ${model.prices[0]?.effective_from ?? '?'})` : `${price.effective_from}${stale ? ` (stale: ${age_days} days)` : ''}`,
    price?.source ?? '',
  ]);
  const stale = view.models.filter((m) => m.stale).length;
  const notes = [
    `${view.models.length} models; prices in USD per 1M tokens (per request: USD per request), in force on ${view.as_of}.`,
    ...(stale > 0 ? [`${stale} prices are older than ${view.stale_after_days} days (--stale-after): check them before you rely on them.`] : []),
  ];
  return tableWithNotes(head, align, rows, notes);
}

function ratesJson(price: DatedPrice) {
  return {
    effective_from: price.effective_from,
    source: price.source,
    rates: Object.fromEntries(PRICE_COMPONENTS.filter((c) => price.rates[c] !== undefined).map((c) => [c, exact(price.rates[c]!)])),
    context_tiers: price.context_tiers.map((t) => ({
      above_input_tokens: t.above_input_tokens,
      ...Object.fromEntries(Object.entries(t.rates).map(([c, v]) => [c, exact(v)])),
    })),
  };
}

/** `ai-route/pricing-list@1`: rates as exact decimal strings per million tokens. */
export function listJson(view: ListView): string {
  return `${JSON.stringify(
    {
      schema: 'ai-route/pricing-list@1',
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
  const head = ['id', 'provider', 'mode', 'aliases', ...PRICE_COMPONENTS, 'context_tiers', 'effective_from', 'age_days', 'stale', 'source', 'file'];
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
  ]);
  return csvText(head, rows);
}

function rateOf(value: Big | undefined): string {
  return value === undefined ? '' : formatUsdExact(value);
}

function signedPct(pct: Big | undefined, change: PriceChange): string {
  if (pct === undefined) return change.old === undefined ? 'new' : change.new === undefined ? 'gone' : 'from $0';
  const text = formatPct(pct);
  return pct.gt(Dec('0')) ? `+${text}` : text;
}

export interface DiffView {
  before: string[];
  after: string[];
  as_of: string | undefined;
  diff: PricingDiff;
  limit: Big | undefined;
  over: PriceChange[];
}

/** Added, removed and changed prices, one row per changed rate. */
export function diffDocument(view: DiffView): ReportDocument {
  const summary = (price: DatedPrice) =>
    PRICE_COMPONENTS.filter((c) => price.rates[c] !== undefined)
      .map((c) => `${c} ${formatUsdExact(price.rates[c]!)}`)
      .join(', ');
  const rows = [
    ...view.diff.changed.map((c) => ['changed', c.model, c.line, rateOf(c.old), rateOf(c.new), signedPct(c.change_pct, c)]),
    ...view.diff.added.map(({ model, price }) => ['added', model.id, summary(price), '', '', '']),
    ...view.diff.removed.map(({ model, price }) => ['removed', model.id, summary(price), '', '', '']),
  ];
  const d = view.diff;
  const notes = [
    `${d.added.length} added, ${d.removed.length} removed, ${new Set(d.changed.map((c) => c.model)).size} changed, ${d.unchanged} unchanged models; rates in USD per 1M tokens; ${view.as_of === undefined ? 'latest price of each model' : `prices in force on ${view.as_of}`}.`,
    ...(view.limit === undefined
      ? []
      : [`--fail-on-increase ${formatExact(view.limit)}%: ${view.over.length === 0 ? 'no price rose by more' : `${view.over.length} prices rose by more`}.`]),
  ];
  return tableWithNotes(['Change', 'Model', 'Price', 'Old', 'New', 'Change %'], ['left', 'left', 'left', 'right', 'right', 'right'], rows, notes);
}

/** A rise over the --fail-on-increase limit, for stderr. */
export function increaseText(c: PriceChange, limit: Big): string {
  const how = c.change_pct === undefined ? 'from $0' : `+${formatPct(c.change_pct)}`;
  return `price increase over ${formatExact(limit)}%: ${c.model} ${c.line} ${formatExact(c.old!)} -> ${formatExact(c.new!)} per 1M (${how})`;
}

/** `ai-route/pricing-diff@1`. */
export function diffJson(view: DiffView): string {
  const change = (c: PriceChange) => ({
    model: c.model,
    price: c.line,
    old: c.old === undefined ? null : exact(c.old),
    new: c.new === undefined ? null : exact(c.new),
    change_pct: c.change_pct === undefined ? null : exact(c.change_pct.round(6, Dec.roundHalfUp)),
  });
  const model = ({ model: m, price }: { model: { id: string; provider: string }; price: DatedPrice }) => ({ model: m.id, provider: m.provider, ...ratesJson(price) });
  return `${JSON.stringify(
    {
      schema: 'ai-route/pricing-diff@1',
      currency: 'USD',
      unit: 'usd_per_1m_tokens',
      old: view.before,
      new: view.after,
      as_of: view.as_of ?? null,
      added: view.diff.added.map(model),
      removed: view.diff.removed.map(model),
      changed: view.diff.changed.map(change),
      unchanged_models: view.diff.unchanged,
      fail_on_increase: view.limit === undefined ? null : { limit_pct: exact(view.limit), exceeded: view.over.map(change) },
    },
    null,
    2,
  )}\n`;
}
