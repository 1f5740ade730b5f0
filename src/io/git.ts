import { execFile } from 'node:child_process';
import { UsageError } from '../domain/errors.js';
import { MAX_DATA_BYTES } from '../load/data-file.js';

// A file as a git commit holds it, for `cost diff --base REF:path`: read with `git show`, bounded
// in size and time, every failure one line naming the REF:path and git's own reason.

const GIT_TIMEOUT_MS = 30_000;

function git(args: readonly string[], cwd: string, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      { cwd, maxBuffer: MAX_DATA_BYTES, timeout: GIT_TIMEOUT_MS, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err === null) return resolve(stdout);
        const code = (err as NodeJS.ErrnoException).code;
        const why =
          code === 'ENOENT'
            ? 'git is not installed'
            : code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER'
              ? `larger than ${MAX_DATA_BYTES / 1024 / 1024} MB`
              : (stderr.trim().split('\n')[0] ?? err.message);
        reject(new UsageError(`${what}: ${why}`));
      },
    );
  });
}

/** The text of `path` at `ref` (a path starting ./ is relative to `cwd`, else to the root). */
export function gitShow(ref: string, path: string, cwd: string, flag: string): Promise<string> {
  return git(['show', `${ref}:${path}`], cwd, `${flag} ${ref}:${path}`);
}

/** The files git holds at `ref` under `path` (a file or a folder), relative to `cwd`. */
export async function gitFiles(ref: string, path: string, cwd: string): Promise<string[]> {
  try {
    const out = await git(['ls-tree', '-r', '--name-only', ref, '--', path], cwd, ref);
    return out.split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

/** Whether `ref` names a commit here (a branch, tag or sha). */
export async function isCommit(ref: string, cwd: string): Promise<boolean> {
  try {
    await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], cwd, ref);
    return true;
  } catch {
    return false;
  }
}
