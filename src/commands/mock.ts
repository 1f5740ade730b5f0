import { resolve } from 'node:path';
import { type RunContext } from '../context.js';
import { DataError, EXIT } from '../errors.js';
import { writeResult } from '../io/output.js';
import { issueLines, readDataFile } from '../load/data-file.js';
import { type MockRecord, type MockServer, startMock } from '../mock/server.js';
import { IssueList } from '../schema/issues.js';
import { DEFAULT_MODEL_PROFILE, type MockProfile, validateMockProfile } from '../schema/mock-profile.js';
import type { MockOptionsCli } from './mock-options.js';

/** Reads a mock profile file, or gives the default profile; every problem is reported at once. */
export async function loadMockProfile(file: string | undefined, cwd: string): Promise<{ profile: MockProfile; inputs: string[] }> {
  if (file === undefined) return { profile: { defaults: DEFAULT_MODEL_PROFILE, models: {}, strict_models: false }, inputs: [] };
  const doc = await readDataFile(resolve(cwd, file), cwd);
  const issues = new IssueList();
  const profile = validateMockProfile(doc.value, issues);
  if (!issues.empty) throw new DataError(await issueLines(doc, issues.items));
  return { profile, inputs: [doc.abs] };
}

function logLine(r: MockRecord): string {
  const first = r.events.find((e) => e.type === 'reasoning' || e.type === 'content');
  const ttft = first === undefined ? '-' : `${first.at_ms.toFixed(1)} ms`;
  return `mock: #${r.n} ${r.model} ${r.stream ? 'stream' : 'whole'} status ${r.status}${r.fault ? ` fault ${r.fault}` : ''} ttft ${ttft} tokens ${r.output_tokens}${r.client_closed ? ' (client closed)' : ''}\n`;
}

/** `ai-route mock`: serve until Ctrl-C, print the base URL on stdout, optionally keep the records. */
export async function runMock(opts: MockOptionsCli, ctx: RunContext): Promise<number> {
  const { profile, inputs } = await loadMockProfile(opts.profile, ctx.cwd);
  let server: MockServer;
  try {
    server = await startMock({
      host: opts.host,
      port: opts.port,
      profile,
      seed: opts.seed,
      ...(opts.quiet ? {} : { onRecord: (r: MockRecord) => ctx.stderr.write(logLine(r)) }),
    });
  } catch (err) {
    throw new DataError([`ai-route: cannot listen on ${opts.host}:${opts.port}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`]);
  }
  ctx.stdout.write(`${server.url}\n`);
  ctx.stderr.write(`mock: serving POST /v1/chat/completions and GET /v1/models on ${server.url}; records at ${server.url.replace(/\/v1$/, '')}/_mock/records; Ctrl-C stops\n`);
  await new Promise<void>((done) => {
    if (ctx.interrupted.aborted) done();
    ctx.interrupted.addEventListener('abort', () => done(), { once: true });
  });
  await server.close();
  if (opts.records !== undefined) {
    await writeResult(server.records.map((r) => JSON.stringify(r)).join('\n') + (server.records.length > 0 ? '\n' : ''), opts.records, inputs, ctx);
  }
  return ctx.interrupted.reason === 'SIGTERM' ? EXIT.ok : EXIT.interrupted;
}
