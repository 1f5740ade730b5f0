import { run } from './cli.js';
import type { Output, RunContext } from './context.js';

function output(stream: NodeJS.WriteStream): Output {
  return { write: (text) => void stream.write(text), isTTY: stream.isTTY === true };
}

function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}

/** The entry point: the only place that touches process.exit. */
export async function main(): Promise<void> {
  const ctx: RunContext = {
    cwd: process.cwd(),
    env: process.env,
    stdout: output(process.stdout),
    stderr: output(process.stderr),
    stdinIsTTY: process.stdin.isTTY === true,
    now: () => new Date(),
  };
  const code = await run(process.argv.slice(2), ctx);
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
  process.exit(code);
}

main().catch((err: unknown) => {
  process.stderr.write(`ai-route: unexpected error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
