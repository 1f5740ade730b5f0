import type { Registry } from '../registry.js';
import type { CostView } from './view.js';

/**
 * `cost --format`: each choice and its renderer. Loaded with the option table, so every
 * renderer is imported only when its format is asked for (the table drawer brings cli-table3).
 */
export const COST_RENDERERS = {
  table: async (view: CostView, ctx) =>
    (await import('../terminal.js')).drawTerminal(
      (await import('./view.js')).costDocument(view),
      await ctx.chalk(),
      ctx.width,
    ),
  markdown: async (view: CostView) =>
    (await import('../markdown.js')).drawMarkdown((await import('./view.js')).costDocument(view)),
  csv: async (view: CostView) => (await import('./csv.js')).renderCostCsv(view),
  json: async (view: CostView) => (await import('./json.js')).renderCostJson(view),
} as const satisfies Registry<CostView>;
