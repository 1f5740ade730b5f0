import { notHeaderValue } from '../core/header-value.js';
import { NO_KEY } from '../core/probe/targets.js';
import { headerSecrets, secretRedactor, urlSecrets } from '../core/redact.js';
import type { RunContext } from '../domain/context.js';
import { AppError, UsageError } from '../domain/errors.js';
import type { Transport } from '../domain/probe.js';
import type { MockServer } from './mock/server.js';
import { diagnostics } from './diagnostics.js';

/** The flags every command that talks to a live endpoint takes (probe, premortem). */
export interface SessionFlags {
  mock?: boolean | undefined;
  mockProfile?: string | undefined;
  seed: number;
  apiKeyEnv?: string | undefined;
  header: readonly string[];
  baseUrl?: string | undefined;
}

/**
 * One conversation with a live endpoint: its key, headers and the one redaction every byte of the
 * run goes through, the built-in mock when asked for, and the files the run read.
 */
export interface EndpointSession {
  readonly key: string | undefined;
  readonly headers: Record<string, string>;
  /** The run's context with every write redacted. */
  readonly ctx: RunContext;
  readonly redact: (text: string) => string;
  /** Files the run read, which no --out may replace. */
  readonly inputs: string[];
  /** The built-in mock's URL under --mock, once started. */
  readonly mockUrl: string | undefined;
  readonly mock: MockServer | undefined;
  /** URLs learned later (a scenario's tiers, --region) join the secrets to redact. */
  addUrls(urls: readonly string[]): void;
  /** The one transport of the run (the only importer of openai, loaded now). */
  transport(): Promise<Transport>;
  /** What a worker thread needs to make the same client: key, headers and the secrets. */
  workerClient(): { apiKey: string; headers: Record<string, string>; secrets: string[] };
}

/**
 * The API key from the environment only; a key with a control character would corrupt the
 * request's headers, so it stops the run first.
 */
export function apiKey(
  opts: { apiKeyEnv?: string | undefined },
  ctx: RunContext,
): string | undefined {
  const read = (name: string) => (Object.hasOwn(ctx.env, name) ? ctx.env[name] : undefined);
  let key: string | undefined;
  let from: string;
  if (opts.apiKeyEnv !== undefined) {
    key = read(opts.apiKeyEnv);
    from = opts.apiKeyEnv;
    if (key === undefined || key === '')
      throw new UsageError(`--api-key-env ${opts.apiKeyEnv}: that variable is not set`);
  } else {
    from =
      ['AI_ROUTE_API_KEY', 'OPENAI_API_KEY'].find((n) => (read(n) ?? '') !== '') ??
      'AI_ROUTE_API_KEY';
    key = read(from) || undefined;
  }
  const bad = key === undefined ? undefined : notHeaderValue(key);
  if (bad !== undefined)
    throw new UsageError(`${from}: the key holds ${bad}; it cannot go into a header`);
  return key;
}

/** A URL on this machine: localhost, 127.0.0.0/8 or ::1. */
export function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
  } catch {
    return false;
  }
}

/** --header 'Name: value' flags as the request headers they add. */
export function headersOf(flags: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    flags.map((h) => [h.slice(0, h.indexOf(':')).trim(), h.slice(h.indexOf(':') + 1).trim()]),
  );
}

/**
 * The run's context with every byte it writes passed through the redaction first: stdout, stderr
 * and files alike.
 */
function redacted(ctx: RunContext, redact: (text: string) => string): RunContext {
  return {
    ...ctx,
    stdout: { write: (text) => ctx.stdout.write(redact(text)), isTTY: ctx.stdout.isTTY },
    stderr: { write: (text) => ctx.stderr.write(redact(text)), isTTY: ctx.stderr.isTTY },
  };
}

/** An error of the run with every secret removed from its words. */
function redactError(err: unknown, redact: (text: string) => string): unknown {
  if (!(err instanceof AppError)) return err;
  return new AppError(
    err.problems.map((p) => ({ ...p, message: redact(p.message) })),
    err.exitCode,
  );
}

/** Starts the built-in mock for --mock, with its profile. */
async function startBuiltInMock(
  flags: SessionFlags,
  ctx: RunContext,
  inputs: string[],
  who: string,
): Promise<MockServer> {
  const [{ startMock }, { loadMockProfile }] = await Promise.all([
    import('./mock/server.js'),
    import('../load/mock-profile.js'),
  ]);
  const loaded = await loadMockProfile(flags.mockProfile, ctx.cwd);
  inputs.push(...loaded.inputs);
  const mock = await startMock({
    host: '127.0.0.1',
    port: 0,
    profile: loaded.profile,
    seed: flags.seed,
  });
  diagnostics(ctx).info(`${who}: started the built-in mock at ${mock.url}`);
  return mock;
}

/**
 * Runs `body` inside one endpoint session: the key is read (and required when `keyNeeded` and
 * there is no mock), the mock started under --mock, every output and error redacted, and the
 * mock closed whatever happens.
 */
export async function withEndpointSession<T>(
  flags: SessionFlags,
  raw: RunContext,
  options: { who: string; keyNeeded: boolean; urls?: readonly string[] },
  body: (session: EndpointSession) => Promise<T>,
): Promise<T> {
  const key = flags.mock ? undefined : apiKey(flags, raw);
  const local = flags.baseUrl !== undefined && isLoopback(flags.baseUrl);
  if (key === undefined && !flags.mock && options.keyNeeded && !local) throw new UsageError(NO_KEY);
  if (key === undefined && local)
    diagnostics(raw).note(
      `no API key set: ${options.who} sends a placeholder to the endpoint on this machine ` +
        `(set AI_ROUTE_API_KEY if it needs a real one)`,
    );
  const headers = headersOf(flags.header);
  const secrets = [
    key ?? '',
    ...Object.values(headers).flatMap(headerSecrets),
    ...[flags.baseUrl ?? '', ...(options.urls ?? [])].flatMap(urlSecrets),
  ];
  let redactNow = secretRedactor(secrets);
  const redact = (text: string) => redactNow(text);
  const ctx = redacted(raw, redact);
  const inputs: string[] = [];
  let mock: MockServer | undefined;
  const session: EndpointSession = {
    key,
    headers,
    ctx,
    redact,
    inputs,
    get mock() {
      return mock;
    },
    get mockUrl() {
      return mock?.url;
    },
    addUrls(urls) {
      secrets.push(...urls.flatMap(urlSecrets));
      redactNow = secretRedactor(secrets);
    },
    workerClient() {
      return { apiKey: key ?? 'ai-route-mock', headers, secrets: [...secrets] };
    },
    async transport() {
      const { createTransport } = await import('./probe/transport.js');
      return createTransport({ apiKey: key ?? 'ai-route-mock', headers, redact });
    },
  };
  try {
    if (flags.mock) mock = await startBuiltInMock(flags, ctx, inputs, options.who);
    return await body(session);
  } catch (err) {
    throw redactError(err, redact);
  } finally {
    await mock?.close();
  }
}
