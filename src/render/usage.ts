import type { GapCause, NotPricedReason, UsageLine, UsageSummary } from '../core/usage/summary.js';
import type { SkippedInput, UsageFormat } from '../domain/usage.js';
import { USAGE_SCHEMA } from '../schema/outputs.js';
import { USAGE_CSV_COLUMNS } from '../schema/usage-csv.js';
import { ZERO, exact } from '../units/decimal.js';
import { csvText } from './csv.js';
import type { Cell, ReportDocument, Text } from './document.js';
import { formatPct, formatTokensApprox, formatUsd, groupThousands, plural } from './format.js';

/** What `usage summary` renders: the summary and where it came from. */
export interface UsageView {
  summary: UsageSummary;
  sources: Array<{ file: string; format: UsageFormat | undefined; records: number }>;
  since: string | undefined;
  until: string | undefined;
  skipped: SkippedInput[];
  skipped_count: number;
  input_excluding_cache: number;
  interrupted: boolean;
}

const FORMAT_NAMES: Record<UsageFormat, string> = {
  'openai-usage': 'OpenAI usage pages',
  'openai-costs': 'OpenAI costs pages',
  'anthropic-usage': 'Anthropic usage report',
  'anthropic-costs': 'Anthropic cost report',
  otlp: 'OpenTelemetry traces',
  'litellm-spend': 'LiteLLM spend logs',
  csv: 'daily CSV',
};

const requestsText = (n: number | null) =>
  n === null ? 'requests not counted' : plural(n, 'request');
const tokens = (n: number) => groupThousands(String(n));
const count = (n: number | null) => (n === null ? 'not counted' : groupThousands(String(n)));
const money = (v: UsageLine['list_cost']) => (v === null ? '-' : formatUsd(v));

/** Why a model's usage has no list cost, in words. */
export function notPricedText(r: NotPricedReason): string {
  switch (r.kind) {
    case 'not_in_catalog':
      return (
        'not in the catalog' +
        (r.suggestions.length > 0 ? ` (nearest: ${r.suggestions.join(', ')})` : '') +
        '; add its price with --pricing'
      );
    case 'not_in_force':
      return `no price in force that day (its prices start ${r.earliest ?? 'later'})`;
    case 'ambiguous':
      return `the name stands for several models (${r.models.join(', ')}); price one by id`;
    case 'service_tier':
      return `the ${r.tier} service tier: the catalog has no ${r.tier} rates`;
    case 'missing_rate':
      return `the catalog has no ${r.components.join(', ').replace(/_/g, ' ')} rate for it`;
    case 'requests_not_counted':
      return 'it has a per-request fee and the source does not count requests';
    case 'unpriceable':
      return r.why;
    case 'not_grouped':
      return 'the source was not grouped by model (ask for group_by=model)';
  }
}

/** A likely cause of the gap between list cost and bill, in words. */
export function gapCauseText(c: GapCause): string {
  switch (c.kind) {
    case 'not_priced':
      return (
        `usage the list cost leaves out: ${groupThousands(String(c.tokens))} tokens of ` +
        `${c.models.join(', ')}`
      );
    case 'service_tier':
      return (
        `the ${c.tiers.join(', ')} service tier (${groupThousands(String(c.tokens))} tokens), ` +
        'billed at rates the catalog does not have'
      );
    case 'batch':
      return (
        `batch usage (${groupThousands(String(c.tokens))} tokens), priced at the catalog's ` +
        'batch rates; a bill at other batch rates differs'
      );
    case 'cache_writes':
      return (
        `cache writes (${groupThousands(String(c.tokens))} tokens), billed above the input rate ` +
        'and by lifetime (5 minutes or 1 hour)'
      );
    case 'discount':
      return (
        'billed under the list price with nothing else to explain it: a negotiated discount ' +
        'or credits'
      );
    case 'unexplained':
      return (
        'billed over the list price with nothing in the usage to explain it: a price the ' +
        'catalog lacks, or usage the source does not report (audio, images, tools, fine-tuning)'
      );
  }
}

function headline(view: UsageView): Text {
  const s = view.summary;
  if (s.first_day === undefined) return { text: 'No usage in the sources read.', tone: 'warn' };
  const span = s.first_day === s.last_day ? s.first_day : `${s.first_day} to ${s.last_day}`;
  const billed =
    s.totals.billed_cost === null
      ? 'no bill in the sources'
      : `billed ${formatUsd(s.totals.billed_cost)}`;
  return {
    text:
      `${count(s.totals.requests)} requests, ` +
      `${tokens(s.totals.input_tokens + s.totals.output_tokens)} tokens over ${span}: ` +
      `${money(s.totals.list_cost)} at list prices, ${billed}.`,
    tone: 'strong',
  };
}

