import { resolve } from 'node:path';
import type { MockProfile } from '../domain/mock.js';
import { DEFAULT_MODEL_PROFILE, validateMockProfile } from '../schema/mock-profile.js';
import { loadDocument } from './data-file.js';

/** Reads a mock profile file, or gives the default profile; every problem is reported at once. */
export async function loadMockProfile(
  file: string | undefined,
  cwd: string,
): Promise<{ profile: MockProfile; inputs: string[] }> {
  if (file === undefined)
    return {
      profile: { defaults: DEFAULT_MODEL_PROFILE, models: {}, strict_models: false, regions: {} },
      inputs: [],
    };
  const { doc, value } = await loadDocument(resolve(cwd, file), cwd, (v, _file, issues) =>
    validateMockProfile(v, issues),
  );
  return { profile: value, inputs: [doc.abs] };
}
