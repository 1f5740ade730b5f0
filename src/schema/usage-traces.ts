import type { OtherOperation, UsageRecord } from '../domain/usage.js';
import { isoDay } from '../units/date.js';
import type { DataPath, IssueList } from './issues.js';
import type { ReadPage } from './usage-providers.js';
import {
  NOT_GROUPED,
  asMap,
  checkParts,
  countAt,
  hourOfMs,
  msOfTimestamp,
  emptyRecord,
  moneyAt,
  str,
} from './usage-read.js';

/**
 * Per-request sources: OpenTelemetry spans with the GenAI semantic conventions (OTLP/JSON, one
 * `ExportTraceServiceRequest`), and LiteLLM's spend logs (its `/spend/logs` JSON rows).
 */

/** Operations whose tokens are a completion's; others (embeddings, agents, tools) count apart. */
export const COMPLETION_OPERATIONS: ReadonlySet<string> = new Set([
  'chat',
  'text_completion',
  'generate_content',
]);

export interface ReadTraces extends ReadPage {
  others: OtherOperation[];
  /** Spans whose input count left out their cache counts (added back, as Anthropic counts). */
  input_excluding_cache: number;
}

type AnyValue = Record<string, unknown>;

/** An OTLP AnyValue as a plain value: int64 arrives as a string or a number. */
function plain(v: AnyValue | undefined): unknown {
  if (v === undefined) return undefined;
  if ('stringValue' in v) return v.stringValue;
  if ('intValue' in v) return v.intValue;
  if ('doubleValue' in v) return v.doubleValue;
  if ('boolValue' in v) return v.boolValue;
  return undefined;
}

/** The attributes a usage reader looks at; the rest of a span's attributes are not kept. */
const WANTED = new Set([
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.prompt_tokens',
  'gen_ai.usage.output_tokens',
  'gen_ai.usage.completion_tokens',
  'gen_ai.usage.cache_read.input_tokens',
  'gen_ai.usage.cache_creation.input_tokens',
  'gen_ai.usage.reasoning.output_tokens',
  'gen_ai.usage.reasoning_tokens',
  'gen_ai.operation.name',
  'gen_ai.provider.name',
  'gen_ai.system',
  'gen_ai.request.model',
  'gen_ai.response.model',
  'openai.response.service_tier',
  'gen_ai.openai.response.service_tier',
]);

function attributesOf(raw: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (!Array.isArray(raw)) return out;
  for (const a of raw) {
    const key = (a as { key?: unknown } | null)?.key;
    if (typeof key === 'string' && WANTED.has(key))
      out.set(key, plain(asMap((a as { value?: unknown }).value)));
  }
  return out;
}

/** The first attribute present among names, the current convention first. */
function first(attrs: Map<string, unknown>, ...names: string[]): unknown {
  for (const n of names) if (attrs.get(n) !== undefined) return attrs.get(n);
  return undefined;
}

/** A span's start in milliseconds: nanoseconds since the epoch, as a string or a number. */
function spanStart(value: unknown, where: () => DataPath, issues: IssueList): number | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  // milliseconds from the digits before the last six: no BigInt for each span
  if (typeof text === 'string' && /^\d{7,20}$/.test(text)) return Number(text.slice(0, -6));
  issues.add(
    [...where(), 'startTimeUnixNano'],
    'expected startTimeUnixNano, nanoseconds since 1970 as a string',
  );
  return undefined;
}

/** One span's usage, or undefined when it carries no gen_ai usage (it is not an LLM call). */
function spanRecord(
  span: Record<string, unknown>,
  where: () => DataPath,
  issues: IssueList,
  out: ReadTraces,
): void {
  const attrs = attributesOf(span.attributes);
  const inputRaw = first(attrs, 'gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens');
  const outputRaw = first(attrs, 'gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens');
  if (inputRaw === undefined && outputRaw === undefined) return;
  const count = (v: unknown, name: string) =>
    countAt(v, () => [...where(), 'attributes', name], issues);
  const input = count(inputRaw, 'gen_ai.usage.input_tokens');
  const output = count(outputRaw, 'gen_ai.usage.output_tokens');
  const operation = str(attrs.get('gen_ai.operation.name')) ?? 'chat';
  if (!COMPLETION_OPERATIONS.has(operation)) {
    const seen = out.others.find((o) => o.operation === operation);
    if (seen === undefined)
      out.others.push({ operation, records: 1, input_tokens: input, output_tokens: output });
    else {
      seen.records++;
      seen.input_tokens += input;
      seen.output_tokens += output;
    }
    return;
  }
  const start = spanStart(span.startTimeUnixNano, where, issues);
  if (start === undefined) return;
  const day = isoDay(new Date(start));
  const read = count(attrs.get('gen_ai.usage.cache_read.input_tokens'), 'cache_read');
  const write = count(attrs.get('gen_ai.usage.cache_creation.input_tokens'), 'cache_creation');
  // the convention says input SHOULD include the cached tokens; an instrumentation that counts
  // them apart (Anthropic's way) gives less input than cache: added back, and counted
  const apart = input < read + write;
  if (apart) out.input_excluding_cache++;
  const tier = str(
    first(attrs, 'openai.response.service_tier', 'gen_ai.openai.response.service_tier'),
  );
  // written out, not spread from emptyRecord: this runs once a span
  const rec: UsageRecord = {
    day,
    hour: hourOfMs(start),
    model: str(first(attrs, 'gen_ai.response.model', 'gen_ai.request.model')) ?? NOT_GROUPED,
    billed: undefined,
    unpriceable: undefined,
    cache_write_1h_tokens: 0,
    provider: str(first(attrs, 'gen_ai.provider.name', 'gen_ai.system')),
    service_tier: tier === undefined || tier === 'default' || tier === 'auto' ? 'standard' : tier,
    requests: 1,
    input_tokens: apart ? input + read + write : input,
    cached_input_tokens: read,
    cache_write_tokens: write,
    output_tokens: output,
    reasoning_tokens: count(
      first(attrs, 'gen_ai.usage.reasoning.output_tokens', 'gen_ai.usage.reasoning_tokens'),
      'reasoning',
    ),
    key: `${String(span.traceId)}|${String(span.spanId)}`,
  };
  if (
    rec.cached_input_tokens + rec.cache_write_tokens > rec.input_tokens ||
    rec.reasoning_tokens > rec.output_tokens
  )
    checkParts(rec, where(), issues);
  out.records.push(rec);
}

