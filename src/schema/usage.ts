import type { UsageFormat } from '../domain/usage.js';
import type { DataPath, IssueList } from './issues.js';
import {
  type ReadPage,
  readAnthropicCosts,
  readAnthropicUsage,
  readOpenAiCosts,
  readOpenAiUsage,
} from './usage-providers.js';
import { type ReadTraces, readLiteLlmSpend, readOtlp } from './usage-traces.js';
import { asMap } from './usage-read.js';

/** The first result object of a page's buckets, to tell the formats apart. */
function firstResult(page: Record<string, unknown>): Record<string, unknown> | undefined {
  if (!Array.isArray(page.data)) return undefined;
  for (const b of page.data) {
    const results = asMap(b)?.results;
    if (Array.isArray(results) && results.length > 0) return asMap(results[0]);
  }
  return undefined;
}

/** Which usage format a JSON document is, from its shape; undefined when none matches. */
export function sniffUsageJson(doc: unknown): UsageFormat | undefined {
  if (Array.isArray(doc)) {
    const head = asMap(doc[0]);
    if (head === undefined) return undefined;
    if ('request_id' in head && ('spend' in head || 'startTime' in head)) return 'litellm-spend';
    return sniffUsageJson(head);
  }
  const m = asMap(doc);
  if (m === undefined) return undefined;
  if (Array.isArray(m.resourceSpans)) return 'otlp';
  if (!Array.isArray(m.data)) return undefined;
  const row = asMap(m.data[0]);
  if (row !== undefined && 'request_id' in row) return 'litellm-spend';
  const result = firstResult(m);
  const bucket = asMap(m.data[0]);
  const anthropic = bucket !== undefined && 'starting_at' in bucket;
  if (result === undefined) {
    // a page of empty buckets: which provider it is does not change what it holds (nothing)
    if (m.object === 'page') return 'openai-usage';
    return anthropic ? 'anthropic-usage' : undefined;
  }
  const object = typeof result.object === 'string' ? result.object : '';
  if (object.startsWith('organization.usage.completions')) return 'openai-usage';
  if (object === 'organization.costs.result') return 'openai-costs';
  if (anthropic && 'uncached_input_tokens' in result) return 'anthropic-usage';
  if (anthropic && 'amount' in result) return 'anthropic-costs';
  return undefined;
}

/** What each JSON format expects, for the error that names a document of another shape. */
export const USAGE_JSON_SHAPES: Record<Exclude<UsageFormat, 'csv'>, string> = {
  'openai-usage':
    'an OpenAI usage page ({"object": "page", "data": [buckets of ' +
    'organization.usage.completions.result]})',
  'openai-costs': 'an OpenAI costs page (buckets of organization.costs.result)',
  'anthropic-usage':
    'an Anthropic usage report ({"data": [{"starting_at", "results": ' +
    '[...uncached_input_tokens]}]})',
  'anthropic-costs': 'an Anthropic cost report ({"data": [{"starting_at", "results": [amount]}]})',
  otlp: 'an OTLP/JSON ExportTraceServiceRequest ({"resourceSpans": [...]})',
  'litellm-spend': 'LiteLLM spend logs (a list of rows with request_id, startTime, spend)',
};

/** One JSON document of a known format: a page, a list of pages, or a list of log rows. */
export function readUsageJson(
  format: Exclude<UsageFormat, 'csv'>,
  doc: unknown,
  path: DataPath,
  issues: IssueList,
): ReadTraces {
  const out: ReadTraces = { records: [], billed: [], others: [], input_excluding_cache: 0 };
  if (format === 'litellm-spend') {
    const rows = Array.isArray(doc) ? doc : asMap(doc)?.data;
    if (!Array.isArray(rows)) issues.add(path, `expected ${USAGE_JSON_SHAPES[format]}`);
    else return readLiteLlmSpend(rows, Array.isArray(doc) ? path : [...path, 'data'], issues);
    return out;
  }
  const pages = Array.isArray(doc) ? doc : [doc];
  pages.forEach((p, i) => {
    const page = asMap(p);
    const at = Array.isArray(doc) ? [...path, i] : path;
    if (page === undefined) return issues.add(at, `expected ${USAGE_JSON_SHAPES[format]}`);
    const read: ReadPage & Partial<ReadTraces> = READERS[format](page, at, issues);
    // one by one: a page of a whole-document export may hold more rows than a call's arguments
    for (const r of read.records) out.records.push(r);
    for (const b of read.billed) out.billed.push(b);
    for (const o of read.others ?? []) out.others.push(o);
    out.input_excluding_cache += read.input_excluding_cache ?? 0;
  });
  return out;
}

const READERS = {
  'openai-usage': readOpenAiUsage,
  'openai-costs': readOpenAiCosts,
  'anthropic-usage': readAnthropicUsage,
  'anthropic-costs': readAnthropicCosts,
  otlp: readOtlp,
} as const;
