// Makes catalogs/litellm.json, the dated real catalog ai-route ships (`--pricing litellm`): the
// LiteLLM map of test/fixtures/real/litellm-2026-07-24.json.gz imported by ai-route itself, with
// where it came from recorded in its generated_from (the upstream commit, its URL, the sha256 of
// the bytes read). Run after `npm run build`; test/pricing/shipped-catalog.test.ts checks the
// result is exactly this import of those bytes.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SHIPPED_LITELLM = {
  fixture: 'test/fixtures/real/litellm-2026-07-24.json.gz',
  day: '2026-07-24',
  commit: '8442b939a6ead479f7995b5d74d8dce488bd0966',
};
const url =
  `https://raw.githubusercontent.com/RoCry/llm-api-price/${SHIPPED_LITELLM.commit}` +
  '/model_prices_and_context_window.json';
const bytes = gunzipSync(readFileSync(join(root, SHIPPED_LITELLM.fixture)));
const work = mkdtempSync(join(tmpdir(), 'ai-route-ship-'));
try {
  const raw = join(work, 'model_prices_and_context_window.json');
  writeFileSync(raw, bytes);
  const out = join(work, 'litellm.json');
  const r = spawnSync(
    process.execPath,
    [
      join(root, 'bin/ai-route.cjs'),
      'pricing',
      'import',
      '--from',
      'litellm',
      raw,
      '--out',
      out,
    ].concat(['--effective-from', SHIPPED_LITELLM.day]),
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(r.stderr);
  const doc = JSON.parse(readFileSync(out, 'utf8'));
  doc.description =
    `LiteLLM's model cost map as of ${SHIPPED_LITELLM.day}, imported by ai-route ` +
    '(ai-route pricing list --pricing litellm)';
  doc.generated_from = doc.generated_from.map((g) => ({
    ...g,
    url,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    upstream:
      `BerriAI/litellm's map, copied by RoCry/llm-api-price at commit ` +
      `${SHIPPED_LITELLM.commit}, its last_updated line removed`,
  }));
  writeFileSync(join(root, 'catalogs/litellm.json'), `${JSON.stringify(doc, null, 2)}\n`);
  console.error(`wrote catalogs/litellm.json (${Object.keys(doc.models).length} models)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