/**
 * The table's columns: tokens rounded for reading ("191.69M"; csv and json give every count),
 * and a column that is zero or empty on every row of the summary left out.
 */
const COLUMNS: ReadonlyArray<{
  head: string;
  cell: (l: UsageLine) => Cell;
  shown: (l: UsageLine) => boolean;
}> = [
  { head: 'Requests', cell: (l) => ({ text: count(l.requests) }), shown: () => true },
  { head: 'Input', cell: (l) => ({ text: approx(l.input_tokens) }), shown: () => true },
  {
    head: 'Cached',
    cell: (l) => ({ text: approx(l.cached_input_tokens) }),
    shown: (l) => l.cached_input_tokens > 0,
  },
  {
    head: 'Cache write',
    cell: (l) => ({ text: approx(l.cache_write_tokens) }),
    shown: (l) => l.cache_write_tokens > 0,
  },
  { head: 'Output', cell: (l) => ({ text: approx(l.output_tokens) }), shown: () => true },
  {
    head: 'Reasoning',
    cell: (l) => ({ text: approx(l.reasoning_tokens) }),
    shown: (l) => l.reasoning_tokens > 0,
  },
  {
    head: 'List cost',
    cell: (l) => ({ text: money(l.list_cost), tone: l.unpriced_tokens > 0 ? 'warn' : 'plain' }),
    shown: () => true,
  },
  {
    head: 'Billed',
    cell: (l) => ({ text: money(l.billed_cost) }),
    shown: (l) => l.billed_cost !== null,
  },
];

const approx = (n: number) => (n < 1000 ? String(n) : formatTokensApprox(n));

function table(first: string, rows: Array<[string, UsageLine]>, total: UsageLine) {
  const columns = COLUMNS.filter((c) => c.shown(total));
  return {
    kind: 'table' as const,
    table: {
      head: [first, ...columns.map((c) => c.head)],
      align: ['left' as const, ...columns.map(() => 'right' as const)],
      rows: [
        ...rows.map(([name, l]) => [{ text: name }, ...columns.map((c) => c.cell(l))]),
        [
          { text: 'Total', strong: true },
          ...columns.map((c) => ({ ...c.cell(total), strong: true })),
        ],
      ],
    },
  };
}

function gapLines(view: UsageView): Text[] {
  const g = view.summary.gap;
  if (g === null) return [];
  const pct =
    g.delta_pct === null ? '' : ` (${!g.delta.lt(ZERO) ? '+' : ''}${formatPct(g.delta_pct)})`;
  return [
    {
      text:
        `Over the ${plural(g.days, 'day')} with both usage and a bill: billed ` +
        `${formatUsd(g.billed)} against ${formatUsd(g.list)} at list prices, a gap of ` +
        `${formatUsd(g.delta)}${pct}.`,
      tone: g.causes.length > 0 ? 'warn' : 'good',
    },
    ...(g.causes.length === 0
      ? [{ text: 'Within half a percent: the list prices explain the bill.' }]
      : g.causes.map((c) => ({ text: `Likely cause: ${gapCauseText(c)}.` }))),
  ];
}

function noteLines(view: UsageView): Text[] {
  const s = view.summary;
  const notes: Text[] = view.sources.map((src) => ({
    text:
      `${src.file}: ${src.format === undefined ? 'nothing read' : FORMAT_NAMES[src.format]}, ` +
      `${plural(src.records, 'record')}.`,
    tone: 'muted',
  }));
  for (const n of s.not_priced)
    notes.push({
      text:
        `Not priced: ${n.model} (${requestsText(n.requests)}, ` +
        `${tokens(n.tokens)} tokens): ` +
        `${notPricedText(n.reason)}.`,
      tone: 'warn',
    });
  for (const m of s.by_model)
    if (m.priced_as !== undefined)
      notes.push({ text: `${m.model} is priced as ${m.priced_as}, the catalog's name for it.` });
  for (const o of s.others)
    notes.push({
      text:
        `Counted apart, not priced: ${plural(o.records, `${o.operation} record`)} ` +
        `(${tokens(o.input_tokens + o.output_tokens)} tokens).`,
      tone: 'muted',
    });
  if (s.duplicates > 0)
    notes.push({
      text: `${plural(s.duplicates, 'record')} seen twice, counted once.`,
      tone: 'warn',
    });
  if (view.skipped_count > 0)
    notes.push({
      text:
        `${plural(view.skipped_count, 'line')} skipped: ${view.skipped.map(skipText).join('; ')}` +
        `${view.skipped_count > view.skipped.length ? '; ...' : ''}.`,
      tone: 'warn',
    });
  if (view.interrupted)
    notes.push({ text: 'Stopped by Ctrl-C: these are the figures read until then.', tone: 'warn' });
  return notes;
}

