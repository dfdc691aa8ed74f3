import type { SeededRandom } from '@citybay/common';

/** A normal distribution truncated to `[min, max]` (by redrawing; clamped after 20 tries). Units follow the field. */
export interface TruncatedNormal {
  mean: number;
  sd: number;
  min?: number;
  max?: number;
}

/** Draws from a standard normal with the Box–Muller transform (two uniforms per draw, for reproducibility). */
export function drawStandardNormal(random: SeededRandom): number {
  const u1 = 1 - random.next();
  const u2 = random.next();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

export function drawTruncatedNormal(random: SeededRandom, spec: TruncatedNormal): number {
  const min = spec.min ?? Number.NEGATIVE_INFINITY;
  const max = spec.max ?? Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < 20; attempt++) {
    const value = spec.mean + spec.sd * drawStandardNormal(random);
    if (value >= min && value <= max) return value;
  }
  return Math.min(max, Math.max(min, spec.mean));
}

/** Picks an index with probability proportional to `weights` (non-negative, not all zero). */
export function drawWeighted(random: SeededRandom, weights: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i]!;
  let target = random.next() * total;
  for (let i = 0; i < weights.length; i++) {
    target -= weights[i]!;
    if (target < 0) return i;
  }
  return weights.length - 1;
}

/** Derives an independent stream for one purpose from a scenario seed, so adding draws elsewhere changes nothing here. */
export function subSeed(seed: number, stream: number): number {
  let h = (seed ^ Math.imul(stream + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
