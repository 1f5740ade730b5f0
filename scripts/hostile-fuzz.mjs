// npm run bench -- hostile: a bounded fuzz pass over the built CLI, so each round of hardening
// starts from zero. Four kinds of case (scripts/hostile-cases.mjs): flags drawn from each
// command's --help, data files mutated, saved probes edited for `probe merge`, hostile names
// rendered to every format a reader opens. Every run is a child process with a deadline, its
// traffic goes to an echo server on 127.0.0.1 that sends every credential back in every place it
// can, and it is judged on what a user would see:
//   crash      exit 1, a signal, an exit code outside 0/2/3/130, or a stack trace on stderr
//   leak       a credential (key, header token, URL password or query token) in any output
//   unbounded  still running at its deadline (killed)
//   unclear    exit 2 on a bad file without naming it; an input file changed
//   broken     an output its reader cannot open (pptx XML, markdown HTML, CSV formulas, JSON)
// Seeded (HOSTILE_SEED), bounded (HOSTILE_RUNS cases, HOSTILE_SECONDS of wall time); a finding
// keeps its files and prints its command line, secrets shown by name.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { XMLValidator } from 'fast-xml-parser';
import JSZip from 'jszip';
import * as cases from './hostile-cases.mjs';

const SECRETS = {
  KEY: `sk-fuzz-key-${randomBytes(8).toString('hex')}`,
  BEARER: `fuzz-bearer-${randomBytes(8).toString('hex')}`,
  PASSWORD: `fuzz-pass-${randomBytes(8).toString('hex')}`,
  TOKEN: `fuzz-token-${randomBytes(8).toString('hex')}`,
};
const RUN_DEADLINE_MS = 30_000;
const OUTPUT_CAP = 4 * 1024 * 1024;

/**
 * An OpenAI-compatible endpoint on 127.0.0.1 that echoes the request's URL and headers in its
 * body, its headers and its error messages, and serves catalogs and redirects for pricing import.
 */
async function echoServer(litellmText) {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    req.resume();
    const echo = `${req.url} ${JSON.stringify(req.headers)}`.slice(0, 4000);
    const headers = { 'x-request-id': echo.replace(/[^\x20-\x7e]/g, '?').slice(0, 2000) };
    if (req.url.startsWith('/redirect'))
      return res.writeHead(302, { ...headers, location: `${base()}/catalog.json?r=1` }).end();
    if (req.url.includes('catalog')) {
      res.writeHead(200, { ...headers, 'content-type': 'application/json' });
      return res.end(litellmText);
    }
    if (req.url.includes('fail')) {
      res.writeHead(401, { ...headers, 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: { message: `bad key: ${echo}` } }));
    }
    const chunk = (body) => `data: ${JSON.stringify(body)}\n\n`;
    res.writeHead(200, { ...headers, 'content-type': 'text/event-stream' });
    res.end(
      chunk({ choices: [{ index: 0, delta: { content: echo }, finish_reason: null }] }) +
        chunk({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }) +
        chunk({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 1 } }) +
        'data: [DONE]\n\n',
    );
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const base = () => `http://127.0.0.1:${server.address().port}`;
  return {
    base: base(),
    requests: () => requests,
    close: () => {
      server.closeAllConnections();
      return new Promise((done) => server.close(done));
    },
  };
}

/** One run of the CLI: exit code or signal, output (capped), and whether the deadline killed it. */
function runOnce(bin, argv, cwd, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...argv], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = { stdout: '', stderr: '' };
    for (const name of ['stdout', 'stderr'])
      child[name].on('data', (d) => {
        if (out[name].length < OUTPUT_CAP) out[name] += d.toString('latin1');
      });
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, RUN_DEADLINE_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ code: null, signal: null, killed, ...out, spawnError: String(err) });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, killed, ...out });
    });
  });
}

