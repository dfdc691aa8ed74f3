/**
 * The sync client: sends the outbox to central's `POST /v1/sync` in batches (protobuf, HTTP Basic
 * with this edge's secret), deletes only what central acknowledged, backs off with jitter when central
 * is unreachable or refuses, and applies and persists the directives central answers with.
 */
import { readFileSync } from 'node:fs';
import type { Logger } from '@citybay/common';
import {
  type Directives,
  decodeSyncResponse,
  encodeSyncRequest,
  MAX_SUMMARIES_PER_REQUEST,
  messages,
  type SyncResponse,
} from '@citybay/proto';
import { Agent as HttpAgent, type IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { errors } from '../../errors.js';
import type { Outbox } from '../outbox/outbox.js';
import { Backoff } from './backoff.js';

export interface SyncClientOptions {
  outbox: Outbox;
  siteId: string;
  edgeId: string;
  /** Base URL of central (without `/v1/sync`). */
  url: string;
  secret: string;
  /** PEM of the CA that signed central's certificate. Default: the system's CAs. */
  caPem?: string;
  /** Sync this often when nothing new is waiting, in ms (directives still arrive). Default 5000. */
  syncIntervalMs?: number;
  /** Most summaries per request. Default 500. */
  batchMax?: number;
  /** Most bytes of summaries per request. Default 1 MiB (central refuses bodies past 4 MiB). */
  batchMaxBytes?: number;
  /** Request timeout, in ms. Default 15000. */
  requestTimeoutMs?: number;
  /** First retry delay, in ms. Default 1000. */
  backoffInitialMs?: number;
  /** Longest retry delay, in ms. Default 60000. */
  backoffMaxMs?: number;
  /** Called after the outbox was renumbered to follow central's acknowledged seq, with the new last seq. */
  onRenumbered?: (lastSeq: number) => void;
  /** Called with new directives (after they were persisted). */
  onDirectives?: (directives: Directives) => void;
  logger: Logger;
  /** Uniform in [0, 1) for jitter. Default Math.random. */
  random?: () => number;
  /** Clock for sync lag, in ms. Default Date.now. */
  nowMs?: () => number;
}

export interface SyncStats {
  requests: number;
  failures: number;
  summariesSent: number;
  summariesAcked: number;
  lastSuccessMs: number | null;
  lastErrorCode: string | null;
  consecutiveFailures: number;
  directivesVersion: number;
}

const DIRECTIVES_KEY = 'directives';
const toPlain = { longs: Number, enums: Number, bytes: Uint8Array, defaults: false, arrays: true } as const;

/** Directives persisted in the outbox's state (base64 protobuf), or undefined. */
export function loadPersistedDirectives(outbox: Outbox): Directives | undefined {
  const stored = outbox.getState(DIRECTIVES_KEY);
  if (stored === undefined) return undefined;
  return messages.Directives.toObject(messages.Directives.decode(Buffer.from(stored, 'base64')), toPlain) as Directives;
}

export class SyncClient {
  private readonly options: Required<Omit<SyncClientOptions, 'caPem' | 'onDirectives' | 'onRenumbered'>> &
    Pick<SyncClientOptions, 'caPem' | 'onDirectives' | 'onRenumbered'>;
  private readonly authorization: string;
  // node:http(s) rather than fetch: fetch loads a whole second HTTP stack (undici, ~20 MB resident),
  // too much on a Pi-class gateway for one request every few seconds.
  private readonly agent: HttpAgent | HttpsAgent;
  private readonly backoff: Backoff;
  private isRunning = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private inFlight: { destroy(error?: Error): void } | undefined;
  private batchMax: number;
  private directivesVersion = 0;
  private missingLogged = '';
  readonly stats: SyncStats = {
    requests: 0,
    failures: 0,
    summariesSent: 0,
    summariesAcked: 0,
    lastSuccessMs: null,
    lastErrorCode: null,
    consecutiveFailures: 0,
    directivesVersion: 0,
  };

  constructor(options: SyncClientOptions) {
    this.options = {
      syncIntervalMs: 5000,
      batchMax: 500,
      batchMaxBytes: 1024 * 1024,
      requestTimeoutMs: 15_000,
      backoffInitialMs: 1000,
      backoffMaxMs: 60_000,
      random: Math.random,
      nowMs: Date.now,
      ...options,
    };
    this.batchMax = Math.min(this.options.batchMax, MAX_SUMMARIES_PER_REQUEST);
    this.authorization = `Basic ${Buffer.from(`${options.edgeId}:${options.secret}`).toString('base64')}`;
    this.agent = options.url.startsWith('https:')
      ? new HttpsAgent({ keepAlive: true, maxSockets: 1, ...(options.caPem ? { ca: options.caPem } : {}) })
      : new HttpAgent({ keepAlive: true, maxSockets: 1 });
    this.backoff = new Backoff(this.options.backoffInitialMs, this.options.backoffMaxMs, this.options.random);
    const persisted = loadPersistedDirectives(options.outbox);
    this.directivesVersion = persisted?.version ?? 0;
    this.stats.directivesVersion = this.directivesVersion;
  }

  /** Reads a CA file for {@link SyncClientOptions.caPem}. */
  static readCa(file: string): string {
    return readFileSync(file, 'utf8');
  }

  start(): void {
    if (this.isRunning) return;
    this.isRunning = true;
    this.loop = this.run();
  }

  /** Wakes the loop now (a summary was appended). */
  notify(): void {
    this.wake?.();
  }

  private async sleep(ms: number): Promise<void> {
    if (!this.isRunning) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
    this.wake = undefined;
  }

  private async run(): Promise<void> {
    const log = this.options.logger;
    while (this.isRunning) {
      try {
        const sent = await this.syncOnce();
        this.backoff.reset();
        this.stats.consecutiveFailures = 0;
        // More waiting: go on at once; otherwise wait for a new summary or the idle interval.
        if (sent < this.batchMax || this.options.outbox.stats().depth === 0)
          await this.sleep(this.options.syncIntervalMs);
      } catch (err) {
        if (!this.isRunning) break;
        this.stats.failures++;
        this.stats.consecutiveFailures++;
        const code = (err as { code?: string }).code ?? 'ERROR';
        this.stats.lastErrorCode = code;
        const retryAfterMs = (err as { retryAfterMs?: number }).retryAfterMs ?? 0;
        const delayMs = this.backoff.nextDelayMs(retryAfterMs);
        const fields = { err, delayMs: Math.round(delayMs), failures: this.backoff.consecutiveFailures };
        if (this.backoff.consecutiveFailures === 1 || this.backoff.consecutiveFailures % 20 === 0)
          log.warn(fields, 'sync failed, backing off');
        else log.debug(fields, 'sync failed, backing off');
        // A failure sleep is not cut short by new summaries: that is what the back-off is for.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delayMs);
          this.wake = () => {
            if (!this.isRunning) {
              clearTimeout(timer);
              resolve();
            }
          };
        });
        this.wake = undefined;
      }
    }
  }

  /** One exchange with central; returns how many summaries it carried. Throws on any failure. */
  async syncOnce(): Promise<number> {
    const { outbox, siteId, edgeId } = this.options;
    const summaries = outbox.peek(this.batchMax, this.options.batchMaxBytes);
    const body = encodeSyncRequest({ siteId, edgeId, summaries, directivesVersion: this.directivesVersion });
    const response = await this.post(body);
    this.stats.requests++;
    this.stats.summariesSent += summaries.length;
    const acked = response.ackedSeq ?? 0;
    const lastSent = summaries.at(-1)?.seq ?? 0;
    if (acked > outbox.lastSeq()) {
      // Central holds seqs this outbox never wrote (the outbox file was lost or replaced): it would take
      // ours for replays and drop them. Number them after central's instead, and send them again.
      const lastSeq = outbox.renumberAfter(acked);
      this.options.logger.warn(
        { ackedSeq: acked, lastSeq },
        'central already holds higher seqs from this edge (outbox lost?): renumbered the waiting summaries after them',
      );
      this.options.onRenumbered?.(lastSeq);
    } else {
      this.stats.summariesAcked += outbox.ack(acked);
    }
    if (lastSent > 0 && acked < (summaries[0]?.seq ?? 0) - 1) {
      this.options.logger.warn(
        { ackedSeq: acked, firstSent: summaries[0]?.seq },
        'central acknowledged less than before',
      );
    }
    // Central lists a gap in every answer until it is filled: log it when the list changes, not at every sync.
    const missing = response.missingSeqs ?? [];
    const missingKey = missing.length === 0 ? '' : `${missing[0]}+${missing.length}@${missing.at(-1)}`;
    if (missingKey !== this.missingLogged && missing.length > 0) {
      this.options.logger.info(
        { missingSeqs: missing.slice(0, 20), count: missing.length },
        'central reports missing seqs',
      );
    }
    this.missingLogged = missingKey;
    if (response.directives) this.applyDirectives(response.directives);
    this.stats.lastSuccessMs = this.options.nowMs();
    this.stats.lastErrorCode = null;
    return summaries.length;
  }

  private applyDirectives(directives: Directives): void {
    const version = directives.version ?? 0;
    if (version === this.directivesVersion && this.options.outbox.getState(DIRECTIVES_KEY) !== undefined) return;
    this.options.outbox.setState(
      DIRECTIVES_KEY,
      Buffer.from(messages.Directives.encode(directives).finish()).toString('base64'),
    );
    this.directivesVersion = version;
    this.stats.directivesVersion = version;
    this.options.logger.info({ version }, 'directives applied');
    this.options.onDirectives?.(directives);
  }

  private exchange(
    body: Uint8Array,
  ): Promise<{ status: number; contentType: string; retryAfter: string | null; bytes: Uint8Array }> {
    const url = new URL(`${this.options.url}/v1/sync`);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method: 'POST',
          agent: this.agent,
          headers: {
            'content-type': 'application/x-protobuf',
            'content-length': body.length,
            authorization: this.authorization,
          },
        },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          let length = 0;
          res.on('data', (chunk: Buffer) => {
            length += chunk.length;
            if (length > 16 * 1024 * 1024) req.destroy(new Error('response larger than 16 MiB'));
            else chunks.push(chunk);
          });
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              contentType: String(res.headers['content-type'] ?? ''),
              retryAfter: (res.headers['retry-after'] as string | undefined) ?? null,
              bytes: new Uint8Array(Buffer.concat(chunks)),
            }),
          );
          res.on('error', reject);
        },
      );
      this.inFlight = req;
      req.setTimeout(this.options.requestTimeoutMs, () =>
        req.destroy(new Error(`no answer within ${this.options.requestTimeoutMs} ms`)),
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  private async post(body: Uint8Array): Promise<SyncResponse> {
    let status: number;
    let bytes: Uint8Array;
    let contentType: string;
    let retryAfter: string | null;
    try {
      ({ status, bytes, contentType, retryAfter } = await this.exchange(body));
    } catch (cause) {
      throw errors.CB_SYNC_UNREACHABLE(`${this.options.url}: ${(cause as Error).message}`, { cause });
    } finally {
      this.inFlight = undefined;
    }
    if (status === 200) {
      if (!contentType.startsWith('application/x-protobuf')) {
        throw errors.CB_SYNC_BAD_RESPONSE(`central answered 200 with content type "${contentType}"`);
      }
      try {
        return decodeSyncResponse(bytes);
      } catch (cause) {
        throw errors.CB_SYNC_BAD_RESPONSE(`central's SyncResponse is invalid: ${(cause as Error).message}`, { cause });
      }
    }
    let detail = '';
    let path: string | undefined;
    try {
      const json = JSON.parse(Buffer.from(bytes).toString('utf8')) as {
        code?: string;
        message?: string;
        path?: string;
      };
      detail = `${json.code ?? ''} ${json.message ?? ''}`.trim();
      path = json.path;
    } catch {
      detail = Buffer.from(bytes.subarray(0, 200)).toString('utf8');
    }
    if (status === 413 && this.batchMax > 1) {
      this.batchMax = Math.max(1, Math.floor(this.batchMax / 2));
      this.options.logger.warn({ batchMax: this.batchMax }, 'central says the batch is too large; halving it');
    }
    const message = `central answered ${status}: ${detail}${path ? ` (at ${path})` : ''}`;
    const error =
      status >= 500 || status === 429
        ? errors.CB_SYNC_UNREACHABLE(message, path === undefined ? {} : { path })
        : errors.CB_SYNC_REJECTED(message, path === undefined ? {} : { path });
    const seconds = retryAfter === null ? Number.NaN : Number(retryAfter);
    if (Number.isFinite(seconds))
      Object.assign(error, { retryAfterMs: Math.min(seconds * 1000, this.options.backoffMaxMs) });
    Object.assign(error, { httpStatus: status });
    throw error;
  }

  /** Stops the loop; with `flushMs`, first tries for at most that long to send what is waiting. */
  async stop(flushMs = 0): Promise<void> {
    this.isRunning = false;
    if (flushMs === 0) this.inFlight?.destroy(new Error('sync client stopped'));
    this.wake?.();
    await this.loop;
    const deadline = this.options.nowMs() + flushMs;
    // Central already failing: a flush would only hold up the shutdown; the outbox keeps everything.
    const isReachable = this.stats.consecutiveFailures === 0;
    while (isReachable && flushMs > 0 && this.options.nowMs() < deadline && this.options.outbox.stats().depth > 0) {
      try {
        if ((await this.syncOnce()) === 0) break;
      } catch {
        break;
      }
    }
    this.agent.destroy();
  }
}
