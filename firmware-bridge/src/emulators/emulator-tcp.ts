/** Serves a {@link ModbusEmulator} as a Modbus TCP server (MBAP header + PDU). */
import { createServer, type Server, type Socket } from 'node:net';
import { encodeMbapFrame, MBAP_HEADER_BYTES, mbapFrameBytes, readMbapHeader } from '../core/mbap-frame.js';
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

export async function serveTcp(emulator: ModbusEmulator, options: EmulatorTcpOptions = {}): Promise<EmulatorTcpServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    let buffer: Uint8Array = new Uint8Array(0);
    socket.on('data', (chunk) => {
      buffer = concat(buffer, chunk);
      for (let header = readMbapHeader(buffer); header !== undefined; header = readMbapHeader(buffer)) {
        if (header.protocolId !== 0 || header.length < 2 || header.length > 254) {
          // Not Modbus: a real server drops such a client.
          socket.destroy();
          return;
        }
        const frameBytes = mbapFrameBytes(header);
        if (buffer.length < frameBytes) break;
        const pdu = buffer.slice(MBAP_HEADER_BYTES, frameBytes);
        buffer = buffer.slice(frameBytes);
        const decision = emulator.handle(header.unitId, pdu, Date.now());
        if (decision.reply === undefined || decision.corruptCrc || decision.isTruncated) continue;
        const out = encodeMbapFrame(header.transactionId, header.unitId, decision.reply);
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
