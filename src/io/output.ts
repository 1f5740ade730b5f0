import { realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { RunContext } from '../domain/context.js';
import { UsageError } from '../domain/errors.js';
import { displayPath } from '../load/data-file.js';
import { diagnostics } from './diagnostics.js';

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * The one place results are written: stdout, or --out FILE atomically (temp file in the same
 * directory, then rename), refusing to replace any file this run read.
 */
export async function writeResult(text: string, out: string | undefined, inputs: readonly string[], ctx: RunContext): Promise<void> {
  if (out === undefined) {
    ctx.stdout.write(text);
    return;
  }
  const target = resolve(ctx.cwd, out);
  const real = realOrSelf(target);
  if (inputs.some((input) => realOrSelf(input) === real)) {
    throw new UsageError(`--out ${out}: that file is an input of this run; write the result somewhere else`);
  }
  const temp = join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${Date.now().toString(36)}`);
  try {
    writeFileSync(temp, text, { flag: 'wx' });
    renameSync(temp, target);
  } catch (err) {
    rmSync(temp, { force: true });
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new UsageError(`--out ${out}: cannot write ${displayPath(target, ctx.cwd)} (${code})`);
  }
  diagnostics(ctx).info(`wrote ${displayPath(target, ctx.cwd)}`);
}
