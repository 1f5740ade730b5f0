/** What parsing a value gives: the value, or why the text is not one. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * One kind of value as people write it, the same in flags and in files: `parse` reads text,
 * `format` writes the canonical text that `parse` reads back (so a replayed value is accepted
 * again), and `example` shows the form in help and errors.
 */
export interface UnitSpec<T> {
  /** What a value is, for messages: "a token count such as 500M". */
  what: string;
  example: string;
  parse(text: string): Parsed<T>;
  format(value: T): string;
}

export function ok<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

export function fail<T>(reason: string): Parsed<T> {
  return { ok: false, reason };
}

/** A spec from a reader that gives the value or undefined; a refusal says what was expected. */
export function specOf<T>(
  what: string,
  example: string,
  read: (text: string) => T | undefined,
  format: (value: T) => string,
): UnitSpec<T> {
  return {
    what,
    example,
    parse: (text) => {
      const value = read(text);
      return value === undefined ? fail(`expected ${what}`) : ok(value);
    },
    format,
  };
}

/** A whole number from min to max, written in plain digits. */
export function countSpec(min: number, max: number, noun = 'a whole number'): UnitSpec<number> {
  return {
    what: `${noun} from ${min} to ${max}`,
    example: String(min),
    parse: (text) => {
      const t = text.trim();
      return /^\d{1,16}$/.test(t) && Number(t) >= min && Number(t) <= max
        ? ok(Number(t))
        : fail(`expected ${noun} from ${min} to ${max}`);
    },
    format: (value) => String(value),
  };
}
