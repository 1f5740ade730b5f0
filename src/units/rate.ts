import { type UnitSpec, fail, ok } from './spec.js';

/** Requests per second of an open loop, above 0 and at most 100,000. */
export const RATE_SPEC: UnitSpec<number> = {
  what: 'requests per second, above 0 and at most 100000',
  example: '20',
  parse: (text) => {
    const t = text.trim();
    return /^\d{1,6}(\.\d{1,6})?$/.test(t) && Number(t) > 0 && Number(t) <= 100_000
      ? ok(Number(t))
      : fail('expected requests per second, above 0 and at most 100000');
  },
  format: (rate) => String(rate),
};

/** A share above 0 and at most 1, such as a breaker's failure share. */
export const FRACTION_SPEC: UnitSpec<number> = {
  what: 'a share above 0 and at most 1, such as 0.5',
  example: '0.5',
  parse: (text) => {
    const t = text.trim();
    return /^(0(\.\d{1,12})?|1(\.0{1,12})?)$/.test(t) && Number(t) > 0
      ? ok(Number(t))
      : fail('expected a share above 0 and at most 1, such as 0.5');
  },
  format: (share) => String(share),
};
