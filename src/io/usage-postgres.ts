import { publicUrl } from '../core/redact.js';
import { Interrupted, UsageError } from '../domain/errors.js';
import { addDays } from '../units/date.js';

/**
 * LiteLLM's spend logs read straight from the proxy's PostgreSQL: the table `"LiteLLM_SpendLogs"`
 * as LiteLLM's own schema.prisma defines it (Prisma keeps the camelCase column names, quoted),
 * through a server-side cursor, a batch of rows at a time, for a range of days. The rows go to
 * the same reader as `/spend/logs` JSON. The `pg` client is loaded only when a URL is given.
 */

/** Rows fetched from the cursor at a time: memory holds one batch. */
export const PG_BATCH = 5000;

/** A `postgres://` or `postgresql://` SOURCE. */
export const isPostgresUrl = (source: string): boolean => /^postgres(ql)?:\/\//i.test(source);

/** The columns read, as LiteLLM names them. */
const SELECT =
  'SELECT request_id, call_type, spend, prompt_tokens, completion_tokens, "startTime", ' +
  'model, model_group, custom_llm_provider, metadata, status FROM "LiteLLM_SpendLogs" ' +
  'WHERE "startTime" >= $1 AND "startTime" < $2 ORDER BY "startTime", request_id';

export interface PgBatch {
  format: 'litellm-spend';
  source: string;
  doc: unknown[];
}

/** Every row of the range, in batches; `since`/`until` are UTC days, both included. */
export async function* readSpendLogs(
  url: string,
  range: { since?: string | undefined; until?: string | undefined },
  interrupted: AbortSignal,
): AsyncGenerator<PgBatch> {
  const shown = publicUrl(url);
  const { default: pg } = await import('pg');
  // times as ISO text for the reader; one without a zone is UTC, as Prisma writes it. Set on this
  // client only: pg's own parsers stay as they are
  const times: Record<number, (text: string) => string> = {
    1114: (text) => `${text.replace(' ', 'T')}Z`,
    1184: (text) => new Date(text).toISOString(),
  };
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: 10_000,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        times[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  const fail = (err: unknown): never => {
    if (interrupted.aborted) throw new Interrupted();
    const message = (err as Error).message.replace(url, shown);
    throw new UsageError(`${shown}: ${message}`);
  };
  await client.connect().catch(fail);
  const stop = () => void client.end().catch(() => undefined);
  interrupted.addEventListener('abort', stop, { once: true });
  try {
    await client.query('BEGIN READ ONLY').catch(fail);
    await client
      .query(`DECLARE ai_route_spend NO SCROLL CURSOR FOR ${SELECT}`, [
        `${range.since ?? '0001-01-01'}T00:00:00Z`,
        `${range.until === undefined ? '9999-12-31' : addDays(range.until, 1)}T00:00:00Z`,
      ])
      .catch(fail);
    for (;;) {
      const batch = await client.query(`FETCH ${PG_BATCH} FROM ai_route_spend`).catch(fail);
      if (batch.rows.length === 0) break;
      yield { format: 'litellm-spend', source: shown, doc: batch.rows };
      if (interrupted.aborted) break;
    }
    await client.query('COMMIT').catch(() => undefined);
  } finally {
    interrupted.removeEventListener('abort', stop);
    await client.end().catch(() => undefined);
  }
}
