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
  /**
   * The default when neither the flag nor a file says (commander never sets it): parsed from
   * defaultText.
   */
  fallback?: T;
  choices?: readonly string[];
  required?: boolean;
  /** A flag kept only to say what replaced it: left out of help and the docs. */
  hidden?: boolean;
  /** A file the command writes: checked before any work starts (see io/output.ts). */
  output?: boolean;
  /** A switch that is on by default also takes `--no-<name>`, which turns it off: its help. */
  negation?: string;
}

/** A command's options by the key commander stores each under (`--as-of` is `asOf`). */
export type OptionTable = Readonly<Record<string, OptionSpec<any>>>;

/**
 * A flag as a rule names it: its option key, and optionally the value that matters (a choice, or
 * an item a list must hold).
 */
export interface FlagRef {
  key: string;
  value?: string;
}

/**
 * A rule between flags, declared in the command's spec: checked before the command runs, shown in
 * its help and its docs page.
 * - `needs`: when `flag` is given, `other` must be too;
 * - `conflicts`: `flag` and `other` cannot both be given;
 * - `one_of`: at most one of `flags`.
 */
export type FlagRule = (
  | { kind: 'needs'; flag: FlagRef; other: FlagRef | readonly FlagRef[]; why?: string }
  | { kind: 'conflicts'; flag: FlagRef; other: FlagRef; why?: string }
  | { kind: 'one_of'; flags: readonly FlagRef[]; why: string }
) & {
  /** The words of the error and the help line, when the generated ones would read worse. */
  message?: string;
};

/** A command in one place: what it is for, how it is used, its flags and the rules between them. */
export interface CommandSpec {
  name: string;
  /** Positional arguments in commander syntax: '<file>', '[files...]'. */
  args?: readonly string[];
  summary: string;
  examples: readonly string[];
  /** The flags, or a loader when they come from data (decide's come from the matrix). */
  options: OptionTable | ((cwd: string) => Promise<OptionTable>);
  rules?: readonly FlagRule[];
  /**
   * It stops by itself on Ctrl-C, keeping what it has (the probe, the mock); any other command is
   * stopped where it stands.
   */
  keepsWorkOnInterrupt?: true;
}
