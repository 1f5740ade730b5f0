/** Where a command writes; a real stream in production, a buffer in tests. */
export interface Output {
  write(text: string): void;
  isTTY: boolean;
}

/**
 * Everything a command may take from the outside world, injected so that tests run the real
 * command in-process with a fixed clock, captured output and their own environment.
 */
export interface RunContext {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: Output;
  stderr: Output;
  stdinIsTTY: boolean;
  /** Wall-clock date, used only for the default --as-of day. */
  now: () => Date;
  /** Aborted on Ctrl-C: long-running commands stop, keep what they measured and return 130. */
  interrupted: AbortSignal;
}

/** The calendar day of `date` in UTC, as YYYY-MM-DD. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
