import { describe, expect, it } from 'vitest';
import { TimeAxis } from '../../src/allocation/time-axis.js';

describe('TimeAxis', () => {
  it('holds 0 and every minute given once, in order, from an array or any iterable', () => {
    const minutes = [480, 15.5, 480, 1440, -0, 0, 15.5, 90, 7];
    const fromArray = new TimeAxis(minutes);
    expect([...fromArray.pointMin]).toEqual([0, 7, 15.5, 90, 480, 1440]);
    expect(Object.is(fromArray.pointMin[0], 0)).toBe(true);
    expect([...new TimeAxis(new Set(minutes)).pointMin]).toEqual([...fromArray.pointMin]);
    expect([...new TimeAxis([]).pointMin]).toEqual([0]);
    expect(fromArray.pointCount).toBe(6);
    expect(fromArray.atOrBefore(100)).toBe(3);
  });
});
