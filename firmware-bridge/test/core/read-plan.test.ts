import { describe, expect, it } from 'vitest';
import { planReads } from '../../src/core/read-plan.js';
import type { ProfilePoint } from '../../src/profiles/device-profile.js';

const value = { type: 'value' as const };
const point = (
  name: string,
  register: ProfilePoint['register'],
  address: number,
  count: number,
  pollGroup = 'g',
): ProfilePoint => ({
  name,
  register,
  address,
  count,
  pollGroup,
  decode: register === 'coil' || register === 'discrete' ? { type: 'bit-per-bay' } : value,
});

describe('planReads', () => {
  it('coalesces contiguous points of the same table and group into one request', () => {
    const blocks = planReads([point('b', 'input', 1, 1), point('a', 'input', 0, 1), point('c', 'input', 2, 2)]);
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toMatchObject({ register: 'input', address: 0, count: 4 });
    expect(blocks[0]!.points.map((p) => [p.point.name, p.offset])).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 2],
    ]);
  });

  it('keeps tables, groups and gaps apart unless coalesceGap allows', () => {
    const points = [
      point('a', 'input', 0, 1),
      point('b', 'input', 5, 1),
      point('c', 'holding', 1, 1),
      point('d', 'input', 1, 1, 'h'),
    ];
    expect(planReads(points)).toHaveLength(4);
    expect(planReads(points, 4).filter((b) => b.register === 'input' && b.pollGroup === 'g')).toHaveLength(1);
  });

  it('never exceeds 125 registers or 2000 bits per request', () => {
    const words = Array.from({ length: 5 }, (_, i) => point(`w${i}`, 'holding', i * 60, 60));
    expect(planReads(words).map((b) => b.count)).toEqual([120, 120, 60]);
    const bits = Array.from({ length: 3 }, (_, i) => point(`b${i}`, 'discrete', i * 1000, 1000));
    expect(planReads(bits).map((b) => b.count)).toEqual([2000, 1000]);
  });
});
