import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeTestApp, OPERATOR_KEY, type TestApp } from '../helpers/test-app.js';

let t: TestApp | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await t?.close();
  t = undefined;
});

/** Opens a connection from `localAddress` and sends a request's headers and the first bytes of a longer body. */
function halfSentBody(port: number, path: string, headers: string, localAddress = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress }, () => {
      socket.write(
        `PUT ${path} HTTP/1.1\r\nhost: central\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n${headers}\r\n{"lotId":`,
      );
      resolve(socket);
    });
    socket.on('error', () => undefined);
    // Read what comes back (the 401 or 408): a paused socket would never see the server close it.
    socket.resume();
    sockets.push(socket);
  });
}

const closed = (socket: Socket) =>
  socket.destroyed || socket.readyState === 'closed'
    ? Promise.resolve()
    : new Promise<void>((resolve) => socket.once('close', () => resolve()));

/** `GET /healthz` from `localAddress` (a monitor on another host than the flood). */
function healthz(port: number, localAddress: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress }, () => {
      socket.write('GET /healthz HTTP/1.1\r\nhost: central\r\nconnection: close\r\n\r\n');
    });
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0)));
    socket.on('error', reject);
    sockets.push(socket);
  });
}

describe('connection limits and request deadlines', () => {
  it(
    'closes 900 half-sent bodies by the request deadline and answers /healthz while they are open',
    { timeout: 120_000 },
    async () => {
      // Room for all 900 from one address, so every one of them waits for its deadline.
      t = await makeTestApp({ requestTimeoutMs: 5_000, maxConnectionsPerAddress: 1_000 });
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = t.app.server.address() as AddressInfo;
      const startedMs = Date.now();
      // Half of them with a valid operator key (their bodies are being read), half without any (refused with 401
      // at once, the rest of their body still awaited).
      const flood = await Promise.all(
        Array.from({ length: 900 }, (_, i) =>
          halfSentBody(
            port,
            '/v1/sites/hospital-north/lot-overrides',
            i % 2 === 0 ? `authorization: Bearer ${OPERATOR_KEY}\r\n` : '',
          ),
        ),
      );
      expect(await healthz(port, '127.0.0.1')).toBe(200);
      expect(await healthz(port, '127.0.0.2')).toBe(200);
      const openDuringHealthz = flood.filter((s) => !s.destroyed).length;
      await Promise.all(flood.map(closed));
      const tookMs = Date.now() - startedMs;
      expect(openDuringHealthz).toBeGreaterThan(0);
      // The deadline (5 s) plus Node's check every second, with room for a loaded machine; before, they stayed
      // open for as long as the client wished (over 75 s measured).
      expect(tookMs).toBeLessThan(30_000);
    },
  );

  it('closes a flood beyond maxConnectionsPerAddress when accepted, so a monitor elsewhere gets /healthz', async () => {
    t = await makeTestApp({ requestTimeoutMs: 60_000 });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = t.app.server.address() as AddressInfo;
    const flood = await Promise.all(
      Array.from({ length: 900 }, () => halfSentBody(port, '/v1/sites/hospital-north/lot-overrides', '')),
    );
    expect(await healthz(port, '127.0.0.2')).toBe(200);
    // The default cap (256) holds; the others were closed long before their deadline (60 s here).
    await vi.waitFor(() => expect(flood.filter((s) => !s.destroyed).length).toBe(256), { timeout: 20_000 });
  }, 60_000);

  it('keeps one address to maxConnectionsPerAddress, and everyone to maxConnections', { timeout: 60_000 }, async () => {
    t = await makeTestApp({ maxConnectionsPerAddress: 20, maxConnections: 30 });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = t.app.server.address() as AddressInfo;
    const first = await Promise.all(
      Array.from({ length: 25 }, () => halfSentBody(port, '/v1/sites/hospital-north/lot-overrides', '')),
    );
    await Promise.all(first.slice(20).map(closed));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(first.filter((s) => !s.destroyed).length).toBe(20);
    // Another address has its own share, up to the total.
    expect(await healthz(port, '127.0.0.2')).toBe(200);
    const second = await Promise.all(
      Array.from({ length: 15 }, () => halfSentBody(port, '/v1/sites/hospital-north/lot-overrides', '', '127.0.0.3')),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(second.filter((s) => !s.destroyed).length).toBe(10);
  });
});
