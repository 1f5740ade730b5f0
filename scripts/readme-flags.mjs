// npm run readme: regenerates the README's flag tables (between <!-- flags:COMMAND --> and
// <!-- /flags -->) from the option tables in src/, so the README cannot drift from --help.
// test/readme-flags.test.ts fails when the README and the tables disagree.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { optionTables } = await import(join(root, 'dist/tsc/cli.js'));
const { withFlagTables } = await import(join(root, 'dist/tsc/render/flags.js'));
const file = join(root, 'README.md');
const before = readFileSync(file, 'utf8');
const after = withFlagTables(before, await optionTables(root));
if (after !== before) writeFileSync(file, after);
console.error(
  after === before ? 'README flag tables are up to date' : 'README flag tables regenerated',
);
