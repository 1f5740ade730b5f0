import { resolve } from 'node:path';
import type { Matrix, PartialInputs } from '../domain/matrix.js';
import { readAnswersDoc } from '../schema/answers.js';
import { loadDocument } from './data-file.js';

/** An answers file, or a decision JSON to replay; every problem with its place. */
export async function loadAnswers(matrix: Matrix, file: string, cwd: string): Promise<{ inputs: PartialInputs; abs: string }> {
  const { doc, value } = await loadDocument(resolve(cwd, file), cwd, (v, _file, issues) => readAnswersDoc(matrix, v, issues));
  return { inputs: value, abs: doc.abs };
}
