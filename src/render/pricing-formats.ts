import type { Registry } from './registry.js';
import type { DiffView, ListView } from './pricing.js';

/** `pricing list --format`: each choice and its renderer, each loaded only when asked for. */
export const LIST_RENDERERS = {
  table: async (view: ListView, ctx) =>
    (await import('./terminal.js')).drawTerminal(
      (await import('./pricing.js')).listDocument(view),
      await ctx.chalk(),
      ctx.width,
    ),
  markdown: async (view: ListView) =>
    (await import('./markdown.js')).drawMarkdown((await import('./pricing.js')).listDocument(view)),
  csv: async (view: ListView) => (await import('./pricing.js')).listCsv(view),
  json: async (view: ListView) => (await import('./pricing.js')).listJson(view),
} as const satisfies Registry<ListView>;

/** `pricing diff --format`: each choice and its renderer, each loaded only when asked for. */
export const DIFF_RENDERERS = {
  table: async (view: DiffView, ctx) =>
    (await import('./terminal.js')).drawTerminal(
      (await import('./pricing.js')).diffDocument(view),
      await ctx.chalk(),
      ctx.width,
    ),
  markdown: async (view: DiffView) =>
    (await import('./markdown.js')).drawMarkdown((await import('./pricing.js')).diffDocument(view)),
  json: async (view: DiffView) => (await import('./pricing.js')).diffJson(view),
} as const satisfies Registry<DiffView>;
