/** Exit codes of design.md, in one place. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  gate: 3,
  interrupted: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the user can act on: printed as its lines, without a stack, with its exit code. */
export class AppError extends Error {
  constructor(
    readonly lines: string[],
    readonly exitCode: ExitCode,
  ) {
    super(lines.join('\n'));
    this.name = 'AppError';
  }
}

/** Bad flag, bad value, unknown model, missing price: exit 2. */
export class UsageError extends AppError {
  constructor(...lines: string[]) {
    super(lines, EXIT.usage);
    this.name = 'UsageError';
  }
}

/** Every problem of one or more data files, each as `file:line:col: path: expectation`. Exit 2. */
export class DataError extends AppError {
  constructor(lines: string[]) {
    super(lines, EXIT.usage);
    this.name = 'DataError';
  }
}

/** Ctrl-C at a prompt: exit 130, and nothing is written. */
export class Interrupted extends AppError {
  constructor() {
    super(['interrupted; nothing written'], EXIT.interrupted);
    this.name = 'Interrupted';
  }
}
