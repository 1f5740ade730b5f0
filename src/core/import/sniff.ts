import type { CatalogSourceId } from '../../domain/sources.js';

/**
 * Which source catalog a parsed document looks like, when it is not an ai-route pricing file:
 * so a raw LiteLLM map given to --pricing gets one line naming the import, not thousands of
 * "unknown key" lines.
 */
export function sniffCatalog(value: unknown): CatalogSourceId | undefined {
  if (Array.isArray(value)) {
    const first = value[0] as { id?: unknown; models?: unknown } | undefined;
    return first !== null &&
      typeof first === 'object' &&
      typeof first.id === 'string' &&
      Array.isArray(first.models)
      ? 'genai-prices'
      : undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const doc = value as Record<string, unknown>;
  if (typeof doc.schema === 'string') return undefined;
  if (
    Array.isArray(doc.data) &&
    (doc.data as Array<{ pricing?: unknown }>).some(
      (m) => m !== null && typeof m === 'object' && m.pricing !== undefined,
    )
  )
    return 'openrouter';
  const entries = Object.values(doc).slice(0, 50);
  const objects = entries.filter(
    (v): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v),
  );
  if (doc.sample_spec !== undefined || objects.some((v) => typeof v.litellm_provider === 'string'))
    return 'litellm';
  if (
    objects.length > 0 &&
    objects.some(
      (v) =>
        v.models !== null &&
        typeof v.models === 'object' &&
        (typeof v.npm === 'string' || typeof v.doc === 'string'),
    )
  )
    return 'models.dev';
  return undefined;
}
