import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the background thread copies the WAL back into the database (ms). */
export const CHECKPOINT_INTERVAL_MS = 1_000;

// Runs in a worker thread with its own connection. A PASSIVE checkpoint never blocks the writer, so the
// copying and fsync of the WAL happen beside the ingest path instead of inside some request's commit.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.modulePath);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 100');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (err) { parentPort.postMessage(String(err && err.message)); }
}, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

/** A background WAL checkpointer for one SQLite file. */
export class SqliteCheckpointer {
  private readonly worker: Worker;

  constructor(path: string, onError: (message: string) => void, intervalMs = CHECKPOINT_INTERVAL_MS) {
    const modulePath = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, modulePath, intervalMs } });
    this.worker.on('message', (message: string) => onError(message));
    this.worker.on('error', (err) => onError(err.message));
    // The process may exit while it runs; the next open of the database finishes any checkpoint.
    this.worker.unref();
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    // Referenced again while it stops, or a process with nothing else to do would exit before the
    // thread does and leave this promise (and whoever awaits close) unsettled.
    this.worker.ref();
    this.worker.postMessage('stop');
    await exited;
  }
}
