import { PRICING_CHECK_SCHEMA } from '../schema/outputs.js';
import type { CatalogCheck, Disagreement } from '../core/pricing-check.js';
import { Dec, type Big, exact } from '../units/decimal.js';
import { type ReportDocument, cells, texts } from './document.js';
import { formatExact, formatPct, formatUsdExact, plural } from './format.js';
import type { Registry } from './registry.js';

export interface CheckView {
  catalogs: string[];
  as_of: string;
  tolerance: Big;
  check: CatalogCheck;
  limit: Big | undefined;
  over: Disagreement[];
}

function spreadText(d: Disagreement): string {
  return d.spread_pct === undefined ? 'from $0' : formatPct(d.spread_pct);
}

/**
 * Rates the catalogs disagree on, each side's value with its source and date, so a stale price
 * shows.
 */
export function checkDocument(view: CheckView): ReportDocument {
  const rows = view.check.disagreements.map((d) => [
    d.model,
    d.rate,
    ...view.catalogs.map((_, i) => {
      const side = d.sides.find((s) => s.catalog === i);
      return side === undefined
        ? '-'
        : `${formatUsdExact(side.value)} (${side.price.effective_from})`;
    }),
    spreadText(d),
  ]);
  const sources = view.check.disagreements
    .slice(0, 20)
    .flatMap((d) =>
      d.sides.map(
        (s) =>
          `${d.model} ${d.rate} in ${view.catalogs[s.catalog]}: ${formatUsdExact(s.value)} ` +
          `(${s.model.id}, effective ${s.price.effective_from}; ${s.price.source})`,
      ),
    );
  return {
    blocks: [
      {
        parts: [
          {
            kind: 'table',
            table: {
              head: ['Model', 'Rate', ...view.catalogs, 'Spread'],
              align: ['left', 'left', ...view.catalogs.map(() => 'right' as const), 'right'],
              rows: rows.map(cells),
            },
          },
          {
            kind: 'paragraphs',
            items: texts(
              [
                `${plural(view.check.shared, 'model')} shared, ` +
                  `${plural(view.check.compared, 'rate')} compared, ` +
                  `${plural(view.check.disagreements.length, 'disagreement')} over ` +
                  `${formatExact(view.tolerance)}% (USD per 1M tokens; prices in force ` +
                  `on ${view.as_of}).`,
                ...(view.limit === undefined
                  ? []
                  : [
                      `--fail-on-disagreement ${formatExact(view.limit)}%: ` +
                        (view.over.length === 0
                          ? 'no rate disagrees by more.'
                          : `${view.over.length} rates disagree by more.`),
                    ]),
              ],
              'muted',
            ),
          },
          { kind: 'list', indent: true, items: texts(sources, 'muted') },
        ],
      },
    ],
  };
}

/** `ai-route/pricing-check@1`. */
export function checkJson(view: CheckView): string {
  const d = (x: Disagreement) => ({
    model: x.model,
    rate: x.rate,
    spread_pct: x.spread_pct === undefined ? null : exact(x.spread_pct.round(6, Dec.roundHalfUp)),
    sides: x.sides.map((s) => ({
      catalog: view.catalogs[s.catalog],
      model: s.model.id,
      value: exact(s.value),
      effective_from: s.price.effective_from,
      source: s.price.source,
    })),
  });
  const body = {
    schema: PRICING_CHECK_SCHEMA,
    currency: 'USD',
    unit: 'usd_per_1m_tokens',
    catalogs: view.catalogs,
    as_of: view.as_of,
    tolerance_pct: exact(view.tolerance),
    shared_models: view.check.shared,
    compared_rates: view.check.compared,
    disagreements: view.check.disagreements.map(d),
    fail_on_disagreement:
      view.limit === undefined
        ? null
        : { limit_pct: exact(view.limit), exceeded: view.over.map(d) },
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

/** `pricing check --format`: each choice and its renderer. */
export const CHECK_RENDERERS = {
  table: async (view: CheckView, ctx) =>
    (await import('./terminal.js')).drawTerminal(checkDocument(view), await ctx.chalk(), ctx.width),
  markdown: async (view: CheckView) =>
    (await import('./markdown.js')).drawMarkdown(checkDocument(view)),
  json: (view: CheckView) => checkJson(view),
} as const satisfies Registry<CheckView>;

/** A disagreement over the gate, for stderr. */
export function disagreementText(d: Disagreement, limit: Big, catalogs: readonly string[]): string {
  return (
    `catalogs disagree by ${spreadText(d)} (over ${formatExact(limit)}%): ${d.model} ` +
    `${d.rate}: ` +
    d.sides
      .map(
        (s) => `${formatUsdExact(s.value)} in ${catalogs[s.catalog]} (${s.price.effective_from})`,
      )
      .join(', ')
  );
}
