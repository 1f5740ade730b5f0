// The action's inputs and outputs as the tables of docs/github-action.md, from action.yml itself
// (between <!-- action:tables --> and <!-- /action -->), so the page cannot drift from the
// action. npm run readme writes them; test/action.test.ts fails when they differ.
import { parse } from 'yaml';

const cell = (s) =>
  String(s ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ');

/** The two tables, as markdown. */
export function actionTables(actionYaml) {
  const action = parse(actionYaml);
  const fallback = (i) => (i.required ? 'required' : `\`${cell(i.default) || '""'}\``);
  const inputs = Object.entries(action.inputs).map(
    ([name, i]) => `| \`${name}\` | ${cell(i.description)} | ${fallback(i)} |`,
  );
  const outputs = Object.entries(action.outputs).map(
    ([name, o]) => `| \`${name}\` | ${cell(o.description)} |`,
  );
  return [
    '| input | meaning | default |',
    '|---|---|---|',
    ...inputs,
    '',
    '| output | meaning |',
    '|---|---|',
    ...outputs,
  ].join('\n');
}

/** The page with its tables replaced by those of the action. */
export function withActionTables(page, actionYaml) {
  return page.replace(
    /(<!-- action:tables -->\n)[\s\S]*?(<!-- \/action -->)/,
    (_, open, close) => `${open}${actionTables(actionYaml)}\n${close}`,
  );
}
