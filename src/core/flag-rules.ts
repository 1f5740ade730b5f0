import type { FlagRef, FlagRule, OptionSpec, OptionTable } from '../domain/options.js';

/**
 * Whether a flag counts as given: set to something other than its default (a switch on, a list
 * with items), and holding the value the rule names when it names one.
 */
export function given(
  ref: FlagRef,
  values: Readonly<Record<string, unknown>>,
  table: OptionTable,
): boolean {
  const value = values[ref.key];
  const spec: OptionSpec | undefined = table[ref.key];
  if (value === undefined || value === false) return false;
  if (Array.isArray(value)) {
    if (ref.value !== undefined) return value.includes(ref.value);
    return value.length > 0 && !sameList(value, spec?.default);
  }
  if (ref.value !== undefined) return value === ref.value;
  return spec?.default === undefined || value !== spec.default;
}

function sameList(a: readonly unknown[], b: unknown): boolean {
  return Array.isArray(b) && a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The first rule the flags break, in the order the spec declares them; undefined when none. */
export function brokenRule(
  rules: readonly FlagRule[],
  values: Readonly<Record<string, unknown>>,
  table: OptionTable,
): FlagRule | undefined {
  const has = (ref: FlagRef) => given(ref, values, table);
  return rules.find((rule) => {
    switch (rule.kind) {
      case 'needs': {
        const others = Array.isArray(rule.other) ? rule.other : [rule.other as FlagRef];
        return has(rule.flag) && !others.some(has);
      }
      case 'conflicts':
        return has(rule.flag) && has(rule.other);
      case 'one_of':
        return rule.flags.filter(has).length > 1;
    }
  });
}
