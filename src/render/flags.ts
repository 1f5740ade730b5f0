import type { FlagRef, FlagRule, OptionSpec, OptionTable } from '../domain/options.js';
import { markdownTable } from './markdown.js';

/**
 * A default as a reader needs it, for --help and the docs alike: nothing for an empty list or an
 * unset switch.
 */
export function defaultShown(
  spec: Pick<OptionSpec<any>, 'default' | 'defaultText'>,
): string | undefined {
  if (spec.defaultText !== undefined) return spec.defaultText;
  const d = spec.default;
  if (d === undefined || (Array.isArray(d) && d.length === 0) || d === false) return undefined;
  if (d === true) return 'on';
  return String(d);
}

function defaultText(spec: OptionSpec<any>): string {
  const shown = defaultShown(spec);
  return shown === undefined ? '' : `\`${shown}\``;
}

/** The flag as typed, with its value and its choices: `--format table|markdown|csv|json`. */
function flagText(spec: OptionSpec<any>): string {
  const [name] = spec.flags.split(/[ ,]/);
  const value = spec.choices ? spec.choices.join('|') : (/<([^>]+)>/.exec(spec.flags)?.[1] ?? '');
  return `\`${name}${value === '' ? '' : ` ${value}`}\`` + (spec.required ? ' (required)' : '');
}

/** A markdown table of a command's flags, in help order: the docs' tables are made by this. */
export function flagsTable(table: OptionTable, skip: readonly string[] = ['debug']): string {
  const rows = Object.entries(table)
    .filter(([key, spec]) => !skip.includes(key) && spec.hidden !== true)
    .flatMap(([, spec]) => [
      [flagText(spec), spec.description, defaultText(spec)],
      ...(spec.negation === undefined
        ? []
        : [[`\`--no-${spec.flags.slice(2)}\``, spec.negation, '']]),
    ]);
  return markdownTable(['flag', 'meaning', 'default'], rows).join('\n');
}

const SECTION = /<!-- flags:([a-z ]+) -->\n[\s\S]*?<!-- \/flags -->/g;

/** What a command's docs section is made from: its flags and the rules between them. */
export interface FlagSection {
  table: OptionTable;
  rules: readonly FlagRule[];
}

/**
 * A page with every `<!-- flags:COMMAND -->` section regenerated from the command's spec: the flag
 * table, then its rules; an unknown command in a marker is an error, so a renamed command cannot
 * leave a stale table.
 */
export function withFlagTables(page: string, sections: ReadonlyMap<string, FlagSection>): string {
  return page.replace(SECTION, (_, command: string) => {
    const section = sections.get(command);
    if (section === undefined)
      throw new Error(`the docs name flags of "${command}", which has no option table`);
    const rules =
      section.rules.length === 0
        ? ''
        : `\n\nRules between the flags:\n\n${rulesList(section.rules, section.table)}`;
    return `<!-- flags:${command} -->\n${flagsTable(section.table)}${rules}\n<!-- /flags -->`;
  });
}

/** A flag as a rule names it: `--mock-profile`, `--arrivals poisson`. */
function refText(ref: FlagRef, table: OptionTable): string {
  const flag = table[ref.key]?.flags.split(/[ ,]/)[0] ?? `--${ref.key}`;
  return ref.value === undefined ? flag : `${flag} ${ref.value}`;
}

function listText(items: readonly string[], last: 'and' | 'or'): string {
  return items.length < 2
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1]}`;
}

/**
 * A rule between flags in words, the same in the error that breaks it and in help and docs:
 * "--mock-profile needs --mock", "--all-models prices every model; leave out --model".
 */
export function ruleText(rule: FlagRule, table: OptionTable): string {
  if (rule.message !== undefined) return rule.message;
  const why = (w: string | undefined, sep = ': ') => (w === undefined ? '' : `${sep}${w}`);
  switch (rule.kind) {
    case 'needs': {
      const others = (Array.isArray(rule.other) ? rule.other : [rule.other]) as FlagRef[];
      const needed = listText(
        others.map((o) => refText(o, table)),
        'or',
      );
      return `${refText(rule.flag, table)} needs ${needed}${why(rule.why)}`;
    }
    case 'conflicts':
      return rule.why === undefined
        ? `${refText(rule.flag, table)} and ${refText(rule.other, table)} do not go together`
        : `${refText(rule.flag, table)} ${rule.why}; leave out ${refText(rule.other, table)}`;
    case 'one_of':
      return `${listText(
        rule.flags.map((f) => refText(f, table)),
        'and',
      )} ${rule.why}: pass one`;
  }
}

/** The rules of a command as a markdown list for its docs page, each flag in code. */
function rulesList(rules: readonly FlagRule[], table: OptionTable): string {
  const code = (text: string) => text.replace(/(?<![\w`])--[a-z][a-z0-9-]*/g, (f) => `\`${f}\``);
  return rules.map((r) => `- ${code(ruleText(r, table))}`).join('\n');
}
