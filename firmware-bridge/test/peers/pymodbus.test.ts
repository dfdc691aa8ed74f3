// The project's links, scheduler and poller against a Modbus slave that is not ours: pymodbus over a socat
// pty pair (RTU) and over TCP (where the link uses the project's own MBAP client). Checks values, an unknown
// unit id (timeout) and an illegal address (exception 2).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isCitybayError } from '@citybay/common';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPtyPair, type PtyPair } from '../../src/emulators/pty-pair.js';
import type { BusScheduler } from '../../src/modbus/bus-scheduler-types.js';
import { createBusScheduler } from '../../src/modbus/bus-scheduler.js';
import type { ModbusLink } from '../../src/modbus/modbus-link.js';
import { createSerialLink } from '../../src/modbus/modbus-link-serial.js';
import { createTcpLink } from '../../src/modbus/modbus-link-tcp.js';
import { createPoller } from '../../src/poller/poller.js';
import { parseProfile } from '../../src/profiles/load-profile.js';
import { requireTool } from '../helpers/require-tool.js';

const PYTHON = '/usr/bin/python3';
const SERVER = fileURLToPath(new URL('./pymodbus-server.py', import.meta.url));
const hasPymodbus = (() => {
  try {
    execFileSync(PYTHON, ['-c', 'import pymodbus']);
    return existsSync('/usr/bin/socat');
  } catch {
    return false;
  }
})();

/** Starts pymodbus for one transport and opens the project's link to it; `close` stops both ends. */
interface Peer {
  link: ModbusLink;
  close(): Promise<void>;
}

function startServer(args: string[]): Promise<{ server: ChildProcess; readyLine: string }> {
  const server = spawn(PYTHON, [SERVER, ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    server.stdout!.on('data', (chunk: Buffer) => {
      const line = chunk.toString();
      if (line.includes('ready')) resolve({ server, readyLine: line.trim() });
    });
    server.once('exit', (code) => reject(new Error(`pymodbus server exited with ${code}`)));
  });
}

async function rtuPeer(): Promise<Peer> {
  const dir = mkdtempSync(join(tmpdir(), 'cb-pymodbus-'));
  const pair: PtyPair = await createPtyPair(join(dir, 'master'), join(dir, 'slave'));
  const { server } = await startServer(['rtu', pair.pathB, '19200']);
  const link = createSerialLink({ path: pair.pathA, baudRate: 19200, timeoutMs: 1000 });
  return {
    link,
    close: async () => {
      server.kill();
      await pair.close();
    },
  };
}

async function tcpPeer(): Promise<Peer> {
  const { server, readyLine } = await startServer(['tcp']);
  const port = Number(readyLine.split(/\s+/)[1]);
  const link = createTcpLink({ host: '127.0.0.1', port, timeoutMs: 1000 });
  return {
    link,
    close: async () => {
      server.kill();
    },
  };
}

requireTool(hasPymodbus, 'pymodbus with socat', 'python3-pymodbus socat');

describe.each([
  ['RTU over socat', rtuPeer],
  ["TCP, the project's MBAP client", tcpPeer],
] as const)('poller against pymodbus (%s)', (_transport, startPeer) => {
  let peer: Peer;
  let scheduler: BusScheduler;

  beforeAll(async () => {
    peer = await startPeer();
    await peer.link.open();
    scheduler = createBusScheduler({ link: peer.link, timeoutMs: 1000, retries: 0, quarantine: { afterFailures: 3 } });
    // pymodbus may need a moment after "ready" before its reader runs.
    await vi.waitFor(() => scheduler.readWords(1, 'holding', 0, 1), { timeout: 10_000, interval: 10 });
  }, 30_000);

  afterAll(async () => {
    await scheduler?.close();
    await peer?.close();
  });

  it('reads registers, bits and a 32-bit counter through the poller', async () => {
    const profile = parseProfile(
      JSON.stringify({
        name: 'pymodbus-peer',
        description: 'the pymodbus test slave',
        kind: 'bay-controller',
        bayCount: 64,
        pollGroups: { default: { intervalMs: 1000 } },
        points: [
          { name: 'bays', register: 'discrete', address: 0, count: 64, decode: { type: 'bit-per-bay' } },
          { name: 'total', register: 'input', address: 0, count: 2, decode: { type: 'counter', width: 32 } },
          { name: 'h0', register: 'holding', address: 0, count: 1, decode: { type: 'value' } },
          { name: 'h9', register: 'holding', address: 9, count: 1, decode: { type: 'value' } },
        ],
      }),
      'pymodbus-peer.json',
    );
    const poller = createPoller({ scheduler, devices: [{ id: 'peer', unitId: 1, profile }], coalesceGap: 8 });
    const [reading] = await poller.pollAll();
    expect(reading!.bays.filter((b) => b.state === 'occupied').map((b) => b.bay)).toEqual([0, 5, 63]);
    expect(reading!.counters.total!.value).toBe(123456);
    expect(reading!.points.h0!.value).toBe(100);
    expect(reading!.points.h9!.value).toBe(109);
  });

  it('maps an illegal address to CB_MODBUS_EXCEPTION with code 2', async () => {
    const err = await scheduler.readWords(1, 'holding', 50, 2).catch((e: unknown) => e);
    expect(isCitybayError(err, 'CB_MODBUS_EXCEPTION')).toBe(true);
    expect((err as { modbusCode: number }).modbusCode).toBe(2);
  });

  it('times out on an unknown unit id, and unit 1 still answers', async () => {
    const err = await scheduler.readWords(9, 'holding', 0, 1).catch((e: unknown) => e);
    expect(isCitybayError(err, 'CB_MODBUS_TIMEOUT')).toBe(true);
    expect(scheduler.counters(9).timeouts).toBe(1);
    expect(await scheduler.readWords(1, 'holding', 1, 2)).toEqual([101, 102]);
  });
});
