import { resolve } from 'node:path';
import { type DecisionFacts, readSavedDecision } from '../schema/decision.js';
import { loadDocument } from './data-file.js';

/** A saved decision JSON, validated; every problem with its place. */
export async function loadSavedDecision(
  file: string,
  cwd: string,
): Promise<DecisionFacts & { abs: string }> {
  const { doc, value } = await loadDocument(resolve(cwd, file), cwd, (v, _file, issues) =>
    readSavedDecision(v, issues),
  );
  return { ...value, abs: doc.abs };
}
