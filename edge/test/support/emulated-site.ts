/**
 * A site on emulators over real TCP sockets: a bay controller emulator (units 1 and 2, 16 bays each
 * used), a Modbus register sign emulator (unit 10), a central peer, and the site file for them.
 */
import { join } from 'node:path';
import { type EmulatorTcpServer, loadProfile, ModbusEmulator, serveTcp } from '@citybay/firmware-bridge';
import type { SiteFile } from '../../src/config/site-config-schema.js';
import { CentralPeer, TEST_SECRET } from '../../src/testing/index.js';

export interface EmulatedSite {
  sensors: ModbusEmulator;
  sign: ModbusEmulator;
  peer: CentralPeer;
  file: SiteFile;
  close(): Promise<void>;
}

export interface EmulatedSiteOptions {
  dir: string;
  pollIntervalMs: number;
  summaryMs?: number;
}

export async function startEmulatedSite(options: EmulatedSiteOptions): Promise<EmulatedSite> {
  const sensors = new ModbusEmulator({ profile: await loadProfile('bit-per-bay-64'), unitIds: [1, 2] });
  const sign = new ModbusEmulator({ profile: await loadProfile('modbus-sign'), unitIds: [10] });
  const servers: EmulatorTcpServer[] = [await serveTcp(sensors), await serveTcp(sign)];
  const peer = new CentralPeer('hospital-north', 'edge-01', TEST_SECRET);
  await peer.up();
  const file: SiteFile = {
    site: { id: 'hospital-north' },
    edge: { id: 'edge-01' },
    configVersion: 'test-1',
    buses: [
      {
        id: 'sensors',
        transport: 'tcp',
        host: '127.0.0.1',
        port: servers[0]!.port,
        timeoutMs: Math.min(250, options.pollIntervalMs / 2),
        retries: 0,
        devices: [
          { id: 'ctrl-1', profile: 'bit-per-bay-64', unitId: 1, pollIntervalsMs: { bays: options.pollIntervalMs } },
          { id: 'ctrl-2', profile: 'bit-per-bay-64', unitId: 2, pollIntervalsMs: { bays: options.pollIntervalMs } },
        ],
      },
      { id: 'signs', transport: 'tcp', host: '127.0.0.1', port: servers[1]!.port, devices: [] },
    ],
    lots: [
      {
        id: 'P1',
        zones: [
          { id: 'A', bays: [{ prefix: 'A', count: 16, device: 'ctrl-1', deviceBay: 0 }] },
          { id: 'B', bays: [{ prefix: 'B', count: 16, device: 'ctrl-2', deviceBay: 0 }] },
        ],
      },
    ],
    signs: [
      {
        id: 'vms-1',
        location: 'entrance',
        driver: { type: 'modbus', bus: 'signs', unitId: 10, profile: 'modbus-sign' },
        lines: [
          { label: 'A', lot: 'P1', zone: 'A', arrow: 'left' },
          { label: 'B', lot: 'P1', zone: 'B', arrow: 'right' },
        ],
      },
    ],
    central: { url: peer.url, secret: TEST_SECRET, syncIntervalMs: 100, backoffInitialMs: 50, backoffMaxMs: 500 },
    outbox: { path: join(options.dir, 'outbox.db') },
    intervals: { debounceMs: 0, summaryMs: options.summaryMs ?? 200, planMs: 50, snapshotEvery: 20 },
    http: { port: 0 },
    logLevel: 'warn',
  };
  return {
    sensors,
    sign,
    peer,
    file,
    async close() {
      await peer.down();
      await Promise.all(servers.map((s) => s.close()));
    },
  };
}

/** The sign's lines as the emulated sign holds them: counts, or FULL/CLOSED. */
export function signValues(sign: ModbusEmulator): unknown[] {
  return sign.signMessage(10)?.lines.map((l) => l.value) ?? [];
}
