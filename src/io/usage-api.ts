import { secretRedactor } from '../core/redact.js';
import { Interrupted, UsageError } from '../domain/errors.js';
import type { UsageFormat } from '../domain/usage.js';
import { addDays } from '../units/date.js';
import { checkSourceUrl, readAtMost } from './fetch-source.js';

/**
 * The organization usage and cost APIs read live: OpenAI's `/organization/usage/completions` and
 * `/organization/costs`, Anthropic's `/organizations/usage_report/messages` and `/cost_report`,
 * in daily buckets grouped by model (and batch, service tier), every page. A 429 or 5xx is
 * retried after its Retry-After; every request and the whole read are bounded in time, pages
 * and bytes; the admin key goes in a header only and is redacted from every message.
 */

export type UsageApi = 'openai-api' | 'anthropic-api';

/** Where each API lives, its key's variable, and how it is asked. */
export const USAGE_APIS: Record<
  UsageApi,
  { base: string; keyVar: string; endpoints: Array<{ path: string; format: UsageFormat }> }
> = {
  'openai-api': {
    base: 'https://api.openai.com/v1',
    keyVar: 'OPENAI_ADMIN_KEY',
    endpoints: [
      { path: 'organization/usage/completions', format: 'openai-usage' },
      { path: 'organization/costs', format: 'openai-costs' },
    ],
  },
  'anthropic-api': {
    base: 'https://api.anthropic.com/v1',
    keyVar: 'ANTHROPIC_ADMIN_KEY',
    endpoints: [
      { path: 'organizations/usage_report/messages', format: 'anthropic-usage' },
      { path: 'organizations/cost_report', format: 'anthropic-costs' },
    ],
  },
};

export interface ApiLimits {
  /** Each request's deadline, and the whole read's. */
  requestMs: number;
  totalMs: number;
  maxPages: number;
  maxPageBytes: number;
  /** Retries of one request after a 429 or 5xx, and the longest wait honoured. */
  maxRetries: number;
  maxWaitMs: number;
}

export const API_LIMITS: ApiLimits = {
  requestMs: 30_000,
  totalMs: 10 * 60_000,
  maxPages: 1000,
  maxPageBytes: 32 * 1024 * 1024,
  maxRetries: 5,
  maxWaitMs: 60_000,
};

export interface ApiRequest {
  api: UsageApi;
  base: string | undefined;
  key: string;
  /** UTC days, both included. */
  since: string;
  until: string;
}

/** One page as read: which format it is, and where it came from (its path, no query). */
export interface ApiPage {
  format: UsageFormat;
  source: string;
  doc: unknown;
}

/** The query of the first page of an endpoint: the window, daily buckets, the grouping. */
function firstQuery(api: UsageApi, format: UsageFormat, r: ApiRequest): URLSearchParams {
  const q = new URLSearchParams();
  if (api === 'openai-api') {
    q.set('start_time', String(Date.parse(`${r.since}T00:00:00Z`) / 1000));
    q.set('end_time', String(Date.parse(`${addDays(r.until, 1)}T00:00:00Z`) / 1000));
    q.set('bucket_width', '1d');
    q.set('limit', '31');
    const groups = format === 'openai-usage' ? ['model', 'batch', 'service_tier'] : ['line_item'];
    for (const g of groups) q.append('group_by', g);
  } else {
    q.set('starting_at', `${r.since}T00:00:00Z`);
    q.set('ending_at', `${addDays(r.until, 1)}T00:00:00Z`);
    q.set('bucket_width', '1d');
    q.set('limit', '31');
    const groups =
      format === 'anthropic-usage' ? ['model', 'service_tier', 'context_window'] : ['description'];
    for (const g of groups) q.append('group_by[]', g);
  }
  return q;
}

