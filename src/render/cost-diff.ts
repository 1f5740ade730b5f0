import type { CostDiff, CostSide, DiffRow, StageTotal } from '../core/cost-diff.js';
import { COST_DIFF_SCHEMA } from '../schema/outputs.js';
import { type Big, ZERO, exact } from '../units/decimal.js';
import type { Block, Cell, ReportDocument, Tone } from './document.js';
import { formatPct, formatTokens, formatUsd } from './format.js';

/** What `cost diff` renders: the two sides, their diff and the gates that failed. */
export interface CostDiffView {
  base: Pick<CostSide, 'label' | 'setup'>;
  head: Pick<CostSide, 'label' | 'setup'>;
  diff: CostDiff;
  fail_on_increase: Big | undefined;
  budget: Big | undefined;
  increases: StageTotal[];
  over_budget: StageTotal[];
}

/** "+$1,234.50" or "-$12.00": a change always carries its sign. */
export function signedUsd(delta: Big): string {
  if (delta.eq(ZERO)) return formatUsd(delta);
  return `${delta.lt(ZERO) ? '-' : '+'}${formatUsd(delta.abs())}`;
}

function changePct(r: DiffRow): string {
  if (r.delta_pct !== null && r.delta_pct.eq(ZERO)) return '0%';
  if (r.delta_pct !== null) return `${r.delta_pct.lt(ZERO) ? '' : '+'}${formatPct(r.delta_pct)}`;
  if (r.base_cost === null) return 'new';
  if (r.head_cost === null) return 'removed';
  return r.delta.eq(ZERO) ? '0%' : 'from $0';
}

const tone = (delta: Big): Tone => (delta.gt(ZERO) ? 'bad' : delta.lt(ZERO) ? 'good' : 'plain');
const cost = (v: Big | null) => (v === null ? '-' : formatUsd(v));

function moneyCells(r: DiffRow): Cell[] {
  return [
    { text: cost(r.base_cost) },
    { text: cost(r.head_cost) },
    { text: signedUsd(r.delta), tone: tone(r.delta) },
    { text: changePct(r), tone: tone(r.delta) },
  ];
}

/** One sentence: the largest stage of the head, and how far it moved. */
function headline(view: CostDiffView): string {
  const totals = view.diff.totals;
  if (totals.every((t) => t.delta.eq(ZERO))) return 'No change in the monthly cost at any stage.';
  const last =
    [...totals].reverse().find((t) => t.head_cost !== null) ?? totals[totals.length - 1]!;
  const at = last.head_tokens === null ? '' : ` (${formatTokens(last.head_tokens)} tokens)`;
  return (
    `${view.head.setup}: ${cost(last.head_cost)} a month at ${last.stage}${at}, ` +
    `${signedUsd(last.delta)} (${changePct(last)}) against the base.`
  );
}

/** The diff as a document: the stages' totals, then each tier, then what was compared. */
export function costDiffDocument(view: CostDiffView): ReportDocument {
  const tiers = view.diff.rows.filter((r) => r.tier !== null);
  const volume = (t: StageTotal) =>
    t.head_tokens === t.base_tokens || t.base_tokens === null
      ? formatTokens(t.head_tokens ?? t.base_tokens ?? 0)
      : t.head_tokens === null
        ? formatTokens(t.base_tokens)
        : `${formatTokens(t.base_tokens)} -> ${formatTokens(t.head_tokens)}`;
  const blocks: Block[] = [
    {
      parts: [
        { kind: 'title', text: 'Monthly cost by stage' },
        {
          kind: 'table',
          table: {
            head: ['Stage', 'Tokens a month', 'Base', 'Head', 'Change', 'Change %'],
            align: ['left', 'right', 'right', 'right', 'right', 'right'],
            rows: view.diff.totals.map((t) => [
              { text: t.stage },
              { text: volume(t) },
              ...moneyCells(t),
            ]),
          },
        },
      ],
    },
  ];
  if (tiers.length > 0)
    blocks.push({
      parts: [
        { kind: 'title', text: 'By tier' },
        {
          kind: 'table',
          table: {
            head: ['Stage', 'Tier', 'Base', 'Head', 'Change', 'Change %'],
            align: ['left', 'left', 'right', 'right', 'right', 'right'],
            rows: tiers.map((r) => [{ text: r.stage }, { text: r.tier! }, ...moneyCells(r)]),
          },
        },
      ],
    });
  blocks.push({
    parts: [
      {
        kind: 'list',
        indent: false,
        items: [
          { text: `Base: ${view.base.setup}, from ${view.base.label}`, tone: 'muted' },
          { text: `Head: ${view.head.setup}, from ${view.head.label}`, tone: 'muted' },
          {
            text:
              'Amounts are rounded to the cent for display; each change is computed from the ' +
              'unrounded costs.',
            tone: 'muted',
          },
          ...gateLines(view).map((text) => ({ text, tone: 'bad' as const })),
        ],
      },
    ],
  });
  return { title: 'Cost diff', headline: { text: headline(view), tone: 'strong' }, blocks };
}

/** Each failed gate in one line, as the command also says on stderr. */
export function gateLines(view: CostDiffView): string[] {
  return [
    ...view.increases.map(
      (t) =>
        `${t.stage}: ${signedUsd(t.delta)} (${changePct(t)}), over the ` +
        `${view.fail_on_increase!.toFixed()}% --fail-on-increase limit`,
    ),
    ...view.over_budget.map(
      (t) => `${t.stage}: ${cost(t.head_cost)} a month, over the ${formatUsd(view.budget!)} budget`,
    ),
  ];
}

const money = (v: Big | null) => (v === null ? null : exact(v));
const rowJson = (r: DiffRow) => ({
  stage: r.stage,
  tier: r.tier,
  base_cost: money(r.base_cost),
  head_cost: money(r.head_cost),
  delta: exact(r.delta),
  delta_pct: r.delta_pct === null ? null : exact(r.delta_pct.round(6)),
});

/** `ai-route/cost-diff@1`: money as exact decimal strings, percentages to 6 decimals. */
export function costDiffJson(view: CostDiffView): string {
  const limit = (v: Big | undefined) => (v === undefined ? null : exact(v));
  return `${JSON.stringify(
    {
      schema: COST_DIFF_SCHEMA,
      currency: 'USD',
      base: view.base,
      head: view.head,
      rows: view.diff.rows.map(rowJson),
      totals: view.diff.totals.map((t) => ({
        ...rowJson(t),
        base_tokens: t.base_tokens,
        head_tokens: t.head_tokens,
      })),
      gates: {
        fail_on_increase: limit(view.fail_on_increase),
        budget: limit(view.budget),
        failed: gateLines(view),
      },
    },
    null,
    2,
  )}\n`;
}
