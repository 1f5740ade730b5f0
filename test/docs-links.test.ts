import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { docPages } from './helpers/docs.js';
import { ROOT } from './helpers/run.js';

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
export function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

/**
 * The anchors a page offers: one per heading outside code blocks, repeats numbered as GitHub does.
 */
export function anchorsOf(markdown: string): Set<string> {
  const out = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const m = fenced ? null : /^#{1,6} (.*)$/.exec(line);
    if (m === null) continue;
    const base = anchorOf(m[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** Every relative link of a page outside code: its target file (from the root) and anchor. */
export function linksOf(page: string, markdown: string): Array<{ file: string; anchor?: string }> {
  const text = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  const out: Array<{ file: string; anchor?: string }> = [];
  for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    const href = m[1]!;
    if (/^[a-z]+:/i.test(href)) continue;
    const [path, anchor] = href.split('#') as [string, string | undefined];
    const file = path === '' ? page : normalize(join(dirname(page), path));
    out.push(anchor === undefined ? { file } : { file, anchor });
  }
  return out;
}

describe('links of the docs', () => {
  const pages = docPages();

  it('every relative link names a file that exists, and an anchor that page has', () => {
    const broken: string[] = [];
    let count = 0;
    for (const page of pages) {
      for (const link of linksOf(page.path, page.text)) {
        count++;
        const where = `${page.path} -> ${link.file}${link.anchor ? `#${link.anchor}` : ''}`;
        if (!existsSync(join(ROOT, link.file))) {
          broken.push(`${where}: no such file`);
          continue;
        }
        if (link.anchor === undefined || !link.file.endsWith('.md')) continue;
        if (!anchorsOf(readFileSync(join(ROOT, link.file), 'utf8')).has(link.anchor))
          broken.push(`${where}: no such heading`);
      }
    }
    expect(broken).toEqual([]);
    expect(count).toBeGreaterThan(30);
  });

  it('every page is reached from the README', () => {
    const readme = pages.find((p) => p.path === 'README.md')!;
    const reached = new Set(linksOf('README.md', readme.text).map((l) => l.file));
    const unreached = pages.filter((p) => p.path !== 'README.md' && !reached.has(p.path));
    expect(unreached.map((p) => p.path)).toEqual([]);
  });

  it('finds a broken link and a missing anchor (the check itself can fail)', () => {
    expect(linksOf('docs/a.md', 'see [x](../README.md#nope) and [y](b.md) `[z](c.md)`')).toEqual([
      { file: 'README.md', anchor: 'nope' },
      { file: 'docs/b.md' },
    ]);
    expect([...anchorsOf('# `ai-route cost`\n## Output formats\n## Output formats')]).toEqual([
      'ai-route-cost',
      'output-formats',
      'output-formats-1',
    ]);
  });

  it('keeps the README short: at most 250 lines', () => {
    const readme = pages.find((p) => p.path === 'README.md')!;
    expect(readme.text.split('\n').length).toBeLessThanOrEqual(250);
  });
});
