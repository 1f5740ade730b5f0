import { Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS, type CommandEntry } from '../src/cli.js';
import { decideOptions } from '../src/commands/decide-options.js';
import type { OptionTable } from '../src/commands/options.js';
import { loadMatrix } from '../src/load/matrix.js';
import { ROOT } from './helpers/run.js';

async function tables(): Promise<Array<[string, OptionTable]>> {
  const out: Array<[string, OptionTable]> = [];
  const walk = async (entry: CommandEntry, prefix: string) => {
    const name = `${prefix}${entry.name}`;
    const options =
      typeof entry.options === 'function'
        ? decideOptions((await loadMatrix(ROOT)).matrix)
        : entry.options;
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
