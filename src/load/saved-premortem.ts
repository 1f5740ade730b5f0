import { resolve } from 'node:path';
import { type SavedPremortem, readSavedPremortem } from '../schema/premortem.js';
import { loadDocument } from './data-file.js';

/** Reads a saved pre-mortem; every problem is reported at once, with its place. */
export async function loadSavedPremortem(
  file: string,
  cwd: string,
): Promise<SavedPremortem & { abs: string }> {
  const { doc, value } = await loadDocument(resolve(cwd, file), cwd, (v, _file, issues) =>
    readSavedPremortem(v, issues),
  );
  return { ...value, abs: doc.abs };
}
