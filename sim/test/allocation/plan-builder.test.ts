import { describe, expect, it } from 'vitest';
import { byStartThenCar } from '../../src/allocation/plan-builder.js';

/** The order the zone assignment had before: a comparator sort by start, then by car. */
function comparatorOrder(startMin: Float64Array): number[] {
  return Array.from({ length: startMin.length }, (_, i) => i).sort((x, y) => {
    const sx = startMin[x] as number;
    const sy = startMin[y] as number;
    return sx < sy ? -1 : sx > sy ? 1 : x - y;
  });
}

describe('byStartThenCar', () => {
  it('orders cars by start, then by car, as a comparator sort does', () => {
    // Ties, fractional minutes, zero and minus zero (equal as starts), in a scrambled order.
    let seed = 7;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const starts = [0, -0, 0.5, 420, 420, 437.25, 1439.5, 60];
    const startMin = Float64Array.from({ length: 500 }, () => starts[Math.floor(next() * starts.length)] as number);
    expect(Array.from(byStartThenCar(startMin))).toEqual(comparatorOrder(startMin));
  });

  it('answers an empty order for no cars and the one car for one', () => {
    expect(Array.from(byStartThenCar(new Float64Array(0)))).toEqual([]);
    expect(Array.from(byStartThenCar(Float64Array.of(12)))).toEqual([0]);
  });

  it('keeps the cars in order when every start is the same', () => {
    expect(Array.from(byStartThenCar(new Float64Array(5).fill(480)))).toEqual([0, 1, 2, 3, 4]);
  });
});
