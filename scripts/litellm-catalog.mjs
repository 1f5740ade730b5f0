// A seeded stand-in for LiteLLM's model_prices_and_context_window.json at its real size
// (~2,500 entries, ~1.6 MB), in its real field format: per-token float prices, cache, batch,
// long-context and service-tier fields, capability flags, non-chat modes and sample_spec.
// Used by `npm run bench` and the large-catalog test; nothing here is a real price.
// Needs `npm run build` first (both callers build): the seeded generator is ai-route's own.
import { mulberry32 } from '../dist/tsc/core/random.js';

const PROVIDERS = [
  'openai',
  'anthropic',
  'vertex_ai-language-models',
  'bedrock',
  'azure',
  'deepseek',
  'mistral',
  'groq',
  'together_ai',
  'deepinfra',
  'fireworks_ai',
  'openrouter',
  'cohere',
  'perplexity',
  'xai',
  'dashscope',
];
const MODES = [
  'chat',
  'chat',
  'chat',
  'chat',
  'chat',
  'chat',
  'embedding',
  'image_generation',
  'completion',
  'audio_transcription',
];
const FLAGS = [
  'supports_function_calling',
  'supports_parallel_function_calling',
  'supports_vision',
  'supports_response_schema',
  'supports_prompt_caching',
  'supports_system_messages',
  'supports_tool_choice',
  'supports_reasoning',
  'supports_pdf_input',
  'supports_web_search',
];

/** A per-token price such as 2.5e-06, as LiteLLM writes them (a float). */
function price(r) {
  const perMillion = [0.05, 0.1, 0.15, 0.25, 0.28, 0.4, 0.6, 1, 1.25, 2, 2.5, 3, 5, 10, 15, 30, 60][
    Math.floor(r() * 17)
  ];
  return Number((perMillion / 1e6).toPrecision(6));
}

export function litellmCatalog(count = 2500, seed = 42) {
  const r = mulberry32(seed);
  const catalog = {
    sample_spec: {
      max_tokens: 'LEGACY parameter',
      input_cost_per_token: 0.0,
      output_cost_per_token: 0.0,
      litellm_provider: 'one of https://docs.litellm.ai/docs/providers',
      mode: 'one of: chat, embedding, ...',
    },
    'gpt-4o': {
      max_tokens: 16384,
      max_input_tokens: 128000,
      max_output_tokens: 16384,
      input_cost_per_token: 2.5e-6,
      output_cost_per_token: 1e-5,
      input_cost_per_token_batches: 1.25e-6,
      output_cost_per_token_batches: 5e-6,
      cache_read_input_token_cost: 1.25e-6,
      litellm_provider: 'openai',
      mode: 'chat',
      supports_function_calling: true,
      supports_vision: true,
    },
  };
  for (let i = 0; catalog && Object.keys(catalog).length < count + 1; i++) {
    const provider = PROVIDERS[Math.floor(r() * PROVIDERS.length)];
    const mode = MODES[Math.floor(r() * MODES.length)];
    const name = `model-${i.toString(36)}-${Math.floor(r() * 1e6).toString(36)}`;
    const key = r() < 0.5 ? `${provider}/${name}` : name;
    const entry = {
      max_tokens: 8192,
      max_input_tokens: [32768, 128000, 200000, 1048576][Math.floor(r() * 4)],
      max_output_tokens: 8192,
      input_cost_per_token: price(r),
      output_cost_per_token: mode === 'embedding' ? 0 : price(r),
      litellm_provider: provider,
      mode,
      source: `https://example.invalid/${provider}/pricing`,
    };
    if (r() < 0.4)
      entry.cache_read_input_token_cost = Number((entry.input_cost_per_token / 10).toPrecision(6));
    if (r() < 0.2)
      entry.cache_creation_input_token_cost = Number(
        (entry.input_cost_per_token * 1.25).toPrecision(6),
      );
    if (r() < 0.2)
      Object.assign(entry, {
        input_cost_per_token_batches: entry.input_cost_per_token / 2,
        output_cost_per_token_batches: entry.output_cost_per_token / 2,
      });
    if (r() < 0.1)
      Object.assign(entry, {
        input_cost_per_token_above_200k_tokens: entry.input_cost_per_token * 2,
        output_cost_per_token_above_200k_tokens: entry.output_cost_per_token * 1.5,
      });
    if (r() < 0.1)
      Object.assign(entry, {
        input_cost_per_token_flex: entry.input_cost_per_token / 2,
        input_cost_per_token_priority: entry.input_cost_per_token * 1.75,
      });
    if (r() < 0.1) entry.output_cost_per_reasoning_token = entry.output_cost_per_token;
    for (const flag of FLAGS) if (r() < 0.6) entry[flag] = true;
    if (r() < 0.3) entry.supported_endpoints = ['/v1/chat/completions', '/v1/responses'];
    catalog[key] = entry;
  }
  return catalog;
}
