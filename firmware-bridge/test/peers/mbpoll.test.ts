// The project's emulators read by an independent Modbus master, mbpoll (Debian), over RTU on a
// socat pty pair and over TCP.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveRtu } from '../../src/emulators/emulator-rtu.js';
import { type EmulatorTcpServer, serveTcp } from '../../src/emulators/emulator-tcp.js';
import { ModbusEmulator } from '../../src/emulators/modbus-emulator.js';
import { createPtyPair, type PtyPair } from '../../src/emulators/pty-pair.js';
import { loadProfile } from '../../src/profiles/load-profile.js';
import { requireTool } from '../helpers/require-tool.js';

const hasMbpoll = existsSync('/usr/bin/mbpoll') && existsSync('/usr/bin/socat');

function mbpoll(args: string[]): Promise<{ code: number; values: Map<number, number>; output: string }> {
  return new Promise((resolve) => {
    execFile('mbpoll', [...args, '-1', '-q'], { timeout: 10_000 }, (err, stdout, stderr) => {
      const values = new Map<number, number>();
      for (const match of stdout.matchAll(/^\[(\d+)\]:\s+(-?\d+)/gm)) values.set(Number(match[1]), Number(match[2]));
      resolve({
        code: err === null ? 0 : Number((err as { code?: number }).code ?? 1),
        values,
        output: stdout + stderr,
      });
    });
  });
}

requireTool(hasMbpoll, 'mbpoll with socat', 'mbpoll socat');

describe('emulator read by mbpoll', () => {
  let bits: ModbusEmulator;
  let counter: ModbusEmulator;
  let pair: PtyPair;
  let tcp: EmulatorTcpServer;

  beforeAll(async () => {
    bits = new ModbusEmulator({ profile: await loadProfile('bit-per-bay-64'), unitIds: [1, 2] });
    bits.setBay(2, 0, true);
    bits.setBay(2, 9, 'occupied');
    bits.setBay(2, 63, true);
    bits.setStatusFlag(2, 'cabinetDoorOpen', true);
    const dir = mkdtempSync(join(tmpdir(), 'cb-mbpoll-'));
    pair = await createPtyPair(join(dir, 'master'), join(dir, 'emulator'));
    await serveRtu(bits, { path: pair.pathB, baudRate: 19200, isPaced: true });
    counter = new ModbusEmulator({ profile: await loadProfile('gate-counter'), unitIds: [5] });
    counter.setValue(5, 'entries', 0x00012345);
    counter.setValue(5, 'exits', 42);
    tcp = await serveTcp(counter);
  });

  afterAll(async () => {
    await bits?.close();
    await counter?.close();
    await pair?.close();
  });

  it('reads bays (discrete inputs) and the status register over RTU', async () => {
    const serial = ['-m', 'rtu', '-b', '19200', '-P', 'none', '-a', '2'];
    const bays = await mbpoll([...serial, '-t', '1', '-0', '-r', '0', '-c', '64', pair.pathA]);
    expect(bays.code, bays.output).toBe(0);
    expect([...bays.values].filter(([, v]) => v === 1).map(([ref]) => ref)).toEqual([0, 9, 63]);
    // 1-based reference 30001 is wire address 0 of the input registers.
    const status = await mbpoll([...serial, '-t', '3', '-r', '1', '-c', '1', pair.pathA]);
    expect(status.values.get(1)).toBe(0b100);
  });

  it('gets an exception for an undefined address and silence for an unknown unit over RTU', async () => {
    const serial = ['-m', 'rtu', '-b', '19200', '-P', 'none'];
    const illegal = await mbpoll([...serial, '-a', '1', '-t', '4', '-0', '-r', '500', '-c', '1', pair.pathA]);
    expect(illegal.output).toMatch(/Illegal data address/i);
    const unknown = await mbpoll([
      ...serial,
      '-a',
      '9',
      '-o',
      '0.2',
      '-t',
      '1',
      '-0',
      '-r',
      '0',
      '-c',
      '8',
      pair.pathA,
    ]);
    expect(unknown.output).toMatch(/timed out|Connection timed out/i);
    expect(bits.recorded.some((r) => r.unitId === 9 && r.outcome === 'no-reply')).toBe(true);
  });

  it('reads the 32-bit gate counters (low word first) over TCP', async () => {
    const result = await mbpoll([
      '-m',
      'tcp',
      '-p',
      String(tcp.port),
      '-a',
      '5',
      '-t',
      '4',
      '-0',
      '-r',
      '0',
      '-c',
      '4',
      '127.0.0.1',
    ]);
    expect(result.code, result.output).toBe(0);
    expect([0, 1, 2, 3].map((ref) => result.values.get(ref))).toEqual([0x2345, 0x0001, 42, 0]);
  });

  it('writes a holding register over TCP and the emulator records it', async () => {
    const result = await mbpoll([
      '-m',
      'tcp',
      '-p',
      String(tcp.port),
      '-a',
      '5',
      '-t',
      '4',
      '-0',
      '-r',
      '10',
      '127.0.0.1',
      '7',
    ]);
    expect(result.code, result.output).toBe(0);
    expect(counter.bank(5).readWords('holding', 10, 1)).toEqual([7]);
    expect(counter.recorded.at(-1)).toMatchObject({ unitId: 5, fc: 6, address: 10, outcome: 'reply' });
  });
});
