import { appendFileSync } from 'node:fs';
import type { RunContext } from '../domain/context.js';
import { printable } from '../render/format.js';
import { diagnostics } from './diagnostics.js';

/** Workflow-command escaping of a message (GitHub's toolkit: % CR LF). */
function escapeData(text: string): string {
  return printable(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Workflow-command escaping of a property such as title (the message's, plus : and ,). */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * In a GitHub Actions job: the markdown report appended to the job summary ($GITHUB_STEP_SUMMARY),
 * and each failed gate as an `::error` annotation on stderr (the runner reads workflow commands
 * from either stream; stdout stays the report). Elsewhere, nothing.
 */
export async function publishToGithub(
  ctx: RunContext,
  markdown: () => Promise<string>,
  gates: ReadonlyArray<{ title: string; line: string }>,
  command = 'probe',
): Promise<void> {
  const summary = ctx.env.GITHUB_STEP_SUMMARY;
  if (summary !== undefined && summary !== '') {
    try {
      appendFileSync(summary, `${await markdown()}\n`);
    } catch (err) {
      diagnostics(ctx).warn(
        `GITHUB_STEP_SUMMARY ${summary}: cannot append the report ` +
          `(${(err as NodeJS.ErrnoException).code ?? String(err)})`,
      );
    }
  }
  if (ctx.env.GITHUB_ACTIONS === 'true') {
    for (const g of gates)
      ctx.stderr.write(
        `::error title=${escapeProperty(`ai-route ${command}: ${g.title}`)}::` +
          `${escapeData(g.line)}\n`,
      );
  }
}
