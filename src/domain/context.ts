/** Where a command writes; a real stream in production, a buffer in tests. */
export interface Output {
  write(text: string): void;
  isTTY: boolean;
  /** A terminal's width, when it says. */
  columns?: number | undefined;
}

export interface Choice {
  value: string;
  name: string;
  description?: string;
}

/** What a prompter answers when the person goes back a question (Esc, or the back choice). */
export const BACK = '\u0000back';

/**
 * The questions the wizard asks, behind an interface so tests can answer them. With `back`, the
 * question offers a way back to the one before, and answers BACK when it is taken.
 */
export interface Prompter {
  select(question: {
    name: string;
    message: string;
    choices: Choice[];
    default?: string;
    back?: boolean;
  }): Promise<string>;
  input(question: {
    name: string;
    message: string;
    default?: string;
    validate: (value: string) => true | string;
    back?: boolean;
  }): Promise<string>;
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
  prompter?: () => Promise<Prompter>;
}
