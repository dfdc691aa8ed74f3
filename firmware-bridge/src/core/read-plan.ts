/**
 * Coalesces a device's profile points into as few read requests as the protocol allows: points of
 * the same table and poll group that are contiguous (or within `coalesceGap`) become one request of
 * at most 125 registers or 2000 bits.
 */
import type { RegisterKind } from '../modbus/modbus-link.js';
import type { ProfilePoint } from '../profiles/device-profile.js';
import { MAX_READ_BITS, MAX_READ_REGISTERS } from './modbus-pdu.js';

export interface ReadBlock {
  pollGroup: string;
  register: RegisterKind;
  address: number;
  count: number;
  /** Points served by this block and where their data starts within it. */
  points: { point: ProfilePoint; offset: number }[];
}

export function pointPollGroup(point: ProfilePoint): string {
  return point.pollGroup ?? 'default';
}

export function planReads(points: readonly ProfilePoint[], coalesceGap = 0): ReadBlock[] {
  const sorted = [...points].sort(
    (a, b) =>
      pointPollGroup(a).localeCompare(pointPollGroup(b)) ||
      a.register.localeCompare(b.register) ||
      a.address - b.address,
  );
  const blocks: ReadBlock[] = [];
  let current: ReadBlock | undefined;
  for (const point of sorted) {
    const group = pointPollGroup(point);
    const max = point.register === 'coil' || point.register === 'discrete' ? MAX_READ_BITS : MAX_READ_REGISTERS;
    const end = point.address + point.count;
    if (
      current !== undefined &&
      current.pollGroup === group &&
      current.register === point.register &&
      point.address <= current.address + current.count + coalesceGap &&
      Math.max(end, current.address + current.count) - current.address <= max
    ) {
      current.count = Math.max(end, current.address + current.count) - current.address;
      current.points.push({ point, offset: point.address - current.address });
      continue;
    }
    current = { pollGroup: group, register: point.register, address: point.address, count: point.count, points: [] };
    current.points.push({ point, offset: 0 });
    blocks.push(current);
  }
  return blocks;
}
