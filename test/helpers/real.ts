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

/** A real catalog's text, decompressed. */
export function realText(source: keyof typeof REAL): string {
  return gunzipSync(readFileSync(join(ROOT, 'test/fixtures/real', REAL[source]))).toString('utf8');
}
