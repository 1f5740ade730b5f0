// Commands caught mid-work by Ctrl-C, shared by the e2e test (each must stop, with its exit code)
// and `npm run bench` (how fast). Every server is on 127.0.0.1 and every child is killed if it
// outlives its deadline.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

/** A server on 127.0.0.1 that takes every request and never answers it. */
export async function silentServer() {
  const server = createServer((req) => req.resume());
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((done) => server.close(done));
    },
  };
}

/**
 * A valid pricing file of nearly 1 MB of YAML: the most the YAML parser is given, so the longest
 * stretch without an answer to Ctrl-C.
 */
function largestYaml(dir) {
  const file = join(dir, 'largest.yaml');
  const lines = ['schema: ai-route/pricing@1', 'models:'];
  let size = 0;
  for (let i = 0; size < 1000 * 1024; i++) {
    const entry =
      `  vendor/model-${i}:\n    provider: vendor\n    prices:\n      - {effective_from: ` +
      `2026-01-01, source: bench, input: "0.5", output: "1.5"}`;
    lines.push(entry);
    size += entry.length + 1;
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/**
 * The cases: what runs, when it is busy (a line it printed, then a pause), and how it must end.
 * `code` null: the command may finish what it was doing (a parse cannot be stopped half-way).
 */
export function sigintCases({ silent, dir }) {
  return [
    {
      name: 'mock, serving',
      argv: ['mock'],
      busy: (out) => out.includes('\n'),
      pauseMs: 200,
      code: 130,
    },
    {
      name: 'probe, endpoint that never answers',
      argv: ['probe', '--base-url', `${silent}/v1`, '--model', 'm', '--requests', '5'],
      env: { AI_ROUTE_API_KEY: 'k' },
      busy: () => true,
      pauseMs: 800,
      code: 130,
    },
    {
      name: 'probe --rate 100000 (client behind)',
      argv: ['probe', '--mock', '--rate', '100000', '--duration', '30s'],
      busy: (_o, err) => err.includes('started the built-in mock'),
      pauseMs: 1000,
      code: 130,
    },
    {
      name: 'probe, 100,000 requests closed loop',
      argv: ['probe', '--mock', '--requests', '100000', '--concurrency', '4'],
      busy: (_o, err) => err.includes('started the built-in mock'),
      pauseMs: 1000,
      code: 130,
    },
    {
      name: 'pricing import, server that never answers',
      argv: [
        'pricing',
        'import',
        '--from',
        'litellm',
        `${silent}/catalog.json`,
        '--out',
        join(dir, 'never.json'),
      ],
      busy: () => true,
      pauseMs: 800,
      code: 130,
    },
    {
      name: 'pricing validate, 1 MB of YAML mid-parse',
      argv: ['pricing', 'validate', largestYaml(dir)],
      busy: () => true,
      pauseMs: 300,
      code: null,
    },
  ];
}

/**
 * Runs one case: starts it, waits until it is busy, sends SIGINT, and times how long it takes to
 * exit.
 */
export async function interrupt(bin, cwd, c) {
  const child = spawn(process.execPath, [bin, ...c.argv], {
    cwd,
    env: { PATH: process.env.PATH ?? '', CI: 'true', ...c.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((done) => child.on('exit', (code) => done(code)));
  const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
  try {
    for (const end = Date.now() + 10_000; !c.busy(stdout, stderr) && Date.now() < end;)
      await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, c.pauseMs));
    const sent = process.hrtime.bigint();
    child.kill('SIGINT');
    const code = await exited;
    return { code, ms: Number(process.hrtime.bigint() - sent) / 1e6, stdout, stderr };
  } finally {
    clearTimeout(guard);
  }
}
