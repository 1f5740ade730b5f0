import { badPortReason } from '../../units/port.js';
import { UsageError } from '../../domain/errors.js';
import type { ProbeTarget } from '../../domain/probe.js';
import type { Scenario } from '../../domain/scenario.js';
import { publicUrl } from '../redact.js';

/** An http(s) URL without credentials in it, or a usage error naming the flag it came from. */
export function checkUrl(url: string, where: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || !/^https?:$/.test(parsed.protocol)) {
    throw new UsageError(
      `${where}: "${publicUrl(url)}" is not an http(s) URL such as https://global-apis.com/v1`,
    );
  }
  const port = Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80));
  const bad = badPortReason(port);
  if (bad !== undefined)
    throw new UsageError(
      `${where}: "${publicUrl(url)}": ${bad}; serve the endpoint on another port`,
    );
  if (parsed.username !== '' || parsed.password !== '') {
    throw new UsageError(
      `${where}: "${publicUrl(url)}" carries credentials before its @; give the ` +
        `key through the environment instead (AI_ROUTE_API_KEY)`,
    );
  }
  return url;
}

/**
 * A scenario's tier as a target: at the override (--base-url or the mock) when given, else at its
 * own production URL, checked like a flag.
 */
export function tierTarget(
  scenario: Scenario,
  name: string,
  override: string | undefined,
): ProbeTarget {
  const tier = scenario.setup.tiers.find((t) => t.name === name)!;
  const url = override ?? tier.base_url ?? scenario.endpoint.base_url;
  if (url === undefined)
    throw new UsageError(
      `--scenario ${scenario.name}: tier "${name}" has no base URL (set endpoint.base_url or ` +
        `the tier's base_url) and no --base-url or --mock was given`,
    );
  return {
    name,
    model: tier.model,
    baseURL: override === undefined ? checkUrl(url, `--scenario tier ${name}`) : url,
  };
}

/** Every tier of a scenario as a target, in the scenario's order. */
export function scenarioTargets(scenario: Scenario, override: string | undefined): ProbeTarget[] {
  return scenario.setup.tiers.map((t) => tierTarget(scenario, t.name, override));
}

/** The words both live commands use when no key is set. */
export const NO_KEY =
  'no API key: set AI_ROUTE_API_KEY (or OPENAI_API_KEY, or name a variable ' +
  'with --api-key-env); keys are never taken from flags';
