import { fileURLToPath } from 'node:url';
import { run } from '../../src/cli.js';
import type { RunContext } from '../../src/domain/context.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The day the shipped prices were recorded; golden outputs are rendered as of this day. */
export const FIXED_DAY = new Date('2026-11-24T12:00:00Z');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  stdoutIsTTY?: boolean;
  now?: Date;
  interrupted?: AbortSignal;
  /** stdin and stderr are terminals (the wizard may ask). */
  tty?: boolean;
  prompter?: RunContext['prompter'];
}

/** Runs the real CLI in-process: same parsing, loading and rendering as the binary. */
export async function runCli(argv: string[], options: CliOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const ctx: RunContext = {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? {},
    stdout: { write: (t) => void (stdout += t), isTTY: options.stdoutIsTTY ?? false },
    stderr: { write: (t) => void (stderr += t), isTTY: options.tty ?? false },
    stdinIsTTY: options.tty ?? false,
    ...(options.prompter === undefined ? {} : { prompter: options.prompter }),
    now: () => options.now ?? FIXED_DAY,
    interrupted: options.interrupted ?? new AbortController().signal,
  };
  const code = await run(argv, ctx);
  return { code, stdout, stderr };
}

// eslint-disable-next-line no-control-regex
export const ANSI = /\u001b\[[0-9;]*m/;
