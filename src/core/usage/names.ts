import type { Catalog } from '../../domain/pricing.js';
import { type Resolution, resolveModel } from '../catalog.js';

/**
 * Model names as providers report them, looked up through the one resolver: the name itself,
 * then with the catalog prefix of its provider (`gcp.gemini` reports `gemini-2.5-pro`, LiteLLM
 * catalogs it as `gemini/gemini-2.5-pro`), then a dated snapshot (`gpt-4o-2024-08-06`) as the
 * model it is a snapshot of, said in `priced_as`. Never a fuzzy match.
 */

/** OpenTelemetry's `gen_ai.provider.name` values and the catalog prefixes they stand for. */
export const PROVIDER_PREFIXES: Readonly<Record<string, readonly string[]>> = {
  openai: ['openai'],
  anthropic: ['anthropic'],
  'gcp.gemini': ['gemini'],
  'gcp.vertex_ai': ['vertex_ai'],
  'gcp.gen_ai': ['gemini', 'vertex_ai'],
  'aws.bedrock': ['bedrock'],
  'azure.ai.openai': ['azure'],
  'azure.ai.inference': ['azure_ai'],
  mistral_ai: ['mistral'],
  x_ai: ['xai'],
  'ibm.watsonx.ai': ['watsonx'],
};

const SNAPSHOT = /-(\d{4}-\d{2}-\d{2}|\d{8})$/;

export interface UsageResolution {
  resolution: Resolution;
  /** The catalog name it was priced as, when not the name reported. */
  priced_as: string | undefined;
}

/** The names to try for a reported model, in order. */
export function candidateNames(model: string, provider: string | undefined): string[] {
  const prefixes =
    provider === undefined ? [] : (PROVIDER_PREFIXES[provider] ?? [provider.toLowerCase()]);
  const forms = (name: string) => [
    name,
    ...prefixes.filter((p) => !name.startsWith(`${p}/`)).map((p) => `${p}/${name}`),
  ];
  const base = model.replace(SNAPSHOT, '');
  return [...new Set([...forms(model), ...(base === model ? [] : forms(base))])];
}

/** The first name the catalog knows, priced on `day`; the reported name's miss otherwise. */
export function resolveUsageModel(
  catalog: Catalog,
  model: string,
  provider: string | undefined,
  day: string,
): UsageResolution {
  let miss: Resolution | undefined;
  for (const name of candidateNames(model, provider)) {
    const found = resolveModel(catalog, name, day);
    if (found.kind === 'priced' || found.kind === 'not_in_force' || found.kind === 'ambiguous')
      return { resolution: found, priced_as: name === model ? undefined : name };
    miss ??= found;
  }
  return { resolution: miss!, priced_as: undefined };
}
