import { describe, expect, it } from 'vitest';
import {
  applyBayChanges,
  decodeBayChanges,
  diffBayStates,
  encodeBayChanges,
  packBayStates,
  unpackBayStates,
} from '../src/bay-states.js';

describe('bay bitmaps', () => {
  it('packs 2 bits per bay and unpacks them again', () => {
    const states = Uint8Array.from([0, 1, 2, 1, 2, 2, 0]);
    const packed = packBayStates(states);
    expect(packed.length).toBe(2);
    expect(packed[0]).toBe(0b01_10_01_00);
    expect([...unpackBayStates(packed, states.length)]).toEqual([...states]);
  });

  it('delta-codes changes so that nearby bays cost one byte each', () => {
    const changes = [
      { index: 40, state: 2 as const },
      { index: 3, state: 1 as const },
      { index: 41, state: 0 as const },
    ];
    const encoded = encodeBayChanges(changes);
    expect(encoded).toEqual([(3 << 2) | 1, (37 << 2) | 2, (1 << 2) | 0]);
    expect(decodeBayChanges(encoded)).toEqual([
      { index: 3, state: 1 },
      { index: 40, state: 2 },
      { index: 41, state: 0 },
    ]);
  });

  it('diff then apply turns the old states into the new ones', () => {
    const before = Uint8Array.from([1, 1, 2, 0, 2]);
    const after = Uint8Array.from([2, 1, 2, 1, 0]);
    const changes = diffBayStates(before, after);
    expect(changes.map((c) => c.index)).toEqual([0, 3, 4]);
    const copy = before.slice();
    applyBayChanges(copy, decodeBayChanges(encodeBayChanges(changes)));
    expect([...copy]).toEqual([...after]);
  });
});
