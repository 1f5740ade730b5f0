import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_DATA_DEPTH, nestingPast, scanJson } from '../../src/load/json-scan.js';

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('nesting is refused as it is read, in one pass', () => {
  it('takes 64 levels and refuses the 65th, at the bracket that opens it', () => {
    expect(nestingPast(nested(MAX_DATA_DEPTH), 'json')).toBeUndefined();
    expect(nestingPast(nested(MAX_DATA_DEPTH + 1), 'json')).toEqual({ line: 1, col: 65 });
    expect(nestingPast(`{\n  "a": ${nested(70)}\n}`, 'json')).toEqual({ line: 2, col: 71 });
    expect(nestingPast(`a:\n  b: ${nested(70)}`, 'yaml')).toEqual({ line: 2, col: 70 });
  });

  it('agrees with the depth JSON.parse builds, for any arrays and objects', () => {
    type Tree = { kind: 'list' | 'map'; items: Tree[] };
    const treeOf = (levels: number): fc.Arbitrary<Tree> =>
      fc.record({
        kind: fc.constantFrom<'list' | 'map'>('list', 'map'),
        items: levels === 0 ? fc.constant([]) : fc.array(treeOf(levels - 1), { maxLength: 3 }),
      });
    const tree = treeOf(8);
    const json = (x: Tree): string =>
      x.kind === 'list'
        ? `[${x.items.map(json).join(',')}]`
        : `{${x.items.map((v, i) => `"k${i}]}": ${json(v)}`).join(',')}}`;
    const depth = (v: unknown): number =>
      v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v).map(depth)) : 0;
    fc.assert(
      fc.property(tree, fc.integer({ min: 1, max: 6 }), (x, max) => {
        const text = json(x);
        expect(nestingPast(text, 'json', max) === undefined).toBe(depth(JSON.parse(text)) <= max);
      }),
    );
  });

  it('counts no bracket inside a string, a YAML comment or a YAML plain scalar', () => {
    const many = '['.repeat(100);
    expect(nestingPast(`{"note": "${many}", "b": "\\"${many}"}`, 'json')).toBeUndefined();
    for (const yaml of [
      `note: "${many}"`,
      `note: '${many}'`,
      `note: 'it''s ${many}'`,
      `# ${many}\nb: 1`,
      `b: 1 # ${many}`,
      `b: it's ${many}`,
      `b: a ${many} model`,
      ...Array.from({ length: 70 }, (_, i) => `m${i}: a [beta model`),
    ])
      expect(nestingPast(yaml, 'yaml'), yaml.slice(0, 30)).toBeUndefined();
    expect(nestingPast(`b: [${many}]`, 'yaml')).toEqual({ line: 1, col: 68 });
    expect(nestingPast(`- ${many}`, 'yaml')).toEqual({ line: 1, col: 67 });
  });

  it('refuses 100,000 levels in one linear pass, and places issues in deep JSON likewise', () => {
    // generous by construction: the pass takes ~3 ms; quadratic work took 14.7 s at 20,000 levels
    const start = performance.now();
    expect(nestingPast(nested(100_000), 'json')).toEqual({ line: 1, col: 65 });
    expect(nestingPast(`a: ${nested(100_000)}`, 'yaml')).toEqual({ line: 1, col: 68 });
    const deep = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
    const { places } = scanJson(deep, [['a', 'a']]);
    expect(places.get(JSON.stringify(['a', 'a']))).toEqual({ line: 1, col: 11 });
    expect(performance.now() - start).toBeLessThan(2_000);
  });
});
