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
