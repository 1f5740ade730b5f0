import { resolve } from 'node:path';
import { METRIC_KEYS } from '../domain/probe-summary.js';
import type { IssueList } from '../schema/issues.js';
import { type SavedProbe, readSavedProbe } from '../schema/probe-run.js';
import { loadDocument } from './data-file.js';
import { histogramProblem } from './histogram-check.js';

/**
 * A saved probe JSON file, validated; every problem with its place. Its histograms are decoded
 * inside a size cap and must hold the samples they declare, no more than the run's requests.
 */
export async function loadSavedProbe(
  file: string,
  cwd: string,
): Promise<SavedProbe & { abs: string }> {
  const { doc, value } = await loadDocument(resolve(cwd, file), cwd, (v, _file, issues) => {
    const saved = readSavedProbe(v, issues);
    if (issues.empty) checkHistograms(saved, issues);
    return saved;
  });
  return { ...value, abs: doc.abs };
}

function checkHistograms(saved: SavedProbe, issues: IssueList): void {
  saved.summaries.forEach((target, i) => {
    for (const key of METRIC_KEYS) {
      const h = target.histograms[key];
      if (h === undefined) continue;
      const path = ['targets', i, 'histograms', key];
      // one sample a request, except the gaps between tokens
      if (key !== 'itl' && h.count > target.requests + target.interrupted)
        issues.add([...path, 'count'], `${h.count} samples, more than the run's requests`);
      const problem = histogramProblem(h);
      if (problem !== undefined) issues.add([...path, 'encoded'], problem);
    }
  });
}
