// The decks a reviewer looks at: every case of test/fixtures/deck/cases.json made by the built
// CLI as pptx and HTML, the pptx opened by LibreOffice (PDF) and each slide drawn by poppler
// (PNG). The layout test reads the same PDFs; .ci/run keeps the PNGs in artifacts/decks.
//   node scripts/deck-gallery.mjs [DIR]      (default artifacts/decks; needs a build)
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'bin/ai-route.cjs');
const QUICK = 'test/fixtures/premortem/quick.yaml';
/** The cases, by name and arguments to `ai-route report`. */
export const DECK_CASES = JSON.parse(
  readFileSync(join(ROOT, 'test/fixtures/deck/cases.json'), 'utf8'),
).cases;

const cli = (args) =>
  run(process.execPath, [CLI, ...args], { cwd: ROOT, timeout: 120_000, maxBuffer: 1 << 24 });

/** A probe run and a pre-mortem saved against the mock, for the cases that show them. */
async function measured(dir) {
  const probe = join(dir, 'probe.json');
  const premortem = join(dir, 'premortem.json');
  const mock = ['--mock', '--mock-profile', QUICK, '--format', 'json'];
  await Promise.all([
    cli(['probe', ...mock, '--requests', '40', '--out', probe]),
    cli(['premortem', ...mock, '--yes', '--out', premortem]),
  ]);
  return { '{probe}': probe, '{premortem}': premortem };
}

/**
 * Every case as DIR/NAME.pptx, NAME.pdf and NAME.html; LibreOffice converts all in one start.
 * Returns the files of each case.
 */
export async function renderDecks(dir) {
  mkdirSync(dir, { recursive: true });
  const saved = DECK_CASES.some((c) => c.args.some((a) => a.startsWith('{')))
    ? await measured(dir)
    : {};
  const decks = DECK_CASES.map((c) => ({
    name: c.name,
    pptx: join(dir, `${c.name}.pptx`),
    pdf: join(dir, `${c.name}.pdf`),
    html: join(dir, `${c.name}.html`),
  }));
  for (const [i, c] of DECK_CASES.entries()) {
    const args = ['report', ...c.args.map((a) => saved[a] ?? a)];
    await cli([...args, '--format', 'pptx', '--out', decks[i].pptx]);
    await cli([...args, '--format', 'html', '--out', decks[i].html]);
  }
  await run(
    'soffice',
    [
      '--headless',
      '--norestore',
      `-env:UserInstallation=file://${join(dir, '.lo-profile')}`,
      '--convert-to',
      'pdf',
      '--outdir',
      dir,
      ...decks.map((d) => d.pptx),
    ],
    { timeout: 300_000 },
  );
  rmSync(join(dir, '.lo-profile'), { recursive: true, force: true });
  return decks;
}

/** Each deck's slides as DIR/NAME-N.png, 96 dpi (1280x720 a slide). */
export async function drawSlides(decks, dir) {
  for (const d of decks) await run('pdftoppm', ['-png', '-r', '96', d.pdf, join(dir, d.name)]);
  return readdirSync(dir).filter((f) => f.endsWith('.png')).length;
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) {
  const dir = resolve(process.argv[2] ?? join(ROOT, 'artifacts/decks'));
  const decks = await renderDecks(dir);
  const pngs = await drawSlides(decks, dir);
  console.error(`deck-gallery: ${decks.length} decks, ${pngs} slide images in ${dir}`);
}
