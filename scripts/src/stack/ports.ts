import { createServer } from 'node:net';
import { errors } from '../errors.js';

/** True when nothing listens on `host:port` (we could bind it). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port the OS says is free now (bind to 0, read it, release it). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Throws `CB_START_PORT_TAKEN` naming the port, what wanted it and how to choose another. */
export async function requirePortFree(
  port: number,
  what: string,
  howToChange: string,
  host = '127.0.0.1',
): Promise<void> {
  if (await isPortFree(port, host)) return;
  throw errors.CB_START_PORT_TAKEN(
    `port ${port} on ${host} (${what}) is already in use — stop what uses it (\`ss -ltnp 'sport = :${port}'\` shows it) or ${howToChange}`,
    { path: 'port' },
  );
}
