/**
 * One command-line option: the single source of its flag, help text, parser, default and value
 * type.
 */
export interface OptionSpec<T = unknown> {
  flags: string;
  description: string;
  /** Parses one use of the flag; a repeatable option receives what earlier uses gave. */
  parse?: (value: string, previous: T) => T;
  default?: T;
  /**
   * The default as a person reads it, with its unit ("30s"), when the value itself does not say.
   */
  defaultText?: string;
  choices?: readonly string[];
  required?: boolean;
  /** A flag kept only to say what replaced it: left out of help and the README. */
  hidden?: boolean;
  /** A file the command writes: checked before any work starts (see io/output.ts). */
  output?: boolean;
}

/** A command's options by the key commander stores each under (`--as-of` is `asOf`). */
export type OptionTable = Readonly<Record<string, OptionSpec<any>>>;
