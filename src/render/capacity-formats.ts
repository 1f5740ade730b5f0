import type { Registry } from './registry.js';
import type { CapacityView } from './capacity.js';

/** `capacity --format`: each choice and its renderer, each loaded only when asked for. */
export const CAPACITY_RENDERERS = {
  table: async (view: CapacityView, ctx) =>
    (await import('./terminal.js')).drawTerminal(
      (await import('./capacity.js')).capacityDocument(view),
      await ctx.chalk(),
      ctx.width,
    ),
  markdown: async (view: CapacityView) =>
    (await import('./markdown.js')).drawMarkdown(
      (await import('./capacity.js')).capacityDocument(view),
    ),
  json: async (view: CapacityView) => (await import('./capacity.js')).capacityJson(view),
} as const satisfies Registry<CapacityView>;
