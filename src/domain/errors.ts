/** Exit codes of docs/guarantees.md, in one place. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  gate: 3,
  interrupted: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A place inside a data file: mapping keys and list indexes from the root. */
export type DataPath = ReadonlyArray<string | number>;

/** Where a problem is: a file (with line, column and dot path when known), or a flag. */
export interface Place {
  file?: string;
  line?: number;
  col?: number;
  path?: DataPath;
  flag?: string;
}

/** One thing the user can act on; its words are made once, by render/problems.ts. */
export interface Problem {
  place?: Place;
  message: string;
}

/**
 * An error the user can act on: its problems are printed without a stack, then it exits with its
 * code.
 */
export class AppError extends Error {
  constructor(
    readonly problems: Problem[],
    readonly exitCode: ExitCode,
  ) {
    super(problems.map((p) => p.message).join('\n'));
    this.name = 'AppError';
  }
}

/** Bad flag, bad value, unknown model, missing price: exit 2. */
export class UsageError extends AppError {
  constructor(...messages: string[]) {
    super(
      messages.map((message) => ({ message })),
      EXIT.usage,
    );
    this.name = 'UsageError';
  }
}

/** Every problem of one or more data files (or flags), each with its place. Exit 2. */
export class DataError extends AppError {
  constructor(problems: Problem[]) {
    super(problems, EXIT.usage);
    this.name = 'DataError';
  }
}

/** Ctrl-C at a prompt: exit 130, and nothing is written. */
export class Interrupted extends AppError {
  constructor() {
    super([{ message: 'interrupted; nothing written' }], EXIT.interrupted);
    this.name = 'Interrupted';
  }
}
