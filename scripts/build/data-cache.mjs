// Precompiled shipped data.
// Why: `ai-route cost` on the shipped files would otherwise load the `yaml` package (~28 ms of
//   start-up on Node 20) to read four small YAML files on every run.
// Bought: the default `cost` run never loads a YAML parser; start-up 1.42x -> ~1.25x of `node -e 0`
//   together with the bundle (README "Start-up"). Build with AI_ROUTE_BUILD_WITHOUT=data-cache to
// measure. How it stays right: at run time a cached parse is used only if the file's text is
// byte-identical   (src/load/data-file.ts); an edited file is always re-read. The build also
// validates the data. To remove: delete this step; src/load/data-file.ts falls back to parsing
// every file.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Parses and validates every shipped YAML file into dist/data-cache.json; exits 2 on bad data. */
export async function writeDataCache(root, dist) {
  const tsc = (rel) => import(join(dist, 'tsc', rel));
  const [
    { parseYaml },
    { IssueList, formatPath },
    { validatePricing },
    { validateScenario },
    { validateMatrix },
    { readAnswersDoc },
  ] = await Promise.all([
    tsc('load/yaml.js'),
    tsc('schema/issues.js'),
    tsc('schema/pricing.js'),
    tsc('schema/scenario.js'),
    tsc('schema/matrix.js'),
    tsc('schema/answers.js'),
  ]);
  // matrix/ holds the decision matrix and an example answers file, checked against that matrix
  const matrix = validateMatrix(
    parseYaml(readFileSync(join(root, 'matrix/decision-matrix.yaml'), 'utf8')).value,
    new IssueList(),
  );
  const validators = {
    pricing: validatePricing,
    scenarios: validateScenario,
    matrix: (doc, _file, issues) =>
      doc?.schema === 'ai-route/answers@1'
        ? readAnswersDoc(matrix, doc, issues)
        : validateMatrix(doc, issues),
  };
  const cache = {};
  const problems = [];
  for (const dir of Object.keys(validators)) {
    for (const name of readdirSync(join(root, dir))
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()) {
      const rel = `${dir}/${name}`;
      const text = readFileSync(join(root, rel), 'utf8');
      const parsed = parseYaml(text);
      for (const e of parsed.errors) problems.push(`${rel}:${e.line}:${e.col}: ${e.message}`);
      if (parsed.errors.length > 0) continue;
      const issues = new IssueList();
      validators[dir](parsed.value, rel, issues);
      for (const i of issues.items) problems.push(`${rel}: ${formatPath(i.path)}: ${i.message}`);
      cache[rel] = { text, value: parsed.value };
    }
  }
  if (problems.length > 0) {
    console.error(`shipped data is invalid:\n${problems.join('\n')}`);
    process.exit(2);
  }
  writeFileSync(join(dist, 'data-cache.json'), JSON.stringify(cache));
  return Object.keys(cache).length;
}
