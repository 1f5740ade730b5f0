import type { BilledRecord, UsageRecord } from '../domain/usage.js';
import { Dec } from '../units/decimal.js';
import type { DataPath, IssueList } from './issues.js';
import {
  NOT_GROUPED,
  asMap,
  checkParts,
  countAt,
  dayOfTimestamp,
  dayOfUnixSeconds,
  emptyRecord,
  moneyAt,
  str,
} from './usage-read.js';

/**
 * The providers' organization usage and cost pages, read as their API references define them:
 * OpenAI's `GET /v1/organization/usage/completions` and `/v1/organization/costs`, Anthropic's
 * `GET /v1/organizations/usage_report/messages` and `/cost_report` (docs/usage.md cites each).
 */

export interface ReadPage {
  records: UsageRecord[];
  billed: BilledRecord[];
}

/** Each bucket of a page with its path: `data[i]` holding `results[j]`. */
function eachResult(
  page: Record<string, unknown>,
  path: DataPath,
  issues: IssueList,
  visit: (bucket: Record<string, unknown>, result: Record<string, unknown>, at: DataPath) => void,
): void {
  const data = page.data;
  if (!Array.isArray(data)) {
    issues.add([...path, 'data'], 'expected the list of time buckets');
    return;
  }
  data.forEach((b, i) => {
    const bucket = asMap(b);
    const results = bucket?.results;
    if (bucket === undefined || !Array.isArray(results)) {
      issues.add([...path, 'data', i], 'expected a time bucket with a results list');
      return;
    }
    results.forEach((r, j) => {
      const result = asMap(r);
      const at = [...path, 'data', i, 'results', j];
      if (result === undefined) issues.add(at, 'expected a result (a mapping)');
      else visit(bucket, result, at);
    });
  });
}

/** OpenAI's completions usage: `input_tokens` includes `input_cached_tokens`, as ours does. */
export function readOpenAiUsage(page: Record<string, unknown>, path: DataPath, issues: IssueList) {
  const out: ReadPage = { records: [], billed: [] };
  eachResult(page, path, issues, (bucket, r, at) => {
    const day = dayOfUnixSeconds(bucket.start_time, [...at.slice(0, -2), 'start_time'], issues);
    if (day === undefined) return;
    const model = str(r.model) ?? NOT_GROUPED;
    const audio =
      countAt(r.input_audio_tokens, [...at, 'input_audio_tokens'], issues) +
      countAt(r.output_audio_tokens, [...at, 'output_audio_tokens'], issues);
    const tier = r.batch === true ? 'batch' : (str(r.service_tier) ?? 'standard');
    const rec: UsageRecord = {
      ...emptyRecord(day, model),
      provider: 'openai',
      service_tier: tier === 'default' || tier === 'auto' ? 'standard' : tier,
      requests: countAt(r.num_model_requests, [...at, 'num_model_requests'], issues, 'a count'),
      input_tokens: countAt(r.input_tokens, [...at, 'input_tokens'], issues),
      cached_input_tokens: countAt(r.input_cached_tokens, [...at, 'input_cached_tokens'], issues),
      output_tokens: countAt(r.output_tokens, [...at, 'output_tokens'], issues),
      unpriceable: audio > 0 ? `${audio} audio tokens: no audio rates are priced` : undefined,
      key: [
        'openai-usage',
        bucket.start_time,
        bucket.end_time,
        r.model,
        r.batch,
        r.service_tier,
        r.project_id,
        r.user_id,
        r.api_key_id,
      ].join('|'),
    };
    checkParts(rec, at, issues);
    out.records.push(rec);
  });
  return out;
}

/**
 * OpenAI's costs: USD amounts; a line item such as "gpt-4o-2024-08-06, input" names its model.
 */
