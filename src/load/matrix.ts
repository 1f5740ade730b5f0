import { join } from 'node:path';
import { DataError } from '../errors.js';
import { packageRoot } from '../paths.js';
import { IssueList } from '../schema/issues.js';
import { type Matrix, validateMatrix } from '../schema/matrix.js';
import { issueLines, readDataFile } from './data-file.js';

/** The shipped decision matrix; every problem in it is reported at once. */
export async function loadMatrix(cwd: string): Promise<{ matrix: Matrix; file: string }> {
  const doc = await readDataFile(join(packageRoot(), 'matrix', 'decision-matrix.yaml'), cwd);
  const issues = new IssueList();
  const matrix = validateMatrix(doc.value, issues);
  if (!issues.empty) throw new DataError(await issueLines(doc, issues.items));
  return { matrix, file: doc.abs };
}