export const skipText = (s: SkippedInput) =>
  `${s.file}${s.line === undefined ? '' : `:${s.line}`} ${s.why}`;

/** The summary for a terminal or markdown: headline, by model, by day, the gap, the notes. */
export function usageDocument(view: UsageView): ReportDocument {
  const s = view.summary;
  return {
    title: 'Usage',
    headline: headline(view),
    blocks: [
      {
        parts: [
          { kind: 'title', text: 'By model' },
          table(
            'Model',
            s.by_model.map((m) => [m.model, m]),
            s.totals,
          ),
        ],
      },
      {
        parts: [
          { kind: 'title', text: 'By day (UTC)' },
          table(
            'Day',
            s.by_day.map((d) => [d.day, d]),
            s.totals,
          ),
        ],
      },
      ...(s.gap === null
        ? []
        : [
            {
              parts: [
                { kind: 'title' as const, text: 'Against the bill' },
                { kind: 'list' as const, items: gapLines(view), indent: true },
              ],
            },
          ]),
      {
        parts: [
          {
            kind: 'paragraphs',
            items: [
              {
                text:
                  'List cost: each day at the catalog price in force that day; input includes ' +
                  'cached and cache-write tokens, output includes reasoning tokens; tokens ' +
                  'rounded here (--format csv or json gives every count).',
                tone: 'muted',
              },
              ...noteLines(view),
            ],
          },
        ],
      },
    ],
  };
}

const lineJson = (l: UsageLine) => ({
  requests: l.requests,
  input_tokens: l.input_tokens,
  cached_input_tokens: l.cached_input_tokens,
  cache_write_tokens: l.cache_write_tokens,
  output_tokens: l.output_tokens,
  reasoning_tokens: l.reasoning_tokens,
  list_cost: l.list_cost === null ? null : exact(l.list_cost),
  billed_cost: l.billed_cost === null ? null : exact(l.billed_cost),
  unpriced_tokens: l.unpriced_tokens,
});

/** `ai-route/usage@1`: money as exact decimal strings, null where no source gives it. */
export function usageJson(view: UsageView): string {
  const s = view.summary;
  const g = s.gap;
  return `${JSON.stringify(
    {
      schema: USAGE_SCHEMA,
      currency: 'USD',
      first_day: s.first_day ?? null,
      last_day: s.last_day ?? null,
      since: view.since ?? null,
      until: view.until ?? null,
      sources: view.sources,
      totals: lineJson(s.totals),
      by_model: s.by_model.map((m) => ({
        model: m.model,
        priced_as: m.priced_as ?? null,
        ...lineJson(m),
      })),
      by_day: s.by_day.map((d) => ({ day: d.day, ...lineJson(d) })),
      not_priced: s.not_priced.map((n) => ({
        model: n.model,
        requests: n.requests,
        tokens: n.tokens,
        reason: notPricedText(n.reason),
        reason_kind: n.reason.kind,
      })),
      gap:
        g === null
          ? null
          : {
              days: g.days,
              list_cost: exact(g.list),
              billed_cost: exact(g.billed),
              delta: exact(g.delta),
              delta_pct: g.delta_pct === null ? null : exact(g.delta_pct.round(2)),
              causes: g.causes.map((c) => ({ ...c, text: gapCauseText(c) })),
            },
      other_operations: s.others,
      duplicates: s.duplicates,
      skipped_lines: view.skipped_count,
      skipped: view.skipped,
      interrupted: view.interrupted,
    },
    null,
    2,
  )}\n`;
}

/** One row per day and model, exact decimals: what a spreadsheet pivots. */
export function usageCsv(view: UsageView): string {
  // the columns of the daily CSV the readers take, with the list cost before the bill
  return csvText(
    [...USAGE_CSV_COLUMNS.filter((c) => c !== 'billed_usd'), 'list_cost_usd', 'billed_usd'],
    view.summary.by_day_model.map((c) => [
      c.day,
      c.model,
      c.requests === null ? '' : String(c.requests),
      String(c.input_tokens),
      String(c.cached_input_tokens),
      String(c.cache_write_tokens),
      String(c.output_tokens),
      String(c.reasoning_tokens),
      c.list_cost === null ? '' : exact(c.list_cost),
      c.billed_cost === null ? '' : exact(c.billed_cost),
    ]),
  );
}