export function readOpenAiCosts(page: Record<string, unknown>, path: DataPath, issues: IssueList) {
  const out: ReadPage = { records: [], billed: [] };
  eachResult(page, path, issues, (bucket, r, at) => {
    const day = dayOfUnixSeconds(bucket.start_time, [...at.slice(0, -2), 'start_time'], issues);
    const amount = asMap(r.amount);
    const currency = str(amount?.currency)?.toLowerCase();
    if (currency !== undefined && currency !== 'usd') {
      issues.add([...at, 'amount', 'currency'], `expected usd, got "${currency}"`);
      return;
    }
    const value = moneyAt(amount?.value, [...at, 'amount', 'value'], issues);
    if (day === undefined || value === undefined) return;
    const item = str(r.line_item);
    out.billed.push({
      day,
      model: item?.includes(', ') ? item.slice(0, item.lastIndexOf(', ')) : undefined,
      amount: value,
      key: ['openai-costs', bucket.start_time, bucket.end_time, item, r.project_id].join('|'),
    });
  });
  return out;
}

/** Anthropic's usage report: three input counts that add up to our `input_tokens`. */
export function readAnthropicUsage(
  page: Record<string, unknown>,
  path: DataPath,
  issues: IssueList,
) {
  const out: ReadPage = { records: [], billed: [] };
  eachResult(page, path, issues, (bucket, r, at) => {
    const day = dayOfTimestamp(bucket.starting_at, [...at.slice(0, -2), 'starting_at'], issues);
    if (day === undefined) return;
    const creation = asMap(r.cache_creation) ?? {};
    const uncached = countAt(r.uncached_input_tokens, [...at, 'uncached_input_tokens'], issues);
    const read = countAt(r.cache_read_input_tokens, [...at, 'cache_read_input_tokens'], issues);
    const w5m = countAt(
      creation.ephemeral_5m_input_tokens,
      [...at, 'cache_creation', 'ephemeral_5m_input_tokens'],
      issues,
    );
    const w1h = countAt(
      creation.ephemeral_1h_input_tokens,
      [...at, 'cache_creation', 'ephemeral_1h_input_tokens'],
      issues,
    );
    out.records.push({
      ...emptyRecord(day, str(r.model) ?? NOT_GROUPED),
      provider: 'anthropic',
      service_tier: str(r.service_tier) ?? 'standard',
      requests: null,
      input_tokens: uncached + read + w5m + w1h,
      cached_input_tokens: read,
      cache_write_tokens: w5m + w1h,
      cache_write_1h_tokens: w1h,
      output_tokens: countAt(r.output_tokens, [...at, 'output_tokens'], issues),
      key: [
        'anthropic-usage',
        bucket.starting_at,
        r.model,
        r.service_tier,
        r.context_window,
        r.workspace_id,
        r.api_key_id,
        r.account_id,
        r.service_account_id,
        r.inference_geo,
      ].join('|'),
    });
  });
  return out;
}

/** Anthropic's cost report: amounts in cents, as decimal strings ("123.45" is $1.2345). */
export function readAnthropicCosts(
  page: Record<string, unknown>,
  path: DataPath,
  issues: IssueList,
) {
  const out: ReadPage = { records: [], billed: [] };
  eachResult(page, path, issues, (bucket, r, at) => {
    const day = dayOfTimestamp(bucket.starting_at, [...at.slice(0, -2), 'starting_at'], issues);
    const currency = str(r.currency);
    if (currency !== undefined && currency.toUpperCase() !== 'USD') {
      issues.add([...at, 'currency'], `expected USD, got "${currency}"`);
      return;
    }
    const cents = moneyAt(r.amount, [...at, 'amount'], issues);
    if (day === undefined || cents === undefined) return;
    out.billed.push({
      day,
      model: str(r.model),
      amount: cents.div(Dec('100')),
      key: [
        'anthropic-costs',
        bucket.starting_at,
        r.description,
        r.model,
        r.token_type,
        r.service_tier,
        r.context_window,
        r.workspace_id,
        r.cost_type,
        r.inference_geo,
      ].join('|'),
    });
  });
  return out;
}
