import type { PricingFile } from '../domain/pricing.js';

/**
 * --allow-implausible: every quarantined rate of the files is priced as the source gave it,
 * and recorded as taken so every table says so. Changes the files in place (a load step).
 */
export function takeImplausible(files: readonly PricingFile[]): number {
  let taken = 0;
  for (const file of files) {
    for (const model of file.models) {
      for (const price of model.prices) {
        for (const q of price.quarantine) {
          if (q.above_input_tokens === undefined) price.rates[q.component] = q.value;
          else {
            const tier = price.context_tiers.find(
              (t) => t.above_input_tokens === q.above_input_tokens,
            );
            if (tier === undefined || q.component === 'per_request') continue;
            tier.rates[q.component] = q.value;
          }
          price.implausible_taken.push(q);
          taken++;
        }
        price.quarantine = [];
      }
    }
  }
  return taken;
}
