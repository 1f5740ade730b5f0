import type { Registry } from './registry.js';
import type { CostDiffView } from './cost-diff.js';

/** `cost diff --format`: each choice and its renderer, each loaded only when asked for. */
export const DIFF_RENDERERS = {
  table: async (view: CostDiffView, ctx) =>
    (await import('./terminal.js')).drawTerminal(
      (await import('./cost-diff.js')).costDiffDocument(view),
      await ctx.chalk(),
      ctx.width,
    ),
  markdown: async (view: CostDiffView) =>
    (await import('./markdown.js')).drawMarkdown(
      (await import('./cost-diff.js')).costDiffDocument(view),
    ),
  json: async (view: CostDiffView) => (await import('./cost-diff.js')).costDiffJson(view),
} as const satisfies Registry<CostDiffView>;
