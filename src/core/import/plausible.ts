import type { PriceComponent } from '../../domain/pricing.js';
import { Dec, type Big } from '../../units/decimal.js';

/**
 * The range a real rate of each component falls in, USD per million tokens (per request for
 * per_request). Measured on LiteLLM's map of 2026-02-27: legitimate text rates run from $0.001 to
 * $600 per 1M (o1-pro output); the unit slips start at $2,000. Cache rates go lower (a cache read
 * is a tenth of input or less).
 */
export const PLAUSIBLE: Readonly<Record<PriceComponent, { min: Big; max: Big }>> = {
  input: { min: Dec('0.001'), max: Dec('1000') },
  output: { min: Dec('0.001'), max: Dec('1000') },
  reasoning: { min: Dec('0.001'), max: Dec('1000') },
  batch_input: { min: Dec('0.0005'), max: Dec('1000') },
  batch_output: { min: Dec('0.0005'), max: Dec('1000') },
  cache_read: { min: Dec('0.0001'), max: Dec('1000') },
  cache_write: { min: Dec('0.0001'), max: Dec('1000') },
  cache_write_1h: { min: Dec('0.0001'), max: Dec('1000') },
  per_request: { min: Dec('0.00001'), max: Dec('10') },
};

/**
 * Dollars for a message: cents from $1 up, else three significant digits (a slip can be 10^-9 of a
 * cent).
 */
function money(v: Big): string {
  return `$${v.gte('1') ? v.round(2).toFixed() : v.prec(3).toString()}`;
}

/**
 * Why a non-zero rate is implausible, with the unit slip that would explain it; undefined when it
 * is in range. A zero is never judged here: whether it means free or unknown is the source's rule.
 * The minimum holds for text models only: an image or embedding model's per-token figure can be
 * tiny because it bills by image or by request instead.
 */
export function implausibility(
  component: PriceComponent,
  value: Big,
  text = true,
): string | undefined {
  const { min, max } = PLAUSIBLE[component];
  if (value.eq('0') || ((!text || value.gte(min)) && value.lte(max))) return undefined;
  const unit = component === 'per_request' ? 'per request' : 'per 1M tokens';
  if (value.gt(max)) {
    const times = value.div(max).round(0, Dec.roundUp).toFixed();
    return (
      `${money(value)} ${unit} is ${times}x the ${money(max)} plausible maximum ` +
      `for ${component}; likely a unit slip: ` +
      `/1,000 gives ${money(value.div('1000'))}, /1,000,000 gives ${money(value.div('1000000'))}`
    );
  }
  return (
    `${money(value)} ${unit} is under the ${money(min)} plausible minimum for ` +
    `${component}; likely a unit slip: x1,000 gives ${money(value.times('1000'))}`
  );
}
