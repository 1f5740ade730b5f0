import type { PremortemReport } from '../domain/premortem.js';
import type { Registry } from './registry.js';

/** `premortem --format`: each choice and its renderer, each loaded only when asked for. */
export const PREMORTEM_RENDERERS = {
  table: async (report: PremortemReport, ctx) =>
    (await import('./terminal.js')).drawTerminal(
      (await import('./premortem.js')).premortemDocument(report),
      await ctx.chalk(),
      ctx.width,
    ),
  markdown: async (report: PremortemReport) =>
    (await import('./markdown.js')).drawMarkdown(
      (await import('./premortem.js')).premortemDocument(report),
    ),
  json: async (report: PremortemReport) =>
    (await import('./premortem-json.js')).renderPremortemJson(report),
  junit: async (report: PremortemReport) =>
    (await import('./premortem-json.js')).renderPremortemJunit(report),
} as const satisfies Registry<PremortemReport>;
