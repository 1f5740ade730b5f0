import {
  type Stats,
  accessSync,
  chmodSync,
  closeSync,
  existsSync,
  fstatSync,
  constants,
  lstatSync,
  mkdirSync,
  openSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
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

/** The longest file name most file systems take, in bytes. */
const MAX_NAME_BYTES = 255;

/** Why a write failed, in words after the errno. */
const WRITE_ERRNO: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'the name is too long',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'is a folder',
  ENXIO: 'a FIFO with no reader',
  EEXIST: 'exists',
};

const why = (err: unknown): string => {
  const code = (err as NodeJS.ErrnoException).code ?? 'error';
  return WRITE_ERRNO[code] === undefined ? code : `${code}: ${WRITE_ERRNO[code]}`;
};

/**
 * What a path is now: a regular file, something written through (a device or a FIFO), nothing yet,
 * or something not to write to.
 */
type Kind =
  | { kind: 'file'; real: string }
  | { kind: 'through'; real: string; fd?: number }
  | { kind: 'new'; real: string }
  | { kind: 'refused'; reason: string };

function kindOf(target: string): Kind {
  let link: boolean;
  try {
    link = lstatSync(target).isSymbolicLink();
  } catch {
    return { kind: 'new', real: target };
  }
  let st: Stats;
  try {
    // followed by the kernel: /proc/self/fd/1 (the /dev/stdout idiom) leads to "pipe:[…]", which
    // no path names, yet the link opens
    st = statSync(target);
  } catch {
    // a symlink to nothing: following it would create a file where the link points, out of sight
    return { kind: 'refused', reason: 'is a symlink to a file that does not exist' };
  }
  if (st.isFIFO() || st.isCharacterDevice()) return { kind: 'through', real: target };
  // our own stdout or stderr as a socket (a parent's pipe often is one): no path opens a socket,
  // so the result goes through the descriptor itself
  const own = [1, 2].find((fd) => sameFile(st, fd));
  if (st.isSocket() && own !== undefined) return { kind: 'through', real: target, fd: own };
  if (st.isFile()) return { kind: 'file', real: realOrSelf(target) };
  if (st.isDirectory()) return { kind: 'refused', reason: 'is a folder' };
  return {
    kind: 'refused',
    reason:
      `is ${link ? 'a symlink to ' : ''}a ` +
      `${st.isSocket() ? 'socket' : st.isBlockDevice() ? 'block device' : 'special file'}, ` +
      `not a file to replace`,
  };
}

/**
 * The nearest folder that exists above a path that does not: where the missing folders will be
 * made.
 */
function existingAncestor(path: string): string {
  let dir = dirname(path);
  for (;;) {
    try {
      statSync(dir);
      return dir;
    } catch {
      const up = dirname(dir);
      if (up === dir) return dir;
      dir = up;
    }
  }
}

/**
 * Checks an output path before any work starts, so that a run never measures for minutes and
 * then cannot write: the name fits, an existing target is a writable file or a device or FIFO
 * (written through, never replaced), a symlink leads somewhere real (and is followed), and the
 * nearest existing folder takes new files. Every refusal is a usage error naming its flag.
 */
export function checkOutputPath(path: string, flag: string, cwd: string): void {
  const target = resolve(cwd, path);
  const fail = (reason: string) => new UsageError(`${flag} ${path}: ${reason}`);
  if (path.trim() === '') throw fail('an empty file name');
  if (/[/\\]$/.test(path) && !existsSync(target))
    throw fail(
      `names a folder (it ends with ${path.at(-1)}); name a file in it, such as ${path}report`,
    );
  if (Buffer.byteLength(basename(target)) > MAX_NAME_BYTES)
    throw fail(`the file name is longer than ${MAX_NAME_BYTES} bytes`);
  const k = kindOf(target);
  if (k.kind === 'refused') throw fail(k.reason);
  if (k.kind === 'file' || k.kind === 'through') {
    try {
      accessSync(k.real, constants.W_OK);
    } catch (err) {
      throw fail(`cannot be written (${why(err)})`);
    }
    return;
  }
  const ancestor = existingAncestor(target);
  if (!statSync(ancestor).isDirectory())
    throw fail(`${displayPath(ancestor, cwd)} is not a folder`);
  try {
    accessSync(ancestor, constants.W_OK);
  } catch (err) {
    throw fail(`cannot create files in ${displayPath(ancestor, cwd)} (${why(err)})`);
  }
}

