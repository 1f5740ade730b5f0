import type { RunContext } from '../domain/context.js';
import type { TargetSummary } from '../domain/probe-summary.js';
import { diagnostics } from '../io/diagnostics.js';
import { type ProbeReport, type RunFailure, failedGates, probeDocument } from '../render/probe.js';

/**
 * The gates a run fails by itself: a target none of whose measured requests succeeded, and a
 * warm-up that had to pass.
 */
export function runFailures(
  summaries: readonly TargetSummary[],
  warmupMustPass: boolean,
): RunFailure[] {
  const out: RunFailure[] = [];
  for (const s of summaries) {
    if (warmupMustPass && s.warmup.failed > 0)
      out.push({
        kind: 'warmup_failed',
        target: s.name,
        failed: s.warmup.failed,
        requests: s.warmup.requests,
        cause: s.warmup.first_failure,
      });
    else if (s.requests > 0 && s.ok === 0) {
      const classes = Object.values(s.errors).filter((n) => n > 0).length;
      out.push({
        kind: 'no_success',
        target: s.name,
        requests: s.requests,
        one_class: classes === 1,
        cause: s.first_failure,
      });
    }
  }
  return out;
}

/**
 * Says every failed gate on stderr, and where the run is a GitHub Actions job, in its summary and
 * as annotations.
 */
export async function reportGates(
  report: ProbeReport,
  ctx: RunContext,
  redact: (text: string) => string = (t) => t,
): Promise<void> {
  const say = diagnostics(ctx);
  const gates = failedGates(report);
  for (const g of gates) say.error(g.line);
  for (const s of report.summaries) {
    if (s.failed > 0 && s.ok > 0 && s.first_failure !== undefined)
      say.note(
        `${s.name}: ${s.failed} of ${s.requests} requests failed; first: ${s.first_failure.error}`,
      );
  }
  const { publishToGithub } = await import('../io/github.js');
  await publishToGithub(
    ctx,
    async () => redact((await import('../render/markdown.js')).drawMarkdown(probeDocument(report))),
    gates,
  );
}
