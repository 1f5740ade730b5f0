import { CHECK_IDS, type CheckId, VERDICTS, type Verdict } from '../domain/premortem.js';
import type { IssueList } from './issues.js';
import { DocReader } from './read.js';

/** The pre-mortem JSON this version writes and `report --premortem` reads. */
export const PREMORTEM_SCHEMA = 'ai-route/premortem@1';

/**
 * A saved pre-mortem as the deck shows it: what was reviewed, and each check's verdict and finding.
 */
export interface SavedPremortem {
  target: { base_url: string; model: string };
  checks: Array<{ id: CheckId; title: string; verdict: Verdict; finding: string }>;
  requests_sent: number;
  /**
   * The limit its rate_limit check measured, a minute (for capacity): requests from the rate the
   * limit lets through when saturated, tokens from the x-ratelimit-limit-tokens header.
   */
  measured_limit: { rpm: number | undefined; tpm: number | undefined } | undefined;
}

/** A measured number of the rate_limit check's evidence, when it is one. */
const numberAt = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;

/** The rate_limit check's measured limit a minute, from its evidence (absent: none). */
function measuredLimit(rawChecks: unknown): SavedPremortem['measured_limit'] {
  if (!Array.isArray(rawChecks)) return undefined;
  const check = rawChecks.find((c) => (c as { id?: unknown })?.id === 'rate_limit') as
    | { evidence?: { rate_per_s?: unknown; headers?: { limit_tokens?: unknown } | null } }
    | undefined;
  const rate = numberAt(check?.evidence?.rate_per_s);
  const tokens = numberAt(check?.evidence?.headers?.limit_tokens);
  if (rate === undefined && tokens === undefined) return undefined;
  return {
    rpm: rate === undefined ? undefined : Math.floor(rate * 60),
    tpm: tokens === undefined ? undefined : Math.floor(tokens),
  };
}

export function readSavedPremortem(doc: unknown, issues: IssueList): SavedPremortem {
  const read = new DocReader(issues);
  const top =
    read.mapping(
      doc,
      [],
      `a pre-mortem saved by ai-route premortem --format json (${PREMORTEM_SCHEMA})`,
    ) ?? {};
  if (top.schema !== PREMORTEM_SCHEMA)
    issues.add(
      ['schema'],
      `expected "${PREMORTEM_SCHEMA}", got ${JSON.stringify(top.schema ?? null)}`,
    );
  const target = read.mapping(top.target, ['target'], 'the target (base_url, model)') ?? {};
  const checks = (read.list(top.checks, ['checks'], 'the checks') ?? []).flatMap((raw, i) => {
    const path = ['checks', i];
    const c = read.mapping(raw, path, 'a check (id, title, verdict, finding)') ?? {};
    const id = CHECK_IDS.find((k) => k === c.id);
    if (id === undefined) issues.add([...path, 'id'], `expected one of ${CHECK_IDS.join(', ')}`);
    const verdict = VERDICTS.find((v) => v === c.verdict);
    if (verdict === undefined)
      issues.add([...path, 'verdict'], `expected one of ${VERDICTS.join(', ')}`);
    const title = read.text(c.title, [...path, 'title'], 'the check title');
    const finding = read.text(c.finding, [...path, 'finding'], 'the finding');
    return id === undefined || verdict === undefined || title === undefined || finding === undefined
      ? []
      : [{ id, title, verdict, finding }];
  });
  return {
    target: {
      base_url: read.text(target.base_url, ['target', 'base_url'], 'a base URL') ?? '',
      model: read.text(target.model, ['target', 'model'], 'a model id') ?? '',
    },
    checks,
    measured_limit: measuredLimit(top.checks),
    requests_sent:
      read.integer(
        top.requests_sent,
        ['requests_sent'],
        0,
        Number.MAX_SAFE_INTEGER,
        'a request count',
      ) ?? 0,
  };
}
