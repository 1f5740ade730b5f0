import { SCENARIO_SCHEMA } from '../schema/scenario.js';
import type { Catalog } from '../domain/pricing.js';
import type { Scenario } from '../domain/scenario.js';
import { exact } from '../units/decimal.js';
import { VOLUME_SPEC } from '../units/volume.js';
import { resolveModel } from './catalog.js';
import { litellmRates } from './import/litellm.js';

/** The article's router: at most 2 retries and a 10 s timeout per call. */
export const ROUTER = { retries: 2, timeout_s: 10, cooldown_s: 30, allowed_fails: 3 } as const;
/**
 * What a fallback should move on for: timeouts (Portkey's own 408), rate limits and server errors.
 */
export const FALLBACK_STATUS = [408, 429, 500, 502, 503, 504];

function baseUrlOf(scenario: Scenario, tier: string): string | undefined {
  return scenario.setup.tiers.find((t) => t.name === tier)?.base_url ?? scenario.endpoint.base_url;
}

/** A scenario file for the recommended setup at the stated volume: `cost` and `probe` accept it. */
export function scenarioExport(
  scenario: Scenario,
  option: string,
  volume: number,
  description: string,
) {
  return {
    schema: SCENARIO_SCHEMA,
    name: `decision-${option}`,
    description,
    ...(scenario.endpoint.base_url === undefined
      ? {}
      : { endpoint: { base_url: scenario.endpoint.base_url } }),
    setup: {
      label: scenario.setup.label,
      tiers: Object.fromEntries(
        scenario.setup.tiers.map((t) => [
          t.name,
          {
            model: t.model,
            share: exact(t.share),
            fallback: t.fallback,
            ...(t.base_url === undefined ? {} : { base_url: t.base_url }),
          },
        ]),
      ),
    },
    baseline: {
      model: scenario.baseline.model,
      ...(scenario.baseline.label === undefined ? {} : { label: scenario.baseline.label }),
    },
    stages: [{ name: 'Stated volume', volume: VOLUME_SPEC.format(volume) }],
    assumptions: scenario.assumptions,
  };
}

/**
 * Env variable names of each tier's base URL and key, one pair per provider
 * (`AI_ROUTE_<PROVIDER>_BASE_URL`, `AI_ROUTE_<PROVIDER>_API_KEY`): a fallback to another provider
 * then reaches that provider, and each provider has its own key. The provider is the catalog's;
 * a model the catalog lacks is named by its base URL's host.
 */
function envVars(
  scenario: Scenario,
  catalog: Catalog,
  asOf: string,
): Record<string, { url: string; key: string }> {
  const providerOf = (t: Scenario['setup']['tiers'][number]) => {
    const found = resolveModel(catalog, t.model, asOf);
    if (found.kind === 'priced' || found.kind === 'not_in_force') return found.model.provider;
    const url = baseUrlOf(scenario, t.name);
    return url === undefined ? t.name : new URL(url).hostname;
  };
  const name = (provider: string) => provider.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  return Object.fromEntries(
    scenario.setup.tiers.map((t) => {
      const p = name(providerOf(t));
      return [t.name, { url: `AI_ROUTE_${p}_BASE_URL`, key: `AI_ROUTE_${p}_API_KEY` }];
    }),
  );
}

/** How many different base URLs (providers) a setup's tiers use. */
export function baseUrlCount(scenario: Scenario): number {
  return new Set(scenario.setup.tiers.map((t) => baseUrlOf(scenario, t.name) ?? '')).size;
}

/** The environment a LiteLLM config expects: each base-URL variable with the URL it should hold. */
export interface LitellmEnv {
  scenario: string;
  base_urls: Array<{ variable: string; url: string | undefined; key: string }>;
}

/**
 * A LiteLLM proxy config: a model group per tier, the explicit fallback chains, the article's
 * retries and timeout, and every rate the catalog has for each model, in LiteLLM's own fields.
 * Keys and base URLs are `os.environ/...` references, never values.
 */
export function litellmExport(
  scenario: Scenario,
  catalog: Catalog,
  asOf: string,
): { env: LitellmEnv; config: Record<string, unknown> } {
  const vars = envVars(scenario, catalog, asOf);
  const modelList = scenario.setup.tiers.map((t) => {
    const found = resolveModel(catalog, t.model, asOf);
    const info = found.kind === 'priced' ? litellmRates(found.price) : {};
    return {
      model_name: t.name,
      litellm_params: {
        model: `openai/${t.model}`,
        api_base: `os.environ/${vars[t.name]!.url}`,
        api_key: `os.environ/${vars[t.name]!.key}`,
      },
      ...(Object.keys(info).length > 0 ? { model_info: info } : {}),
    };
  });
  const seen = new Set<string>();
  const baseUrls: LitellmEnv['base_urls'] = [];
  for (const t of scenario.setup.tiers) {
    const { url: variable, key } = vars[t.name]!;
    const url = baseUrlOf(scenario, t.name);
    if (seen.has(`${variable}=${url}`)) continue;
    seen.add(`${variable}=${url}`);
    baseUrls.push({ variable, url, key });
  }
  return {
    env: { scenario: scenario.name, base_urls: baseUrls },
    config: {
      model_list: modelList,
      router_settings: {
        routing_strategy: 'simple-shuffle',
        num_retries: ROUTER.retries,
        timeout: ROUTER.timeout_s,
        allowed_fails: ROUTER.allowed_fails,
        cooldown_time: ROUTER.cooldown_s,
        fallbacks: scenario.setup.tiers
          .filter((t) => t.fallback.length > 0)
          .map((t) => ({ [t.name]: t.fallback })),
      },
      litellm_settings: { drop_params: true, request_timeout: ROUTER.timeout_s },
    },
  };
}

/**
 * A Portkey gateway config: clients send `model: <tier>`; each tier is a fallback strategy over
 * its model and then its chain, moving on for 408 (Portkey's timeout), 429 and 5xx. No key is
 * written: the gateway forwards the caller's Authorization header (AI_ROUTE_API_KEY) upstream.
 */
export function portkeyExport(scenario: Scenario, baseUrlOverride?: Record<string, string>) {
  const byName = new Map(scenario.setup.tiers.map((t) => [t.name, t]));
  const target = (tierName: string, first: boolean) => {
    const t = byName.get(tierName)!;
    const host = baseUrlOverride?.[tierName] ?? baseUrlOf(scenario, tierName);
    return {
      provider: 'openai',
      ...(host === undefined ? {} : { custom_host: host }),
      override_params: { model: t.model },
      request_timeout: ROUTER.timeout_s * 1000,
      ...(first
        ? {
            retry: {
              attempts: ROUTER.retries,
              on_status_codes: [429, 500, 502, 503, 504],
              use_retry_after_header: true,
            },
          }
        : {}),
    };
  };
  const [first, ...rest] = scenario.setup.tiers;
  return {
    strategy: {
      mode: 'conditional',
      conditions: rest.map((t) => ({ query: { 'params.model': { $eq: t.name } }, then: t.name })),
      default: first!.name,
    },
    targets: scenario.setup.tiers.map((t) => ({
      name: t.name,
      strategy: { mode: 'fallback', on_status_codes: FALLBACK_STATUS },
      targets: [target(t.name, true), ...t.fallback.map((f) => target(f, false))],
    })),
  };
}