/** Every text a run left in its folder: files as read, the parts of a zip unpacked. */
async function textsIn(dir) {
  const texts = [];
  for (const name of readdirSync(dir, { recursive: true })) {
    const file = join(dir, String(name));
    if (!statSync(file).isFile()) continue;
    const bytes = readFileSync(file);
    if (bytes.subarray(0, 2).toString() !== 'PK') texts.push(bytes.toString('latin1'));
    else
      try {
        const zip = await JSZip.loadAsync(bytes);
        for (const part of Object.values(zip.files))
          if (!part.dir) texts.push(await part.async('string'));
      } catch {
        texts.push(bytes.toString('latin1'));
      }
  }
  return texts;
}

// eslint-disable-next-line no-control-regex -- the characters XML 1.0 forbids
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;
const RAW_HTML = /<(script|img|iframe|svg|b)\b/i;

/** Why an output cannot be opened by its reader, or undefined when it can. */
async function brokenOutput(format, file) {
  if (!existsSync(file)) return undefined;
  const bytes = readFileSync(file);
  if (format === 'pptx') {
    const zip = await JSZip.loadAsync(bytes);
    for (const [name, part] of Object.entries(zip.files)) {
      if (!/\.(xml|rels)$/.test(name)) continue;
      const xml = await part.async('string');
      if (XMLValidator.validate(xml) !== true || NOT_XML.test(xml)) return `${name}: invalid XML`;
    }
    return undefined;
  }
  const text = bytes.toString('utf8');
  if (format === 'json') {
    try {
      JSON.parse(text);
    } catch {
      return 'not JSON';
    }
    return undefined;
  }
  if (format === 'markdown') {
    const outside = text.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
    return RAW_HTML.test(outside) ? 'raw HTML in markdown' : undefined;
  }
  if (format === 'html') return /<script\b/i.test(text) ? 'a script in the HTML' : undefined;
  const formula = text
    .split(/\r\n/)
    .flatMap((line) => line.split(','))
    .find((cell) => /^"?[\s\u3000]*[=+@\uff1d\uff0b\uff20]/.test(cell) && !/^"?'/.test(cell));
  return formula === undefined
    ? undefined
    : `a CSV cell read as a formula: ${formula.slice(0, 40)}`;
}

/** The findings of one run, as the user would see them. */
async function judge(c, r, runDir, inputsBefore) {
  const found = [];
  // --debug prints the stack on purpose
  const stack = !c.argv.includes('--debug') && /^\s+at .+:\d+:\d+\)?$/m.test(r.stderr);
  if (r.killed) found.push(['unbounded', `still running after ${RUN_DEADLINE_MS / 1000} s`]);
  else if (r.spawnError !== undefined) found.push(['crash', r.spawnError]);
  else if (r.signal !== null || ![0, 2, 3, 130].includes(r.code) || stack)
    found.push(['crash', `exit ${r.code ?? r.signal}: ${firstLine(r.stderr)}`]);
  const texts = [r.stdout, r.stderr, ...(await textsIn(runDir))];
  for (const [name, secret] of Object.entries(SECRETS))
    if (texts.some((t) => t.includes(secret))) found.push(['leak', `${name} in the output`]);
  if (c.names !== undefined && r.code === 2 && !r.stderr.includes(c.names))
    found.push(['unclear', `exit 2 without naming ${c.names}: ${firstLine(r.stderr)}`]);
  for (const [file, before] of inputsBefore)
    if (!readFileSync(file).equals(before)) found.push(['unclear', `${file} was changed`]);
  if (c.valid !== undefined && r.code === 0) {
    const why = await brokenOutput(c.valid, c.out).catch((err) => `unreadable: ${err.message}`);
    if (why !== undefined) found.push(['broken', why]);
  }
  return found;
}

const firstLine = (text) => text.trim().split('\n')[0]?.slice(0, 160) ?? '';
const shown = (argv) =>
  argv
    .map((a) => {
      let s = a.length > 80 ? `${a.slice(0, 40)}…(${a.length} chars)` : a;
      for (const [name, secret] of Object.entries(SECRETS)) s = s.split(secret).join(`$${name}`);
      return /^[\w./:=,@+-]+$/.test(s) ? s : JSON.stringify(s);
    })
    .join(' ');

