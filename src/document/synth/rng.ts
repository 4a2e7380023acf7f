/**
 * Seeded PRNG helpers for the synthetic card generator. Every generated value derives from a seed, so
 * outputs are reproducible: mulberry32 (32-bit state, fast, good enough for data generation).
 */

/** A function returning uniform floats in [0, 1). */
export type Rand = () => number;

/** mulberry32 PRNG. Any integer seed (strings: use `seedFrom`). */
export function mulberry32(seed: number): Rand {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 32-bit FNV-1a hash of a string, e.g. to derive independent sub-seeds ("front", "degrade", …). */
export function seedFrom(...parts: Array<string | number>): number {
  let h = 0x811c9dc5;
  const s = parts.join('\u0001');
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Convenience wrapper with common draws. */
export class Rng {
  readonly next: Rand;
  constructor(seed: number | Rand) {
    this.next = typeof seed === 'function' ? seed : mulberry32(seed);
  }
  /** uniform float in [a, b) */
  uniform(a = 0, b = 1): number {
    return a + (b - a) * this.next();
  }
  /** integer in [a, b] inclusive */
  int(a: number, b: number): number {
    return a + Math.floor(this.next() * (b - a + 1));
  }
  bool(p = 0.5): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  /** weighted pick: [[value, weight], …] */
  weighted<T>(xs: ReadonlyArray<readonly [T, number]>): T {
    const total = xs.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [v, w] of xs) {
      r -= w;
      if (r < 0) return v;
    }
    return xs[xs.length - 1][0];
  }
  /** standard normal (Box–Muller) */
  normal(mean = 0, sd = 1): number {
    const u = Math.max(1e-12, this.next());
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  /** a shuffled copy (Fisher–Yates) */
  shuffle<T>(xs: readonly T[]): T[] {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }
  /** a fresh independent Rng derived from this one */
  fork(): Rng {
    return new Rng(mulberry32(Math.floor(this.next() * 4294967296)));
  }
}
