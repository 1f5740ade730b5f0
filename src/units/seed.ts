import { type UnitSpec, fail, ok } from './spec.js';

/** The generators take 32 bits of seed (mulberry32), so every seed from 0 to 2^32-1 is distinct. */
export const MAX_SEED = 4_294_967_295;

/** A seed for repeatable random draws: the same range for probe, mock, decide and their files. */
export const SEED_SPEC: UnitSpec<number> = {
  what: `a whole number from 0 to ${MAX_SEED}`,
  example: '1',
  parse: (text) => {
    const t = text.trim();
    return /^\d{1,10}$/.test(t) && Number(t) <= MAX_SEED
      ? ok(Number(t))
      : fail(`expected a whole number from 0 to ${MAX_SEED}`);
  },
  format: (seed) => String(seed),
};

/** The seed every command draws with unless told otherwise, as typed. */
export const DEFAULT_SEED_TEXT = '1';
/** The same seed as a number, for the places a file may leave it out. */
export const DEFAULT_SEED = Number(DEFAULT_SEED_TEXT);

/** A seed read from a data file (a YAML or JSON number): the same range as the flag. */
export function isSeed(value: unknown): value is number {
  return (
    typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_SEED
  );
}
