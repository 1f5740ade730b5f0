import { describe, expect, it } from 'vitest';
import { flagSections } from '../src/cli.js';
import { withFlagTables } from '../src/render/flags.js';
import { docPages } from './helpers/docs.js';
import { ROOT } from './helpers/run.js';

describe('the flag tables of the docs', () => {
  it('are the specs, as `npm run readme` writes them, one page per command', async () => {
    const sections = await flagSections(ROOT);
    const markers: string[] = [];
    for (const page of docPages()) {
      markers.push(...[...page.text.matchAll(/<!-- flags:([a-z ]+) -->/g)].map((m) => m[1]!));
      expect(withFlagTables(page.text, sections), `${page.path} is stale: npm run readme`).toBe(
        page.text,
      );
    }
    expect(markers.sort()).toEqual([...sections.keys()].sort());
  });

  it('would fail on a drifted table, and list the rules between flags', async () => {
    const sections = await flagSections(ROOT);
    const drifted =
      '<!-- flags:mock -->\n| flag | meaning | default |\n|---|---|---|\n| `--port n` ' +
      '| stale | |\n' +
      '<!-- /flags -->';
    expect(withFlagTables(drifted, sections)).not.toBe(drifted);
    expect(() => withFlagTables('<!-- flags:nope -->\nx\n<!-- /flags -->', sections)).toThrow(
      /no option table/,
    );
    const probe = withFlagTables('<!-- flags:probe -->\n<!-- /flags -->', sections);
    expect(probe).toContain('Rules between the flags:\n\n- `--mock-profile` needs `--mock`');
  });
});
