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

/**
 * Where a file's hand-entered figures come from, as a board can look it up: a document by title
 * and publisher, a catalog by name, date and URL, or else a quote file by its name.
 */
export interface Origin {
  kind: 'document' | 'catalog' | 'file';
  /** A document's title, a catalog's name, or a quote file's name. */
  title: string;
  /** Who published it; null when the copy quoted does not say (the seed of the shipped data). */
  publisher: string | null;
  /** Who or what it is about or by, in a few words, when the publisher alone does not place it. */
  about: string | undefined;
  url: string | undefined;
  /** The day it was read or imported (YYYY-MM-DD). */
  date: string | undefined;
}
