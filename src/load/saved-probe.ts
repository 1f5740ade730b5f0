import { resolve } from 'node:path';
import { type SavedProbe, readSavedProbe } from '../schema/probe-run.js';
import { loadDocument } from './data-file.js';

/** A saved probe JSON file, validated; every problem with its place. */
export async function loadSavedProbe(
  file: string,
  cwd: string,
): Promise<SavedProbe & { abs: string }> {
  const { doc, value } = await loadDocument(resolve(cwd, file), cwd, (v, _file, issues) =>
    readSavedProbe(v, issues),
  );
  return { ...value, abs: doc.abs };
}
