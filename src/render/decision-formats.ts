import type { DecisionView } from './decision.js';
import type { Registry } from './registry.js';

/** `decide --format`: each choice and its renderer, each loaded only when asked for. */
export const DECISION_RENDERERS = {
  // one screen unless --detail; 80 columns when the width is not known (a pipe, a file)
  table: async (view: DecisionView, ctx) =>
    (await import('./terminal.js')).drawTerminal(
      ctx.detail === true
        ? (await import('./decision.js')).decisionDocument(view)
        : (await import('./decision-summary.js')).decisionSummary(view),
      await ctx.chalk(),
      ctx.width ?? 80,
    ),
  markdown: async (view: DecisionView) =>
    (await import('./markdown.js')).drawMarkdown(
      (await import('./decision.js')).decisionDocument(view),
    ),
  json: async (view: DecisionView) => (await import('./decision-json.js')).renderDecisionJson(view),
  adr: async (view: DecisionView) => (await import('./decision-adr.js')).renderDecisionAdr(view),
} as const satisfies Registry<DecisionView>;
