// The JSON formats ai-route writes and does not read back: each id declared once, here (a format
// that is read back has its id beside its validator: probe-run.ts, decision.ts, premortem.ts).

/**
 * `cost --format json`: money as exact decimal strings, token counts as integers (`cost diff`
 * reads its rows back as a side).
 */
export const COST_SCHEMA = 'ai-route/cost@1';
/** `capacity --format json`: peaks, limits and the keys each tier needs, stage by stage. */
export const CAPACITY_SCHEMA = 'ai-route/capacity@1';
/** `cost diff --format json`: two versions' monthly costs by stage and tier, and the change. */
export const COST_DIFF_SCHEMA = 'ai-route/cost-diff@1';
/** `pricing list --format json`. */
export const PRICING_LIST_SCHEMA = 'ai-route/pricing-list@1';
/** `pricing diff --format json`. */
export const PRICING_DIFF_SCHEMA = 'ai-route/pricing-diff@2';
/** `pricing check --format json`. */
export const PRICING_CHECK_SCHEMA = 'ai-route/pricing-check@1';
/** `usage summary --format json`: money as exact decimal strings, null where no source says. */
export const USAGE_SCHEMA = 'ai-route/usage@1';
/** `usage fit --format json`: the scenario a team's usage implies, with its growth interval. */
export const USAGE_FIT_SCHEMA = 'ai-route/usage-fit@1';
