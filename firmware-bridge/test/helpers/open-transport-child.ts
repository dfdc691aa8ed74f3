/**
 * Run in a process of its own by `io/native-modules.test.ts`: imports the package, opens the transport
 * named by argv[2], and prints (as JSON) which heavy packages the process has loaded by then.
 * These packages are CommonJS, so whatever loaded them, `import()` included, left them in `require.cache`.
 */
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createDigitalIO,
  createMultiTextSign,
  createPtyPair,
  createSerialLink,
  createTcpLink,
  loadProfile,
  ModbusEmulator,
  serveRtu,
  serveTcp,
} from '@citybay/firmware-bridge';

const HEAVY = new Set(['serialport', '@serialport/bindings-cpp', 'modbus-serial', 'onoff', 'epoll']);

function loadedHeavyPackages(): string[] {
  const names = new Set<string>();
  for (const file of Object.keys(createRequire(import.meta.url).cache)) {
    const name = /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1];
    if (name !== undefined && HEAVY.has(name)) names.add(name);
  }
  return [...names].sort();
}

const emulator = new ModbusEmulator({ profile: await loadProfile('bit-per-bay-64'), unitIds: [1] });
switch (process.argv[2]) {
  case 'create-only': {
    // Created, never opened: nothing is needed yet.
    createSerialLink({ path: '/dev/ttyUSB9' });
    createMultiTextSign({ id: 's', path: '/dev/ttyUSB9', sign: { lines: 1, charsPerLine: 8 } });
    break;
  }
  case 'tcp': {
    const server = await serveTcp(emulator);
    const link = createTcpLink({ host: '127.0.0.1', port: server.port, timeoutMs: 2000 });
    await link.open();
    await link.readDiscreteInputs(1, 0, 8);
    await link.close();
    break;
  }
  case 'rtu': {
    const dir = mkdtempSync(join(tmpdir(), 'cb-lazy-'));
    const pair = await createPtyPair(join(dir, 'm'), join(dir, 'e'));
    await serveRtu(emulator, { path: pair.pathB });
    const link = createSerialLink({ path: pair.pathA, baudRate: 115200, timeoutMs: 2000 });
    await link.open();
    await link.readDiscreteInputs(1, 0, 8);
    await link.close();
    await pair.close();
    break;
  }
  case 'gpio': {
    await (await createDigitalIO()).close();
    break;
  }
  default:
}
await emulator.close();
console.log(JSON.stringify(loadedHeavyPackages()));