/** An `ExportTraceServiceRequest`: resourceSpans[].scopeSpans[].spans[]. */
export function readOtlp(doc: Record<string, unknown>, path: DataPath, issues: IssueList) {
  const out: ReadTraces = { records: [], billed: [], others: [], input_excluding_cache: 0 };
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  // plain loops: a collector's line holds thousands of spans
  const resources = list(doc.resourceSpans);
  for (let i = 0; i < resources.length; i++) {
    const scopes = list(asMap(resources[i])?.scopeSpans);
    for (let j = 0; j < scopes.length; j++) {
      const spans = list(asMap(scopes[j])?.spans);
      for (let k = 0; k < spans.length; k++) {
        const span = asMap(spans[k]);
        const where = () => [...path, 'resourceSpans', i, 'scopeSpans', j, 'spans', k];
        if (span === undefined) issues.add(where(), 'expected a span');
        else spanRecord(span, where, issues, out);
      }
    }
  }
  return out;
}

/** Call types of LiteLLM's spend logs that are completions. */
const LITELLM_COMPLETIONS =
  /^a?(completion|acompletion|text_completion|atext_completion|responses|aresponses|anthropic_messages)$/;

/**
 * LiteLLM's spend log rows (`/spend/logs`): one request each, its `spend` LiteLLM's own price of
 * it (not an invoice), the deployment's `model` with `custom_llm_provider`.
 */
export function readLiteLlmSpend(rows: unknown[], path: DataPath, issues: IssueList) {
  const out: ReadTraces = { records: [], billed: [], others: [], input_excluding_cache: 0 };
  rows.forEach((raw, i) => {
    const row = asMap(raw);
    const at = [...path, i];
    if (row === undefined) return issues.add(at, 'expected a spend log row');
    const input = countAt(row.prompt_tokens, [...at, 'prompt_tokens'], issues);
    const output = countAt(row.completion_tokens, [...at, 'completion_tokens'], issues);
    const callType = str(row.call_type) ?? 'completion';
    if (!LITELLM_COMPLETIONS.test(callType)) {
      const seen = out.others.find((o) => o.operation === callType);
      if (seen === undefined)
        out.others.push({
          operation: callType,
          records: 1,
          input_tokens: input,
          output_tokens: output,
        });
      else {
        seen.records++;
        seen.input_tokens += input;
        seen.output_tokens += output;
      }
      return;
    }
    const start = msOfTimestamp(row.startTime, [...at, 'startTime'], issues);
    if (start === undefined) return;
    const day = isoDay(new Date(start));
    const usage = asMap(asMap(row.metadata)?.usage_object);
    const cached = countAt(
      asMap(usage?.prompt_tokens_details)?.cached_tokens ?? usage?.cache_read_input_tokens,
      [...at, 'metadata', 'usage_object', 'cached_tokens'],
      issues,
    );
    const spend = row.spend === undefined || row.spend === null ? undefined : row.spend;
    const rec: UsageRecord = {
      ...emptyRecord(day, str(row.model) ?? str(row.model_group) ?? NOT_GROUPED),
      hour: hourOfMs(start),
      provider: str(row.custom_llm_provider),
      requests: 1,
      input_tokens: input,
      cached_input_tokens: cached,
      output_tokens: output,
      billed: spend === undefined ? undefined : moneyAt(spend, [...at, 'spend'], issues),
      key: str(row.request_id) === undefined ? undefined : `litellm|${String(row.request_id)}`,
    };
    checkParts(rec, at, issues);
    out.records.push(rec);
  });
  return out;
}
