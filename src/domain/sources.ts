/** The catalogs the ecosystem keeps current, each with the public URL `pricing import` reads. */
export const CATALOG_SOURCES = [
  {
    id: 'litellm',
    name: "LiteLLM's model cost map",
    url: 'https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json',
  },
  { id: 'openrouter', name: "OpenRouter's models API", url: 'https://openrouter.ai/api/v1/models' },
  {
    id: 'genai-prices',
    name: "pydantic's genai-prices",
    url: 'https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/new_data/v2/data.json',
  },
  { id: 'models.dev', name: 'models.dev', url: 'https://models.dev/api.json' },
] as const;

export type CatalogSourceId = (typeof CATALOG_SOURCES)[number]['id'];
export const CATALOG_SOURCE_IDS = CATALOG_SOURCES.map((s) => s.id) as readonly CatalogSourceId[];
