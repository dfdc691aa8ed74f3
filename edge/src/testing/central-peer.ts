/**
 * A small stand-in for central that speaks the real sync protocol over a real socket: decodes
 * requests with `@citybay/proto`, checks HTTP Basic, stores summaries by seq, acknowledges the highest
 * stored seq, answers with directives, and can be taken down, brought up, or told to answer errors.
 * For the edge's tests and benchmarks (`@citybay/edge/testing`); it answers only with codes central has.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { type Directives, decodeSyncRequest, encodeSyncResponse, messages, type SiteSummary } from '@citybay/proto';

/**
 * Every code this stand-in answers with, each one real central answers `POST /v1/sync` with: from central's error
 * table, or proto's wire codes its sync route passes on. The edge may not import central (the dependency rule), so
 * scripts/test/edge-central/central-peer-codes.test.ts checks this list against central's table; the peer refuses
 * to answer, or to be scripted with, any other code.
 */
export const CENTRAL_PEER_CODES: ReadonlySet<string> = new Set([
  'CB_HTTP_NOT_FOUND',
  'CB_HTTP_UNSUPPORTED_MEDIA_TYPE',
  'CB_HTTP_TOO_LARGE',
  'CB_HTTP_SHUTTING_DOWN',
  'CB_HTTP_RATE_LIMITED',
  'CB_SYNC_UNAUTHORIZED',
  'CB_SYNC_FORBIDDEN',
  'CB_SYNC_UNKNOWN_AREA',
  'CB_SYNC_SEQ_JUMP',
  'CB_STORE_UNAVAILABLE',
  'CB_WIRE_INVALID',
  'CB_WIRE_TOO_LARGE',
]);

function checkedCode(code: string): string {
  if (!CENTRAL_PEER_CODES.has(code)) {
    throw new Error(`central peer: ${code} is not a code central answers (see CENTRAL_PEER_CODES)`);
  }
  return code;
}

export interface PeerError {
  statusCode: number;
  code: string;
  message: string;
  path?: string;
  retryAfterS?: number;
}

export class CentralPeer {
  private server: Server | undefined;
  port = 0;
  /** Stored summaries by seq (site+edge are checked against the configured ones). */
  readonly stored = new Map<number, SiteSummary>();
  /** Every seq received, in arrival order, duplicates included. */
  readonly received: number[] = [];
  requests = 0;
  authFailures = 0;
  directives: Directives | undefined;
  /** Acknowledge this seq instead, encoded without validation (a central that breaks the contract). */
  forcedAckedSeq: number | undefined;
  private readonly scriptedErrors: PeerError[] = [];
  private readonly sockets = new Set<import('node:net').Socket>();
  private readonly waiters: { predicate: () => boolean; resolve: () => void }[] = [];

  constructor(
    readonly siteId: string,
    readonly edgeId: string,
    readonly secret: string,
    /** Serve HTTPS with this certificate and key (PEM). */
    private readonly tls?: { cert: string; key: string },
  ) {}

  get url(): string {
    return `${this.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  get ackedSeq(): number {
    let max = 0;
    for (const seq of this.stored.keys()) if (seq > max) max = seq;
    return max;
  }

  /** Starts listening (on the same port as before when restarted). */
  async up(): Promise<void> {
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch((err: unknown) => {
        res.statusCode = 500;
        res.end(String(err));
      });
    };
    const server: Server = this.tls ? createTlsServer(this.tls, handler) : createServer(handler);
    server.on(this.tls ? 'secureConnection' : 'connection', (socket: import('node:net').Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    server.listen(this.port, '127.0.0.1');
    await once(server, 'listening');
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening and cuts every open connection (central unreachable). */
  async down(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Answers these (in order) before answering normally again; throws for a code central does not answer with. */
  script(...errors: PeerError[]): void {
    for (const error of errors) checkedCode(error.code);
    this.scriptedErrors.push(...errors);
  }

  /** Resolves when `predicate` holds (checked after every request), or rejects after `timeoutMs`. */
  waitFor(predicate: () => boolean, timeoutMs = 30_000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`peer: condition not met within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        predicate,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  private settle(): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const waiter = this.waiters[i]!;
      if (waiter.predicate()) {
        this.waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }

  private json(res: ServerResponse, error: PeerError): void {
    checkedCode(error.code);
    res.statusCode = error.statusCode;
    res.setHeader('content-type', 'application/json');
    if (error.retryAfterS !== undefined) res.setHeader('retry-after', String(error.retryAfterS));
    const { retryAfterS: _, ...body } = error;
    res.end(JSON.stringify(body));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    this.requests++;
    try {
      if (req.method !== 'POST' || req.url !== '/v1/sync') {
        this.json(res, { statusCode: 404, code: 'CB_HTTP_NOT_FOUND', message: `${req.method} ${req.url}` });
        return;
      }
      const expected = `Basic ${Buffer.from(`${this.edgeId}:${this.secret}`).toString('base64')}`;
      if (req.headers.authorization !== expected) {
        this.authFailures++;
        this.json(res, { statusCode: 401, code: 'CB_SYNC_UNAUTHORIZED', message: 'unknown edge or bad secret' });
        return;
      }
      if (req.headers['content-type'] !== 'application/x-protobuf') {
        this.json(res, {
          statusCode: 415,
          code: 'CB_HTTP_UNSUPPORTED_MEDIA_TYPE',
          message: 'expected application/x-protobuf',
        });
        return;
      }
      const scripted = this.scriptedErrors.shift();
      if (scripted) {
        this.json(res, scripted);
        return;
      }
      let request: ReturnType<typeof decodeSyncRequest>;
      try {
        request = decodeSyncRequest(new Uint8Array(Buffer.concat(chunks)));
      } catch (err) {
        const e = err as { code: string; message: string; path?: string };
        this.json(res, { statusCode: 400, code: e.code, message: e.message, ...(e.path ? { path: e.path } : {}) });
        return;
      }
      if (request.siteId !== this.siteId) {
        this.json(res, { statusCode: 403, code: 'CB_SYNC_FORBIDDEN', message: 'another site' });
        return;
      }
      for (const summary of request.summaries ?? []) {
        const seq = summary.seq ?? 0;
        this.received.push(seq);
        if (!this.stored.has(seq)) this.stored.set(seq, summary);
      }
      res.statusCode = 200;
      res.setHeader('content-type', 'application/x-protobuf');
      if (this.forcedAckedSeq !== undefined) {
        res.end(messages.SyncResponse.encode({ ackedSeq: this.forcedAckedSeq }).finish());
        return;
      }
      res.end(
        encodeSyncResponse({
          ackedSeq: this.ackedSeq,
          ...(this.directives ? { directives: this.directives } : {}),
        }),
      );
    } finally {
      this.settle();
    }
  }
}

export const TEST_SECRET = `cbk_${'A'.repeat(43)}`;
