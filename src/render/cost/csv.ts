import { Dec, exact } from '../../units/decimal.js';
import { csvText } from '../csv.js';
import { type CostView, freeReason } from './view.js';

const HEAD = [
  'stage',
  'month',
  'tokens',
  'candidate',
  'model',
  'cost',
  'baseline',
  'baseline_cost',
  'savings_pct',
  'free_in_source',
];

/**
 * One row per volume and candidate, exact decimals, no totals (summing the column must not double
 * count).
 */
export function renderCostCsv(doc: CostView): string {
  const bands = doc.bands;
  const rows = doc.report.rows.map((row, i) => [
    row.point.stage ?? '',
    row.point.month === null ? '' : String(row.point.month),
    String(row.point.tokens),
    row.candidate.label,
    row.candidate.id,
    exact(row.cost),
    doc.baseline.id,
    exact(row.baseline_cost),
    row.savings_pct === undefined ? '' : exact(row.savings_pct.round(6, Dec.roundHalfUp)),
    freeReason(row) ?? '',
    // cost --usage: the same month at both ends of the fitted growth's interval
    ...(bands === undefined
      ? []
      : [bands.p10.report, bands.p90.report].flatMap((r) => [
          String(r.rows[i]!.point.tokens),
          exact(r.rows[i]!.cost),
        ])),
  ]);
  const head =
    bands === undefined ? HEAD : [...HEAD, 'tokens_p10', 'cost_p10', 'tokens_p90', 'cost_p90'];
  return csvText(head, rows);
}
