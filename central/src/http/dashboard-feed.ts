import { constants, createGzip, type Gzip } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type DeltaOp, jsonDelta } from './dashboard-delta.js';

/**
 * A full snapshot goes again after this many deltas, so a client that somehow missed one is back in step within a
 * minute at the default interval.
 */
const FULL_EVERY = 60;

interface Client {
  reply: FastifyReply;
  /** The gzip stream in front of the socket, when the browser takes gzip. */
  gzip: Gzip | undefined;
  hasBase: boolean;
}

/**
 * The dashboard's live feed (server-sent events): a full snapshot to each new client (`event: snapshot`), then
 * every interval the changes since the previous snapshot (`event: delta`, see `dashboard-delta.ts`), each message
 * numbered (`id:`) so the page can tell a gap; gzip-compressed on the wire (flushed per message) when the browser
 * accepts it. Before, every second every client got the whole snapshot uncompressed (~35 KB/s in the demo).
 */
export class DashboardFeed {
  private readonly clients = new Set<Client>();
  private last: unknown;
  private seq = 0;
  private sinceFull = 0;

  get size(): number {
    return this.clients.size;
  }

  /** Starts the event stream on a hijacked reply. */
  open(request: FastifyRequest, reply: FastifyReply): void {
    const acceptsGzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      ...(acceptsGzip ? { 'content-encoding': 'gzip', vary: 'accept-encoding' } : {}),
    });
    const gzip = acceptsGzip ? createGzip({ flush: constants.Z_SYNC_FLUSH }) : undefined;
    if (gzip) {
      gzip.pipe(reply.raw);
      // A socket that dies under the gzip stream ends the client, nothing else.
      gzip.on('error', () => this.close(client));
    }
    const client: Client = { reply, gzip, hasBase: false };
    this.clients.add(client);
    this.write(client, 'retry: 2000\n\n');
    if (this.last !== undefined) this.sendFull(client);
    request.raw.on('close', () => this.close(client));
  }

  /** Sends the changes from the previous snapshot to `snapshot` to every client (a full one to new clients). */
  publish(snapshot: unknown): void {
    const previous = this.last;
    this.last = snapshot;
    this.seq++;
    this.sinceFull++;
    const isFull = previous === undefined || this.sinceFull >= FULL_EVERY;
    if (isFull) this.sinceFull = 0;
    const ops: DeltaOp[] = isFull ? [] : jsonDelta(previous, snapshot);
    const delta = `event: delta\nid: ${this.seq}\ndata: ${JSON.stringify({ base: this.seq - 1, ops })}\n\n`;
    for (const client of this.clients) {
      if (isFull || !client.hasBase) this.sendFull(client);
      else this.write(client, delta);
    }
  }

  /** Ends every stream (central closing). */
  closeAll(): void {
    for (const client of this.clients) {
      if (client.gzip) client.gzip.end();
      else client.reply.raw.end();
    }
    this.clients.clear();
  }

  private sendFull(client: Client): void {
    client.hasBase = true;
    this.write(client, `event: snapshot\nid: ${this.seq}\ndata: ${JSON.stringify(this.last)}\n\n`);
  }

  private write(client: Client, text: string): void {
    // The gzip stream syncs at the end of every write (Z_SYNC_FLUSH): the message leaves at once, and the
    // compressor keeps its window, so a delta much like the previous one costs a few bytes.
    if (client.gzip) {
      client.gzip.write(text);
    } else {
      client.reply.raw.write(text);
    }
  }

  private close(client: Client): void {
    if (!this.clients.delete(client)) return;
    client.gzip?.unpipe();
    client.gzip?.destroy();
  }
}
