import type { Registry } from './registry.js';
import type { UsageView } from './usage.js';
import type { FitView } from './usage-fit.js';

/** `usage summary --format`: each choice and its renderer, each loaded only when asked for. */
export const USAGE_RENDERERS = {
  table: async (view: UsageView, ctx) =>
    (await import('./terminal.js')).drawTerminal(
      (await import('./usage.js')).usageDocument(view),
      await ctx.chalk(),
      ctx.width,
    ),
  markdown: async (view: UsageView) =>
    (await import('./markdown.js')).drawMarkdown((await import('./usage.js')).usageDocument(view)),
  csv: async (view: UsageView) => (await import('./usage.js')).usageCsv(view),
  json: async (view: UsageView) => (await import('./usage.js')).usageJson(view),
} as const satisfies Registry<UsageView>;

/** `usage fit --format`: a scenario file (yaml) or the fit itself (json). */
export const FIT_RENDERERS = {
  yaml: async (view: FitView) => (await import('./usage-fit.js')).fitScenarioYaml(view),
  json: async (view: FitView) => (await import('./usage-fit.js')).fitJson(view),
} as const satisfies Registry<FitView>;
