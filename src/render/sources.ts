import type { Origin } from '../domain/sources.js';

/**
 * A source as a board can look it up: a document by its title and publisher (or that the copy
 * names none), a catalog by its name, date and URL, a quote file by its name.
 */
export function citeOrigin(o: Origin): string {
  if (o.kind === 'catalog')
    return (
      `${o.title}${o.date === undefined ? '' : ` of ${o.date}`}` +
      `${o.url === undefined ? '' : `, ${o.url}`}`
    );
  if (o.kind === 'file') return `the quote file ${o.title}`;
  const publisher = o.publisher ?? 'publisher not named in the copy ai-route holds';
  const about = o.about === undefined ? '' : `; ${o.about}`;
  const read = o.date === undefined ? '' : `, read ${o.date}`;
  return `"${o.title}" (${publisher}${about})${read}`;
}
