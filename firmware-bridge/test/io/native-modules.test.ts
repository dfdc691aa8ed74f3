// Importing @citybay/firmware-bridge must not load serialport, modbus-serial or onoff: each costs MB
// of RSS on the edge device. Each case runs in a fresh process, as the edge does.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { requireTool } from '../helpers/require-tool.js';

const CHILD = fileURLToPath(new URL('../helpers/open-transport-child.ts', import.meta.url));

async function heavyPackagesAfter(transport: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--conditions=@citybay/source', '--import', 'tsx', CHILD, transport],
    { timeout: 40_000 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as string[];
}

// Each child process compiles TypeScript with tsx: ~3.5 s at load 7, over 10 s at load 15 on two cores.
describe('heavy packages are loaded only by the transport that needs them', { timeout: 90_000 }, () => {
  it('loads none on import, nor when an RTU link and a serial sign are only created', async () => {
    expect(await heavyPackagesAfter('none')).toEqual([]);
    expect(await heavyPackagesAfter('create-only')).toEqual([]);
  });

  it('loads none for a Modbus TCP link that reads', async () => {
    expect(await heavyPackagesAfter('tcp')).toEqual([]);
  });

  it('loads modbus-serial and serialport, not onoff, for a Modbus RTU link that reads', async () => {
    requireTool(existsSync('/usr/bin/socat'), 'socat');
    expect(await heavyPackagesAfter('rtu')).toEqual(['@serialport/bindings-cpp', 'modbus-serial', 'serialport']);
  });

  it('loads onoff, not serialport, for GPIO', async () => {
    expect(await heavyPackagesAfter('gpio')).toEqual(['epoll', 'onoff']);
  });
});
