import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listSerialPorts } from '../../src/modbus/list-serial-ports.js';

describe('listSerialPorts', () => {
  it('lists through serialport where it works', async () => {
    const ports = await listSerialPorts({
      list: async () => [{ path: '/dev/ttyUSB0', manufacturer: 'FTDI', vendorId: '0403' }],
    });
    expect(ports).toEqual([{ path: '/dev/ttyUSB0', manufacturer: 'FTDI', vendorId: '0403' }]);
    expect(Array.isArray(await listSerialPorts())).toBe(true);
  });

  it('falls back to device nodes when the system list fails (no udevadm in a container)', async () => {
    const dev = mkdtempSync(join(tmpdir(), 'cb-dev-'));
    for (const name of ['ttyUSB0', 'ttyAMA0', 'null', 'tty1', 'ttyACM3']) writeFileSync(join(dev, name), '');
    const failing = async () => {
      throw Object.assign(new Error('spawn udevadm ENOENT'), { code: 'ENOENT' });
    };
    const ports = await listSerialPorts({ devDir: dev, list: failing });
    expect(ports.map((p) => p.path)).toEqual(['ttyACM3', 'ttyAMA0', 'ttyUSB0'].map((n) => `${dev}/${n}`));
    expect(await listSerialPorts({ devDir: '/nonexistent', list: failing })).toEqual([]);
  });
});
