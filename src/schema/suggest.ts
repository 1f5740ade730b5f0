/** Edit distance (insert, delete, substitute, swap of neighbours), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const rows: number[][] = Array.from({ length: s.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= t.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      }
      rows[i]![j] = best;
    }
  }
  return rows[s.length]![t.length]!;
}

/**
 * Candidates worth suggesting for a mistyped name, nearest first. Only suggestions: lookups
 * themselves are exact, because a fuzzy match once priced the wrong model (research/cost.md).
 */
export function closest(wanted: string, names: Iterable<string>, limit = 3): string[] {
  const w = wanted.toLowerCase();
  const scored: Array<{ name: string; score: number }> = [];
  for (const name of names) {
    const n = name.toLowerCase();
    let score = editDistance(w, n);
    // "gpt4o" vs "openai/gpt-4o": compare against the part after the last slash as well
    const tail = n.slice(n.lastIndexOf('/') + 1);
    if (tail !== n) score = Math.min(score, editDistance(w, tail) + 1);
    if (w.length >= 3 && (n.includes(w) || w.includes(tail))) score = Math.min(score, 2);
    const allowed = Math.max(2, Math.floor(Math.max(w.length, tail.length) / 3));
    if (score <= allowed) scored.push({ name, score });
  }
  scored.sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
  return [...new Set(scored.map((s) => s.name))].slice(0, limit);
}
