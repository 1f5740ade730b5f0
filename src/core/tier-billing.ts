/**
 * How a provider bills a request over a long-context threshold, from its own pricing page. Every
 * provider on record bills the whole request at the tier's rates (a cliff, not graduated
 * brackets); the engine prices every tier that way, and this table says whose page says so.
 */
export interface TierBillingRule {
  /** The provider as each catalog names it (LiteLLM's litellm_provider, genai-prices' id). */
  providers: readonly string[];
  rule: 'whole_request';
  /** Who says so, in our words, and where. */
  provider_name: string;
  source: string;
}

/** The providers whose tier rule is on record, with the page that states it. */
export const TIER_BILLING: readonly TierBillingRule[] = [
  {
    providers: ['anthropic', 'vertex_ai-anthropic_models', 'bedrock', 'bedrock_converse'],
    rule: 'whole_request',
    provider_name: 'Anthropic',
    source: 'https://docs.claude.com/en/docs/about-claude/pricing#long-context-pricing',
  },
  {
    providers: ['gemini', 'google', 'vertex_ai', 'vertex_ai-language-models'],
    rule: 'whole_request',
    provider_name: 'Google',
    source: 'https://ai.google.dev/gemini-api/docs/pricing',
  },
  {
    providers: ['dashscope', 'alibaba'],
    rule: 'whole_request',
    provider_name: 'Alibaba Cloud Model Studio',
    source: 'https://www.alibabacloud.com/help/en/model-studio/models',
  },
  {
    providers: ['xai', 'x-ai'],
    rule: 'whole_request',
    provider_name: 'xAI',
    source: 'https://docs.x.ai/docs/models',
  },
];

/** The rule of a provider when it is on record; undefined when only the catalog says. */
export function tierBillingOf(provider: string): TierBillingRule | undefined {
  return TIER_BILLING.find((r) => r.providers.includes(provider));
}
