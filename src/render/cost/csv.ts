import { Dec, exact } from '../../core/decimal.js';
import type { CostDocument } from './view.js';

const HEAD = ['stage', 'month', 'tokens', 'candidate', 'model', 'cost', 'baseline', 'baseline_cost', 'savings_pct'];

/** RFC 4180 quoting; text that a spreadsheet would run as a formula is prefixed with a quote. */
function textCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One row per volume and candidate, exact decimals, no totals (summing the column must not double count). */
export function renderCostCsv(doc: CostDocument): string {
  const lines = [HEAD.join(',')];
  for (const row of doc.report.rows) {
    lines.push(
      [
        textCell(row.point.stage ?? ''),
        row.point.month === null ? '' : String(row.point.month),
        String(row.point.tokens),
        textCell(row.candidate.label),
        textCell(row.candidate.id),
        exact(row.cost),
        textCell(doc.baseline.id),
        exact(row.baseline_cost),
        row.savings_pct === undefined ? '' : exact(row.savings_pct.round(6, Dec.roundHalfUp)),
      ].join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
