import { join } from 'node:path';
import type { Matrix } from '../domain/matrix.js';
import { validateMatrix } from '../schema/matrix.js';
import { loadDocument } from './data-file.js';
import { packageRoot } from './paths.js';

/** The shipped decision matrix; every problem in it is reported at once. */
export async function loadMatrix(cwd: string): Promise<{ matrix: Matrix; file: string }> {
  const { doc, value } = await loadDocument(
    join(packageRoot(), 'matrix', 'decision-matrix.yaml'),
    cwd,
    (v, _file, issues) => validateMatrix(v, issues),
  );
  return { matrix: value, file: doc.abs };
}
