// Real links (TCP: MbapClient; RTU: modbus-serial) against the emulator: TCP with a dropped connection
// and a server restart, RTU over a socat pty with CRC corruption, slow replies, and the port disappearing.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCitybayError } from '@citybay/common';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { serveRtu } from '../../src/emulators/emulator-rtu.js';
import { serveTcp } from '../../src/emulators/emulator-tcp.js';
import { ModbusEmulator } from '../../src/emulators/modbus-emulator.js';
import { createPtyPair } from '../../src/emulators/pty-pair.js';
import { createBusScheduler } from '../../src/modbus/bus-scheduler.js';
import type { ModbusLinkState } from '../../src/modbus/modbus-link.js';
import { createSerialLink } from '../../src/modbus/modbus-link-serial.js';
import { createTcpLink } from '../../src/modbus/modbus-link-tcp.js';
import { createPoller } from '../../src/poller/poller.js';
import { loadProfile } from '../../src/profiles/load-profile.js';
import { requireTool } from '../helpers/require-tool.js';

const bits = await loadProfile('bit-per-bay-64');
// Whatever a test opened is closed even when it fails, so no socat or socket outlives the run.
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (err: unknown) => (isCitybayError(err) ? err.code : String(err)),
  );

describe('Modbus TCP link', () => {
  it('reads through the poller, survives a dropped connection and a server restart', async () => {
    const emulator = new ModbusEmulator({ profile: bits, unitIds: [1] });
    emulator.setBay(1, 4, true);
    const server = await serveTcp(emulator);
    const link = createTcpLink({ host: '127.0.0.1', port: server.port, timeoutMs: 1000, reopenDelayMs: 20 });
    cleanups.push(
      () => link.close(),
      () => emulator.close(),
    );
    const states: ModbusLinkState[] = [];
    link.onStateChange((state) => states.push(state));
    await link.open();
    const scheduler = createBusScheduler({ link });
    const poller = createPoller({ scheduler, devices: [{ id: 'd', unitId: 1, profile: bits }] });
    expect((await poller.pollAll())[0]!.bays[4]!.state).toBe('occupied');

    server.dropConnections();
    await vi.waitFor(() => expect(states.includes('reopening'), 'the link to notice the drop').toBe(true), {
      timeout: 5000,
      interval: 10,
    });
    await vi.waitFor(() => expect(link.state, 'the link to reconnect').toBe('open'), { timeout: 5000, interval: 10 });
    expect(await codeOf(scheduler.readBits(1, 'discrete', 0, 8))).toBe('ok');

    const port = server.port;
    await server.close();
    await vi.waitFor(() => expect(link.state, 'the link to notice the server is gone').toBe('reopening'), {
      timeout: 5000,
      interval: 10,
    });
    expect(await codeOf(scheduler.readBits(1, 'discrete', 0, 8))).toBe('CB_BUS_CLOSED');
    expect((await poller.pollAll())[0]!.health).toBe('offline');
    const again = await serveTcp(emulator, { port });
    cleanups.push(() => again.close());
    await vi.waitFor(() => expect(link.state, 'the link to reconnect to the restarted server').toBe('open'), {
      timeout: 10_000,
      interval: 10,
    });
    expect((await poller.pollAll())[0]!.bays[4]!.state).toBe('occupied');
    await scheduler.close();
    await again.close();
  });

  it('reports exceptions and timeouts with their codes', async () => {
    const emulator = new ModbusEmulator({ profile: bits, unitIds: [1] });
    const server = await serveTcp(emulator);
    const link = createTcpLink({ host: '127.0.0.1', port: server.port, timeoutMs: 500 });
    cleanups.push(
      () => link.close(),
      () => emulator.close(),
    );
    await link.open();
    emulator.injectFault(1, { kind: 'exception', code: 6, count: 1 });
    const err = await link.readDiscreteInputs(1, 0, 8).catch((e: unknown) => e);
    expect(isCitybayError(err, 'CB_MODBUS_EXCEPTION')).toBe(true);
    expect((err as { modbusCode: number }).modbusCode).toBe(6);
    emulator.injectFault(1, { kind: 'slow', delayMs: 1500, count: 1 });
    expect(await codeOf(link.readDiscreteInputs(1, 0, 8))).toBe('CB_MODBUS_TIMEOUT');
    await link.close();
    expect(await codeOf(link.readDiscreteInputs(1, 0, 8))).toBe('CB_BUS_CLOSED');
    await emulator.close();
  });

  it('rejects with CB_BUS_CLOSED when nothing listens, and keeps trying', async () => {
    const link = createTcpLink({ host: '127.0.0.1', port: 1, timeoutMs: 100, reopenDelayMs: 10_000 });
    expect(await codeOf(link.open())).toBe('CB_BUS_CLOSED');
    expect(link.state).toBe('reopening');
    await link.close();
    expect(link.state).toBe('closed');
  });
});

