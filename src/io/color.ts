import type { ChalkInstance } from 'chalk';
import type { RunContext } from '../domain/context.js';
import type { RenderContext } from '../render/registry.js';

/**
 * chalk's colour level for stdout: FORCE_COLOR wins, then NO_COLOR, then whether stdout is a
 * terminal. chalk's own detection ignores NO_COLOR, so the decision is made here.
 */
export function colorLevel(ctx: Pick<RunContext, 'env' | 'stdout'>): 0 | 1 | 2 | 3 {
  const force = ctx.env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '' || force === 'true') return 1;
    if (force === 'false') return 0;
    const n = Number.parseInt(force, 10);
    return Number.isNaN(n) ? 1 : (Math.max(0, Math.min(3, n)) as 0 | 1 | 2 | 3);
  }
  if (ctx.env.NO_COLOR !== undefined && ctx.env.NO_COLOR !== '') return 0;
  if (!ctx.stdout.isTTY || ctx.env.TERM === 'dumb') return 0;
  if (ctx.env.COLORTERM === 'truecolor' || ctx.env.COLORTERM === '24bit') return 3;
  return /-256(color)?$/i.test(ctx.env.TERM ?? '') ? 2 : 1;
}

/**
 * A chalk for one output: coloured per `colorLevel` for stdout, never for a file. Loads chalk
 * lazily.
 */
export async function chalkFor(
  ctx: Pick<RunContext, 'env' | 'stdout'>,
  toFile: boolean,
): Promise<ChalkInstance> {
  const { Chalk } = await import('chalk');
  return new Chalk({ level: toFile ? 0 : colorLevel(ctx) });
}

/**
 * The width a table format fits: COLUMNS when set, else the terminal's own (80 when it does not
 * say); undefined for a file or a pipe, which get every line whole.
 */
export function terminalWidth(
  ctx: Pick<RunContext, 'env' | 'stdout'>,
  toFile: boolean,
): number | undefined {
  if (toFile) return undefined;
  const columns = Number.parseInt(ctx.env.COLUMNS ?? '', 10);
  if (Number.isInteger(columns) && columns >= 20) return columns;
  return ctx.stdout.isTTY ? (ctx.stdout.columns ?? 80) : undefined;
}

/** What a renderer needs of the run for one output: colour and width, both decided here. */
export function renderContext(
  ctx: Pick<RunContext, 'env' | 'stdout'>,
  toFile: boolean,
): RenderContext {
  return { chalk: () => chalkFor(ctx, toFile), width: terminalWidth(ctx, toFile) };
}
