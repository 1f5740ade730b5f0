import type { Distribution } from '../domain/mock.js';

/** A seeded generator of floats in [0, 1): mulberry32, small and well studied. */
export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * An independent stream per (seed, name, n): request 7 of a model draws the same numbers whatever
 * ran before it.
 */
export function rngFor(seed: number, name: string, n: number): Rng {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const ch of `${name}#${n}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return mulberry32(h);
}

function standardNormal(rng: Rng): number {
  // Box-Muller; 1 - u keeps the logarithm finite
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** One draw in milliseconds, never negative. */
export function sample(d: Distribution, rng: Rng): number {
  switch (d.dist) {
    case 'constant':
      return d.ms;
    case 'uniform':
      return d.min_ms + (d.max_ms - d.min_ms) * rng();
    case 'normal':
      return Math.max(0, d.mean_ms + d.sd_ms * standardNormal(rng));
    case 'lognormal':
      return d.median_ms * Math.exp(d.sigma * standardNormal(rng));
  }
}

/** A Gamma(shape, 1) draw for shape >= 1 (Marsaglia and Tsang). */
export function gamma(shape: number, rng: Rng): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = standardNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v)))
      return d * v;
  }
}

/** A Dirichlet draw: weights that sum to 1, spread around alpha / sum(alpha). */
export function dirichlet(alpha: readonly number[], rng: Rng): number[] {
  const g = alpha.map((a) => gamma(a, rng));
  const total = g.reduce((s, v) => s + v, 0);
  return g.map((v) => v / total);
}
