import type { Output, RunContext } from '../domain/context.js';
import type { Problem } from '../domain/errors.js';
import { printable } from '../render/format.js';
import { formatProblem } from '../render/problems.js';

/** The one channel for what a run tells the user on stderr besides its result. */
export interface Diagnostics {
  /**
   * A message from the tool (a problem, a failed gate, a summary of what was done): `ai-route:
   * ...`.
   */
  error(message: string): void;
  problem(problem: Problem): void;
  /** Something the user should know to read the result right: `ai-route: note: ...`. */
  note(message: string): void;
  /** Something left out or doubtful: `ai-route: warning: ...`. */
  warn(message: string): void;
  /** Progress that names its own source ("wrote x", "mock: ..."), as is. */
  info(line: string): void;
}

/** Diagnostics on the run's stderr, every line through the one formatter. */
export function diagnostics(ctx: Pick<RunContext, 'stderr'> | { stderr: Output }): Diagnostics {
  // names and messages from data files and endpoints reach stderr here: escape sequences in them
  // are shown, not run
  const line = (text: string) => ctx.stderr.write(`${printable(text)}\n`);
  return {
    error: (message) => line(formatProblem({ message })),
    problem: (problem) => line(formatProblem(problem)),
    note: (message) => line(formatProblem({ message: `note: ${message}` })),
    warn: (message) => line(formatProblem({ message: `warning: ${message}` })),
    info: line,
  };
}

/** CI is set, so nothing may wait for a person (CI=false or CI=0 count as unset). */
export function inCI(env: RunContext['env']): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && !/^(0|false)$/i.test(ci);
}