describe('Modbus RTU link over a pty pair', () => {
  requireTool(existsSync('/usr/bin/socat'), 'socat');

  it('drops the bytes of a truncated reply before the next request', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-rtu-'));
    const emulator = new ModbusEmulator({ profile: bits, unitIds: [1] });
    const pair = await createPtyPair(join(dir, 'm'), join(dir, 'e'));
    cleanups.push(
      () => pair.close(),
      () => emulator.close(),
    );
    const port = await serveRtu(emulator, { path: pair.pathB });
    const link = createSerialLink({ path: pair.pathA, baudRate: 115200, timeoutMs: 500 });
    cleanups.push(() => link.close());
    await link.open();
    emulator.injectFault(1, { kind: 'truncated', count: 1 });
    expect(await codeOf(link.readDiscreteInputs(1, 0, 64))).toBe('CB_MODBUS_TIMEOUT');
    expect(port.repliesSent).toBe(1);
    emulator.setBay(1, 2, true);
    expect((await link.readDiscreteInputs(1, 0, 64))[2]).toBe(true);
    await link.close();
    await emulator.close();
    await pair.close();
  });

  it('counts CRC errors, recovers, and reopens a port that disappears', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-rtu-'));
    const emulator = new ModbusEmulator({ profile: bits, unitIds: [1, 2] });
    emulator.setBay(2, 7, true);
    let pair = await createPtyPair(join(dir, 'm'), join(dir, 'e'));
    cleanups.push(
      () => pair.close(),
      () => emulator.close(),
    );
    await serveRtu(emulator, { path: pair.pathB });
    const link = createSerialLink({
      path: pair.pathA,
      baudRate: 115200,
      timeoutMs: 1000,
      reopenDelayMs: 20,
      maxReopenDelayMs: 100,
      presenceCheckMs: 50,
    });
    await link.open();
    const scheduler = createBusScheduler({ link, timeoutMs: 1000, retries: 1, quarantine: { afterFailures: 3 } });
    cleanups.push(() => scheduler.close());

    expect((await scheduler.readBits(2, 'discrete', 0, 64))[7]).toBe(true);
    emulator.injectFault(1, { kind: 'crc', count: 1 });
    expect(await codeOf(scheduler.readBits(1, 'discrete', 0, 8))).toBe('ok');
    expect(scheduler.counters(1)).toMatchObject({ crcErrors: 1, retries: 1, responses: 1 });
    emulator.injectFault(1, { kind: 'exception', code: 4, count: 1 });
    expect(await codeOf(scheduler.readBits(1, 'discrete', 0, 8))).toBe('CB_MODBUS_EXCEPTION');

    // Unplug the "USB adapter": socat goes away with both pty ends.
    await pair.close();
    await vi.waitFor(() => expect(link.state, 'the link to notice the port is gone').toBe('reopening'), {
      timeout: 5000,
      interval: 10,
    });
    expect(await codeOf(scheduler.readBits(2, 'discrete', 0, 8))).toBe('CB_BUS_CLOSED');
    pair = await createPtyPair(join(dir, 'm'), join(dir, 'e'));
    await serveRtu(emulator, { path: pair.pathB });
    await vi.waitFor(() => expect(link.state, 'the link to reopen the port').toBe('open'), {
      timeout: 10_000,
      interval: 10,
    });
    expect((await scheduler.readBits(2, 'discrete', 0, 64))[7]).toBe(true);
    await scheduler.close();
    await emulator.close();
    await pair.close();
  });
});
