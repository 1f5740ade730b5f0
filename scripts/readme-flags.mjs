// npm run readme: regenerates the flag tables of the docs (between <!-- flags:COMMAND --> and
// <!-- /flags -->) from each command's spec in src/, so the docs cannot drift from --help, and
// the GitHub Action's inputs and outputs from action.yml (scripts/action/docs.mjs).
// test/readme-flags.test.ts fails when a page and the specs disagree.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { flagSections } = await import(join(root, 'dist/tsc/cli.js'));
const { withFlagTables } = await import(join(root, 'dist/tsc/render/flags.js'));
const { withActionTables } = await import(join(root, 'scripts/action/docs.mjs'));
const actionYaml = readFileSync(join(root, 'action.yml'), 'utf8');
const sections = await flagSections(root);
const pages = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
let changed = 0;
for (const page of pages) {
  const file = join(root, page);
  const before = readFileSync(file, 'utf8');
  const after = withActionTables(withFlagTables(before, sections), actionYaml);
  if (after !== before) {
    writeFileSync(file, after);
    changed++;
  }
}
console.error(
  changed === 0 ? 'flag tables are up to date' : `flag tables regenerated in ${changed} pages`,
);
