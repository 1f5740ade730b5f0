import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { Matrix, PartialInputs } from '../domain/matrix.js';
import { readAnswersDoc } from '../schema/answers.js';
import { loadDocument } from './data-file.js';
import { packageRoot } from './paths.js';

/**
 * The example answers file shipped beside the matrix: `--answers matrix/answers.example.yaml` works
 * from any folder.
 */
export const EXAMPLE_ANSWERS = 'matrix/answers.example.yaml';

/** An answers file, or a decision JSON to replay; every problem with its place. */
export async function loadAnswers(
  matrix: Matrix,
  file: string,
  cwd: string,
): Promise<{ inputs: PartialInputs; abs: string }> {
  const asPath = resolve(cwd, file);
  const abs =
    !existsSync(asPath) && !isAbsolute(file) && file.replace(/\\/g, '/') === EXAMPLE_ANSWERS
      ? join(packageRoot(), EXAMPLE_ANSWERS)
      : asPath;
  const { doc, value } = await loadDocument(abs, cwd, (v, _file, issues) =>
    readAnswersDoc(matrix, v, issues),
  );
  return { inputs: value, abs: doc.abs };
}
