import type { PremortemReport } from '../domain/premortem.js';
import { CHECK_TITLES, findingText } from './premortem.js';
import { xml } from './probe-json.js';

import { PREMORTEM_SCHEMA } from '../schema/premortem.js';

/**
 * ai-route/premortem@1: the target, the plan, and checks[] with id, verdict and evidence (null for
 * a check that did not run).
 */
export function renderPremortemJson(report: PremortemReport): string {
  const body = {
    schema: PREMORTEM_SCHEMA,
    target: report.target,
    plan: report.plan,
    checks: report.checks.map((c) => ({
      id: c.id,
      title: CHECK_TITLES[c.id],
      verdict: c.verdict,
      finding: findingText(c),
      evidence: c.evidence,
      ...(c.evidence === null ? { not_run: c.not_run } : {}),
    })),
    stopped: report.stopped,
    requests_sent: report.requests_sent,
    spend: report.spend,
    fail_on: report.fail_on,
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

/**
 * JUnit XML: a test case per check; fail is a failure, warn a failure only under --fail-on warn,
 * unknown skipped.
 */
export function renderPremortemJunit(report: PremortemReport): string {
  const cases = report.checks.map((c) => {
    const open =
      `    <testcase classname="ai-route.premortem" ` +
      `name="${xml(`${c.id}: ${CHECK_TITLES[c.id]}`)}" time="0">`;
    const finding = xml(findingText(c));
    const failing = c.verdict === 'fail' || (c.verdict === 'warn' && report.fail_on === 'warn');
    if (failing)
      return `${open}\n      <failure message="${finding}" type="${c.verdict}"/>\n    </testcase>`;
    if (c.verdict === 'unknown')
      return `${open}\n      <skipped message="${finding}"/>\n    </testcase>`;
    return `${open}<system-out>${xml(`${c.verdict}: `)}${finding}</system-out></testcase>`;
  });
  const failures = report.checks.filter(
    (c) => c.verdict === 'fail' || (c.verdict === 'warn' && report.fail_on === 'warn'),
  ).length;
  const skipped = report.checks.filter((c) => c.verdict === 'unknown').length;
  const n = report.checks.length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="ai-route premortem" tests="${n}" failures="${failures}">`,
    `  <testsuite name="ai-route premortem" tests="${n}" failures="${failures}" ` +
      `errors="0" skipped="${skipped}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
