import { describe, expect, it } from 'vitest';
import { lineDriverFollows } from '../src/driver-reading.js';
import type { FaceLine } from '../src/guidance-types.js';

const line = (value: FaceLine['value']): FaceLine => ({ label: 'X', arrow: 'ahead', value, colour: 'green' });

describe('lineDriverFollows', () => {
  it('follows the first line, top down, that shows free bays', () => {
    expect(lineDriverFollows([line('FULL'), line(0), line(12), line(40)])).toBe(2);
    expect(lineDriverFollows([line(3), line(40)])).toBe(0);
  });

  it('is sent nowhere by FULL, CLOSED, zero, text or a blank sign', () => {
    expect(lineDriverFollows([line('FULL'), line('CLOSED'), line(0), line({ text: 'EVENT' })])).toBe(-1);
    expect(lineDriverFollows([])).toBe(-1);
  });
});
