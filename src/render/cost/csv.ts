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
  const rows = doc.report.rows.map((row) => [
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
  ]);
  return csvText(HEAD, rows);
}
