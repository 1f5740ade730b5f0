import type { UsageRecord } from '../domain/usage.js';
import { isIsoDate } from '../units/date.js';
import type { IssueList } from './issues.js';
import { checkParts, countAt, emptyRecord, moneyAt } from './usage-read.js';

/**
 * The documented daily CSV for any other source (a warehouse query's output): one row per day
 * and model. docs/usage.md gives the SQL that makes it in BigQuery, ClickHouse and PostgreSQL.
 */
export const USAGE_CSV_COLUMNS = [
  'day',
  'model',
  'requests',
  'input_tokens',
  'cached_input_tokens',
  'cache_write_tokens',
  'output_tokens',
  'reasoning_tokens',
  'billed_usd',
] as const;

/** Columns a CSV may add: where the model runs, its service tier, 1-hour cache writes. */
export const USAGE_CSV_OPTIONAL = ['provider', 'service_tier', 'cache_write_1h_tokens'] as const;

/**
 * One CSV line's fields and where each starts (RFC 4180 quoting, no line breaks inside a field).
 */
export function csvSplit(line: string): { fields: string[]; starts: number[] } | undefined {
  const out: string[] = [];
  const starts: number[] = [];
  let i = 0;
  while (i <= line.length) {
    starts.push(i);
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) return undefined;
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(value);
      if (i < line.length && line[i] !== ',') return undefined;
      i++;
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      out.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return { fields: out, starts };
}

/** One CSV line's fields, or undefined when its quoting is broken. */
export const csvFields = (line: string): string[] | undefined => csvSplit(line)?.fields;

/** The header's column positions, or what is wrong with it. */
export function csvHeader(line: string): Map<string, number> | string {
  const fields = csvFields(line.replace(/^\uFEFF/, ''))?.map((f) => f.trim().toLowerCase());
  if (fields === undefined) return 'the header line is not valid CSV';
  const missing = USAGE_CSV_COLUMNS.filter((c) => !fields.includes(c));
  if (missing.length > 0)
    return `the header lacks ${missing.join(', ')}; expected ${USAGE_CSV_COLUMNS.join(',')}`;
  return new Map(fields.map((f, i) => [f, i]));
}

/** One data line as a record; its problems go to `issues` with the column's name as the path. */
export function csvRecord(
  fields: string[],
  columns: Map<string, number>,
  issues: IssueList,
): UsageRecord | undefined {
  const get = (name: string) => {
    const i = columns.get(name);
    return i === undefined ? undefined : fields[i]?.trim();
  };
  const day = get('day') ?? '';
  const model = get('model') ?? '';
  if (!isIsoDate(day)) issues.add(['day'], `expected a UTC day written YYYY-MM-DD, got "${day}"`);
  if (model === '') issues.add(['model'], 'expected the model, got nothing');
  const count = (name: string) => countAt(get(name) === '' ? undefined : get(name), [name], issues);
  const billedText = get('billed_usd');
  const rec: UsageRecord = {
    ...emptyRecord(day, model),
    provider: get('provider') || undefined,
    service_tier: get('service_tier') || 'standard',
    requests: countAt(
      get('requests') === '' ? undefined : get('requests'),
      ['requests'],
      issues,
      'a whole number of requests, 0 or more',
    ),
    input_tokens: count('input_tokens'),
    cached_input_tokens: count('cached_input_tokens'),
    cache_write_tokens: count('cache_write_tokens'),
    cache_write_1h_tokens: count('cache_write_1h_tokens'),
    output_tokens: count('output_tokens'),
    reasoning_tokens: count('reasoning_tokens'),
    billed:
      billedText === undefined || billedText === ''
        ? undefined
        : moneyAt(billedText, ['billed_usd'], issues),
  };
  checkParts(rec, [], issues);
  return isIsoDate(day) && model !== '' ? rec : undefined;
}
