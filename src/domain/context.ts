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

/** The questions the wizard asks, behind an interface so tests can answer them. */
export interface Prompter {
  select(question: {
    name: string;
    message: string;
    choices: Choice[];
    default?: string;
  }): Promise<string>;
  input(question: {
    name: string;
    message: string;
    default?: string;
    validate: (value: string) => true | string;
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
