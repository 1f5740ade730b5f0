import { DECIMAL_DIGITS, ONE, type Big, parsePlainDecimal } from '../units/decimal.js';
import { isIsoDate } from '../units/date.js';
import { type DataPath, describeValue, type IssueList } from './issues.js';
import { closest } from './suggest.js';

/**
 * Typed reads of an untrusted document. Each read either returns a value or records an issue
 * at its path and returns undefined, so a validator can walk on and report everything at once.
 * A typed read of `undefined` stays silent: `required` has reported the missing key already.
 */
export class DocReader {
  constructor(readonly issues: IssueList) {}

  mapping(value: unknown, path: DataPath, what = 'a mapping'): Record<string, unknown> | undefined {
    if (value === undefined) return undefined;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
    this.issues.add(path, `expected ${what}, got ${describeValue(value)}`);
    return undefined;
  }

  list(value: unknown, path: DataPath, what = 'a list'): unknown[] | undefined {
    if (value === undefined) return undefined;
    if (Array.isArray(value)) return value;
    this.issues.add(path, `expected ${what}, got ${describeValue(value)}`);
    return undefined;
  }

  /**
   * Flags keys outside `allowed` (with the nearest allowed key), because a typo would drop data.
   */
  onlyKeys(map: Record<string, unknown>, allowed: readonly string[], path: DataPath): void {
    for (const key of Object.keys(map)) {
      if (allowed.includes(key)) continue;
      const near = closest(key, allowed, 1)[0];
      const hint =
        near === undefined ? `allowed: ${allowed.join(', ')}` : `did you mean "${near}"?`;
      this.issues.add([...path, key], `unknown key "${key}"; ${hint}`);
    }
  }

  required(map: Record<string, unknown>, key: string, path: DataPath, what: string): unknown {
    if (map[key] === undefined || map[key] === null) {
      this.issues.add([...path, key], `missing; expected ${what}`);
      return undefined;
    }
    return map[key];
  }

  text(value: unknown, path: DataPath, what = 'text'): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'string' && value.trim() !== '') return value;
    this.issues.add(path, `expected ${what}, got ${describeValue(value)}`);
    return undefined;
  }

  pattern(value: unknown, path: DataPath, regex: RegExp, what: string): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'string' && regex.test(value)) return value;
    this.issues.add(path, `expected ${what}, got ${describeValue(value)}`);
    return undefined;
  }

  /** A price or share: a quoted plain decimal, so YAML never turns it into a float first. */
  decimal(value: unknown, path: DataPath, example = '0.25'): Big | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'string') {
      const parsed = parsePlainDecimal(value.trim());
      if (parsed !== undefined) return parsed;
    }
    const long = typeof value === 'string' && /^\s*[0-9]+(\.[0-9]+)?\s*$/.test(value);
    const hint =
      typeof value === 'number'
        ? ` (quote it: "${value}")`
        : long
          ? ` of at most ${DECIMAL_DIGITS.whole} digits before the point and ` +
            `${DECIMAL_DIGITS.places} after`
          : '';
    this.issues.add(
      path,
      `expected a non-negative decimal string such as "${example}"${hint}, got ` +
        `${describeValue(value)}`,
    );
    return undefined;
  }

  share(value: unknown, path: DataPath): Big | undefined {
    const share = this.decimal(value, path, '0.8');
    if (share !== undefined && share.gt(ONE)) {
      this.issues.add(path, `expected a share between "0" and "1", got "${share.toFixed()}"`);
      return undefined;
    }
    return share;
  }

  integer(
    value: unknown,
    path: DataPath,
    min: number,
    max: number,
    what: string,
  ): number | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max)
      return value;
    this.issues.add(
      path,
      `expected ${what} (a whole number from ${min} to ${max}), got ${describeValue(value)}`,
    );
    return undefined;
  }

  isoDate(value: unknown, path: DataPath): string | undefined {
    if (value === undefined) return undefined;
    const date = typeof value === 'string' ? value : undefined;
    if (date !== undefined && isIsoDate(date)) return date;
    this.issues.add(path, `expected a date written YYYY-MM-DD, got ${describeValue(value)}`);
    return undefined;
  }

  textList(value: unknown, path: DataPath, what: string): string[] | undefined {
    if (value === undefined) return undefined;
    const items = this.list(value, path, `a list of ${what}`);
    if (items === undefined) return undefined;
    const out: string[] = [];
    items.forEach((item, i) => {
      const t = this.text(item, [...path, i], what);
      if (t !== undefined) out.push(t);
    });
    return out.length === items.length ? out : undefined;
  }
}
