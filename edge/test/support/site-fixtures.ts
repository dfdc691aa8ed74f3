import type { DeviceReading } from '@citybay/firmware-bridge';
import type { SiteFile } from '../../src/config/site-config-schema.js';

/** A small site: lot P1 (zones A: 8 bays on ctrl-1, B: 8 bays on ctrl-2, 2 of them accessible), gate-counted lot P2. */
export function smallSite(): SiteFile {
  return {
    site: { id: 'hospital-north' },
    edge: { id: 'edge-01' },
    configVersion: 'v1',
    buses: [
      {
        id: 'bus1',
        transport: 'tcp',
        host: '127.0.0.1',
        port: 1502,
        devices: [
          { id: 'ctrl-1', profile: 'bit-per-bay-64', unitId: 1 },
          { id: 'ctrl-2', profile: 'bit-per-bay-64', unitId: 2 },
          { id: 'gate-1', profile: 'gate-counter', unitId: 3 },
        ],
      },
    ],
    lots: [
      {
        id: 'P1',
        zones: [
          { id: 'A', bays: [{ prefix: 'A', count: 8, pad: 2, device: 'ctrl-1', deviceBay: 0 }] },
          {
            id: 'B',
            bays: [
              { prefix: 'B', count: 6, device: 'ctrl-2', deviceBay: 0 },
              { prefix: 'BX', count: 2, kind: 'accessible', device: 'ctrl-2', deviceBay: 6 },
            ],
          },
        ],
      },
      {
        id: 'P2',
        gateCounting: {
          capacity: 100,
          gates: [
            {
              id: 'main',
              entries: { device: 'gate-1', counter: 'entries' },
              exits: { device: 'gate-1', counter: 'exits' },
            },
          ],
        },
      },
    ],
    signs: [
      {
        id: 'vms-1',
        location: 'Hospital Rd',
        driver: { type: 'virtual', lines: 3 },
        lines: [
          { label: 'P1', lot: 'P1', arrow: 'left' },
          { label: 'P1A', lot: 'P1', zone: 'A', arrow: 'ahead' },
          { label: 'P2', lot: 'P2', arrow: 'right' },
        ],
      },
    ],
    central: { url: 'http://127.0.0.1:1', secret: `cbk_${'A'.repeat(43)}` },
    outbox: { path: 'outbox.db' },
  };
}

/** A reading of `deviceId` where bay i is occupied when `occupied[i]`, the rest free. */
export function reading(
  deviceId: string,
  bayCount: number,
  atMs: number,
  occupied: (i: number) => boolean,
): DeviceReading {
  return {
    deviceId,
    unitId: 1,
    atMs,
    health: 'ok',
    bays: Array.from({ length: bayCount }, (_, bay) => ({ bay, state: occupied(bay) ? 'occupied' : 'free' })),
    counters: {},
    status: {},
    points: { bays: { value: null, lastGoodMs: atMs, isStale: false } },
  };
}

export function counterReading(deviceId: string, atMs: number, entries: number, exits: number): DeviceReading {
  const counter = (value: number) => ({ value, lastGoodMs: atMs, isStale: false });
  return {
    deviceId,
    unitId: 3,
    atMs,
    health: 'ok',
    bays: [],
    counters: { entries: counter(entries), exits: counter(exits) },
    status: {},
    points: { entries: counter(entries), exits: counter(exits) },
  };
}
