import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ROOT } from './run.js';

/** The real catalogs of test/fixtures/real (see its README for where each comes from). */
export const REAL = {
  litellm: 'litellm-2026-02-27.json.gz',
  'genai-prices': 'genai-prices-47df840a-v2-data.json.gz',
  openrouter: 'openrouter-models-solid-pile-a5c285c2-2025-02-08.json.gz',
  'models.dev': 'models-dev-f3fc6922-api.json.gz',
} as const;

/**
 * An older LiteLLM snapshot: with REAL.litellm, a real price history (Claude Sonnet 4 gains a >200k
 * tier in between).
 */
export const LITELLM_2025 = 'litellm-2025-08-30.json.gz';

/** Later LiteLLM snapshots (RoCry/llm-api-price): with REAL.litellm, three dates of 2026. */
export const LITELLM_2026_04 = 'litellm-2026-04-14.json.gz';
export const LITELLM_2026_07 = 'litellm-2026-07-24.json.gz';

/** A real catalog's text, decompressed: one of REAL's sources, or a fixture file name. */
export function realText(source: keyof typeof REAL | `${string}.json.gz`): string {
  const file = source in REAL ? REAL[source as keyof typeof REAL] : source;
  return gunzipSync(readFileSync(join(ROOT, 'test/fixtures/real', file))).toString('utf8');
}
