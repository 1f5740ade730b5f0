import { badPortReason } from '../units/port.js';
import type { RunContext } from '../domain/context.js';
import { DataError, EXIT } from '../domain/errors.js';
import type { MockRecord } from '../domain/mock.js';
import { diagnostics } from '../io/diagnostics.js';
import { type MockServer, startMock } from '../io/mock/server.js';
import { writeResult } from '../io/output.js';
import { loadMockProfile } from '../load/mock-profile.js';
import { mockLogLine } from '../render/mock.js';
import { EVERY_INTERFACE, type MockOptionsCli } from './mock-spec.js';

/**
 * `ai-route mock`: serve until Ctrl-C, print the base URL on stdout, optionally keep the records.
 */
export async function runMock(opts: MockOptionsCli, ctx: RunContext): Promise<number> {
  const { profile, inputs } = await loadMockProfile(opts.profile, ctx.cwd);
  const say = diagnostics(ctx);
  let server: MockServer;
  try {
    server = await startMock({
      host: opts.host,
      port: opts.port,
      profile,
      seed: opts.seed,
      ...(opts.quiet ? {} : { onRecord: (r: MockRecord) => say.info(mockLogLine(r)) }),
    });
  } catch (err) {
    throw new DataError([
      {
        message:
          `cannot listen on ${opts.host}:${opts.port}: ` +
          `${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      },
    ]);
  }
  const bad = badPortReason(opts.port);
  if (bad !== undefined) say.warn(`--port ${opts.port}: ${bad}; probe it on another port`);
  if (EVERY_INTERFACE.has(opts.host))
    say.warn(
      `--host ${opts.host} listens on every interface: anyone who can reach this ` +
        `machine can call the mock`,
    );
  ctx.stdout.write(`${server.url}\n`);
  for (const [name, url] of Object.entries(server.regions))
    say.info(`mock: region ${name} at ${url}`);
  say.info(
    `mock: serving POST /v1/chat/completions and GET /v1/models on ${server.url}; ` +
      `records at ${server.url.replace(/\/v1$/, '')}/_mock/records; Ctrl-C stops`,
  );
  await new Promise<void>((done) => {
    if (ctx.interrupted.aborted) done();
    ctx.interrupted.addEventListener('abort', () => done(), { once: true });
  });
  await server.close();
  if (server.droppedRecords() > 0)
    say.warn(
      `kept the last ${server.records.length} records; ${server.droppedRecords()} ` +
        `older ones were dropped to keep memory bounded`,
    );
  if (opts.records !== undefined) {
    await writeResult(
      server.records.map((r) => JSON.stringify(r)).join('\n') +
        (server.records.length > 0 ? '\n' : ''),
      opts.records,
      inputs,
      ctx,
      '--records',
    );
  }
  return ctx.interrupted.reason === 'SIGTERM' ? EXIT.ok : EXIT.interrupted;
}
