import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

/** `application_name` prefix of a worker's liveness connection, as `pg_stat_activity` shows it. */
export const LIVENESS_APPLICATION = 'citybay-sim-worker';

/**
 * A worker's one long-lived connection, named after the worker. PostgreSQL drops a session the moment its process
 * dies (the kernel closes the socket, even on SIGKILL), so "no session named after the worker" in
 * `pg_stat_activity` means the worker is gone: other workers requeue its runs within seconds instead of waiting
 * for the run timeout. A worker cut off by the network keeps its session until TCP keepalive gives up; the run
 * timeout is the bound then.
 */
export class WorkerLiveness {
  private client: pg.Client | undefined;
  private connectedAtMs: number | undefined;
  private isStopped = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly databaseUrl: string,
    readonly workerId: string,
    private readonly onError: (err: Error) => void,
  ) {}

  start(): void {
    this.loop = this.keepConnected();
  }

  /** How long the connection has been up (ms), 0 while it is down. */
  connectedForMs(): number {
    return this.connectedAtMs === undefined ? 0 : performance.now() - this.connectedAtMs;
  }

  private async keepConnected(): Promise<void> {
    for (let delayMs = 100; !this.isStopped; delayMs = Math.min(delayMs * 2, 2_000)) {
      const client = new pg.Client({
        connectionString: this.databaseUrl,
        application_name: `${LIVENESS_APPLICATION} ${this.workerId}`,
        keepAlive: true,
        connectionTimeoutMillis: 10_000,
      });
      const ended = new Promise<void>((resolve) => {
        client.on('error', (err) => {
          this.onError(err);
          resolve();
        });
        client.on('end', () => resolve());
      });
      try {
        await client.connect();
        if (this.isStopped) break;
        this.client = client;
        this.connectedAtMs = performance.now();
        delayMs = 100;
        await ended;
      } catch (err) {
        this.onError(err as Error);
      } finally {
        this.client = undefined;
        this.connectedAtMs = undefined;
        await client.end().catch(() => undefined);
      }
      if (!this.isStopped) await sleep(delayMs);
    }
  }

  async stop(): Promise<void> {
    this.isStopped = true;
    await this.client?.end().catch(() => undefined);
    await this.loop;
  }
}
