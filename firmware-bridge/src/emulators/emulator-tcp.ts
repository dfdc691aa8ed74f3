/** Serves a {@link ModbusEmulator} as a Modbus TCP server (MBAP header + PDU). */
import { createServer, type Server, type Socket } from 'node:net';
import { concat } from '../core/modbus-pdu.js';
import type { ModbusEmulator } from './modbus-emulator.js';

export interface EmulatorTcpOptions {
  /** TCP port; 0 picks a free one. Default 0. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
}

export interface EmulatorTcpServer {
  readonly port: number;
  readonly host: string;
  /** Drops every client connection (to test the master's reconnect); the server keeps listening. */
  dropConnections(): void;
  close(): Promise<void>;
}

const MBAP_LENGTH = 7;

export async function serveTcp(emulator: ModbusEmulator, options: EmulatorTcpOptions = {}): Promise<EmulatorTcpServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    let buffer: Uint8Array = new Uint8Array(0);
    socket.on('data', (chunk) => {
      buffer = concat(buffer, chunk);
      while (buffer.length >= MBAP_LENGTH) {
        const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
        const length = view.getUint16(4);
        if (view.getUint16(2) !== 0 || length < 2 || length > 254) {
          // Not Modbus: a real server drops such a client.
          socket.destroy();
          return;
        }
        if (buffer.length < 6 + length) break;
        const header = buffer.slice(0, MBAP_LENGTH);
        const unitId = buffer[6]!;
        const pdu = buffer.slice(MBAP_LENGTH, 6 + length);
        buffer = buffer.slice(6 + length);
        const decision = emulator.handle(unitId, pdu, Date.now());
        if (decision.reply === undefined || decision.corruptCrc || decision.isTruncated) continue;
        const out = concat(header, decision.reply);
        new DataView(out.buffer).setUint16(4, decision.reply.length + 1);
        if (decision.extraDelayMs > 0) setTimeout(() => socket.writable && socket.write(out), decision.extraDelayMs);
        else socket.write(out);
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const handle: EmulatorTcpServer = {
    port,
    host,
    dropConnections: () => {
      for (const socket of sockets) socket.destroy();
    },
    close: async () => {
      handle.dropConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  emulator.onClose(handle.close);
  return handle;
}
