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
  /** Where the wizard's questions go; tests inject answers here. Default: Inquirer on stderr. */
  prompter?: () => Promise<import('./io/prompter.js').Prompter>;
}

/** CI is set, so nothing may wait for a person (CI=false or CI=0 count as unset). */
export function inCI(env: RunContext['env']): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && !/^(0|false)$/i.test(ci);
}

/** The calendar day of `date` in UTC, as YYYY-MM-DD. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
