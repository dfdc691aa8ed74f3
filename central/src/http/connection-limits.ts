import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** How often Node checks open requests against `requestTimeoutMs` and the headers deadline (ms). */
export const CONNECTIONS_CHECKING_INTERVAL_MS = 1_000;

/** Counts the open connections of a server by client address. */
export interface ConnectionLimits {
  /** Open connections of `address`. */
  openOf(address: string): number;
}

/**
 * Caps the connections one client address may hold open: beyond `maxPerAddress` a new connection from it is closed
 * as soon as it is accepted, before a byte is read. Together with the server's total `maxConnections`, a flood from
 * one address (half-sent bodies, idle sockets) cannot take the places others — a monitor asking `/healthz`, the
 * edges — need.
 */
export function limitConnectionsPerAddress(server: Server, maxPerAddress: number): ConnectionLimits {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const count = open.get(address) ?? 0;
    if (count >= maxPerAddress) {
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left === 0) open.delete(address);
      else open.set(address, left);
    });
  });
  return { openOf: (address) => open.get(address) ?? 0 };
}
