import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmulatorLink } from '../../src/emulators/emulator-link.js';
import { ModbusEmulator } from '../../src/emulators/modbus-emulator.js';
import { createPtyPair } from '../../src/emulators/pty-pair.js';
import { serveVirtualTextSign } from '../../src/emulators/virtual-text-sign.js';
import { createBusScheduler } from '../../src/modbus/bus-scheduler.js';
import { loadProfile } from '../../src/profiles/load-profile.js';
import { createModbusRegisterSign } from '../../src/signs/modbus-register-sign.js';
import { createMultiTextSign } from '../../src/signs/multi-text-sign.js';
import { createVirtualSign } from '../../src/signs/virtual-sign.js';
import { requireTool } from '../helpers/require-tool.js';
import { guidanceSignContract } from './guidance-sign.contract.js';

const signProfile = await loadProfile('modbus-sign');

guidanceSignContract('Modbus-register sign', async () => {
  const emulator = new ModbusEmulator({ profile: signProfile, unitIds: [9] });
  const link = createEmulatorLink(emulator, { timeoutMs: 1000 });
  await link.open();
  const scheduler = createBusScheduler({ link, timeoutMs: 1000 });
  const sign = createModbusRegisterSign({ id: 's', scheduler, unitId: 9, profile: signProfile });
  return { sign, close: () => scheduler.close() };
});

guidanceSignContract('MULTI text sign over a socat pty', async () => {
  requireTool(existsSync('/usr/bin/socat'), 'socat');
  const dir = mkdtempSync(join(tmpdir(), 'cb-sign-contract-'));
  const pair = await createPtyPair(join(dir, 'driver'), join(dir, 'sign'));
  const config = { lines: 2, charsPerLine: 16 };
  const virtual = await serveVirtualTextSign({ path: pair.pathB, sign: config });
  const sign = createMultiTextSign({ id: 't', path: pair.pathA, sign: config, ackTimeoutMs: 1000 });
  return {
    sign,
    close: async () => {
      await sign.close();
      await virtual.close();
      await pair.close();
    },
  };
});

guidanceSignContract('virtual sign (no hardware)', async () => {
  const sign = createVirtualSign({ id: 'v', lines: 2 });
  return { sign, close: () => sign.close() };
});