/** The files every kind of case starts from, made by the CLI itself or taken from real data. */
function fixtures(root, bin, dir) {
  const make = (argv) => {
    const r = spawnSync(process.execPath, [bin, ...argv], { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
  };
  const copy = (from, name) => {
    const file = join(dir, name);
    writeFileSync(file, readFileSync(join(root, from)));
    return file;
  };
  // the first 40 entries of the real LiteLLM map (test/fixtures/real/README.md says where from)
  const map = JSON.parse(
    gunzipSync(readFileSync(join(root, 'test/fixtures/real/litellm-2026-02-27.json.gz'))),
  );
  const litellm = join(dir, 'litellm.json');
  writeFileSync(
    litellm,
    JSON.stringify(Object.fromEntries(Object.entries(map).slice(0, 40)), null, 1),
  );
  // a mock that answers at once: the saved runs take a second, not the default profile's 20
  const profile = join(dir, 'profile.yaml');
  writeFileSync(
    profile,
    'schema: ai-route/mock-profile@1\ndefaults:\n  ttft: {dist: constant, ms: 1}\n' +
      '  per_token: {dist: constant, ms: 0}\n  output_tokens: 3\n',
  );
  const mock = ['--mock', '--mock-profile', profile, '--requests', '20'];
  const json = (out) => ['--format', 'json', '--out', out];
  make(['probe', ...mock, '--seed', '1', ...json('a.json')]);
  make(['probe', ...mock, '--seed', '2', ...json('b.json')]);
  make(['decide', '--preset', 'startup', ...json('decision.json')]);
  make(
    ['premortem', ...mock, '--checks', 'p99,sla', '--scenario', 'hybrid', '--yes'].concat(
      json('premortem.json'),
    ),
  );
  const f = (name) => join(dir, name);
  return {
    litellm,
    litellmText: readFileSync(litellm, 'utf8'),
    pricing: copy('pricing/openai.yaml', 'openai.yaml'),
    globalApi: copy('pricing/global-api.yaml', 'global-api.yaml'),
    scenario: copy('scenarios/hybrid.yaml', 'hybrid.yaml'),
    probeA: f('a.json'),
    probeB: f('b.json'),
    decision: f('decision.json'),
    premortem: f('premortem.json'),
    profile,
  };
}

/** What the flag cases may use: URLs and headers carrying every secret, files, outputs. */
function flagContext(fx, echo) {
  const port = new URL(echo.base).port;
  const withSecrets = `http://fuzz:${SECRETS.PASSWORD}@127.0.0.1:${port}`;
  const basic = Buffer.from(`fuzz:${SECRETS.BEARER}`).toString('base64');
  return {
    echo: `${echo.base}/v1`,
    urls: [
      `${echo.base}/v1`,
      `${withSecrets}/v1?token=${SECRETS.TOKEN}`,
      `${echo.base}/fail/v1?api_key=${SECRETS.TOKEN}`,
      'http://127.0.0.1:1/v1',
      ...['ftp://127.0.0.1/x', 'not a url', 'http://[::1', ''],
    ],
    headers: [
      `Authorization: Bearer ${SECRETS.BEARER}`,
      `Authorization: Basic ${basic}`,
      `X-Api-Key: ${SECRETS.BEARER}`,
      ...['bad header', 'X: \u007f', `X: ${'a'.repeat(70_000)}`, 'X-Fuzz: \u00e9\u20ac'],
    ],
    files: [
      fx.pricing,
      fx.scenario,
      fx.decision,
      fx.probeA,
      fx.litellm,
      fx.profile,
      fx.premortem,
    ].concat(['/dev/null', 'missing.yaml', '.']),
    outs: [
      'out/result.json',
      'out/',
      'result.md',
      '/dev/stdout',
      '/proc/self/fd/1',
      'x'.repeat(250),
    ].concat(['new/deep/a.pptx']),
    litellm: fx.litellm,
    importUrl: `${withSecrets}/catalog.json?token=${SECRETS.TOKEN}`,
    redirectUrl: `${echo.base}/redirect?token=${SECRETS.TOKEN}`,
    probeA: fx.probeA,
    probeB: fx.probeB,
  };
}

/** The data files mutated, and the commands that read each. */
function dataBases(fx) {
  const md = ['--format', 'markdown', '--out', 'r.md'];
  // a profile may make the mock slow on purpose: the probe's own deadlines must end the run
  const deadlines = ['--ttft-timeout', '2s', '--idle-timeout', '2s', '--timeout', '5s'];
  return [
    {
      file: fx.pricing,
      argv: [
        (f) => ['cost', '--pricing', f, '--model', 'gpt-4o', '--volume', '5M'],
        (f) => ['pricing', 'list', '--pricing', f],
        (f) => ['pricing', 'validate', f],
      ],
    },
    {
      file: fx.globalApi,
      argv: [(f) => ['cost', '--pricing', f], (f) => ['pricing', 'validate', f]],
    },
    {
      file: fx.scenario,
      argv: [(f) => ['cost', '--scenario', f], (f) => ['report', '--scenario', f, ...md]],
    },
    {
      file: fx.litellm,
      argv: [(f) => ['pricing', 'import', '--from', 'litellm', f, '--out', 'p.json']],
    },
    { file: fx.decision, argv: [(f) => ['report', '--decision', f, ...md]] },
    {
      file: fx.probeA,
      argv: [(f) => ['report', '--probe', f, ...md], (f) => ['probe', 'merge', f, fx.probeB]],
    },
    { file: fx.premortem, argv: [(f) => ['report', '--premortem', f, ...md]] },
    {
      file: fx.profile,
      argv: [(f) => ['probe', '--mock', '--mock-profile', f, '--requests', '3', ...deadlines]],
    },
  ];
}

/** The help of every command that runs and stops by itself (the mock serves until stopped). */
async function commandHelp(root, bin) {
  const { commandsByName } = await import(join(root, 'dist/tsc/cli.js'));
  const out = new Map();
  for (const name of commandsByName().keys()) {
    if (name === 'mock') continue;
    const help = spawnSync(process.execPath, [bin, ...name.split(' '), '--help'], {
      encoding: 'utf8',
    });
    out.set(name, cases.flagsOf(help.stdout));
  }
  return out;
}

/** All the pass's cases, in four kinds, split from one budget of runs. */
async function allCases(root, bin, dir, fx, echo, runs, seed) {
  const share = (f) => Math.max(1, Math.round(runs * f));
  const scenarioText = readFileSync(fx.scenario, 'utf8');
  return [
    ...cases
      .flagCases(await commandHelp(root, bin), flagContext(fx, echo), share(0.4), seed)
      .map((c) => ({ ...c, inputs: [fx.pricing, fx.scenario, fx.probeA, fx.litellm] })),
    ...cases.dataFileCases(dataBases(fx), dir, share(0.3), seed),
    ...cases.histogramCases([fx.probeA, fx.probeB], dir, share(0.2), seed),
    ...cases.nameCases(scenarioText, dir, share(0.1), seed),
  ];
}

const KINDS = ['flags', 'data files', 'histograms', 'names'];
const FINDINGS = ['crash', 'leak', 'unbounded', 'unclear', 'broken'];

/** Runs the cases, a few at once, until done or out of time; tallies by kind. */
async function runAll(bin, work, all, env, deadline, jobs) {
  const tally = new Map(KINDS.map((k) => [k, { runs: 0, exits: {}, found: {} }]));
  const findings = [];
  let next = 0;
  const worker = async () => {
    while (next < all.length && Date.now() < deadline) {
      const i = next++;
      const c = all[i];
      const runDir = join(work, 'runs', String(i));
      mkdirSync(runDir, { recursive: true });
      const before = (c.inputs ?? []).map((f) => [f, readFileSync(f)]);
      const r = await runOnce(bin, c.argv, runDir, env);
      const found = await judge(c, r, runDir, before);
      const t = tally.get(c.kind);
      t.runs++;
      t.exits[r.code] = (t.exits[r.code] ?? 0) + 1;
      for (const [what] of found) t.found[what] = (t.found[what] ?? 0) + 1;
      if (found.length === 0) rmSync(runDir, { recursive: true, force: true });
      else findings.push({ i, c, found });
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  return { tally, findings, skipped: all.length - next };
}

function printTally(tally) {
  const head = ['kind', 'runs', 'exit 0', 'exit 2', 'exit 3', ...FINDINGS];
  const rows = KINDS.map((k) => {
    const t = tally.get(k);
    return [
      k,
      t.runs,
      t.exits[0] ?? 0,
      t.exits[2] ?? 0,
      t.exits[3] ?? 0,
      ...FINDINGS.map((f) => t.found[f] ?? 0),
    ];
  });
  const sum = (col) => rows.reduce((n, r) => n + r[col], 0);
  rows.push(['total', ...head.slice(1).map((_, i) => sum(i + 1))]);
  for (const r of [head, ...rows])
    console.log(
      `  ${String(r[0]).padEnd(11)}${r
        .slice(1)
        .map((v) => String(v).padStart(10))
        .join('')}`,
    );
}

/**
 * The pass: runs the cases and returns what it found by kind; the files of a finding are kept.
 * Options: runs, seed, seconds (wall time), jobs (runs at once).
 */
export async function hostilePass({ root, bin, runs, seed, seconds, jobs }) {
  const work = mkdtempSync(join(tmpdir(), 'ai-route-hostile-'));
  const dir = join(work, 'inputs');
  mkdirSync(dir);
  const fx = fixtures(root, bin, dir);
  const echo = await echoServer(fx.litellmText);
  const started = Date.now();
  let kept = false;
  try {
    const all = await allCases(root, bin, dir, fx, echo, runs, seed);
    const env = {
      PATH: process.env.PATH,
      HOME: join(work, 'home'),
      NO_COLOR: '1',
      CI: 'true',
      AI_ROUTE_API_KEY: SECRETS.KEY,
    };
    const deadline = started + seconds * 1000;
    const result = await runAll(bin, work, all, env, deadline, jobs);
    kept = result.findings.length > 0;
    return {
      ...result,
      ran: all.length - result.skipped,
      seconds: (Date.now() - started) / 1000,
      requests: echo.requests(),
      kept: kept ? work : undefined,
    };
  } finally {
    await echo.close();
    if (!kept) rmSync(work, { recursive: true, force: true });
  }
}

/** npm run bench -- hostile: the pass, bounded by HOSTILE_RUNS, HOSTILE_SECONDS, HOSTILE_JOBS. */
export async function hostile({ root, bin }) {
  const seed = Number(process.env.HOSTILE_SEED ?? Date.now() % 2 ** 31);
  const seconds = Number(process.env.HOSTILE_SECONDS ?? 300);
  const r = await hostilePass({
    root,
    bin,
    seed,
    seconds,
    runs: Number(process.env.HOSTILE_RUNS ?? 600),
    jobs: Number(process.env.HOSTILE_JOBS ?? 2),
  });
  console.log(
    `\nHostile fuzz pass, seed ${seed}: ${r.ran} runs in ${r.seconds.toFixed(0)} s, ` +
      `${r.requests} requests to the echo server on 127.0.0.1` +
      (r.skipped > 0 ? ` (${r.skipped} not run: HOSTILE_SECONDS=${seconds} reached)` : ''),
  );
  printTally(r.tally);
  for (const f of r.findings.slice(0, 20))
    for (const [what, why] of f.found)
      console.log(`  ${what} #${f.i}: ${why}\n    ai-route ${shown(f.c.argv)}`);
  if (r.findings.length > 20) console.log(`  ... and ${r.findings.length - 20} more`);
  console.log(r.kept !== undefined ? `  files kept in ${r.kept}` : '  no findings');
}

export { judge, SECRETS };