/** How long a 429 or 5xx asks to wait: Retry-After in seconds or as a date, else backing off. */
export function retryWaitMs(header: string | null, attempt: number, now: number): number {
  if (header !== null && /^\d+(\.\d+)?$/.test(header.trim())) return Number(header) * 1000;
  const at = header === null ? NaN : Date.parse(header);
  if (Number.isFinite(at)) return Math.max(0, at - now);
  return 1000 * 2 ** attempt;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((done) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), done()), { once: true });
  });

/** Every page of every endpoint of one API, in order. */
export async function* fetchUsagePages(
  r: ApiRequest,
  interrupted: AbortSignal,
  limits: ApiLimits = API_LIMITS,
): AsyncGenerator<ApiPage> {
  const spec = USAGE_APIS[r.api];
  const base = checkSourceUrl(r.base ?? spec.base);
  const redact = secretRedactor([r.key]);
  const deadline = AbortSignal.any([AbortSignal.timeout(limits.totalMs), interrupted]);
  let pages = 0;
  for (const endpoint of spec.endpoints) {
    const url = new URL(`${base.href.replace(/\/$/, '')}/${endpoint.path}`);
    const query = firstQuery(r.api, endpoint.format, r);
    for (;;) {
      if (++pages > limits.maxPages)
        throw new UsageError(`${url.href}: more than ${limits.maxPages} pages; narrow --since`);
      url.search = query.toString();
      const doc = await getJson(url, r, deadline, interrupted, limits, redact);
      yield { format: endpoint.format, source: `${url.origin}${url.pathname}`, doc };
      const page = doc as { has_more?: unknown; next_page?: unknown };
      if (page.has_more !== true || typeof page.next_page !== 'string') break;
      query.set('page', page.next_page);
    }
  }
}

/** One page, retried on 429 and 5xx after what the server asks; any other failure is exit 2. */
async function getJson(
  url: URL,
  r: ApiRequest,
  deadline: AbortSignal,
  interrupted: AbortSignal,
  limits: ApiLimits,
  redact: (text: string) => string,
): Promise<unknown> {
  const shown = `${url.origin}${url.pathname}`;
  const headers: Record<string, string> =
    r.api === 'openai-api'
      ? { authorization: `Bearer ${r.key}`, accept: 'application/json' }
      : { 'x-api-key': r.key, 'anthropic-version': '2023-06-01', accept: 'application/json' };
  for (let attempt = 0; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(url, {
        headers,
        redirect: 'error',
        signal: AbortSignal.any([deadline, AbortSignal.timeout(limits.requestMs)]),
      });
    } catch (err) {
      if (interrupted.aborted) throw new Interrupted();
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      throw new UsageError(redact(`${shown}: cannot read (${cause})`));
    }
    if ((response.status === 429 || response.status >= 500) && attempt < limits.maxRetries) {
      const wait = retryWaitMs(response.headers.get('retry-after'), attempt, Date.now());
      await response.body?.cancel().catch(() => undefined);
      if (wait > limits.maxWaitMs)
        throw new UsageError(
          `${shown}: HTTP ${response.status}, asked to wait ${Math.round(wait / 1000)} s, ` +
            `more than the ${limits.maxWaitMs / 1000} s waited`,
        );
      await sleep(wait, deadline);
      if (deadline.aborted) throw interrupted.aborted ? new Interrupted() : timedOut(shown, limits);
      continue;
    }
    const body = await readAtMost(response, limits.maxPageBytes);
    if (body === undefined)
      throw new UsageError(`${shown}: a page of more than ${limits.maxPageBytes / 2 ** 20} MB`);
    const text = body.toString('utf8');
    if (!response.ok)
      throw new UsageError(
        redact(`${shown}: HTTP ${response.status}: ${text.slice(0, 200).replace(/\s+/g, ' ')}`),
      );
    try {
      return JSON.parse(text);
    } catch {
      throw new UsageError(`${shown}: the answer is not JSON (${text.length} characters)`);
    }
  }
}

const timedOut = (shown: string, limits: ApiLimits) =>
  new UsageError(`${shown}: the read took more than ${limits.totalMs / 1000} s; narrow --since`);
