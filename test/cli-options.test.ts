import { Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS, type CommandEntry, commandsByName, optionTables } from '../src/cli.js';
import { brokenRule } from '../src/core/flag-rules.js';
import type { FlagRef, FlagRule } from '../src/domain/options.js';
import { ruleText } from '../src/render/flags.js';
import { decideOptions } from '../src/commands/decide-spec.js';
import type { OptionTable } from '../src/commands/options.js';
import { loadMatrix } from '../src/load/matrix.js';
import { ROOT, runCli } from './helpers/run.js';

async function tables(): Promise<Array<[string, OptionTable]>> {
  const out: Array<[string, OptionTable]> = [];
  const walk = async (entry: CommandEntry, prefix: string) => {
    const name = `${prefix}${entry.spec.name}`;
    const options =
      typeof entry.spec.options === 'function'
        ? decideOptions((await loadMatrix(ROOT)).matrix)
        : entry.spec.options;
    out.push([name, options]);
    for (const sub of entry.subcommands ?? []) await walk(sub, `${name} `);
  };
  for (const entry of COMMANDS) await walk(entry, '');
  return out;
}

describe('option tables', () => {
  it(
    'key every option by the attribute commander stores it under, so the inferred ' +
      'types are the parsed ones',
    async () => {
      const mismatched: string[] = [];
      for (const [command, table] of await tables()) {
        for (const [key, spec] of Object.entries(table)) {
          const attribute = new Option(spec.flags, spec.description).attributeName();
          if (attribute !== key)
            mismatched.push(
              `${command} ${spec.flags}: key "${key}", commander stores "${attribute}"`,
            );
        }
      }
      expect(mismatched).toEqual([]);
    },
  );

  it('give every flag a description, and no two flags of a command the same name', async () => {
    for (const [command, table] of await tables()) {
      const flags = Object.values(table).map((s) => s.flags.split(/[ ,<[]/)[0]);
      expect(new Set(flags).size, command).toBe(flags.length);
      for (const spec of Object.values(table))
        expect(spec.description.length, `${command} ${spec.flags}`).toBeGreaterThan(10);
    }
  });
});

describe('rules between flags', () => {
  /** Values that break a rule: its flag given (with its value), what it needs left out. */
  function breaking(rule: FlagRule, table: OptionTable): Record<string, unknown> {
    const set = (ref: FlagRef, to: Record<string, unknown>) => {
      const spec = table[ref.key]!;
      const takesValue = /[<[]/.test(spec.flags);
      const value = ref.value ?? (takesValue ? 'x' : true);
      to[ref.key] = Array.isArray(spec.default) ? [value] : value;
    };
    const values: Record<string, unknown> = Object.fromEntries(
      Object.entries(table).map(([k, s]) => [k, s.default]),
    );
    if (rule.kind === 'one_of') rule.flags.slice(0, 2).forEach((f) => set(f, values));
    else set(rule.flag, values);
    if (rule.kind === 'conflicts') set(rule.other, values);
    if (rule.kind === 'needs')
      for (const o of Array.isArray(rule.other) ? rule.other : [rule.other as FlagRef])
        values[o.key] = Array.isArray(values[o.key])
          ? (values[o.key] as unknown[]).filter((v) => o.value !== undefined && v !== o.value)
          : undefined;
    return values;
  }

  it('name flags of their own command, break when broken, and are listed in --help', async () => {
    let checked = 0;
    for (const [name, entry] of commandsByName()) {
      const table = (await optionTables(ROOT)).get(name)!;
      for (const rule of entry.spec.rules ?? []) {
        const refs =
          rule.kind === 'one_of'
            ? rule.flags
            : [rule.flag, ...(Array.isArray(rule.other) ? rule.other : [rule.other])];
        for (const ref of refs) expect(table[ref.key], `${name}: ${ref.key}`).toBeDefined();
        expect(brokenRule([rule], breaking(rule, table), table), ruleText(rule, table)).toBe(rule);
        const defaults = Object.fromEntries(Object.entries(table).map(([k, s]) => [k, s.default]));
        expect(brokenRule([rule], defaults, table), `${name} defaults`).toBeUndefined();
        const help = (await runCli([...name.split(' '), '--help'])).stdout;
        expect(help, name).toContain(ruleText(rule, table));
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(15);
  });

  it('are refused before the command runs, in the words help uses (exit 2)', async () => {
    const r = await runCli(['probe', '--mock', '--duration', '2s']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('ai-route: --duration needs --rate: it shapes an open-loop run\n');
    const c = await runCli(['cost', '--all-models', '--model', 'gpt-4o']);
    expect(c.stderr).toBe('ai-route: --all-models prices every model; leave out --model\n');
  });
});

describe('defaults', () => {
  it('are written once, as text, and the value is that text parsed by the flag', async () => {
    let pairs = 0;
    for (const [command, table] of await tables()) {
      for (const spec of Object.values(table)) {
        const value = spec.default ?? spec.fallback;
        if (spec.parse === undefined || spec.defaultText === undefined || value === undefined)
          continue;
        if (Array.isArray(value)) continue; // a list default is described, not typed
        const typed = spec.defaultText.split(',')[0]!;
        expect(String(spec.parse(typed, undefined)), `${command} ${spec.flags}`).toBe(
          String(value),
        );
        pairs++;
      }
    }
    expect(pairs).toBeGreaterThanOrEqual(13);
  });
});
