import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmulatorLink } from '../../src/emulators/emulator-link.js';
import { serveRtu } from '../../src/emulators/emulator-rtu.js';
import { serveTcp } from '../../src/emulators/emulator-tcp.js';
import { createPtyPair } from '../../src/emulators/pty-pair.js';
import { createSerialLink } from '../../src/modbus/modbus-link-serial.js';
import { createTcpLink } from '../../src/modbus/modbus-link-tcp.js';
import { requireTool } from '../helpers/require-tool.js';
import { modbusLinkContract } from './modbus-link.contract.js';

modbusLinkContract('in-memory emulator link', async (emulator) => {
  const link = createEmulatorLink(emulator, { timeoutMs: 2000 });
  return { link, close: () => link.close() };
});

modbusLinkContract('Modbus TCP (MbapClient) to the TCP emulator', async (emulator) => {
  const server = await serveTcp(emulator);
  const link = createTcpLink({ host: '127.0.0.1', port: server.port, timeoutMs: 2000 });
  return {
    link,
    close: async () => {
      await link.close();
      await server.close();
    },
  };
});

modbusLinkContract('Modbus RTU (modbus-serial) over a socat pty to the RTU emulator', async (emulator) => {
  requireTool(existsSync('/usr/bin/socat'), 'socat');
  const dir = mkdtempSync(join(tmpdir(), 'cb-contract-'));
  const pair = await createPtyPair(join(dir, 'm'), join(dir, 'e'));
  const port = await serveRtu(emulator, { path: pair.pathB });
  const link = createSerialLink({ path: pair.pathA, baudRate: 115200, timeoutMs: 2000 });
  return {
    link,
    close: async () => {
      await link.close();
      await port.close();
      await pair.close();
    },
  };
});