/**
 * Makes the missing folders of a path one by one from the nearest existing one (a recursive mkdir
 * spins forever on /proc).
 */
function makeFolders(dir: string): void {
  const missing: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    try {
      statSync(d);
      break;
    } catch {
      missing.unshift(d);
      if (dirname(d) === d) break;
    }
  }
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

/**
 * Writes through a device or FIFO (never replacing it); a FIFO without a reader is refused rather
 * than waited on.
 */
async function writeThrough(
  k: { real: string; fd?: number },
  text: string | Uint8Array,
  interrupted: AbortSignal,
): Promise<void> {
  const fd =
    k.fd ??
    openSync(k.real, constants.O_WRONLY | (statSync(k.real).isFIFO() ? constants.O_NONBLOCK : 0));
  try {
    const bytes = Buffer.from(text);
    for (let off = 0; off < bytes.length;) {
      try {
        off += writeSync(fd, bytes, off);
      } catch (err) {
        // a FIFO whose reader is slower than us: wait for room, unless the run is being stopped
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN' || interrupted.aborted) throw err;
        await new Promise((done) => setTimeout(done, 5));
      }
    }
  } finally {
    if (k.fd === undefined) closeSync(fd);
  }
}

/** Whether a file is the one behind an open descriptor of this process. */
function sameFile(st: Stats, fd: number): boolean {
  try {
    const other = fstatSync(fd);
    return other.dev === st.dev && other.ino === st.ino;
  } catch {
    return false;
  }
}

/**
 * The one place results are written: stdout, or a file. A regular file (or a symlink's target)
 * is replaced atomically (temp file in the same folder, then rename); a device or FIFO is written
 * through; missing folders are made; a file this run read is never replaced. Errors name `flag`.
 */
export async function writeResult(
  text: string | Uint8Array,
  out: string | undefined,
  inputs: readonly string[],
  ctx: RunContext,
  flag = '--out',
): Promise<void> {
  if (out === undefined) {
    if (typeof text !== 'string')
      throw new UsageError(`${flag}: this output is binary; name a file`);
    ctx.stdout.write(text);
    return;
  }
  checkOutputPath(out, flag, ctx.cwd);
  const target = resolve(ctx.cwd, out);
  const k = kindOf(target);
  const real = k.kind === 'refused' ? target : k.real;
  if (inputs.some((input) => realOrSelf(input) === realOrSelf(real))) {
    throw new UsageError(
      `${flag} ${out}: that file is an input of this run; write the result somewhere else`,
    );
  }
  const shown = displayPath(target, ctx.cwd);
  if (k.kind === 'through') {
    try {
      await writeThrough(k, text, ctx.interrupted);
    } catch (err) {
      throw new UsageError(`${flag} ${out}: cannot write ${shown} (${why(err)})`);
    }
    diagnostics(ctx).info(`wrote ${shown}`);
    return;
  }
  // short whatever the target's name (a 240-byte name must not make a longer temp name)
  const temp = join(
    dirname(real),
    `.ai-route-${process.pid}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}.tmp`,
  );
  try {
    makeFolders(dirname(real));
    writeFileSync(temp, text, { flag: 'wx' });
    // the replaced file keeps its permissions (a 0444 file stays 0444)
    if (k.kind === 'file') chmodSync(temp, statSync(real).mode & 0o7777);
    renameSync(temp, real);
  } catch (err) {
    rmSync(temp, { force: true });
    throw new UsageError(`${flag} ${out}: cannot write ${shown} (${why(err)})`);
  }
  diagnostics(ctx).info(`wrote ${shown}`);
}
