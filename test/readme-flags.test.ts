import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { optionTables } from '../src/cli.js';
import { withFlagTables } from '../src/render/flags.js';
import { ROOT } from './helpers/run.js';

describe('the README flag tables', () => {
  it('are the option tables, as `npm run readme` writes them', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const tables = await optionTables(ROOT);
    const markers = [...readme.matchAll(/<!-- flags:([a-z ]+) -->/g)].map((m) => m[1]);
    expect(markers.sort()).toEqual([...tables.keys()].sort());
    expect(withFlagTables(readme, tables), 'README.md is stale: run npm run readme').toBe(readme);
  });

  it('would fail on a drifted table', async () => {
    const tables = await optionTables(ROOT);
    const drifted =
      '<!-- flags:mock -->\n| flag | meaning | default |\n|---|---|---|\n| `--port ' +
      'n` | stale | |\n<!-- /flags -->';
    expect(withFlagTables(drifted, tables)).not.toBe(drifted);
    expect(() => withFlagTables('<!-- flags:nope -->\nx\n<!-- /flags -->', tables)).toThrow(
      /no option table/,
    );
  });
});
