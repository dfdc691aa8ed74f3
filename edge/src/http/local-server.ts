/**
 * The local HTTP endpoint (bind it to localhost or the maintenance LAN): `GET /healthz`, `GET /metrics`
 * (Prometheus), `GET /signs` (what each sign shows), `GET /directives` (central's directives as this edge holds
 * them: what reached the field) and `POST /lots/<lotId>/occupancy` for an operator's count of a gate-counted lot
 * (`{ "occupied": 123 }`).
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CitybayError } from '@citybay/common';
import type { Registry } from 'prom-client';
import { errors } from '../errors.js';

export interface LocalServerOptions {
  host: string;
  port: number;
  registry: Registry;
  health: () => { isHealthy: boolean; details: Record<string, unknown> };
  signs: () => unknown;
  /** The directives the edge holds (the last central sent), as JSON. */
  directives: () => unknown;
  /** Returns false when the lot is not gate-counted. */
  setLotOccupancy: (lotId: string, occupied: number) => boolean;
}

export interface LocalServer {
  readonly port: number;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  res.statusCode = status;
  res.setHeader('content-type', type);
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

/** An error answer: the code's status, `{ code, message, path }` (path: the bad field, '' for the whole body). */
function sendError(res: ServerResponse, err: CitybayError): void {
  send(res, err.statusCode, {
    code: err.code,
    message: err.message,
    ...(err.path === undefined ? {} : { path: err.path }),
  });
}

async function readJson(req: IncomingMessage, maxBytes = 4096): Promise<unknown> {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > maxBytes) throw new Error('body too large');
  }
  return JSON.parse(text);
}

export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => sendError(res, errors.CB_LOCAL_INTERNAL(String(err))));
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    if (req.method === 'GET' && url.pathname === '/healthz') {
      const { isHealthy, details } = options.health();
      send(res, isHealthy ? 200 : 503, { status: isHealthy ? 'ok' : 'degraded', ...details });
      return;
    }
    if (req.method === 'GET' && url.pathname === '/metrics') {
      send(res, 200, await options.registry.metrics(), options.registry.contentType);
      return;
    }
    if (req.method === 'GET' && url.pathname === '/signs') {
      send(res, 200, options.signs());
      return;
    }
    if (req.method === 'GET' && url.pathname === '/directives') {
      send(res, 200, options.directives());
      return;
    }
    const lot = /^\/lots\/([^/]+)\/occupancy$/.exec(url.pathname);
    if (req.method === 'POST' && lot) {
      let occupied: unknown;
      try {
        occupied = (await readJson(req)) as { occupied?: unknown } | null;
        occupied = (occupied as { occupied?: unknown } | null)?.occupied;
      } catch (err) {
        sendError(res, errors.CB_LOCAL_BAD_REQUEST(`body: ${(err as Error).message}`, { path: '' }));
        return;
      }
      if (typeof occupied !== 'number' || !Number.isInteger(occupied) || occupied < 0) {
        sendError(res, errors.CB_LOCAL_BAD_REQUEST('occupied: expected a whole number ≥ 0', { path: 'occupied' }));
        return;
      }
      const lotId = decodeURIComponent(lot[1]!);
      if (!options.setLotOccupancy(lotId, occupied)) {
        sendError(res, errors.CB_LOCAL_LOT_NOT_GATE_COUNTED(`lot "${lotId}" is not gate-counted`, { path: 'lotId' }));
        return;
      }
      send(res, 200, { lotId, occupied });
      return;
    }
    sendError(res, errors.CB_LOCAL_NOT_FOUND(`${req.method} ${url.pathname}: not found`));
  }
  server.listen(options.port, options.host);
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
