/**
 * Outbox append and drain rates (summaries/s) on disk with `synchronous=FULL`, for summaries of a
 * 2,000-bay site; drain both locally (peek + ack) and through the sync client to a central peer over HTTP.
 *   npm run bench:outbox -w @citybay/edge -- --count 2000
 * Reference in the same run: an append-only log with one fdatasync per summary (the other durable design).
 */
import { closeSync, fdatasyncSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '@citybay/common';
import { messages, type SiteSummary } from '@citybay/proto';
import { SampleSite } from '@citybay/proto/testing';
import { SqliteOutbox } from '../src/io/outbox/outbox-sqlite.js';
import { SyncClient } from '../src/io/sync/sync-client.js';
import { CentralPeer, TEST_SECRET } from '../src/testing/index.js';
import { tempDir } from '../test/support/temp-dir.js';
import { flag } from './support/proc-stats.js';

const count = Number(flag('count', '2000'));
const dir = tempDir('citybay-bench-');
const site = new SampleSite({ bayCount: 2000, siteId: 'bench-site', edgeId: 'edge-01' });
const summaries: SiteSummary[] = [];
for (let i = 0; i < count; i++) {
  const seq = i + 1;
  const startMs = 1_800_000_000_000 + seq * 5000;
  summaries.push({
    ...(i % 60 === 0 ? site.snapshot(seq, startMs) : site.changeOnly(seq, startMs, 20)),
    configVersion: 'bench',
  });
}
const encoded = summaries.map((s) => messages.SiteSummary.encode(s).finish());
const meanBytes = encoded.reduce((n, b) => n + b.length, 0) / count;

const rate = (n: number, ms: number) => (n / (ms / 1000)).toFixed(0);

let outbox = new SqliteOutbox({ path: join(dir.path, 'outbox.db') });
let t = performance.now();
for (const s of summaries) outbox.append(s);
const appendMs = performance.now() - t;

t = performance.now();
let drained = 0;
for (;;) {
  const batch = outbox.peek(500);
  if (batch.length === 0) break;
  outbox.ack(batch.at(-1)!.seq!);
  drained += batch.length;
}
const drainMs = performance.now() - t;
outbox.close();

outbox = new SqliteOutbox({ path: join(dir.path, 'outbox-http.db') });
for (const s of summaries) outbox.append(s);
const peer = new CentralPeer('bench-site', 'edge-01', TEST_SECRET);
await peer.up();
const client = new SyncClient({
  outbox,
  siteId: 'bench-site',
  edgeId: 'edge-01',
  url: peer.url,
  secret: TEST_SECRET,
  batchMax: 500,
  logger: silentLogger,
});
t = performance.now();
while ((await client.syncOnce()) > 0);
const httpMs = performance.now() - t;
const delivered = peer.stored.size;
await client.stop();
await peer.down();
outbox.close();

const fd = openSync(join(dir.path, 'log.bin'), 'a');
t = performance.now();
for (const body of encoded) {
  writeSync(fd, body);
  fdatasyncSync(fd);
}
const logMs = performance.now() - t;
closeSync(fd);
dir.remove();

console.log(
  `outbox-rates: ${count} summaries of a 2,000-bay site (mean ${meanBytes.toFixed(0)} B encoded), SQLite WAL synchronous=FULL on ${dir.path.split('/')[1]}`,
);
console.log(`  append                ${rate(count, appendMs)} summaries/s (one fsync'd transaction each)`);
console.log(`  drain (peek+ack 500)  ${rate(drained, drainMs)} summaries/s`);
console.log(`  drain to central      ${rate(delivered, httpMs)} summaries/s (sync client → HTTP peer, batches of 500)`);
console.log(
  `  reference: append-only log + fdatasync per summary ${rate(count, logMs)} summaries/s (outbox/log ${(logMs / appendMs).toFixed(2)})`,
);
