import { isMainThread, workerData } from 'node:worker_threads';
import { run } from './cli.js';
import type { Output, RunContext } from './domain/context.js';
import { printable } from './render/format.js';
import { formatProblem } from './render/problems.js';

function output(stream: NodeJS.WriteStream): Output {
  // a reader that went away (`ai-route ... | head`) is not an error of ours: stop quietly
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  return {
    write: (text) => void stream.write(text),
    isTTY: stream.isTTY === true,
    get columns() {
      return stream.columns;
    },
  };
}

function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}

/**
 * The first Ctrl-C (or SIGTERM) asks the command to stop and keep what it has; a second one
 * ends the process at once.
 */
function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  const stop = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort(signal);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return controller.signal;
}

/** The entry point: the only place that touches process.exit. */
export async function main(): Promise<void> {
  const ctx: RunContext = {
    cwd: process.cwd(),
    env: process.env,
    stdout: output(process.stdout),
    stderr: output(process.stderr),
    // a getter: touching process.stdin builds its stream (~2 ms), and only the wizard asks
    get stdinIsTTY() {
      return process.stdin.isTTY === true;
    },
    now: () => new Date(),
    interrupted: interruptSignal(),
  };
  const code = await run(process.argv.slice(2), ctx);
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
  process.exit(code);
}

// a probe worker thread runs this same bundle: it measures its part of the plan, nothing else
if (!isMainThread && (workerData as { role?: unknown } | null)?.role === 'ai-route/probe-worker')
  void import('./io/probe/worker-main.js').then((w) => w.probeWorker());
else
  main().catch((err: unknown) => {
    const message = `unexpected error: ${err instanceof Error ? err.message : String(err)}`;
    process.stderr.write(`${printable(formatProblem({ message }))}\n`);
    process.exit(1);
  });
