// npm run bench: whole-process figures, each against a reference measured in the same run.
// Runs are interleaved (reference, then each command, round after round) so that a noisy
// neighbour slows all of them alike; medians and ratios are printed, nothing is asserted.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'ai-route.cjs');
const rounds = Number(process.env.BENCH_ROUNDS ?? 40);
const only = process.argv.slice(2);

// the real catalogs of test/fixtures/real (see its README), decompressed, and their imports
const work = mkdtempSync(join(tmpdir(), 'ai-route-bench-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const real = (fixture, name) => {
  const file = join(work, name);
  writeFileSync(file, gunzipSync(readFileSync(join(root, 'test/fixtures/real', fixture))));
  return file;
};
const litellmFile = real('litellm-2026-02-27.json.gz', 'model_prices_and_context_window.json');
const litellm2025 = real('litellm-2025-08-30.json.gz', 'litellm-2025.json');
const genaiFile = real('genai-prices-47df840a-v2-data.json.gz', 'genai-data.json');
const modelsDevFile = real('models-dev-f3fc6922-api.json.gz', 'api.json');
const imported = join(work, 'litellm.json');
const [importedOld, importedGenai] = [
  join(work, 'litellm-2025-imported.json'),
  join(work, 'genai.json'),
];
const allModels = [
  'cost',
  '--pricing',
  imported,
  '--all-models',
  '--volume',
  '5M',
  '--volume',
  '50M',
  '--volume',
  '500M',
  '--volume',
  '5B',
];
const importOf = (from, file, out) => [
  bin,
  'pricing',
  'import',
  '--from',
  from,
  file,
  '--out',
  out,
];

const suites = {
  startup: {
    title: 'Start-up, whole process (median of interleaved runs)',
    reference: { name: 'node -e 0', argv: ['-e', '0'] },
    cases: [
      { name: 'ai-route --help', argv: [bin, '--help'], goal: 1.3 },
      { name: 'ai-route cost --volume 500M', argv: [bin, 'cost', '--volume', '500M'], goal: 1.5 },
      { name: 'ai-route cost (default scenario)', argv: [bin, 'cost'] },
      {
        name: 'ai-route cost --volume 500M --format json',
        argv: [bin, 'cost', '--volume', '500M', '--format', 'json'],
      },
      {
        name: 'ai-route report --format pptx (1 s goal)',
        argv: [bin, 'report', '--format', 'pptx', '--out', join(work, 'deck.pptx')],
        limitMs: 1000,
      },
    ],
  },
  catalog: {
    title:
      'The real LiteLLM map of 2026-02-27 (2,610 entries), genai-prices and ' +
      'models.dev, whole process',
    setup() {
      timeOnce(importOf('litellm', litellmFile, imported));
      timeOnce([
        ...importOf('litellm', litellm2025, importedOld),
        '--effective-from',
        '2025-08-30',
      ]);
      timeOnce(importOf('genai-prices', genaiFile, importedGenai));
      const mb = (f) => (statSync(f).size / 1e6).toFixed(2);
      console.log(`\n  LiteLLM input ${mb(litellmFile)} MB; imported file ${mb(imported)} MB`);
    },
    reference: { name: 'node -e 0', argv: ['-e', '0'] },
    cases: [
      {
        name: 'pricing import --from litellm (1 s goal)',
        argv: importOf('litellm', litellmFile, join(work, 'again.json')),
        limitMs: 1000,
      },
      {
        name: 'pricing import --from genai-prices',
        argv: importOf('genai-prices', genaiFile, join(work, 'genai-again.json')),
        limitMs: 1000,
      },
      {
        name: 'pricing import --from models.dev (5,276)',
        argv: importOf('models.dev', modelsDevFile, join(work, 'dev.json')),
        limitMs: 1000,
      },
      { name: 'cost --all-models x 4 volumes, table', argv: [bin, ...allModels], limitMs: 300 },
      {
        name: 'cost --all-models x 4 volumes, json',
        argv: [bin, ...allModels, '--format', 'json'],
        limitMs: 300,
      },
      {
        name: 'pricing diff 2025-08-30 vs 2026-02-27',
        argv: [bin, 'pricing', 'diff', importedOld, imported],
        limitMs: 300,
      },
      {
        name: 'pricing check LiteLLM vs genai-prices',
        argv: [bin, 'pricing', 'check', imported, importedGenai],
      },
    ],
  },
};

// nesting refused as it is read: the whole process at three depths, and the scan alone
const deepFile = (depth, ext) => {
  const file = join(work, `deep-${depth}.${ext}`);
  const text =
    ext === 'json'
      ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
      : `a: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
  writeFileSync(file, text);
  return file;
};
suites.depth = {
  title: 'Nesting 1k, 10k and 100k deep, refused (exit 2), whole process',
  reference: { name: 'node -e 0', argv: ['-e', '0'] },
  cases: [1_000, 10_000, 100_000].flatMap((depth) =>
    ['json', 'yaml'].map((ext) => ({
      name: `cost --pricing (${depth.toLocaleString('en-US')} deep ${ext.toUpperCase()})`,
      argv: [bin, 'cost', '--pricing', deepFile(depth, ext)],
      exit: 2,
      limitMs: 1000,
    })),
  ),
  async after() {
    const { nestingPast } = await import('../dist/tsc/load/json-scan.js');
    console.log('  the scan alone (in process, median of 21), per level:');
    for (const depth of [1_000, 10_000, 100_000]) {
      const text = `${'['.repeat(depth)}${']'.repeat(depth)}`;
      const ms = [];
      for (let r = 0; r < 21; r++) {
        const start = performance.now();
        nestingPast(text, 'json', depth + 1);
        ms.push(performance.now() - start);
      }
      const m = median(ms);
      console.log(
        `    ${depth.toLocaleString('en-US').padStart(7)} levels ${m.toFixed(3).padStart(8)} ms` +
          `   ${((m * 1e6) / depth).toFixed(0)} ns a level`,
      );
    }
  },
};

function timeOnce(argv, exit = 0) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, argv, {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== exit)
    throw new Error(`${argv.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function runSuite(suite) {
  suite.setup?.();
  const all = [suite.reference, ...suite.cases];
  for (const c of all) timeOnce(c.argv, c.exit); // warm the file cache
  const samples = all.map(() => []);
  for (let r = 0; r < rounds; r++) all.forEach((c, i) => samples[i].push(timeOnce(c.argv, c.exit)));
  const ref = median(samples[0]);
  console.log(`\n${suite.title}, ${rounds} rounds`);
  console.log(
    `  ${suite.reference.name.padEnd(46)} ${ref.toFixed(1).padStart(7)} ms   1.00x (reference)`,
  );
  suite.cases.forEach((c, i) => {
    const m = median(samples[i + 1]);
    const ratio = m / ref;
    const goal =
      c.goal !== undefined
        ? `   goal <= ${c.goal}x: ${ratio <= c.goal ? 'met' : 'NOT met'}`
        : c.limitMs !== undefined
          ? `   goal < ${c.limitMs} ms: ${m < c.limitMs ? 'met' : 'NOT met'}`
          : '';
    console.log(
      `  ${c.name.padEnd(46)} ${m.toFixed(1).padStart(7)} ms   ${ratio.toFixed(2)}x${goal}`,
    );
  });
}

for (const [name, suite] of Object.entries(suites)) {
  if (only.length === 0 || only.includes(name)) {
    runSuite(suite);
    await suite.after?.();
  }
}

// the probe's figures, each against a reference measured in the same run (scripts/probe-bench.mjs)
const probe = await import('./probe-bench.mjs');
for (const name of ['accuracy', 'overhead', 'rate']) {
  if (only.length === 0 || only.includes(name)) await probe[name]();
}
if (only.length === 0 || only.includes('usage'))
  await (await import('./usage-bench.mjs')).usageBench();
if (only.length === 0 || only.includes('probe-ceiling'))
  await (await import('./probe-ceiling.mjs')).probeCeiling();

// Ctrl-C mid-work: from SIGINT to exit, for each case of scripts/sigint-cases.mjs (goal 2 s)
if (only.length === 0 || only.includes('sigint')) {
  const { interrupt, sigintCases, silentServer } = await import('./sigint-cases.mjs');
  const silent = await silentServer();
  const runs = Math.max(3, Math.min(rounds, 5));
  console.log(`\nCtrl-C mid-work: SIGINT to exit, whole process, median and worst of ${runs} runs`);
  for (const c of sigintCases({ silent: silent.url, dir: work })) {
    const ms = [];
    for (let r = 0; r < runs; r++) ms.push((await interrupt(bin, root, c)).ms);
    const worst = Math.max(...ms);
    console.log(
      `  ${c.name.padEnd(46)} ${median(ms).toFixed(0).padStart(7)} ms   worst ` +
        `${worst.toFixed(0)} ms   goal < 2000 ms: ${worst < 2000 ? 'met' : 'NOT met'}`,
    );
  }
  await silent.close();
}

// a bounded fuzz pass: runs, crashes, leaks and unbounded runs (scripts/hostile-fuzz.mjs)
if (only.length === 0 || only.includes('hostile'))
  await (await import('./hostile-fuzz.mjs')).hostile({ root, bin });
