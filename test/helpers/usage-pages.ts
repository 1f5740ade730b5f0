/**
 * OpenAI organization usage and costs pages in the shape of the API reference's examples
 * (test/fixtures/usage/openai-*-docs.json), with the results a test gives.
 */
export function usagePage(start: number, results: object[], next: string | null = null) {
  return {
    object: 'page',
    data: [
      {
        object: 'bucket',
        start_time: start,
        end_time: start + 86400,
        results: results.map((r) => ({
          object: 'organization.usage.completions.result',
          input_audio_tokens: 0,
          output_audio_tokens: 0,
          project_id: null,
          user_id: null,
          api_key_id: null,
          batch: false,
          ...r,
        })),
      },
    ],
    has_more: next !== null,
    next_page: next,
  };
}

export function costsPage(start: number, items: Array<[string, number]>) {
  return {
    object: 'page',
    data: [
      {
        object: 'bucket',
        start_time: start,
        end_time: start + 86400,
        results: items.map(([line_item, value]) => ({
          object: 'organization.costs.result',
          amount: { value, currency: 'usd' },
          line_item,
          project_id: null,
        })),
      },
    ],
    has_more: false,
    next_page: null,
  };
}
