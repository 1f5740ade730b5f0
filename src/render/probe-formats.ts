import type { ProbeReport } from './probe.js';
import type { Registry } from './registry.js';

/** `probe --format`: each choice and its renderer, each loaded only when asked for. */
export const PROBE_RENDERERS = {
  table: async (report: ProbeReport, ctx) =>
    (await import('./terminal.js')).drawTerminal(
      (await import('./probe.js')).probeDocument(report),
      await ctx.chalk(),
      ctx.width,
    ),
  json: async (report: ProbeReport) => (await import('./probe-json.js')).renderProbeJson(report),
  junit: async (report: ProbeReport) => (await import('./probe-json.js')).renderProbeJunit(report),
  markdown: async (report: ProbeReport) =>
    (await import('./markdown.js')).drawMarkdown(
      (await import('./probe.js')).probeDocument(report),
    ),
} as const satisfies Registry<ProbeReport>;
